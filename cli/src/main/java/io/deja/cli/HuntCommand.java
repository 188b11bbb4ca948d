package io.deja.cli;

import io.deja.analysis.Json;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Plural;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** deja hunt: records runs with successive chaos seeds until the guest's console shows a text. */
@Command(name = "hunt", mixinStandardHelpOptions = true,
        description = {
            "Records runs of a guest with chaos seeds FIRST..LAST (each interrupt delivery",
            "delayed by a seeded 0..1023 instructions) until a run's console contains the",
            "--until-console text. Keeps that run's recording at --out (passing runs are",
            "not kept unless --keep-passing) and prints the seed.",
            "--format json prints every seed tried and the summary as one JSON object.",
            "Exit 0 when a seed matched, 1 when none did."
        })
public final class HuntCommand implements Callable<Integer> {
    /** A run that neither powers off nor matches stops here: a hunt must not hang on one seed. */
    static final long DEFAULT_BUDGET = 1_000_000_000L;

    @picocli.CommandLine.Mixin
    MachineOptions.Mixin machineOptions = new MachineOptions.Mixin();

    @Option(names = "--max-insns", converter = Sizes.Count.class, paramLabel = "N", description = "Instruction budget of each run (default: 1,000,000,000).")
    Long maxInsns;

    @Option(names = "--seeds", paramLabel = "FIRST..LAST", defaultValue = "1..500", description = "Chaos seeds to try, in order (default: 1..500).")
    String seeds;

    @Option(names = "--until-console", required = true, paramLabel = "TEXT", description = "Stop at the first run whose console output contains TEXT.")
    String text;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the matching run's recording goes (must not exist, or be empty).")
    Path out;

    @Option(names = "--keep-passing", description = "Keep the passing runs' recordings, in DIR.passing/seed-N.")
    boolean keepPassing;

    @Option(names = "--trace", paramLabel = "LEVEL", defaultValue = "events",
            description = "events (default), insns or full: what each recording holds (queries on registers and stores need full).")
    String trace;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: every seed tried (seed, matched, stop, instructions, events, recording) and the summary.")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error (it is shown only when standard error is a terminal).")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MachineConfig config = machineOptions.config();
        TraceLevel level = RecordCommand.traceLevel(trace);
        SeedRange range = SeedRange.parse(seeds, "--seeds");
        long budget = maxInsns == null ? DEFAULT_BUDGET : maxInsns;
        if (budget <= 0) throw new UserError("--max-insns: must be a positive number of instructions");
        if (!format.equals("text") && !format.equals("json")) throw new UserError("unknown format '" + format + "' (text or json)");
        if (text.isEmpty()) throw new UserError("--until-console: the text is empty (every run would match)");
        RecordCommand.prepareOut(out, false);

        Hunter hunter = new Hunter(config, dir -> machineOptions.recordedImages(config, dir), level, budget, keepPassing);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            hunter.cancel();
            try {
                finished.await(10, TimeUnit.SECONDS); // the run in progress stops and its recording is removed first
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        long start = System.nanoTime();
        Optional<Hunter.Found> found;
        // Each run's console is kept in memory, not shown: the line cannot tear it.
        try (Progress progress = Progress.startLine(err, quiet, false, s -> hunter.progressLine(range, s))) {
            found = hunter.hunt(range, text, out);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook has run; the hunt stopped.
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (hunter.cancelled()) {
            err.println("deja: hunt cancelled (the run in progress was not kept)");
            return Main.EXIT_FAILURE;
        }
        if (format.equals("json")) {
            stdout.println(json(hunter.results(), found, range, text, out, level, keepPassing, seconds));
            stdout.flush();
        }
        if (found.isEmpty()) {
            err.printf(Locale.ROOT, "deja: no seed in %s made the console contain \"%s\" (%s in %.1f s%s)%n",
                    range, text, Plural.count(range.count(), "run"), seconds,
                    keepPassing ? ", recordings in " + Hunter.passingDir(out) : ", nothing kept");
            return Main.EXIT_FAILURE;
        }
        if (format.equals("text")) report(stdout, found.get(), out, level, keepPassing, seconds);
        return 0;
    }

    /**
     * The hunt for programs: the summary, then every seed tried in order.
     * Numbers are numbers and flags booleans; a recording's path is null when
     * the run was not kept, and its events are counted only when it was recorded.
     */
    static String json(List<Hunter.SeedResult> results, Optional<Hunter.Found> found, SeedRange range, String text, Path out,
                       TraceLevel level, boolean keepPassing, double seconds) {
        Json j = new Json();
        j.open('{').key("until_console").value(text)
                .key("seeds").open('{').key("first").value(range.first()).key("last").value(range.last()).close('}')
                .key("trace").value(level.name().toLowerCase(Locale.ROOT))
                .key("keep_passing").value(keepPassing)
                .key("found").value(found.isPresent());
        Hunter.Found f = found.orElse(null);
        j.key("seed").value(f == null ? null : (Object) f.seed())
                .key("line").value(f == null ? null : f.line())
                .key("recording").value(f == null ? null : out.toString())
                .key("passing_recordings").value(keepPassing ? Hunter.passingDir(out).toString() : null)
                .key("runs_tried").value((long) results.size())
                .key("passed").value(results.stream().filter(r -> !r.matched()).count())
                .key("seconds").value(Json.number(String.format(Locale.ROOT, "%.3f", seconds)));
        j.key("runs").open('[');
        for (Hunter.SeedResult r : results) {
            HuntRun.Outcome o = r.outcome();
            j.open('{').key("seed").value(r.seed()).key("matched").value(r.matched()).key("line").value(r.line())
                    .key("last_line").value(lastLine(o.console()))
                    .key("stop").value(o.stop().label).key("instructions").value(o.instructions())
                    .key("recorded").value(r.recorded())
                    .key("events").value(r.recorded() ? (Object) o.events() : null)
                    .key("recording").value(r.recording() == null ? null : r.recording().toString())
                    .close('}');
        }
        j.close(']').close('}');
        return j.toString();
    }

    /** The console's last non-empty line (what a passing run ended with), or null for a silent run. */
    static String lastLine(String console) {
        String[] lines = console.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) return lines[i];
        }
        return null;
    }

    static void report(PrintWriter out, Hunter.Found f, Path dir, TraceLevel level, boolean keepPassing, double seconds) {
        out.printf(Locale.ROOT, "seed %d: %s%n", f.seed(), f.line());
        out.printf(Locale.ROOT, "recording: %s (trace %s, %s, %s)%n",
                dir, level.name().toLowerCase(Locale.ROOT), Plural.count(f.outcome().instructions(), "instruction"), Plural.count(f.outcome().events(), "event"));
        String before = f.passed() == 0 ? "the first seed tried"
                : String.format(Locale.ROOT, "%s before it (%s)", Plural.count(f.passed(), "passing seed"),
                        keepPassing ? "recordings in " + Hunter.passingDir(dir) : "not kept");
        out.printf(Locale.ROOT, "%s; hunted in %.1f s%n", before, seconds);
        out.printf(Locale.ROOT, "next: deja replay %s%n", dir);
        if (level != TraceLevel.FULL) {
            // Queries on registers and stores need every instruction's effects: re-trace the recorded run.
            out.printf(Locale.ROOT, "      deja replay %s --trace full --out %s-full   (then deja query on it)%n", dir, dir);
        } else {
            out.printf(Locale.ROOT, "      deja query %s \"SELECT * FROM console('%%')\"   (each console line with its icount)%n", dir);
        }
        out.flush();
    }
}
