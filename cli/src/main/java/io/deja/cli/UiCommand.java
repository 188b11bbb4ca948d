package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.diff.Differ;
import io.deja.analysis.ui.RunData;
import io.deja.analysis.ui.UiServer;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** deja ui: a local web page showing one recording, or two with their diff. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {
            "Serves a recording as a web page on 127.0.0.1: its summary, a zoomable",
            "timeline of the tracks of deja export --perfetto, the console (click a line",
            "to move the timeline there), boot stages, and a read-only SQL console over",
            "the tables and macros of deja query. With DIR2, also the diff of the two",
            "runs (DIR is the baseline). Ctrl-C stops the server."
        })
public final class UiCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR2", description = "A second recording, compared with the first.")
    Path dir2;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "The port (default: any free one).")
    int port;

    @Option(names = "--open", description = "Open the page in the desktop's browser, if there is one.")
    boolean open;

    @Option(names = "--stages", paramLabel = "FILE", description = "The stage file (default: the built-in Linux boot stages; docs/stages.md).")
    Path stages;

    @Option(names = "--sql-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Time limit of a query from the page (default 10).")
    double sqlTimeout;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000", description = "Rows of a query result sent to the page, at most (default 10,000).")
    int maxRows;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Quiet.slf4j();
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) throw new UserError("--port " + port + ": not a port");
        if (!(sqlTimeout > 0)) throw new UserError("--sql-timeout must be more than 0");
        if (maxRows < 1) throw new UserError("--max-rows must be at least 1");
        List<RunData> runs = new ArrayList<>();
        var stageFile = StagesCommand.stageFile(stages);
        try {
            for (Path d : dir2 == null ? List.of(dir) : List.of(dir, dir2)) {
                if (!Files.isDirectory(d)) throw new UserError(d + ": no such recording directory");
                RunData r = RunData.load(d, stageFile);
                if (r.indexNote() != null) {
                    spec.commandLine().getErr().println("deja ui: " + r.indexNote());
                    spec.commandLine().getErr().flush();
                }
                out.printf(Locale.ROOT, r.fromSavedIndex() ? "deja ui: %s: %s, saved index read in %.2f s%n"
                        : "deja ui: %s: %s indexed in %.2f s%n", d, Plural.count(r.timeline().eventsRead(), "event"), r.loadNanos() / 1e9);
                runs.add(r);
            }
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        }
        UiServer server;
        try {
            server = new UiServer(runs, new Differ.Options(stageFile, stages != null, Differ.Options.DEFAULT_THRESHOLD_PERCENT, 0),
                    port, Duration.ofMillis((long) (sqlTimeout * 1000)), maxRows);
        } catch (IOException e) {
            throw new UserError("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")", Main.EXIT_FAILURE);
        }
        out.println("deja ui: serving " + server.url() + " (Ctrl-C stops it)");
        out.flush();
        if (open) browse(server.url(), spec.commandLine().getErr());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static void browse(String url, PrintWriter err) {
        try {
            for (String opener : List.of("xdg-open", "open")) {
                for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
                    if (Files.isExecutable(Path.of(p, opener))) {
                        new ProcessBuilder(opener, url).inheritIO().start();
                        return;
                    }
                }
            }
            err.println("deja ui: --open: no browser found here; open " + url + " yourself");
        } catch (IOException e) {
            err.println("deja ui: --open: " + e.getMessage() + "; open " + url + " yourself");
        }
        err.flush();
    }
}
