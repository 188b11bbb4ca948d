package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.stages.StageFile;
import io.deja.analysis.stages.StageFormat;
import io.deja.analysis.stages.StageRun;
import io.deja.analysis.stages.StageTracker;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** deja stages: the boot stages a recording reached. */
@Command(name = "stages", mixinStandardHelpOptions = true,
        description = {
            "Prints the boot stages a recording reached, in the order it reached them:",
            "each with its icount, its virtual time (cycles at 62.5 MHz) and the",
            "instructions since the previous stage; then the stages it did not reach.",
            "Reads the recording's events directly (no export).",
            "Stages are milestones named in a stage file (docs/stages.md): console lines",
            "and events such as the first console byte, an interrupt, an exception from",
            "EL0 or the power-off. The built-in file follows the Debian arm64 kernel's",
            "boot to the scripted /init's last line.",
            "A stage written 'NAME never MILESTONE' is forbidden: a failure when reached",
            "(the built-in file forbids a kernel panic, an oops, BUG:, WARNING: CPU:,",
            "a call trace, a soft lockup, an RCU stall and a hung task).",
            "Exit status: 0, or 1 when the run reached a forbidden stage, 2 for an",
            "unreadable recording or stage file."
        })
public final class StagesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Option(names = "--stages", paramLabel = "FILE", description = "The stage file (default: the built-in Linux boot stages).")
    Path stages;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Quiet.slf4j();
        if (!format.equals("text") && !format.equals("json")) throw new UserError("unknown format '" + format + "' (text or json)");
        PrintWriter stdout = spec.commandLine().getOut();
        StageRun run;
        try {
            run = StageTracker.of(dir, stageFile(stages));
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        }
        stdout.print(format.equals("json") ? StageFormat.json(run) : StageFormat.text(run));
        stdout.flush();
        return run.failed() ? Main.EXIT_FAILURE : 0;
    }

    /** The stage file at path, or the built-in one; a malformed file is one line naming file:line. */
    static StageFile stageFile(Path path) {
        try {
            return path == null ? StageFile.builtin() : StageFile.load(path);
        } catch (AnalysisException e) {
            throw new UserError(e.getMessage());
        }
    }
}
