package io.deja.cli;

import io.deja.analysis.query.Query;
import io.deja.analysis.ui.RunData;
import io.deja.core.board.MachineConfig;
import io.deja.core.vm.ExitKind;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.InputFeed;
import io.deja.recorder.Plural;
import io.deja.recorder.Recorder;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingFormat;
import io.deja.replayer.SnapshotIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** deja record: runs a guest as deja run does, and records everything that happens into a directory. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {
            "Runs a guest (as deja run) and records the run into a directory (a Chronicle Queue): a header with "
                    + "the machine configuration, the image's SHA-256 and the seeds, then every event at the chosen level.",
            "The guest's console goes to standard output, the summary to standard error."
        })
public final class RecordCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    MachineOptions.Mixin machineOptions = new MachineOptions.Mixin();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Recording directory (new or empty).")
    Path out;

    @Option(names = "--force", description = "Replace a recording already in --out, with the files derived from it (arrow/, ui/, seek.index); a directory holding anything else is still refused.")
    boolean force;

    @Option(names = "--max-insns", converter = Sizes.Count.class, paramLabel = "N", description = "Stop after N instructions (default: when the guest stops).")
    Long maxInsns;

    @Option(names = "--trace", paramLabel = "LEVEL", defaultValue = "events",
            description = "events (default: exits, interrupts, exceptions, MMIO, MSR, console, inputs, checkpoints),"
                    + " insns (+ every instruction's PC and opcode) or full (+ every register change and store).")
    String trace;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Bytes typed into the console (PL011) before the first instruction; '-' reads standard input"
                    + " while the guest runs (what is there at the start is delivered before the first instruction, the rest between"
                    + " slices of 100,000 instructions; recorded with their icount). Input the guest never read is reported on stderr."
                    + " From a terminal the console is interactive: raw mode, Ctrl-A X quits, Ctrl-A H lists the keys.")
    String input;

    @Option(names = "--chaos-seed", paramLabel = "N", description = "Delay each interrupt delivery by a pseudo-random 0..1023 instructions drawn from N.")
    Long chaosSeed;

    @Option(names = "--checkpoint-every", converter = Sizes.Count.class, paramLabel = "N", defaultValue = "1000000",
            description = "Instructions between checkpoints (state hashes and registers; 0: only the final one; default 1,000,000).")
    long checkpointEvery;


    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: the summary as one JSON object on one line of standard error (typed values; a rate too short to measure is null), for CI scripts.")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error (it is shown only when standard error is a terminal and standard output is not).")
    boolean quiet;

    @Option(names = "--gdb", paramLabel = "[HOST:]PORT",
            description = "Wait for gdb (target remote :PORT) stopped before the first instruction, and record the run gdb drives, "
                    + "as far as it goes (reverse execution works as on deja run --gdb); localhost unless HOST is given, PORT 0 picks one. "
                    + "When gdb detaches the run is recorded on to its end; when it kills, the recording ends where the run had been.")
    String gdb;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        StatsJson.json(format); // an unknown format is refused before the run
        TraceLevel level = traceLevel(trace);
        MachineConfig config = machineOptions.config();
        long budget = maxInsns == null ? Long.MAX_VALUE : maxInsns;
        if (budget <= 0) throw new UserError("--max-insns: must be a positive number of instructions");
        if (checkpointEvery < 0) throw new UserError("--checkpoint-every: must not be negative");
        if ("-".equals(input) && gdb != null) throw new UserError("--input -: not with --gdb (the debugger owns the run's pace); give a file");
        prepareOut(out, force);

        Recorder.Options options = Recorder.Options.defaults(level).withMaxInstructions(budget).withCheckpointInterval(checkpointEvery)
                .withDejaVersion(Version.current());
        if (chaosSeed != null) options = options.withChaos(chaosSeed);
        if (input != null && !"-".equals(input)) options = options.withInput(readInput(input));
        Terminal terminal = "-".equals(input) ? Terminal.rawIfTerminal(err) : null;
        try {
            return record(config, options, level, terminal, err);
        } finally {
            if (terminal != null) terminal.close();
        }
    }

    private int record(MachineConfig config, Recorder.Options options, TraceLevel level, Terminal terminal, PrintWriter err) {
        Recorder recorder;
        Recorder[] created = new Recorder[1];
        if ("-".equals(input)) options = options.withFeed(StdinFeed.of(terminal, () -> created[0].cancel()));
        io.deja.replayer.FirstPassConsole console = gdb == null ? null : new io.deja.replayer.FirstPassConsole(System.out);
        io.deja.replayer.FirstPassConsole.Stream recorderConsole = console == null ? null : console.stream();
        try {
            recorder = Recorder.create(out, config, machineOptions.recordedImages(config, out),
                    recorderConsole != null ? recorderConsole : terminal == null ? System.out : terminal.output(), options);
            if (recorderConsole != null) recorderConsole.bind(recorder.machine());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (RecordingException e) {
            throw new UserError("--out: " + e.getMessage());
        }
        created[0] = recorder;
        // Recording goes on after the dump: the tree is what the recorded guest gets.
        machineOptions.dumpDeviceTree(recorder.machine(), err);

        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            recorder.cancel();
            try {
                finished.await(10, TimeUnit.SECONDS); // the recording's END is written before the JVM exits
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        // The hook is released only once the summary is out: a SIGTERM's JVM exit must not cut it.
        try {
            Recorder.Result r;
            try {
                // Under gdb the run waits on gdb's packets: a progress line would only interleave with gdb's own output.
                try (Progress progress = Progress.startLine(err, quiet || terminal != null || gdb != null, true,
                        seconds -> Progress.recordLine(recorder.machine().instructions(), recorder.writer().events(), seconds))) {
                    r = gdb == null ? recorder.run() : new GdbRecording(recorder, config, options, console, err).run();
                }
            } catch (RecordingException e) {
                throw new UserError(e.getMessage(), Main.EXIT_FAILURE);
            }
            System.out.flush();
            if (terminal != null) terminal.close(); // the summary goes to a terminal back in its own mode
            if (StatsJson.json(format)) {
                err.println(StatsJson.record(r, level.name().toLowerCase(Locale.ROOT), options));
                err.flush();
            } else {
                summary(err, r, level, options);
            }
            warnUnreadInput(recorder.machine(), options.feed(), err);
            if (r.stop() == ExitKind.PANIC) {
                err.println("the guest kernel panicked: " + recorder.machine().panicMessage());
                err.flush();
            }
            return Main.exitStatus(r.stop());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is already running and waits for us.
            }
        }
    }

    /** deja record under gdb: gdb drives a live run's timeline (its own machine), which a {@link GdbRecorder} follows. */
    private final class GdbRecording {
        private final Recorder recorder;
        private final MachineConfig config;
        private final Recorder.Options options;
        private final io.deja.replayer.FirstPassConsole console;
        private final PrintWriter err;

        GdbRecording(Recorder recorder, MachineConfig config, Recorder.Options options, io.deja.replayer.FirstPassConsole console, PrintWriter err) {
            this.recorder = recorder;
            this.config = config;
            this.options = options;
            this.console = console;
            this.err = err;
        }

        Recorder.Result run() {
            io.deja.gdb.GdbServer server;
            try {
                server = io.deja.gdb.GdbServer.bind(gdb);
            } catch (IllegalArgumentException e) {
                throw new UserError("--gdb: " + e.getMessage());
            }
            recorder.start();
            io.deja.replayer.FirstPassConsole.Stream stream = console.stream();
            io.deja.core.board.Machine machine = MachineOptions.build(config, stream);
            stream.bind(machine);
            options.chaosSeed().ifPresent(machine::setChaos);
            if (options.initialInput().length > 0) machine.sendConsoleInput(options.initialInput());
            err.printf("gdb: waiting for gdb on %s (target remote %s), stopped before the first instruction; recording into %s as the run goes; "
                    + "reverse execution works%n", server.address(), server.address(), out);
            err.flush();
            io.deja.gdb.GdbServer.Outcome outcome;
            GdbRecorder follower = new GdbRecorder(recorder, options.maxInstructions(), err);
            try (server; io.deja.replayer.Timeline timeline = io.deja.replayer.Timeline.live(machine, options.maxInstructions(),
                    io.deja.replayer.Timeline.Options.defaults().withConsole(console))) {
                io.deja.gdb.TimelineTarget target = new io.deja.gdb.TimelineTarget(timeline, err);
                target.setHistoryListener(follower);
                target.setRecordRequest(dir -> "this run is being recorded already, into " + out + " (deja record --gdb)\n");
                outcome = server.serve(target, err);
                if (outcome == io.deja.gdb.GdbServer.Outcome.DETACHED && follower.changed()) target.runToEnd(); // the changed run goes on, unrecorded
            } catch (java.io.IOException e) {
                recorder.finish(ExitKind.CANCELLED);
                throw new UserError("--gdb: " + e.getMessage());
            }
            // Detached (the guest runs on, recorded), or the debugged run ended: the recorder's too, at the same place.
            return follower.finish(outcome);
        }
    }

    static void summary(PrintWriter err, Recorder.Result r, TraceLevel level, Recorder.Options o) {
        err.println();
        err.printf(Locale.ROOT, "stopped: %s at icount %,d%n", describe(r.stop()), r.instructions());
        err.printf(Locale.ROOT, "recorded: %s (trace %s, %s, checkpoint every %,d)%n", r.dir(), level.name().toLowerCase(Locale.ROOT),
                o.chaosSeed().isPresent() ? "chaos seed " + o.chaosSeed().getAsLong() : "no chaos", o.checkpointInterval());
        err.printf(Locale.ROOT, "  events: %,d   instructions: %,d%n", r.events(), r.instructions());
        double perInstruction = r.instructions() == 0 ? 0.0 : (double) r.payloadBytes() / r.instructions();
        err.printf(Locale.ROOT, "  bytes: %,d encoded (%s per instruction), %,d on disk%n", r.payloadBytes(),
                String.format(Locale.ROOT, perInstruction < 0.1 ? "%.4f" : "%.2f", perInstruction), r.diskBytes());
        err.printf(Locale.ROOT, "  final state hash: %016x%n", r.finalHash().combined());
        double s = r.hostNanos() / 1e9;
        err.printf(Locale.ROOT, "  host time: %.3f s (%s)%n", s, io.deja.core.board.ExitStatistics.measurable(r.instructions(), s)
                ? perSecond(r.instructions() / s, "instructions") + ", " + perSecond(r.events() / s, "events")
                : "— instructions/s: too short to measure");
        err.flush();
    }

    /**
     * Says so when the guest stopped with console input it never read (a piped
     * line the guest powered off before taking, a file longer than it reads):
     * input must not vanish silently. A person at a terminal types ahead freely.
     */
    static void warnUnreadInput(io.deja.core.board.Machine machine, InputFeed feed, PrintWriter err) {
        if (feed.interactive()) return;
        long left = InputFeed.unread(machine, feed);
        if (left == 0) return;
        err.printf(Locale.ROOT, "deja: warning: %s of console input left unread (the guest stopped at icount %,d before reading %s)%n",
                Plural.count(left, "byte"), machine.instructions(), left == 1 ? "it" : "them");
        err.flush();
    }

    /** "98.8 M instructions/s", or "37,213 events/s" below a million (a rate of "0.0 M" would read as none). */
    static String perSecond(double rate, String what) {
        return rate >= 1e6 ? String.format(Locale.ROOT, "%.1f M %s/s", rate / 1e6, what) : String.format(Locale.ROOT, "%,.0f %s/s", rate, what);
    }

    static String describe(ExitKind reason) {
        return switch (reason) {
            case SHUTDOWN -> "guest powered off (PSCI SYSTEM_OFF)";
            case RESET -> "guest asked for a reset (PSCI SYSTEM_RESET)";
            case CPU_OFF -> "guest turned its only CPU off (PSCI CPU_OFF)";
            case PANIC -> "guest kernel panic";
            case BUDGET -> "instruction budget used up";
            case CANCELLED -> "cancelled";
            case BRK, HLT, SMC -> "debug exit (" + reason.label + ")";
            case WFI, WFE, MMIO_READ, MMIO_WRITE, HVC -> throw new IllegalStateException("a run does not stop on " + reason.label);
        };
    }

    static TraceLevel traceLevel(String name) {
        for (TraceLevel l : TraceLevel.values()) {
            if (l.name().equalsIgnoreCase(name)) return l;
        }
        throw new UserError("--trace: unknown level '" + name + "' (choose events, insns or full)");
    }

    static byte[] readInput(String name) {
        try {
            return Files.readAllBytes(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new UserError("--input " + name + ": no such file");
        } catch (IOException e) {
            throw new UserError("--input " + name + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /**
     * What deja derives from a recording and keeps inside its directory: the
     * Arrow export and its database (deja query, export), the UI's index (deja
     * ui, report) and the seek index (replay --index). They describe the
     * recording they were made from, so --force removes them with it.
     */
    static List<Path> derivedFiles(Path dir) {
        return List.of(Query.defaultExportDir(dir), RunData.indexDir(dir), dir.resolve(SnapshotIndex.FILE));
    }

    /**
     * --out must be new or empty. With --force, a directory holding a
     * recording is emptied first: the recording and its derived files (see
     * {@link #derivedFiles}); one that holds anything else is refused and left
     * as it is.
     */
    static void prepareOut(Path out, boolean force) {
        if (!Files.exists(out)) return;
        if (!Files.isDirectory(out)) throw new UserError("--out " + out + ": exists and is not a directory");
        Path cycle = out.resolve(RecordingFormat.CYCLE_FILE);
        Path metadata = out.resolve(RecordingFormat.METADATA_FILE);
        try {
            List<Path> entries;
            try (Stream<Path> s = Files.list(out)) {
                entries = s.sorted().toList();
            }
            if (entries.isEmpty()) return;
            boolean recording = Files.exists(cycle) || Files.exists(metadata);
            if (!recording) throw new UserError("--out " + out + ": exists and is not empty (choose a new directory)");
            if (!force) throw new UserError("--out " + out + ": already holds a recording (use --force to replace it)");
            List<Path> replaced = new ArrayList<>(List.of(cycle, metadata));
            replaced.addAll(derivedFiles(out));
            List<String> others = entries.stream().filter(e -> !replaced.contains(e)).map(e -> e.getFileName().toString()).toList();
            if (!others.isEmpty()) {
                throw new UserError("--out " + out + ": holds more than a recording and the files derived from it (" + String.join(", ", others)
                        + "); --force replaces only those: choose a new directory or move them away");
            }
            for (Path p : replaced) deleteTree(p);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError("--out " + out + ": cannot prepare it (" + e.getMessage() + ")");
        }
    }

    /** Deletes a file, or a directory with everything in it (symbolic links are removed, not followed). */
    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.toList();
            }
            for (Path c : children) deleteTree(c);
        }
        Files.delete(p);
    }
}
