package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.ReadProgress;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.perfetto.PerfettoExport;
import io.deja.analysis.perfetto.Stage;
import io.deja.analysis.stages.StageRun;
import io.deja.analysis.stages.StageTracker;
import io.deja.analysis.query.Parquet;
import io.deja.analysis.query.Query;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** deja export: a recording's tables as Arrow IPC files (and Parquet). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
            // One string per paragraph: picocli starts each string on a new line and wraps it.
            "Writes a recording as one Arrow IPC file per table (runs, exits, interrupts, exceptions,"
                + " svc_calls, erets, mmio, sysreg_writes, inputs, console, checkpoints, slices, insns, reg_writes,"
                + " vreg_writes, mem_writes; every column is documented in analysis/TABLES.md), and with --parquet also as"
                + " Parquet files.",
            "With --perfetto FILE it writes the run as a timeline instead, for ui.perfetto.dev and"
                + " chrome://tracing: Perfetto's protobuf format, or Chrome's JSON format if FILE ends in .json."
        })
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Option(names = "--out", paramLabel = "ADIR", description = "Where the files go (default: DIR/arrow).")
    Path out;

    @Option(names = "--parquet", description = "Also write TABLE.parquet for every table (DuckDB's writer; nothing is downloaded).")
    boolean parquet;

    @Option(names = "--perfetto", paramLabel = "FILE",
            description = "Write a timeline (virtual time) instead of the tables: FILE.json in Chrome's trace event JSON, any other name in Perfetto's protobuf format.")
    Path perfetto;

    @Option(names = "--from", paramLabel = "ICOUNT", converter = Sizes.Count.class,
            description = "With --perfetto: the first instruction of the window drawn (default: 0; with several CPUs a global icount, all CPUs' instructions).")
    Long from;

    @Option(names = "--to", paramLabel = "ICOUNT", converter = Sizes.Count.class,
            description = "With --perfetto: the last instruction of the window drawn (default: the end).")
    Long to;

    @Option(names = "--stages", paramLabel = "FILE",
            description = "With --perfetto: the stage file whose stages are drawn on the stages track (default: the built-in Linux boot stages; docs/stages.md).")
    Path stages;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error (it is shown only when standard error is a terminal).")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A progress line for a pass over the recording (nothing on stdout but the summary at the end: it may share the terminal). */
    private Progress progress(String what, ReadProgress read) {
        return Progress.startLine(spec.commandLine().getErr(), quiet, false,
                seconds -> Progress.readLine(what, read.icount(), read.lastIcount(), read.events(), seconds));
    }

    @Override
    public Integer call() {
        Quiet.slf4j();
        PrintWriter stdout = spec.commandLine().getOut();
        if (perfetto != null) return timeline(stdout);
        if (from != null || to != null) throw new UserError("--from and --to cut the window of a --perfetto timeline");
        if (stages != null) throw new UserError("--stages names the stages of a --perfetto timeline");
        Path target = out != null ? out : Query.defaultExportDir(dir);
        try {
            Exporter.Result r;
            ReadProgress read = new ReadProgress();
            try (Progress p = progress("tables", read)) {
                r = Exporter.export(dir, target, read);
                if (parquet) {
                    p.show(seconds -> String.format(Locale.ROOT, "writing Parquet files   elapsed %.1f s", seconds));
                    Parquet.write(target, target);
                }
            }
            // Below 100,000 rows or 50 ms the start-up is the time: no rate rather than "0.0 M rows/s".
            boolean measurable = r.totalRows() >= 100_000 && r.nanos() >= 50_000_000L;
            stdout.printf(Locale.ROOT, "exported %s to %s: %s from %s in %.2f s (%s rows/s)%n",
                    dir, target, Plural.count(r.totalRows(), "row"), Plural.count(r.events(), "event"), r.nanos() / 1e9,
                    measurable ? String.format(Locale.ROOT, "%.1f M", r.rowsPerSecond() / 1e6) : "—");
            for (Map.Entry<String, Long> e : r.rows().entrySet()) {
                stdout.printf(Locale.ROOT, "  %-14s %,12d%n", e.getKey(), e.getValue());
            }
            if (parquet) stdout.println("  (and a .parquet file for each)");
            if (r.cutShortAfter() >= 0) {
                stdout.printf(Locale.ROOT, "the recording was cut short: its complete part, to icount %,d, was exported; deja replay %s says where and why it ends%n",
                        r.cutShortAfter(), dir);
            }
            stdout.flush();
            return 0;
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage(), Main.EXIT_FAILURE);
        }
    }

    private Integer timeline(PrintWriter stdout) {
        if (out != null || parquet) throw new UserError("--perfetto writes a timeline only: leave out --out and --parquet");
        long f = from == null ? 0 : from;
        long t = to == null ? Long.MAX_VALUE : to;
        if (f < 0 || t < f) throw new UserError("--from " + f + " --to " + t + ": the window is empty");
        try {
            PerfettoExport.Result r;
            ReadProgress read = new ReadProgress();
            try (Progress p = progress("timeline", read)) {
                r = PerfettoExport.export(dir, perfetto, new PerfettoExport.Options(f, t, stageSlices()), read);
            }
            stdout.printf(Locale.ROOT, "timeline of %s written to %s (%s): %s from %s, %s, in %.2f s%n",
                    dir, r.file(), r.format() == io.deja.analysis.perfetto.TraceFormat.JSON ? "Chrome trace JSON" : "Perfetto protobuf",
                    Plural.count(r.traceEvents(), "trace event"), Plural.count(r.eventsRead(), "recorded event"), Plural.count(r.bytes(), "byte"),
                    r.nanos() / 1e9);
            stdout.println("open it at https://ui.perfetto.dev (Open trace file)" + (r.format() == io.deja.analysis.perfetto.TraceFormat.JSON ? " or in chrome://tracing" : ""));
            stdout.flush();
            return 0;
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage(), Main.EXIT_FAILURE);
        }
    }

    /** Each stage reached, as a slice from where it was reached to where the next one was (the last: to the end). */
    private List<Stage> stageSlices() {
        StageRun run = StageTracker.of(dir, StagesCommand.stageFile(stages));
        List<Stage> slices = new ArrayList<>();
        List<StageRun.Reached> reached = run.reached();
        for (int k = 0; k < reached.size(); k++) {
            long end = k + 1 < reached.size() ? reached.get(k + 1).icount() : run.instructions();
            slices.add(new Stage(reached.get(k).name(), reached.get(k).icount(), Math.max(end, reached.get(k).icount())));
        }
        return slices;
    }
}
