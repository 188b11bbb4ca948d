package io.deja.analysis.query;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.SyntheticTrace;
import io.deja.analysis.export.Exporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Export on demand, the database cache, errors and the output formats. */
class QueryTest {
    @TempDir
    static Path tmp;
    static Path rec;

    @BeforeAll
    static void record() {
        rec = tmp.resolve("rec");
        SyntheticTrace.write(rec);
    }

    static String print(QueryResult r, ResultFormat f, boolean hex) {
        StringWriter s = new StringWriter();
        f.print(r, new PrintWriter(s), hex);
        return s.toString();
    }

    /** Exporting recording A into B/arrow used to make every later query of B answer with A's data. */
    @Test
    void anExportOfAnotherRecordingIsRedone() throws Exception {
        Path a = tmp.resolve("identity-a"), b = tmp.resolve("identity-b");
        SyntheticTrace.write(a, 25, true);
        SyntheticTrace.write(b, 40, true);
        Path bArrow = Query.defaultExportDir(b);
        io.deja.analysis.export.Exporter.export(a, bArrow);
        org.assertj.core.api.Assertions.assertThat(Query.ensureExported(b, bArrow)).as("A's export in B's place is redone").isNotNull();
        org.assertj.core.api.Assertions.assertThat(Query.ensureExported(b, bArrow)).as("B's own export is kept").isNull();
    }

    @Test
    void exportsOnlyWhenMissingOrOlderThanTheRecording() throws Exception {
        Path dir = tmp.resolve("cached");
        SyntheticTrace.write(dir);
        Path arrow = Query.defaultExportDir(dir);
        assertThat(Query.ensureExported(dir, arrow)).isNotNull();
        assertThat(Query.ensureExported(dir, arrow)).isNull();
        Files.setLastModifiedTime(dir.resolve("19700101F.cq4"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(Query.ensureExported(dir, arrow)).isNotNull();
    }

    @Test
    void theDatabaseIsCachedAndRebuiltAfterANewExport() throws Exception {
        Path arrow = tmp.resolve("arrow-cache");
        Exporter.export(rec, arrow);
        try (Database db = Database.open(arrow)) {
            assertThat(db.cached()).isTrue();
        }
        FileTime built = Files.getLastModifiedTime(arrow.resolve(Database.FILE));
        try (Database db = Database.open(arrow)) {
            assertThat(Query.run(db, "SELECT count(*) FROM insns").rows().get(0)[0]).isEqualTo(16L);
        }
        assertThat(Files.getLastModifiedTime(arrow.resolve(Database.FILE))).isEqualTo(built);
        Thread.sleep(20); // file times must differ
        Exporter.export(rec, arrow);
        try (Database db = Database.open(arrow)) {
            assertThat(Query.run(db, "SELECT count(*) FROM insns").rows().get(0)[0]).isEqualTo(16L);
        }
        assertThat(Files.getLastModifiedTime(arrow.resolve(Database.FILE))).isNotEqualTo(built);
    }

    @Test
    void wrongSqlGivesDuckDbsMessageOnOneLine() {
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        try (Database db = Database.open(arrow)) {
            assertThatThrownBy(() -> Query.run(db, "SELEC 1")).isInstanceOf(AnalysisException.class)
                    .hasMessage("Parser Error: syntax error at or near \"SELEC\"");
            assertThatThrownBy(() -> Query.run(db, "SELECT nope FROM insns")).isInstanceOf(AnalysisException.class)
                    .hasMessageStartingWith("Binder Error: Referenced column \"nope\" not found")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> Query.run(db, "SELECT * FROM insnz")).hasMessageNotContaining("\n")
                    .hasMessageContaining("Did you mean \"insns\"");
        }
    }

    @Test
    void formatsTableCsvAndJson() {
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        try (Database db = Database.open(arrow)) {
            QueryResult r = Query.run(db, "SELECT icount, pc, disasm, NULL AS nothing FROM insns WHERE icount IN (5, 9) ORDER BY icount");
            assertThat(print(r, ResultFormat.TABLE, true)).isEqualTo("""
                    icount  pc       disasm         nothing
                    ------  -------  -------------  -------
                         5  0x884    movz x9, #0x1  NULL
                         9  0x10014  b.ne #0x1001c  NULL
                    (2 rows)
                    """);
            assertThat(print(r, ResultFormat.TABLE, false)).contains("     5   2180  movz x9, #0x1");
            assertThat(print(r, ResultFormat.CSV, true)).isEqualTo("""
                    icount,pc,disasm,nothing
                    5,2180,"movz x9, #0x1",
                    9,65556,b.ne #0x1001c,
                    """);
            assertThat(print(r, ResultFormat.JSON, true)).isEqualTo("""
                    [
                      {"icount": 5, "pc": 2180, "disasm": "movz x9, #0x1", "nothing": null},
                      {"icount": 9, "pc": 65556, "disasm": "b.ne #0x1001c", "nothing": null}
                    ]
                    """);
            QueryResult runs = Query.run(db, "SELECT devices, rng_seed, truncated FROM runs");
            assertThat(print(runs, ResultFormat.JSON, true))
                    .contains("\"devices\": [\"gic-dist\", \"gic-cpu\", \"pl011\", \"virtio-console\"]", "\"truncated\": false");
        }
    }

    @Test
    void hexLiteralsWorkInQueries() {
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        try (Database db = Database.open(arrow)) {
            QueryResult r = Query.run(db, "SELECT icount, disasm FROM insns WHERE pc = 0x884");
            assertThat(r.rows()).hasSize(1);
            assertThat(r.rows().get(0)[1]).isEqualTo("movz x9, #0x1");
            QueryResult big = Query.run(db, "SELECT 0xffffffffffffffff = u64(-1) AS same, 0x10 + 1 AS sum, '0x10' AS text");
            assertThat(big.rows().get(0)).containsExactly(true, 17, "0x10");
        }
    }

    @Test
    void severalStatementsReturnTheLastResult() {
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        try (Database db = Database.open(arrow)) {
            QueryResult r = Query.run(db, "CREATE TEMP VIEW v AS SELECT 41 AS x; SELECT x + 1 AS y FROM v");
            assertThat(r.rows().get(0)[0]).isEqualTo(42);
        }
    }

    @Test
    void parquetFilesAreWrittenOffline() throws Exception {
        Path arrow = tmp.resolve("arrow-parquet");
        Exporter.export(rec, arrow);
        Parquet.write(arrow, arrow);
        assertThat(arrow.resolve("insns.parquet")).isRegularFile();
        try (Database db = Database.open(arrow)) {
            String f = arrow.resolve("reg_writes.parquet").toString();
            assertThat(Query.run(db, "SELECT count(*) FROM read_parquet('" + f + "')").rows().get(0)[0]).isEqualTo(8L);
        }
    }
}
