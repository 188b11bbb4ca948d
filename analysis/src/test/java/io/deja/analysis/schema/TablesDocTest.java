package io.deja.analysis.schema;

import io.deja.analysis.SyntheticTrace;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.core.trace.EventField;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** analysis/TABLES.md documents exactly the tables the exporter writes and DuckDB loads. */
class TablesDocTest {
    static Path docFile() {
        Path p = Path.of("TABLES.md");
        return Files.exists(Path.of("pom.xml")) && Files.exists(Path.of("src/main/java/io/deja/analysis")) ? p : Path.of("analysis", "TABLES.md");
    }

    @Test
    void theCheckedInFileIsUpToDate() throws IOException {
        String generated = TablesDoc.generate();
        Path file = docFile();
        if (Boolean.getBoolean("deja.updateDocs")) Files.writeString(file, generated);
        assertThat(Files.readString(file))
                .as("%s is out of date: regenerate with mvn -q -pl analysis test -Dtest=TablesDocTest -Ddeja.updateDocs=true", file)
                .isEqualTo(generated);
    }

    /** docs/deja.sql, the library for DuckDB without Deja, is generated from stdlib.sql and the table list. */
    @Test
    void theMacroLibraryFileIsUpToDate() throws IOException {
        String generated = io.deja.analysis.query.Stdlib.script(Tables.ALL.stream().map(TableDef::name).toList());
        Path file = docFile().toAbsolutePath().getParent().getParent().resolve("docs/deja.sql");
        if (Boolean.getBoolean("deja.updateDocs")) Files.writeString(file, generated);
        assertThat(Files.readString(file))
                .as("%s is out of date: regenerate with mvn -q -pl analysis test -Dtest=TablesDocTest -Ddeja.updateDocs=true", file)
                .isEqualTo(generated);
    }

    /** The documented (column, type) pairs of each table, parsed back from the markdown. */
    static Map<String, List<String>> documented(String md) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String table = null;
        for (String line : md.split("\n")) {
            if (line.startsWith("## ") && !line.startsWith("## Tables")) break; // codes and the standard library follow the tables
            if (line.startsWith("### ")) {
                table = line.substring(4).strip();
                out.put(table, new ArrayList<>());
            } else if (table != null && line.startsWith("| ") && !line.startsWith("| column")) {
                String[] cells = line.split(" \\| ");
                out.get(table).add(cells[0].substring(2) + " " + cells[1].replace(", NULL", ""));
            }
        }
        return out;
    }

    @Test
    void theDocumentedColumnsAreTheLoadedOnes(@TempDir Path tmp) throws IOException {
        Path rec = tmp.resolve("rec");
        SyntheticTrace.write(rec);
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        Map<String, List<String>> doc = documented(Files.readString(docFile()));
        assertThat(doc.keySet()).containsExactlyElementsOf(Tables.ALL.stream().map(TableDef::name).toList());
        try (Database db = Database.open(arrow)) {
            for (TableDef t : Tables.ALL) {
                QueryResult r = Query.run(db, "SELECT column_name, column_type FROM (DESCRIBE " + t.name() + ")");
                List<String> actual = r.rows().stream().map(row -> row[0] + " " + row[1]).toList();
                assertThat(actual).as(t.name()).isEqualTo(doc.get(t.name()));
            }
        }
    }

    @Test
    void everyRecordedFieldHasAColumn() {
        for (EventType type : EventType.values()) {
            if (type == EventType.END) continue; // folded into runs
            TableDef t = Tables.ALL.stream().filter(d -> d.source() == type).findFirst().orElseThrow();
            List<Integer> copied = t.columns().stream().filter(c -> !c.derived()).map(Column::field).toList();
            for (int f = 0; f < type.fields.size(); f++) {
                EventField field = type.fields.get(f);
                if (type == EventType.CONSOLE && field.name().equals("value")) continue; // bytes become lines
                assertThat(copied).as("%s.%s", t.name(), field.name()).contains(f);
            }
        }
    }

    @Test
    void everyTableOfEventsHasTheRecordedCpuAfterIcount() {
        for (TableDef t : Tables.ALL) {
            if (t.source() == null) continue;
            int icount = t.index("icount");
            assertThat(t.columns().get(icount + 1)).as(t.name()).extracting(Column::name, Column::field).containsExactly("cpu", Column.CPU);
        }
    }
}
