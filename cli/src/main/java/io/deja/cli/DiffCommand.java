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

/** deja diff: how two recordings differ. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {
            "Compares two recordings: header settings, the first event where their streams diverge (both events,",
            "and the registers that differ at the next checkpoint), the console lines side by side with their",
            "icounts (boot stages), and the numbers of exits, interrupts and exceptions by kind.",
            "Exit 0 when the event streams are identical, 1 when they differ, 2 for unreadable input."
        })
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR_A", description = "The first recording.")
    Path a;

    @Parameters(index = "1", paramLabel = "DIR_B", description = "The second recording.")
    Path b;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    String format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Quiet.slf4j();
        if (!format.equals("text") && !format.equals("json")) throw new UserError("unknown format '" + format + "' (text or json)");
        PrintWriter stdout = spec.commandLine().getOut();
        DiffReport r;
        try {
            r = Differ.diff(a, b);
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        }
        stdout.print(format.equals("json") ? DiffFormat.json(r) : DiffFormat.text(r));
        stdout.flush();
        return r.equivalent() ? 0 : 1;
    }
}
