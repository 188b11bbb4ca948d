package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.ui.RunData;
import io.deja.analysis.ui.StaticReport;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** deja report: one self-contained HTML file with a recording's summary, timeline and console. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {
            "Writes a recording's summary, timeline and console as one HTML file.",
            "Script and data are inline and it loads nothing: what deja ui shows of",
            "the run, with its boot stages, as a CI artifact. The timeline holds the",
            "whole run at a fixed resolution (zooming magnifies it)."
        })
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The HTML file to write.")
    Path out;

    @Option(names = "--stages", paramLabel = "FILE", description = "The stage file (default: the built-in Linux boot stages; docs/stages.md).")
    Path stages;

    @Option(names = "--replay", description = "Replay the recording first and put the proof (bit-exact or the divergence) in the summary.")
    boolean replay;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Quiet.slf4j();
        PrintWriter stdout = spec.commandLine().getOut();
        if (!Files.isDirectory(dir)) throw new UserError(dir + ": no such recording directory");
        long start = System.nanoTime();
        try {
            RunData run = RunData.load(dir, StagesCommand.stageFile(stages));
            if (run.indexNote() != null) {
                spec.commandLine().getErr().println("deja report: " + run.indexNote());
                spec.commandLine().getErr().flush();
            }
            String proof = replay ? run.replay() : null;
            long bytes = StaticReport.write(run, out);
            stdout.printf(Locale.ROOT, "report of %s written to %s: %s, %s, in %.2f s%n", dir, out, Plural.count(bytes, "byte"),
                    Plural.count(run.timeline().eventsRead(), "event"), (System.nanoTime() - start) / 1e9);
            if (proof != null) stdout.println(proof);
            stdout.flush();
            return proof != null && proof.startsWith("DIVERGED") ? Main.EXIT_FAILURE : 0;
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError(out + ": cannot be written (" + e.getMessage() + ")", Main.EXIT_FAILURE);
        }
    }
}
