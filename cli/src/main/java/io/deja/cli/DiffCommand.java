package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.diff.DiffFormat;
import io.deja.analysis.diff.DiffReport;
import io.deja.analysis.diff.Differ;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** deja diff: how two recordings differ, and whether B's boot regressed against A's. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {
            "Compares two recordings: header settings, the first event where their",
            "streams diverge (both events, and the registers that differ at the next",
            "checkpoint), the console lines side by side with their icounts, the numbers",
            "of exits, interrupts and exceptions by kind, and the boot stages side by",
            "side, A being the baseline: each stage's icount on both sides and its cost",
            "(instructions since the previous stage), flagging stages that disappeared,",
            "appeared, were reached in another order, or cost more than --threshold",
            "percent above A's (docs/stages.md), and forbidden stages (a kernel panic,",
            "an oops, a warning ...) that B reached; one that A reached and B no longer",
            "does is an improvement. The stage table is shown when either run printed",
            "a line of the stage file (the built-in one follows a Linux boot), and",
            "always with --stages or --threshold; with several CPUs it names the CPU",
            "that reached each stage on each side and that CPU's own icount.",
            "With several CPUs (--smp): each CPU's instructions, slices, exits,",
            "interrupts and exceptions side by side, and the first divergence names",
            "each event's CPU with that CPU's icount and the machine's (global) icount.",
            "Checkpoints that differ only in the CPU state hash when the chaos seeds",
            "differ (the hash covers the seeded generators) are not a divergence.",
            "Exit status with a stage table: 0 when no stage regressed, 1 when a stage",
            "disappeared, was reordered or grew beyond the threshold, or B reached a",
            "forbidden stage (other differences between two boots are expected).",
            "Without one: 0 when the event streams are identical, 1 when they differ.",
            "2 for unreadable input."
        })
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR_A", description = "The first recording (the baseline).")
    Path a;

    @Parameters(index = "1", paramLabel = "DIR_B", description = "The second recording.")
    Path b;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String format;

    @Option(names = "--stages", paramLabel = "FILE",
            description = "Compare the stages of this stage file (docs/stages.md), and always show them (default: the built-in Linux boot stages).")
    Path stages;

    @Option(names = "--threshold", paramLabel = "P%",
            description = "A stage whose cost grew by more than P percent is a regression (default 5%%; '2.5' or '2.5%%').")
    String threshold;

    @Option(names = "--min-growth", paramLabel = "N", converter = Sizes.Count.class, defaultValue = "0",
            description = "Growth of a stage's cost by at most N instructions is never a regression (default 0).")
    long minGrowth;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Quiet.slf4j();
        if (!format.equals("text") && !format.equals("json")) throw new UserError("unknown format '" + format + "' (text or json)");
        double percent = threshold == null ? Differ.Options.DEFAULT_THRESHOLD_PERCENT : parsePercent(threshold);
        Differ.Options options = new Differ.Options(StagesCommand.stageFile(stages), stages != null || threshold != null, percent, minGrowth);
        PrintWriter stdout = spec.commandLine().getOut();
        DiffReport r;
        try {
            r = Differ.diff(a, b, options);
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        }
        stdout.print(format.equals("json") ? DiffFormat.json(r) : DiffFormat.text(r));
        stdout.flush();
        return r.failed() ? 1 : 0;
    }

    /** "5", "5%", "2.5%": a non-negative percentage. */
    static double parsePercent(String text) {
        String t = text.strip();
        if (t.endsWith("%")) t = t.substring(0, t.length() - 1).strip();
        double p;
        try {
            p = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new UserError("--threshold " + text + ": not a percentage (examples: 5, 5%, 2.5%)");
        }
        if (!(p >= 0) || Double.isInfinite(p)) throw new UserError("--threshold " + text + ": must be a percentage of 0 or more (examples: 5, 5%, 2.5%)");
        return p;
    }
}
