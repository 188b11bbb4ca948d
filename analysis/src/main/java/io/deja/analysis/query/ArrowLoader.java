package io.deja.analysis.query;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies exported Arrow files into DuckDB tables through the Arrow C stream
 * interface. DuckDB cannot read Arrow IPC files without an extension, and
 * extensions are never downloaded (STACK.md): Arrow Java reads the file, the
 * C stream hands its batches to DuckDB, and because a registered stream can be
 * scanned only once, each is copied into a table straight away.
 */
final class ArrowLoader {
    private ArrowLoader() {}

    /**
     * Creates one table per exported table (Tables.ALL) in conn from the files
     * in arrowDir. A stream is scanned by one DuckDB thread, so the tables are
     * loaded side by side (largest first), each through its own connection.
     */
    static void loadAll(DuckDBConnection conn, Path arrowDir) {
        List<TableDef> tables = new ArrayList<>(Tables.ALL);
        tables.sort(Comparator.comparingLong((TableDef t) -> size(arrowDir.resolve(t.fileName()))).reversed());
        int threads = Math.max(1, Math.min(tables.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("deja-load").daemon().factory());
        try (BufferAllocator allocator = new RootAllocator()) {
            List<Future<?>> done = new ArrayList<>();
            for (TableDef t : tables) {
                done.add(pool.submit(() -> {
                    try (DuckDBConnection c = (DuckDBConnection) conn.duplicate()) {
                        load(c, allocator, arrowDir.resolve(t.fileName()), t.name());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new AnalysisException("DuckDB: " + Sql.oneLine(e.getCause()), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalysisException("interrupted while loading " + arrowDir, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0; // missing: load() reports it
        }
    }

    static void load(DuckDBConnection conn, BufferAllocator allocator, Path file, String table) {
        if (!Files.isRegularFile(file)) throw new AnalysisException(file + ": missing (export again with deja export)");
        String stream = "deja_arrow_" + table;
        try (FileChannel channel = FileChannel.open(file);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator);
             ArrowArrayStream c = ArrowArrayStream.allocateNew(allocator);
             Statement st = conn.createStatement()) {
            Data.exportArrayStream(allocator, reader, c);
            conn.registerArrowStream(stream, c);
            st.execute("CREATE TABLE " + table + " AS SELECT * FROM " + stream);
        } catch (IOException | SQLException | RuntimeException e) {
            throw new AnalysisException(file + ": cannot be loaded into DuckDB (" + Sql.oneLine(e) + ")", e);
        }
    }
}
