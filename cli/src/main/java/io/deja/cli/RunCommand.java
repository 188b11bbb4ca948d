package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Plural;
import io.deja.recorder.Recorder;
import io.deja.recorder.RecordingException;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** deja run: boots a raw binary on a board and runs it, then prints exit statistics. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Runs a guest until it powers off, the instruction budget is used up, or Ctrl-C.",
            "The guest's console (PL011) goes to standard output; the exit statistics table to standard error."
        })
public final class RunCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    MachineOptions.Mixin machineOptions = new MachineOptions.Mixin();

    @Option(names = "--max-insns", converter = Sizes.Count.class, paramLabel = "N", description = "Stop after N instructions (default: no limit).")
    Long maxInsns;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Bytes typed into the console (PL011) before the first instruction; '-' reads standard input"
                    + " while the guest runs (what is there at the start before the first instruction, the rest between slices of"
                    + " 100,000 instructions), as deja record does. Input the guest never read is reported on stderr."
                    + " From a terminal the console is interactive: raw mode, Ctrl-A X quits, Ctrl-A H lists the keys.")
    String input;

    @Option(names = "--chaos-seed", paramLabel = "N",
            description = "Delay each interrupt delivery by a pseudo-random 0..1023 instructions drawn from N (as deja record: "
                    + "the same seed and input reproduce a recorded chaos run without recording it).")
    Long chaosSeed;

    @Option(names = "--dump-regs", description = "Print the registers at the end: X0-X30, SP, PC, PSTATE, FPCR, FPSR and V0-V31 (as Q00-Q31, bits 127:64:63:0), in the layout of QEMU's -d cpu,fpu.")
    boolean dumpRegs;

    @Option(names = "--dump-mem", paramLabel = "ADDR:LEN", description = "Hex dump of guest memory at the end (repeatable).")
    List<String> dumpMem = List.of();

    @Option(names = "--gdb", paramLabel = "[HOST:]PORT",
            description = "Wait for gdb (target remote :PORT) stopped before the first instruction; localhost unless HOST is given, PORT 0 picks one. "
                    + "The guest runs exactly as without gdb; with --smp N its CPUs are gdb's threads 1..N. "
                    + "When gdb detaches the guest runs on; when it kills, the run ends. 'monitor record DIR' records the run into DIR.")
    String gdb;


    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: the statistics as one JSON object on one line of standard error (typed values; a rate too short to measure is null), for CI scripts.")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error (it is shown only when standard error is a terminal and standard output is not).")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        StatsJson.json(format); // an unknown format is refused before the run
        MachineConfig config = machineOptions.config();
        long budget = maxInsns == null ? Long.MAX_VALUE : maxInsns;
        if (budget <= 0) throw new UserError("--max-insns: must be a positive number of instructions");
        List<MemoryDump.Range> dumps = dumpMem.stream().map(MemoryDump::parse).toList();
        if ("-".equals(input) && gdb != null) throw new UserError("--input -: not with --gdb (the debugger owns the run's pace); give a file");
        byte[] typed = input == null || "-".equals(input) ? null : RecordCommand.readInput(input);
        Terminal terminal = "-".equals(input) ? Terminal.rawIfTerminal(err) : null;
        try {
            return run(config, budget, typed, dumps, terminal, err);
        } finally {
            if (terminal != null) terminal.close();
        }
    }

    private int run(MachineConfig config, long budget, byte[] typed, List<MemoryDump.Range> dumps, Terminal terminal, PrintWriter err) {
        // Under gdb the run goes back and forth over its history: each console byte is shown the first time only.
        io.deja.replayer.FirstPassConsole shown = gdb == null ? null : new io.deja.replayer.FirstPassConsole(System.out);
        io.deja.replayer.FirstPassConsole.Stream once = shown == null ? null : shown.stream();
        Machine machine = MachineOptions.build(config, once != null ? once : terminal == null ? System.out : terminal.output());
        if (once != null) once.bind(machine);
        if (machineOptions.dumpDeviceTree(machine, err)) return 0;
        for (MemoryDump.Range r : dumps) MemoryDump.check(machine.vm(), r);
        if (chaosSeed != null) machine.setChaos(chaosSeed);
        if (typed != null && typed.length > 0) machine.sendConsoleInput(typed);

        CountDownLatch finished = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable cancel = () -> {
            cancelled.set(true);
            machine.cancel();
        };
        Thread onCtrlC = new Thread(() -> {
            cancel.run();
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            RunResult result;
            String why;
            io.deja.recorder.InputFeed feed = io.deja.recorder.InputFeed.NONE;
            if (gdb == null) {
                feed = "-".equals(input) ? StdinFeed.of(terminal, cancel) : io.deja.recorder.InputFeed.NONE;
                try (Progress progress = Progress.start(err, quiet || terminal != null, true, machine::instructions)) {
                    result = io.deja.recorder.InputFeed.run(machine, budget, feed, cancelled::get);
                }
                why = describe(result);
            } else {
                GdbRun run = underGdb(machine, shown, config, budget, typed, err);
                result = run.result();
                why = run.why();
            }
            if (terminal != null) terminal.close(); // the summary goes to a terminal back in its own mode
            if (result.reason() == io.deja.core.vm.ExitKind.PANIC) why += ": " + machine.panicMessage();
            if (StatsJson.json(format)) {
                err.println(StatsJson.run(result, why, machine.statistics()));
            } else {
                err.println();
                err.printf("stopped: %s at pc 0x%x%n", why, result.pc());
                err.print(machine.statistics().format());
            }
            if (dumpRegs) err.print(RegisterDump.format(machine.vm()));
            for (MemoryDump.Range r : dumps) err.print(MemoryDump.format(machine.vm(), r));
            err.flush();
            RecordCommand.warnUnreadInput(machine, feed, err);
            return Main.exitStatus(result.reason());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is already running and waits for us.
            }
        }
    }

    private record GdbRun(RunResult result, String why) {}

    /**
     * Serves gdb until it detaches (then runs on to the end), kills the guest, or the guest stops for good.
     * The run is a timeline (its history kept as snapshots), so gdb can also go backwards over it.
     */
    private GdbRun underGdb(Machine machine, io.deja.replayer.FirstPassConsole console, MachineConfig config, long budget, byte[] typed, PrintWriter err) {
        io.deja.gdb.GdbServer server;
        try {
            server = io.deja.gdb.GdbServer.bind(gdb);
        } catch (IllegalArgumentException e) {
            throw new UserError("--gdb: " + e.getMessage());
        }
        err.printf("gdb: waiting for gdb on %s (target remote %s), stopped before the first instruction; reverse execution works%n",
                server.address(), server.address());
        err.flush();
        io.deja.replayer.Timeline timeline = io.deja.replayer.Timeline.live(machine, budget, io.deja.replayer.Timeline.Options.defaults().withConsole(console));
        io.deja.gdb.TimelineTarget target = new io.deja.gdb.TimelineTarget(timeline, err);
        GdbRecorder[] recording = new GdbRecorder[1];
        target.setRecordRequest(dir -> startRecording(dir, config, budget, typed, target, recording, err));
        io.deja.gdb.GdbServer.Outcome outcome;
        try (server; timeline) {
            outcome = server.serve(target, err);
            GdbRun run = switch (outcome) {
                case DETACHED -> {
                    RunResult rest = target.runToEnd();
                    RunResult r = rest != null ? rest : endResult(machine, budget);
                    yield new GdbRun(r, describe(r));
                }
                case KILLED -> new GdbRun(new RunResult(io.deja.core.vm.ExitKind.CANCELLED, null, machine.vm().getPc(), 0, 0), "killed by gdb");
                case EXITED -> {
                    RunResult r = endResult(machine, budget);
                    yield new GdbRun(r, describe(r));
                }
            };
            if (recording[0] != null) {
                Recorder.Result r = recording[0].finish(outcome);
                err.printf(Locale.ROOT, "recorded: %s (trace events, %s, icount 0 to %,d, final state hash %016x)%n", r.dir(),
                        chaosSeed == null ? "no chaos" : "chaos seed " + chaosSeed, r.instructions(), r.finalHash().combined());
                err.flush();
            }
            return run;
        } catch (java.io.IOException e) {
            throw new UserError("--gdb: " + e.getMessage());
        } catch (io.deja.recorder.RecordingException e) {
            throw new UserError("--gdb: " + e.getMessage(), Main.EXIT_FAILURE);
        }
    }

    /**
     * monitor record DIR: records this run into DIR with a machine of its own,
     * which catches up on the history from icount 0 (a recording replays from
     * the machine its header describes) and then follows the run as gdb drives
     * it, as deja record --gdb does from the start.
     */
    private String startRecording(Path dir, MachineConfig config, long budget, byte[] typed, io.deja.gdb.TimelineTarget target,
                                  GdbRecorder[] recording, PrintWriter err) {
        if (recording[0] != null) return "already recording (one monitor record per run)\n";
        Recorder.Options options = Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(budget).withDejaVersion(Version.current());
        if (chaosSeed != null) options = options.withChaos(chaosSeed);
        if (typed != null && typed.length > 0) options = options.withInput(typed);
        Recorder recorder;
        try {
            RecordCommand.prepareOut(dir, false);
            recorder = Recorder.create(dir, config, machineOptions.recordedImages(config, dir), OutputStream.nullOutputStream(), options);
        } catch (UserError | IllegalArgumentException | RecordingException e) {
            return "cannot record into " + dir + ": " + e.getMessage().replaceFirst("^--out [^:]*: ", "") + "\n";
        }
        recorder.start();
        GdbRecorder follower = new GdbRecorder(recorder, budget, err);
        // The run gdb changed: its console input went in at icount 0 (above), gdb's writes where gdb made them.
        java.util.List<io.deja.gdb.DebugWrite> writes = target.writes();
        for (io.deja.gdb.DebugWrite w : writes) follower.schedule(new GdbRecorder.Pending(w.icount(), null, w));
        long history = target.historyEnd();
        follower.reached(history);
        target.setHistoryListener(follower);
        recording[0] = follower;
        String changed = writes.isEmpty() ? "" : String.format(Locale.ROOT, " with gdb's %d %s (from icount %d)", writes.size(),
                Plural.noun(writes.size(), "write"), writes.get(0).icount());
        err.printf(Locale.ROOT, "gdb: recording into %s: the run from icount 0%s, %s so far, then as it goes%n", dir, changed,
                Plural.count(history, "instruction"));
        err.flush();
        return String.format(Locale.ROOT, "recording into %s: the run from its start (a recording replays from the machine its header describes)%s, "
                + "caught up to icount %d, and on as the run goes; it ends where the run does (after a detach, at its end)%n", dir, changed, history);
    }

    /** How a run that has ended (the guest stopped the machine, or the budget is used up) ended. */
    static RunResult endResult(Machine machine, long budget) {
        if (machine.isStopped()) return machine.run(0); // a stopped machine answers with its final stop at once
        return new RunResult(io.deja.core.vm.ExitKind.BUDGET, null, machine.vm().getPc(), 0, 0);
    }

    private static String describe(RunResult result) {
        String why = RecordCommand.describe(result.reason());
        boolean debugExit = switch (result.reason()) {
            case BRK, HLT, SMC -> true;
            default -> false;
        };
        return debugExit && result.lastExit() != null ? why + ": " + result.lastExit() : why;
    }
}
