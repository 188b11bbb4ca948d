package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Parquet;
import io.deja.analysis.query.Query;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** deja export: a recording's tables as Arrow IPC files (and Parquet). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
            "Writes a recording as one Arrow IPC file per table (runs, exits, interrupts, exceptions,",
            "svc_calls, mmio, sysreg_writes, inputs, console, checkpoints, insns, reg_writes, vreg_writes,",
            "mem_writes; every column is documented in analysis/TABLES.md), and with --parquet also as",
            "Parquet files."
        })
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Option(names = "--out", paramLabel = "ADIR", description = "Where the files go (default: DIR/arrow).")
    Path out;

    @Option(names = "--parquet", description = "Also write TABLE.parquet for every table (DuckDB's writer; nothing is downloaded).")
    boolean parquet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Quiet.slf4j();
        PrintWriter stdout = spec.commandLine().getOut();
        Path target = out != null ? out : Query.defaultExportDir(dir);
        try {
            Exporter.Result r = Exporter.export(dir, target);
            if (parquet) Parquet.write(target, target);
            stdout.printf(Locale.ROOT, "exported %s to %s: %,d rows from %,d events in %.2f s (%.1f M rows/s)%n",
                    dir, target, r.totalRows(), r.events(), r.nanos() / 1e9, r.rowsPerSecond() / 1e6);
            for (Map.Entry<String, Long> e : r.rows().entrySet()) {
                stdout.printf(Locale.ROOT, "  %-14s %,12d%n", e.getKey(), e.getValue());
            }
            if (parquet) stdout.println("  (and a .parquet file for each)");
            stdout.flush();
            return 0;
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage(), Main.EXIT_FAILURE);
        }
    }
}
