package io.deja.analysis.query;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.export.ExportMarker;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A DuckDB database holding the exported tables of one recording and the
 * standard library, opened read-only for user queries.
 *
 * Loading 10 M rows costs about half a second, so the loaded database is kept
 * next to the Arrow files ({@value #FILE}) and reused while its stamp
 * ({@value #STAMP}) is newer than the export and names the same table layout,
 * standard library and DuckDB version. It is built under a temporary name and
 * renamed into place, so a concurrent or interrupted query never sees half of
 * one. When the export directory cannot be written, the tables are loaded into
 * memory for each query instead.
 */
public final class Database implements AutoCloseable {
    public static final String FILE = "deja.duckdb";
    public static final String STAMP = "deja.duckdb.stamp";

    private final DuckDBConnection conn;
    private final boolean cached;

    private Database(DuckDBConnection conn, boolean cached) {
        this.conn = conn;
        this.cached = cached;
    }

    /** Opens (building it first if needed) the database of the export in arrowDir, read-only. */
    public static Database open(Path arrowDir) {
        FileTime exported = ExportMarker.completed(arrowDir);
        if (exported == null) throw new AnalysisException(arrowDir + ": no complete export here (run deja export)");
        Path db = arrowDir.resolve(FILE);
        String stamp = stamp();
        if (!fresh(arrowDir, exported, stamp)) {
            try {
                build(arrowDir, stamp);
            } catch (NotWritable e) {
                return inMemory(arrowDir);
            }
        }
        return new Database(connect(db.toString(), true), true);
    }

    /** Loads the export in arrowDir into an in-memory database (nothing is written next to it). */
    public static Database inMemory(Path arrowDir) {
        DuckDBConnection c = connect("", false);
        try {
            ArrowLoader.loadAll(c, arrowDir);
            defineStdlib(c);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        return new Database(c, false);
    }

    public DuckDBConnection connection() {
        return conn;
    }

    /** Whether the tables came from the cached database file (false: loaded into memory for this query). */
    public boolean cached() {
        return cached;
    }

    @Override
    public void close() {
        closeQuietly(conn);
    }

    // ---- The cache -------------------------------------------------------------------------------
    /** Extension loading stays off: nothing is ever downloaded, and every table we need is built in. */
    static DuckDBConnection connect(String path, boolean readOnly) {
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        // STACK.md: "?duckdb.read_only=true" in the URL is not parsed; it must be a property.
        if (readOnly) p.setProperty("duckdb.read_only", "true");
        try {
            return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path, p);
        } catch (SQLException e) {
            throw new AnalysisException((path.isEmpty() ? "DuckDB" : path) + ": cannot be opened (" + Sql.oneLine(e) + ")", e);
        }
    }

    private static boolean fresh(Path dir, FileTime exported, String stamp) {
        Path s = dir.resolve(STAMP);
        try {
            return Files.isRegularFile(dir.resolve(FILE)) && Files.isRegularFile(s)
                    && Files.getLastModifiedTime(s).compareTo(exported) >= 0
                    && Files.readString(s).equals(stamp);
        } catch (IOException e) {
            return false;
        }
    }

    private static void build(Path dir, String stamp) {
        Path tmp;
        try {
            Files.deleteIfExists(dir.resolve(STAMP));
            tmp = Files.createTempFile(dir, FILE + ".", ".tmp");
            Files.delete(tmp); // DuckDB creates the file itself; it refuses an empty one
        } catch (AccessDeniedException e) {
            throw new NotWritable();
        } catch (IOException e) {
            if (!Files.isWritable(dir)) throw new NotWritable();
            throw new AnalysisException(dir + ": cannot write the query cache (" + e.getMessage() + ")", e);
        }
        try {
            try (DuckDBConnection c = connect(tmp.toString(), false)) {
                ArrowLoader.loadAll(c, dir);
                defineStdlib(c);
                try (Statement st = c.createStatement()) {
                    st.execute("CHECKPOINT");
                }
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dir.resolve(STAMP), stamp);
        } catch (SQLException | IOException e) {
            throw new AnalysisException(dir + ": cannot write the query cache (" + Sql.oneLine(e) + ")", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(Path.of(tmp + ".wal"));
            } catch (IOException ignored) {
                // a stray temporary file is harmless: the next build uses another name
            }
        }
    }

    static void defineStdlib(DuckDBConnection c) {
        try (Statement st = c.createStatement()) {
            for (Stdlib.Entry e : Stdlib.entries()) {
                try {
                    st.execute(e.sql());
                } catch (SQLException ex) {
                    throw new IllegalStateException("stdlib.sql: " + e.name() + ": " + Sql.oneLine(ex), ex);
                }
            }
        } catch (SQLException e) {
            throw new AnalysisException("DuckDB: " + Sql.oneLine(e), e);
        }
    }

    /** What the cache depends on besides the export: table layout, standard library, DuckDB. */
    private static String stamp() {
        StringBuilder sb = new StringBuilder("layout ").append(ExportMarker.LAYOUT).append('\n');
        for (TableDef t : Tables.ALL) sb.append(t.name()).append(' ').append(t.columns().size()).append('\n');
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Stdlib.source().getBytes(StandardCharsets.UTF_8));
            sb.append("stdlib ").append(HexFormat.of().formatHex(h)).append('\n');
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sb.append("duckdb ").append(org.duckdb.DuckDBDriver.class.getPackage().getImplementationVersion()).append('\n');
        return sb.toString();
    }

    private static void closeQuietly(DuckDBConnection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a connection we are done with: nothing useful to report
        }
    }

    private static final class NotWritable extends RuntimeException {
        NotWritable() {
            super(null, null, false, false);
        }
    }
}
