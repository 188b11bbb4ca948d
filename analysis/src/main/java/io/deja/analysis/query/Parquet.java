package io.deja.analysis.query;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;

/** Parquet copies of the exported tables, written by DuckDB (its Parquet writer is built in: no extension download). */
public final class Parquet {
    private Parquet() {}

    /** Writes outDir/&lt;table&gt;.parquet for every table of the export in arrowDir. */
    public static void write(Path arrowDir, Path outDir) {
        try (Database db = Database.open(arrowDir); Statement st = db.connection().createStatement()) {
            for (TableDef t : Tables.ALL) {
                String file = outDir.resolve(t.name() + ".parquet").toAbsolutePath().toString().replace("'", "''");
                st.execute("COPY " + t.name() + " TO '" + file + "' (FORMAT parquet)");
            }
        } catch (SQLException e) {
            throw new AnalysisException("Parquet export: " + Sql.oneLine(e), e);
        }
    }
}
