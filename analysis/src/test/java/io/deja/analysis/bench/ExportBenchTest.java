package io.deja.analysis.bench;

import io.deja.analysis.SyntheticTrace;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analysis figures of the issue, measured (printed, not asserted: machines
 * are shared and noisy): export rows per second, and first_write over 10 M
 * register writes. Run: mvn -pl analysis -am test -Pslow -Dtest=ExportBenchTest
 * -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("slow")
class ExportBenchTest {
    static final long N = Long.getLong("deja.bench.insns", 10_000_000L);

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void exportAndFirstWriteOnTenMillionRegisterWrites(@TempDir Path tmp) {
        Path rec = tmp.resolve("rec");
        long t0 = System.nanoTime();
        SyntheticTrace.writeLarge(rec, N);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "recorded %,d instructions (full level) in %.2f s%n", N, (t1 - t0) / 1e9);

        Path arrow = Query.defaultExportDir(rec);
        for (int run = 1; run <= 3; run++) { // the first run includes JIT warm-up and the reader's and Arrow's start-up
            long cpu = cpuNanos();
            Exporter.Result r = Exporter.export(rec, arrow);
            cpu = cpuNanos() - cpu;
            System.out.printf(Locale.ROOT, "export %d: %,d rows (insns %,d, reg_writes %,d, mem_writes %,d) in %.2f s = %.1f M rows/s"
                            + " (process CPU %.2f s = %.1f M rows per CPU-second)%n",
                    run, r.totalRows(), r.rows().get("insns"), r.rows().get("reg_writes"), r.rows().get("mem_writes"),
                    r.nanos() / 1e9, r.rowsPerSecond() / 1e6, cpu / 1e9, r.totalRows() / (cpu / 1e9) / 1e6);
        }

        long t2 = System.nanoTime();
        try (Database db = Database.inMemory(arrow)) {
            System.out.printf(Locale.ROOT, "DuckDB load into memory (Arrow C stream) + stdlib: %.2f s%n", (System.nanoTime() - t2) / 1e9);
        }
        long t3 = System.nanoTime();
        try (Database db = Database.open(arrow)) {
            System.out.printf(Locale.ROOT, "DuckDB cache file build (once per export) + stdlib: %.2f s%n", (System.nanoTime() - t3) / 1e9);
        }
        // The last instruction writing X9 (icount % 64 is 9 or 40) holds the value to look for: first_write scans everything.
        long target = N - 1;
        while (target % 64 != 9 && target % 64 != 40) target--;
        long t4 = System.nanoTime();
        try (Database db = Database.open(arrow)) {
            System.out.printf(Locale.ROOT, "open the cached database: %.0f ms%n", (System.nanoTime() - t4) / 1e6);
            for (int run = 1; run <= 3; run++) {
                long s = System.nanoTime();
                QueryResult q = Query.run(db, "SELECT icount, pc, disasm FROM first_write('X9', " + target + ")");
                long e = System.nanoTime();
                assertThat(q.rows()).hasSize(1);
                assertThat(q.rows().get(0)[0]).isEqualTo(target);
                System.out.printf(Locale.ROOT, "first_write('X9', %d) over %,d reg_writes: %.0f ms (run %d)%n", target, N, (e - s) / 1e6, run);
            }
        }
    }
}
