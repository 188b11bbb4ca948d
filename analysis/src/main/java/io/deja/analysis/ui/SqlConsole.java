package io.deja.analysis.ui;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Json;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.Sql;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The page's SQL console: the database and standard library of {@code deja
 * query}, read-only three times over (the database file is opened read-only,
 * a statement must be one that returns rows, and DuckDB's access to other
 * files is switched off and locked), one statement at a time, stopped at a
 * time limit, with at most {@code maxRows} rows sent back.
 */
public final class SqlConsole implements AutoCloseable {
    /** A query the console refuses or that failed: the message goes to the page. */
    public static final class SqlError extends RuntimeException {
        SqlError(String message) {
            super(message, null, false, false);
        }
    }

    private final Path recording;
    private final Duration limit;
    private final int maxRows;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deja-ui-sql-timer");
        t.setDaemon(true);
        return t;
    });
    private Database db;

    public SqlConsole(Path recording, Duration limit, int maxRows) {
        this.recording = recording;
        this.limit = limit;
        this.maxRows = maxRows;
    }

    private Database database() {
        if (db == null) {
            Path arrow = Query.defaultExportDir(recording);
            Query.ensureExported(recording, arrow);
            Database d = Database.open(arrow);
            try (Statement st = d.connection().createStatement()) {
                st.execute("SET enable_external_access = false");
                st.execute("SET lock_configuration = true");
            } catch (SQLException e) {
                d.close();
                throw new AnalysisException("DuckDB: " + Sql.oneLine(e), e);
            }
            db = d;
        }
        return db;
    }

    /** Runs one read-only statement; its result as JSON (columns, types, rows, truncated, millis). */
    public synchronized String run(String sql) {
        if (sql == null || sql.isBlank()) throw new SqlError("empty query");
        Database d = database();
        long start = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (PreparedStatement ps = d.connection().prepareStatement(sql)) {
            ResultSetMetaData pm = ps.getMetaData();
            if (!(pm instanceof DuckDBResultSetMetaData dm) || dm.getReturnType() != StatementReturnType.QUERY_RESULT) {
                throw new SqlError("read-only: the console runs queries that return rows (SELECT, WITH, FROM, PRAGMA, DESCRIBE, ...), not statements that change anything");
            }
            ScheduledFuture<?> stop = timer.schedule(() -> {
                timedOut.set(true);
                try {
                    ps.cancel();
                } catch (SQLException ignored) {
                    // the statement finished as we cancelled it
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                Json j = new Json();
                j.open('{').key("columns").open('[');
                for (int i = 1; i <= n; i++) j.value(md.getColumnLabel(i));
                j.close(']').key("types").open('[');
                for (int i = 1; i <= n; i++) j.value(md.getColumnTypeName(i));
                j.close(']').key("rows").open('[');
                int rows = 0;
                boolean truncated = false;
                while (rs.next()) {
                    if (rows == maxRows) {
                        truncated = true;
                        break;
                    }
                    if (timedOut.get()) throw new SqlError(stoppedMessage());
                    j.open('[');
                    for (int i = 1; i <= n; i++) value(j, rs.getObject(i));
                    j.close(']');
                    rows++;
                }
                j.close(']').key("truncated").value((Object) truncated).key("max_rows").value((Object) maxRows)
                        .key("millis").value((Object) ((System.nanoTime() - start) / 1_000_000)).close('}');
                return j.toString();
            } finally {
                stop.cancel(false);
            }
        } catch (SQLException e) {
            if (timedOut.get()) throw new SqlError(stoppedMessage());
            throw new SqlError(Sql.oneLine(e));
        }
    }

    private String stoppedMessage() {
        return "stopped: the query ran longer than the time limit of " + limit.toMillis() / 1000.0 + " s";
    }

    /** Numbers JavaScript holds exactly stay numbers; larger ones (UBIGINT addresses) go as decimal strings. */
    private static void value(Json j, Object v) throws SQLException {
        switch (v) {
            case null -> j.nil();
            case Integer i -> j.value((Object) i);
            case Short s -> j.value((Object) s);
            case Byte b -> j.value((Object) b);
            case Long l -> {
                if (Math.abs(l) <= (1L << 53)) j.value((Object) l); else j.value(Long.toString(l));
            }
            case BigInteger b -> {
                if (b.bitLength() <= 53) j.value((Object) b); else j.value(b.toString());
            }
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) j.value(d.toString()); else j.value((Object) d);
            }
            case Float f -> {
                if (f.isNaN() || f.isInfinite()) j.value(f.toString()); else j.value((Object) f);
            }
            case BigDecimal b -> j.value(b.toPlainString());
            case Boolean b -> j.value((Object) b);
            case byte[] bytes -> j.value(HexFormat.of().formatHex(bytes));
            case java.sql.Blob b -> j.value(HexFormat.of().formatHex(b.getBytes(1, (int) Math.min(b.length(), 4096))));
            default -> j.value(v.toString());
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (db != null) db.close();
        db = null;
    }
}
