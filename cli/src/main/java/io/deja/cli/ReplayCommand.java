package io.deja.cli;

import io.deja.core.board.MachineConfig;
import io.deja.core.board.StateHashes;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingHeader;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;
import io.deja.replayer.Disassembler;
import io.deja.replayer.SnapshotIndex;
import io.deja.replayer.Timeline;
import io.deja.core.vm.VirtualMachine;
import io.deja.recorder.Plural;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** deja replay: re-runs a recording and proves it bit-exact, or reports the first divergence. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Rebuilds the recorded machine (refusing an image whose SHA-256 changed), delivers the recorded inputs "
                    + "at their instruction counts and compares every event and checkpoint with the recording.",
            "Exit 0 and 'bit-exact' when all match; exit 1 with a divergence report at the first difference.",
            "With --trace/--from/--to/--out, also writes a new recording with the instructions N..M at a richer level.",
            "With --at ICOUNT, shows the machine's state just before instruction ICOUNT executes (seeking from the "
                    + "snapshot index if there is one); --index replays once and stores that index beside the recording."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Option(names = "--trace", paramLabel = "LEVEL", description = "Re-trace at this level (insns or full) into --out.")
    String trace;

    @Option(names = "--from", converter = Sizes.Count.class, paramLabel = "N", description = "First instruction (icount) to re-trace (default 0).")
    Long from;

    @Option(names = "--to", converter = Sizes.Count.class, paramLabel = "M", description = "Last instruction (icount, inclusive) to re-trace (default: the end).")
    Long to;

    @Option(names = "--out", paramLabel = "DIR2", description = "Where the re-traced recording goes (new or empty directory).")
    Path out;

    @Option(names = "--force", description = "Replace a recording already in --out.")
    boolean force;

    @Option(names = "--binary", paramLabel = "FILE", description = "Read the image from FILE instead of its recorded path (its SHA-256 must still match).")
    Path binary;

    @Option(names = "--console", description = "Print the guest's console output as the replay produces it (under --gdb: each byte "
            + "the first time the replay runs past it, not again when going back).")
    boolean console;

    @Option(names = "--gdb", paramLabel = "[HOST:]PORT",
            description = "Replay under gdb (target remote :PORT) instead of comparing: the recorded machine, stopped before its first "
                    + "instruction, with the recorded inputs delivered at their instruction counts; reverse execution (reverse-continue, "
                    + "reverse-stepi, ...) and monitor icount/seek/events/checkpoint. A register or memory write makes a branch: the recording up to "
                    + "it, then the write and the run live; reverse execution and seeks cover both, applying the write again when going forward "
                    + "across it (a later write replaces the branch after it), and 'monitor record DIR' records the branch. Localhost unless HOST is given.")
    String gdb;

    @Option(names = "--at", converter = Sizes.Count.class, paramLabel = "ICOUNT", description = "Show the state just before instruction ICOUNT executes (ICOUNT instructions retired).")
    Long at;

    @Option(names = "--dump-regs", description = "With --at: general, FP/SIMD and system registers.")
    boolean dumpRegs;

    @Option(names = "--dump-mem", paramLabel = "ADDR:LEN", description = "With --at: hex dump of guest RAM (physical address), e.g. 0x11000:64; repeatable.")
    java.util.List<String> dumpMem = new java.util.ArrayList<>();

    @Option(names = "--dump-vmem", paramLabel = "VA:LEN", description = "With --at: hex dump of guest RAM by virtual address, translated as "
            + "the CPU would now at EL1 (no fault taken, the TLB untouched), e.g. 0xffff000000012000:64; repeatable.")
    java.util.List<String> dumpVmem = new java.util.ArrayList<>();

    @Option(names = "--disasm", paramLabel = "N", description = "With --at: disassemble the next N instructions from PC.")
    Integer disasm;

    @Option(names = "--index", description = "Replay once, keeping snapshots, and store them in DIR/" + SnapshotIndex.FILE
            + " so that --at (and the debugger) seek at once in later sessions.")
    boolean index;


    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: the result (bit_exact, cut_short, events, instructions, state hashes, host_seconds) as one JSON object on standard output; a divergence's report follows it as text.")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar on standard error (shown only when standard error is a terminal and standard output is not).")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (gdb != null) return underGdb(stdout);
        if (at != null || index) return seek(stdout);
        if (dumpRegs || !dumpMem.isEmpty() || !dumpVmem.isEmpty() || disasm != null) {
            throw new UserError("--dump-regs, --dump-mem, --dump-vmem and --disasm need --at ICOUNT");
        }
        boolean json = StatsJson.json(format);
        ReplayOptions options = ReplayOptions.defaults().withImage(binary).withConsole(console ? System.out : null);
        ReplayOptions.Retrace retrace = retrace();
        if (retrace != null) options = options.withRetrace(retrace);

        ReplayResult r;
        long start = System.nanoTime();
        // The console on the terminal (--console) would be torn by a progress line.
        try (Progress progress = Progress.start(spec.commandLine().getErr(), quiet, console, null)) {
            options = options.withStarted((machine, end) -> progress.follow(machine::instructions, end));
            r = Replayer.replay(dir, options);
        } catch (RecordingException e) {
            throw new UserError(e.getMessage() + (e.intactTo() > 0
                    ? String.format(Locale.ROOT, " (deja replay %s --at %d shows the machine there)", dir, e.intactTo()) : ""));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.flush();
        if (json) {
            stdout.println(StatsJson.replay(r, seconds));
            if (!r.bitExact()) stdout.print(r.report());
            stdout.flush();
            return r.bitExact() ? 0 : Main.EXIT_FAILURE;
        }
        stdout.println(describe(dir, r.header()));
        if (!r.bitExact()) {
            stdout.print(r.report());
            stdout.flush();
            return Main.EXIT_FAILURE;
        }
        if (r.truncated()) {
            stdout.printf(Locale.ROOT, "recording cut short after icount %,d: %s; its complete part replayed bit-exactly%n",
                    r.endIcount(), r.cutShort());
        }
        stdout.printf(Locale.ROOT, "bit-exact: %s and %s match the recording (%.2f s)%n", Plural.count(r.events(), "event"),
                Plural.count(r.instructions(), "instruction"), seconds);
        StateHashes h = r.finalHash();
        stdout.printf(Locale.ROOT, "final state hash: %016x (cpu %016x, ram %016x, devices %016x)%n", h.combined(), h.cpu(), h.ram(), h.devices());
        if (retrace != null) {
            stdout.printf(Locale.ROOT, "re-traced: %s (trace %s, instructions %,d..%,d, %s)%n", retrace.out(),
                    retrace.level().name().toLowerCase(Locale.ROOT), retrace.from(), Math.min(retrace.to(), r.instructions()), Plural.count(r.retraced(), "event"));
        }
        stdout.flush();
        return 0;
    }

    /**
     * The recording under gdb, forward and backward (a timeline: nothing is
     * compared; with --console, each console byte is shown the first time the
     * replay runs past it); after a detach it runs on to the
     * recording's end.
     */
    private int underGdb(PrintWriter stdout) {
        if (trace != null || from != null || to != null || out != null) {
            throw new UserError("--gdb: replays under a debugger; re-tracing (--trace, --from, --to, --out) is a separate replay");
        }
        if (at != null || index) throw new UserError("--gdb: starts at icount 0 (monitor seek ICOUNT goes anywhere); --at and --index are separate uses");
        PrintWriter err = spec.commandLine().getErr();
        Timeline timeline;
        try {
            // Going back re-runs parts of the recording: each console byte is shown the first time the replay runs past it.
            timeline = Timeline.open(dir, Timeline.Options.defaults().withImage(binary)
                    .withConsole(console ? new io.deja.replayer.FirstPassConsole(System.out) : null));
        } catch (RecordingException e) {
            throw new UserError(e.getMessage());
        }
        try (timeline) {
            stdout.println(describe(dir, timeline.header()));
            stdout.flush();
            if (timeline.indexWarning() != null) err.println("deja: warning: " + timeline.indexWarning());
            io.deja.gdb.GdbServer server;
            try {
                server = io.deja.gdb.GdbServer.bind(gdb);
            } catch (IllegalArgumentException e) {
                throw new UserError("--gdb: " + e.getMessage());
            }
            err.printf("gdb: waiting for gdb on %s (target remote %s), stopped before the first instruction; "
                    + "the recording ends at icount %,d; reverse execution and monitor seek/events/checkpoint work%n",
                    server.address(), server.address(), timeline.end());
            err.flush();
            io.deja.gdb.TimelineTarget target = new io.deja.gdb.TimelineTarget(timeline, err);
            GdbRecorder[] branch = new GdbRecorder[1];
            target.setRecordRequest(to -> recordBranch(to, timeline, target, branch, err));
            io.deja.gdb.GdbServer.Outcome outcome;
            try (server) {
                outcome = server.serve(target, err);
            } catch (java.io.IOException e) {
                throw new UserError("--gdb: " + e.getMessage());
            } catch (RecordingException e) {
                throw new UserError(e.getMessage());
            }
            if (outcome == io.deja.gdb.GdbServer.Outcome.DETACHED) target.runToEnd();
            stdout.printf(Locale.ROOT, "replayed under gdb to icount %,d of %,d (not compared with the recording%s)%n",
                    timeline.icount(), timeline.limit(), target.branched()
                            ? String.format(Locale.ROOT, "; left it at icount %,d for the branch gdb's writes made, run live", target.leftAt()) : "");
            if (branch[0] != null) {
                io.deja.recorder.Recorder.Result r = branch[0].finish(outcome);
                stdout.printf(Locale.ROOT, "recorded: %s (the branch: icount 0 to %,d, gdb's writes from icount %,d, final state hash %016x)%n",
                        r.dir(), r.instructions(), target.leftAt(), r.finalHash().combined());
            }
            stdout.flush();
            return 0;
        }
    }

    /**
     * monitor record DIR after a write left the recording: records the branch
     * the write made, as a recording of its own that deja replay replays. It
     * starts at icount 0 from the same header and images (a recording replays
     * from the machine its header describes), holds the recorded inputs up to
     * where the replay went live (those after it were never applied), gdb's
     * writes where gdb made them, and then whatever the live run does, as a
     * machine of its own follows it (see {@link GdbRecorder}).
     */
    private String recordBranch(Path to, Timeline timeline, io.deja.gdb.TimelineTarget target, GdbRecorder[] branch, PrintWriter err) {
        if (branch[0] != null) return "already recording (one monitor record per session)\n";
        if (!target.branched()) {
            return "nothing to record yet: until a write leaves it, the replay is the recording " + dir
                    + " itself; after a register or memory write, monitor record DIR records the branch it makes\n";
        }
        RecordingHeader h = timeline.header();
        long limit = timeline.limit(), leftAt = target.leftAt();
        io.deja.recorder.Recorder.Options options = io.deja.recorder.Recorder.Options.defaults(h.traceLevel())
                .withCheckpointInterval(h.checkpointInterval()).withMaxInstructions(limit).withDejaVersion(Version.current());
        if (h.chaosSeed().isPresent()) options = options.withChaos(h.chaosSeed().getAsLong());
        io.deja.recorder.Recorder recorder;
        try {
            RecordCommand.prepareOut(to, false);
            recorder = io.deja.recorder.Recorder.create(to, timeline.machineConfig(), timeline.imagesFor(to),
                    java.io.OutputStream.nullOutputStream(), options);
        } catch (UserError | IllegalArgumentException | RecordingException e) {
            return "cannot record into " + to + ": " + e.getMessage().replaceFirst("^--out [^:]*: ", "") + "\n";
        }
        recorder.start();
        GdbRecorder follower = new GdbRecorder(recorder, limit, err);
        // What the replay applied before it went live: the recorded inputs up to there (a branch's writes too).
        try (io.deja.recorder.EventCursor c = timeline.recording().events(Long.MIN_VALUE,
                java.util.Set.of(io.deja.core.trace.EventType.INPUT, io.deja.core.trace.EventType.DEBUG_WRITE))) {
            while (c.next() && c.icount() <= leftAt) {
                if (c.type() == io.deja.core.trace.EventType.INPUT) {
                    follower.schedule(new GdbRecorder.Pending(c.icount(), c.bytes(2), null));
                } else {
                    follower.schedule(new GdbRecorder.Pending(c.icount(), null,
                            new io.deja.gdb.DebugWrite(c.icount(), c.cpu(), c.u8(2), c.i64(3), c.bytes(4))));
                }
            }
        }
        for (io.deja.gdb.DebugWrite w : target.writes()) follower.schedule(new GdbRecorder.Pending(w.icount(), null, w));
        long history = target.historyEnd();
        follower.reached(history);
        target.setHistoryListener(follower);
        branch[0] = follower;
        err.printf(Locale.ROOT, "gdb: recording the branch into %s: the recording's run to icount %,d, gdb's writes, then the live run "
                + "(%s so far) as it goes%n", to, leftAt, Plural.count(history, "instruction"));
        err.flush();
        return String.format(Locale.ROOT, "recording into %s: the branch from icount 0 (the recording's inputs up to icount %d, where the "
                + "replay went live, then gdb's %d %s), caught up to icount %d, and on as the run goes; it ends where the run does "
                + "(after a detach, at icount %d)%n", to, leftAt, target.writes().size(), Plural.noun(target.writes().size(), "write"),
                history, limit);
    }

    /** --index and --at: a timeline over the recording instead of a compared replay. */
    private Integer seek(PrintWriter stdout) {
        if (trace != null || from != null || to != null || out != null) throw new UserError("--at and --index do not re-trace: leave out --trace, --from, --to and --out");
        if (disasm != null && (disasm < 0 || disasm > 100_000)) throw new UserError("--disasm: 0 to 100000 instructions");
        if (!dumpRegs && dumpMem.isEmpty() && dumpVmem.isEmpty() && disasm == null && at != null) dumpRegs = true;
        List<MemoryDump.Range> ranges = dumpMem.stream().map(MemoryDump::parse).toList();
        List<MemoryDump.Range> virtualRanges = dumpVmem.stream().map(MemoryDump::parse).toList();
        long opened = System.nanoTime();
        try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withImage(binary))) {
            stdout.println(describe(dir, t.header()));
            if (t.indexWarning() != null) spec.commandLine().getErr().println("deja: warning: " + t.indexWarning());
            if (index) {
                if (t.indexLoaded()) {
                    stdout.printf(Locale.ROOT, "index: %s is up to date (%s every %s)%n",
                            dir.resolve(SnapshotIndex.FILE), Plural.count(t.snapshotIcounts().length, "snapshot"), Plural.count(t.interval(), "instruction"));
                } else {
                    Path file = t.writeIndex();
                    stdout.printf(Locale.ROOT, "index: %s: %s every %s over %,d, %s (%.2f s)%n",
                            file, Plural.count(t.snapshotIcounts().length, "snapshot"), Plural.count(t.interval(), "instruction"), t.end(),
                            Plural.count(file.toFile().length(), "byte"),
                            (System.nanoTime() - opened) / 1e9);
                }
            }
            if (at == null) return 0;
            long start = System.nanoTime();
            try {
                t.seek(at);
            } catch (IllegalArgumentException e) {
                throw new UserError("--at " + at + ": " + e.getMessage());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            VirtualMachine vm = t.vm();
            stdout.printf(Locale.ROOT, "at icount %,d of %,d%s: pc 0x%x, EL%d (from the snapshot at icount %,d%s, %.3f s)%n", at, t.end(),
                    t.complete() ? "" : " (cut short)", vm.getPc(), (vm.getPstate() >> 2) & 3, t.snapshotAtOrBefore(at),
                    t.indexLoaded() ? " of the index" : "", seconds);
            if (t.machine().isStopped()) stdout.println("the guest has stopped the machine here (the end of the run)");
            if (dumpRegs) {
                stdout.print(RegisterDump.format(vm));
                stdout.print(RegisterDump.system(vm));
            }
            for (MemoryDump.Range r : ranges) {
                MemoryDump.check(vm, r);
                stdout.print(MemoryDump.format(vm, r));
            }
            for (MemoryDump.Range r : virtualRanges) stdout.print(virtualDump(t, r));
            if (disasm != null) stdout.print(disassembly(t, disasm));
            stdout.flush();
            return 0;
        } catch (RecordingException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** --dump-vmem: RAM by virtual address, each page translated as an AT S1E1R would now; a page not mapped to RAM ends the dump there. */
    private static String virtualDump(Timeline t, MemoryDump.Range r) {
        io.deja.core.mmu.Mmu mmu = t.machine().vcpu().cpu().mmu;
        VirtualMachine vm = t.vm();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        String stop = null;
        for (long done = 0; done < r.length(); ) {
            long va = r.address() + done;
            long par = mmu.addressTranslate(va, false, 1);
            long pa = (par & 0x0000_FFFF_FFFF_F000L) | (va & 0xFFF);
            int chunk = (int) Math.min(r.length() - done, 0x1000 - (va & 0xFFF));
            if ((par & 1) != 0) {
                stop = String.format(Locale.ROOT, "0x%x is not mapped here (PAR_EL1 0x%x)", va, par);
                break;
            }
            if (Long.compareUnsigned(pa - vm.ramBase(), vm.ramSize()) >= 0 || Long.compareUnsigned(pa + chunk - vm.ramBase(), vm.ramSize()) > 0) {
                stop = String.format(Locale.ROOT, "0x%x maps to 0x%x, outside RAM", va, pa);
                break;
            }
            bytes.writeBytes(vm.readMemory(pa, chunk));
            done += chunk;
        }
        String dump = MemoryDump.format("virtual memory", r.address(), bytes.toByteArray());
        return stop == null ? dump : dump + "  (" + stop + ")\n";
    }

    /** The next n instructions from PC, as the CPU would fetch them now (no fault taken, the TLB untouched). */
    private static String disassembly(Timeline t, int n) {
        StringBuilder sb = new StringBuilder();
        io.deja.core.mmu.Mmu mmu = t.machine().vcpu().cpu().mmu;
        long pc = t.vm().getPc();
        try (Disassembler d = new Disassembler()) {
            for (int i = 0; i < n; i++, pc += 4) {
                String marker = i == 0 ? "=> " : "   ";
                if ((pc & 3) != 0 || !mmu.fetchable(pc)) {
                    sb.append(String.format("%s0x%016x: (not fetchable here)%n", marker, pc));
                    break;
                }
                int word = mmu.peekInstruction(pc);
                sb.append(String.format("%s0x%016x: %08x  %s%n", marker, pc, word, d.disassemble(pc, word)));
            }
        }
        return sb.toString();
    }

    private ReplayOptions.Retrace retrace() {
        if (trace == null && from == null && to == null && out == null) return null;
        if (out == null) throw new UserError("--out: required to re-trace (--trace, --from, --to write a new recording)");
        TraceLevel level = trace == null ? TraceLevel.FULL : RecordCommand.traceLevel(trace);
        long f = from == null ? 0 : from;
        long t = to == null ? Long.MAX_VALUE : to;
        if (f < 0) throw new UserError("--from: must not be negative");
        if (t < f) throw new UserError("--to: must not be before --from");
        if (out.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            throw new UserError("--out: must differ from the recording being replayed");
        }
        RecordCommand.prepareOut(out, force);
        return new ReplayOptions.Retrace(level, f, t, out);
    }

    static String describe(Path dir, RecordingHeader h) {
        String image = h.images().isEmpty() ? "no image" : Path.of(h.images().get(0).path()).getFileName().toString();
        for (io.deja.recorder.RecordedImage extra : h.images().subList(Math.min(1, h.images().size()), h.images().size())) {
            image += ", " + extra.role().label + " " + Path.of(extra.path()).getFileName();
        }
        return String.format(Locale.ROOT, "replaying %s: %s on %s, %d MiB%s%s%s, trace %s%s, %s (recorded by Deja %s, format %d, %s)",
                dir, image, h.board().cliName(), h.ramSize() >> 20,
                h.entry() == MachineConfig.DEFAULT_ENTRY ? "" : String.format(", entry 0x%x", h.entry()),
                (h.cpus() == 1 ? "" : ", " + h.cpus() + " CPUs (quantum " + h.quantum() + ")")
                        + (h.gic() == io.deja.core.board.GicVersion.V2 ? "" : ", GICv" + h.gic().number()),
                h.board() == io.deja.core.board.Board.VIRT ? ", RTC from " + Instant.ofEpochSecond(h.rtcStart()) : "",
                h.traceLevel().name().toLowerCase(Locale.ROOT),
                h.wholeRun() ? "" : String.format(Locale.ROOT, " for icount %,d..%,d", h.traceFrom(), h.traceTo()),
                h.chaosSeed().isPresent() ? "chaos seed " + h.chaosSeed().getAsLong() : "no chaos",
                h.dejaVersion(), h.formatVersion(), Instant.ofEpochMilli(h.startTimeMillis()));
    }
}
