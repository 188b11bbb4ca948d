package io.deja.analysis.query;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.export.ExportMarker;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Array;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SQL over a recording: exports it when needed, opens its database, runs the statements. */
public final class Query {
    private Query() {}

    /** The default export directory of a recording. */
    public static Path defaultExportDir(Path recordingDir) {
        return recordingDir.resolve("arrow");
    }

    /**
     * Exports recordingDir into arrowDir unless a complete export of this very
     * recording, newer than it, is already there (an export of another
     * recording in the same place is redone). Returns the export's result, or
     * null when none was needed.
     */
    public static Exporter.Result ensureExported(Path recordingDir, Path arrowDir) {
        FileTime recorded = recordingTime(recordingDir); // a missing or broken recording fails here, by name
        FileTime done = ExportMarker.completed(arrowDir, ExportMarker.identity(recordingDir));
        if (done != null && done.compareTo(recorded) >= 0) return null;
        return Exporter.export(recordingDir, arrowDir);
    }

    /**
     * When the recording last changed: its events file's time. Checked without
     * opening the queue (Chronicle's first open in a JVM costs up to seconds);
     * a directory without one is opened to produce the reader's own error.
     */
    static FileTime recordingTime(Path dir) {
        Path events = dir.resolve(RecordingFormat.CYCLE_FILE);
        if (!Files.isRegularFile(events)) {
            Recording.open(dir).close(); // throws RecordingException naming the problem
            throw new AnalysisException(events + ": missing");
        }
        try {
            return Files.getLastModifiedTime(events);
        } catch (IOException e) {
            throw new AnalysisException(events + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Runs sql (one or more statements; the last one's result is returned) on
     * the database, hex literals first rewritten (SqlText.hexLiterals). A DuckDB
     * error becomes an AnalysisException with DuckDB's message on one line.
     */
    public static QueryResult run(Database db, String sql) {
        if (sql.isBlank()) throw new AnalysisException("empty query");
        try (Statement st = db.connection().createStatement()) {
            if (!st.execute(SqlText.hexLiterals(sql))) return QueryResult.empty();
            try (ResultSet rs = st.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> names = new ArrayList<>(n), types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    names.add(md.getColumnLabel(i));
                    types.add(md.getColumnTypeName(i));
                }
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) row[i] = plain(rs.getObject(i + 1));
                    rows.add(row);
                }
                return new QueryResult(names, types, rows);
            }
        } catch (SQLException e) {
            throw new AnalysisException(Sql.oneLine(e), e);
        }
    }

    /**
     * Notes on the tables sql reads (directly or through the standard library)
     * that the recording's trace level leaves empty, or that a re-traced window
     * fills for part of the run only: one line each, saying what the table needs
     * and how to get it (recording: the recording as the user named it). Empty
     * when every table it reads covers the whole run.
     */
    public static List<String> coverageNotes(Database db, String sql, String recording) {
        QueryResult runs = run(db, "SELECT trace_level, trace_from, trace_to, truncated, instructions FROM runs");
        if (runs.rows().isEmpty()) return List.of();
        Object[] r = runs.rows().getFirst();
        TraceLevel recorded = TraceLevel.valueOf(String.valueOf(r[0]).toUpperCase(Locale.ROOT));
        List<String> names = new ArrayList<>();
        for (TableDef t : Tables.ALL) {
            if (t.source() != null && t.source().level != TraceLevel.EVENTS) names.add(t.name());
        }
        List<String> missing = new ArrayList<>(), windowed = new ArrayList<>();
        TraceLevel needed = TraceLevel.EVENTS;
        for (String name : Stdlib.tablesUsedBy(sql, names)) {
            TraceLevel level = Tables.byName(name).source().level;
            if (!recorded.atLeast(level)) {
                missing.add(name);
                if (level.atLeast(needed)) needed = level;
            } else if (r[1] != null) {
                windowed.add(name);
            }
        }
        List<String> notes = new ArrayList<>();
        if (Boolean.TRUE.equals(r[3])) {
            notes.add(String.format(Locale.ROOT, "this recording was cut short: the tables hold its complete part, up to icount %,d;"
                    + " deja replay %s says where and why it ends", ((Number) r[4]).longValue(), recording));
        }
        if (!missing.isEmpty()) {
            String lower = needed.name().toLowerCase(Locale.ROOT);
            notes.add(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " empty: this recording was made at trace level " + recorded.name().toLowerCase(Locale.ROOT)
                    + ", and " + (missing.size() == 1 ? "it needs" : "they need") + " level " + lower
                    + " (re-trace a window: deja replay " + recording + " --trace " + lower + " --from ICOUNT --to ICOUNT --out WINDOW, then query WINDOW)");
        }
        if (!windowed.isEmpty()) {
            notes.add(String.join(", ", windowed) + (windowed.size() == 1 ? " covers" : " cover")
                    + " only icount " + r[1] + " to " + r[2] + ": this recording is a re-traced window");
        }
        return notes;
    }

    /** Copies driver objects that are only valid while the result set is open (blobs, arrays). */
    private static Object plain(Object v) throws SQLException {
        if (v instanceof Blob b) return b.getBytes(1, (int) b.length());
        if (v instanceof Array a) {
            Object[] items = (Object[]) a.getArray();
            List<Object> out = new ArrayList<>(items.length);
            for (Object item : items) out.add(plain(item));
            return out;
        }
        if (v instanceof java.sql.Struct s) return s.toString();
        return v;
    }
}
