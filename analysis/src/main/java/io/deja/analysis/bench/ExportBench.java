package io.deja.analysis.bench;

import io.deja.recorder.RecordBench;

import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Plural;
import io.deja.recorder.Recorder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The analysis benchmarks of issue 3, for {@code deja bench --recording} and
 * the slow test: a real full-level recording of bench_int (14 M instructions,
 * about 10 M register writes, 2.3 M stores) is exported to Arrow, rows per second, and
 * {@code first_write} looks for the value X2 (the loop counter, which only
 * counts down) took last, so it must scan every register write. Everything
 * happens in a temporary directory, deleted at the end.
 */
public final class ExportBench {
    private ExportBench() {}

    /** bench_int writes 0.72 registers per instruction: 14 M instructions give the 10 M register writes the target names. */
    public static final long DEFAULT_INSTRUCTIONS = 14_000_000;

    /**
     * @param rowsPerSecond    median export rate, all tables' rows over the export's wall time
     * @param firstWriteMillis median time of the first_write query on the cached database
     * @param rows             rows an export writes
     * @param regWrites        of which reg_writes rows
     */
    public record Report(double rowsPerSecond, double firstWriteMillis, long rows, long regWrites) {
        public boolean meetsTargets() {
            return rowsPerSecond >= 10e6 && firstWriteMillis <= 1000;
        }
    }

    /** Records bench_int (from kernelDir) for instructions at full level, then measures runs exports and queries. */
    public static Report run(Path kernelDir, int runs, long instructions, PrintWriter out) {
        Path image = kernelDir.resolve("bench_int.raw");
        Path tmp;
        try {
            tmp = Files.createTempDirectory("deja-exportbench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            out.println("Export and query (a full-level recording of bench_int; medians of " + runs + "):");
            Path rec = tmp.resolve("rec");
            long t0 = System.nanoTime();
            Recorder.Result recorded = Recorder.create(rec, MachineConfig.of(Board.VIBE, RecordBench.readKernel(image)), image, OutputStream.nullOutputStream(),
                    Recorder.Options.defaults(TraceLevel.FULL).withMaxInstructions(instructions)).run();
            out.printf(Locale.ROOT, "  recorded %s at full level: %s, %.1f MB, in %.2f s%n", Plural.count(recorded.instructions(), "instruction"),
                    Plural.count(recorded.events(), "event"), recorded.diskBytes() / 1e6, (System.nanoTime() - t0) / 1e9);
            out.flush();

            // Export: the first run also starts Arrow and Capstone and warms the JIT; it is shown, not counted.
            double[] rates = new double[runs];
            Exporter.Result r = null;
            Path arrow = null;
            for (int i = -1; i < runs; i++) {
                if (arrow != null) RecordBench.deleteTree(arrow);
                arrow = tmp.resolve("arrow" + (i + 1));
                r = Exporter.export(rec, arrow);
                if (i >= 0) rates[i] = r.rowsPerSecond();
                out.printf(Locale.ROOT, "  export%s: %s (insns %,d, reg_writes %,d, mem_writes %,d) in %.2f s = %.1f M rows/s%n",
                        i < 0 ? " (warm-up)" : " " + (i + 1), Plural.count(r.totalRows(), "row"), r.rows().get("insns"), r.rows().get("reg_writes"),
                        r.rows().get("mem_writes"), r.nanos() / 1e9, r.rowsPerSecond() / 1e6);
                out.flush();
            }
            double rate = median(rates);
            out.printf(Locale.ROOT, "  export: %.1f M rows/s [target >= 10 M rows/s]%n", rate / 1e6);

            long t1 = System.nanoTime();
            Database.open(arrow).close();
            out.printf(Locale.ROOT, "  DuckDB database built from the Arrow files (once per export, by the first query): %.2f s%n",
                    (System.nanoTime() - t1) / 1e9);
            long regWrites = r.rows().get("reg_writes");
            double[] millis = new double[runs];
            try (Database db = Database.open(arrow)) {
                Object[] last = Query.run(db, "SELECT icount, new FROM reg_writes WHERE reg = reg_number('X2') ORDER BY icount DESC LIMIT 1")
                        .rows().get(0);
                String sql = "SELECT icount, pc, disasm FROM first_write('X2', " + last[1] + ")";
                for (int i = -1; i < runs; i++) {
                    long s = System.nanoTime();
                    QueryResult q = Query.run(db, sql);
                    long e = System.nanoTime();
                    if (q.rows().size() != 1 || !q.rows().get(0)[0].equals(last[0])) {
                        throw new IllegalStateException("first_write found " + q.rows().stream().map(Arrays::toString).toList()
                                + ", expected icount " + last[0]);
                    }
                    if (i >= 0) millis[i] = (e - s) / 1e6;
                }
                out.printf(Locale.ROOT, "  %s over %,d register writes: %.0f ms [target <= 1 s]%n", sql, regWrites, median(millis));
            }
            out.flush();
            return new Report(rate, median(millis), r.totalRows(), regWrites);
        } finally {
            RecordBench.deleteTree(tmp);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
