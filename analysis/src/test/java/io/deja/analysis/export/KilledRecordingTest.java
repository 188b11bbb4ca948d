package io.deja.analysis.export;

import io.deja.analysis.query.Database;
import io.deja.analysis.query.Parquet;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.ResultFormat;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import io.deja.core.trace.TraceLevel;
import io.deja.replayer.RecordForever;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 during a recording (a child JVM, killed with SIGKILL while it
 * writes): the prefix replays, exports every table (Arrow and Parquet) and
 * answers queries without an exception, and the runs table says it was cut short.
 */
@Timeout(300)
class KilledRecordingTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = TraceLevel.class, names = {"EVENTS", "FULL"})
    void theKilledPrefixReplaysExportsAndAnswersQueries(TraceLevel level) throws Exception {
        Path rec = tmp.resolve("killed");
        assertThat(RecordForever.recordThenKill(rec, "arm64_hello", level, 5)).isEqualTo(137);

        ReplayResult replay = Replayer.replay(rec, ReplayOptions.defaults());
        assertThat(replay.report()).isNull();
        assertThat(replay.bitExact()).isTrue();
        assertThat(replay.truncated()).isTrue();

        Path arrow = tmp.resolve("arrow");
        Exporter.Result r = Exporter.export(rec, arrow);
        for (TableDef t : Tables.ALL) assertThat(arrow.resolve(t.fileName())).as(t.name()).isRegularFile();
        assertThat(r.rows().get("checkpoints")).isGreaterThanOrEqualTo(5);
        if (level == TraceLevel.FULL) assertThat(r.rows().get("insns")).isPositive();
        Parquet.write(arrow, arrow); // as deja export --parquet does
        for (TableDef t : Tables.ALL) assertThat(arrow.resolve(t.name() + ".parquet")).as(t.name()).isRegularFile();

        try (Database db = Database.open(arrow)) {
            assertThat(q(db, "SELECT truncated, end_reason IS NULL, instructions = " + replay.endIcount() + " FROM runs"))
                    .containsExactly(List.of("true", "true", "true"));
            for (TableDef t : Tables.ALL) {
                assertThat(q(db, "SELECT count(*) FROM " + t.name())).as(t.name())
                        .containsExactly(List.of(String.valueOf(t == Tables.RUNS ? 1 : r.rows().get(t.name()))));
            }
            // the standard library's views work on a prefix too
            for (String view : List.of("exit_stats", "irq_latency", "console")) assertThat(q(db, "SELECT count(*) FROM " + view)).hasSize(1);
            if (level == TraceLevel.FULL) {
                assertThat(q(db, "SELECT count(*) FILTER (WHERE old IS NULL) FROM reg_writes")).containsExactly(List.of("0"));
            }
        }
        assertThat(Files.exists(rec.resolve("arrow"))).as("nothing written into the recording").isFalse();
    }

    private static List<List<String>> q(Database db, String sql) {
        return Query.run(db, sql).rows().stream().map(row -> Arrays.stream(row).map(ResultFormat::text).toList()).toList();
    }
}
