package io.deja.gdb;

import io.deja.core.board.StateHashes;
import io.deja.core.cpu.HostDebug;
import io.deja.core.trace.EventType;
import io.deja.core.vm.ExitKind;
import io.deja.core.vm.Vcpu;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordedEvent;
import io.deja.replayer.Timeline;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * A recording, or a live run, as a gdb target that goes both ways, on a
 * {@link Timeline} ({@link Timeline#live} for deja run and record: its history
 * is what it has run so far, and forward it runs on up to its budget).
 *
 * Every place gdb is shown is a timeline seek: "the state at N", whatever
 * route led there. Finding where to stop is a separate run: forward, from
 * here with the breakpoints and watchpoints armed; backward, from the
 * snapshot before now, collecting every stop up to now and keeping the last
 * (and, if there is none, a window twice as long before that, down to
 * icount 0, the start of the history). The points are disarmed while the timeline seeks,
 * since its runs must not stop early.
 *
 * Writing a register or memory makes the run a branch (said once): the write
 * becomes one of the timeline's inputs at its icount, so going back before it
 * shows the run as it was (a replay: the recording) and going forward across
 * it applies it again. A replay's branch takes no recorded input after its
 * first write: from there the run is live, up to the recording's end. A
 * write replaces the history after it: writes gdb made later on the history
 * it went back over are dropped (see {@link Timeline}, "Branches").
 *
 * Several CPUs: every breakpoint and watchpoint is armed on each, a stop is
 * reported for the CPU that met it, and stepping CPU n forward or back goes
 * to the boundary after (before) CPU n's next (previous) instruction in the
 * machine's one global order: the other CPUs are wherever the schedule had
 * them then.
 */
public final class TimelineTarget implements GdbTarget {
    private final Timeline timeline;
    /** CPU 0. */
    private final Vcpu vcpu;
    /** Registers, memory and point bookkeeping, and after a detach from a branch, the run to its end. */
    private final MachineTarget machine;
    private final PrintWriter log;
    private final List<Point> points = new ArrayList<>();
    private volatile boolean interruptRequested;
    /** Whether the log has said that a write made the run a branch. */
    private boolean announced;

    /** A breakpoint or watchpoint as gdb set it; phys: the RAM address a watched address mapped to then (-1: none, or a breakpoint). */
    private record Point(PointKind kind, long address, long length, long phys) {
        Point(PointKind kind, long address, long length) {
            this(kind, address, length, -1);
        }

        boolean same(PointKind k, long a, long l) {
            return kind == k && address == a && length == l;
        }
    }

    /** The last stop shown to gdb was a watchpoint's: the next resume executes that access (gdb steps over it). */
    private boolean lastStopWasWatch;

    /**
     * Told how far the run gdb drives goes after each resume, and each write
     * gdb makes: a recorder follows the run with a machine of its own, and
     * records the writes as inputs where they were made.
     */
    public interface HistoryListener {
        /**
         * The run has been as far as icount. It grows, except after a write made
         * after going back, which replaced the history after it ({@link #written}
         * came first): from then on it is how far the branch has been.
         */
        void reached(long icount);

        /** gdb wrote, at w.icount(): the run goes on from there as the write changed it. */
        void written(DebugWrite w);
    }

    private HistoryListener history;

    /** Starts recording the run into a directory (monitor record DIR) and says what it did, or why not. */
    public interface RecordRequest {
        String record(java.nio.file.Path dir);
    }

    private RecordRequest recordRequest;

    /** Who serves monitor record (null: it is refused, saying where it works). */
    public void setRecordRequest(RecordRequest request) {
        this.recordRequest = request;
    }

    /**
     * How far the run has been (where a recording started now catches up to):
     * the furthest point of its history, after a write of the branch it made.
     */
    public long historyEnd() {
        return timeline.end();
    }

    /** gdb's writes on the branch, in the order the run takes them (a write drops those gdb made later on the history it replaced). */
    public List<DebugWrite> writes() {
        return timeline.writes().stream().map(w -> new DebugWrite(w.icount(), w.cpu(), w.kind(), w.target(), w.data())).toList();
    }

    /** The icount of the branch's first write (where a replay leaves its recording), or -1 before any. */
    public long leftAt() {
        return timeline.branchedAt();
    }

    /** Who hears how far a live run's history goes (null: nobody). */
    public void setHistoryListener(HistoryListener listener) {
        this.history = listener;
    }

    /** A stop found by a search run: where it was, why, and which CPU met it. */
    private record Found(long icount, int why, long address, int cpu) {}

    /** The CPU the last stop shown to gdb was for: it steps over that stop when resumed. */
    private int lastStopCpu;

    /** @param log where "leaving the recording" is said */
    public TimelineTarget(Timeline timeline, PrintWriter log) {
        this.timeline = timeline;
        this.vcpu = timeline.machine().vcpu();
        // Live, after leaving the recording, the run ends where the recording did (a live run: at its budget).
        this.machine = new MachineTarget(timeline.machine(), timeline.limit());
        this.log = log;
        machine.onWrite(w -> {
            long end = timeline.end();
            // A replay's first write leaves the recording's rest, as said already; any other drops history gdb went back over.
            boolean said = !timeline.isLive() && !timeline.branched();
            if (timeline.written(w.cpu(), w.kind(), w.target(), w.data()) && !said) {
                log.printf(Locale.ROOT, "gdb: the write at icount %,d replaces the history after it (to icount %,d)%n", w.icount(), end);
                log.flush();
            }
            if (history != null) history.written(w);
        });
    }

    @Override
    public int cpus() {
        return timeline.machine().cpuCount();
    }

    @Override
    public String threadInfo(int cpu) {
        return MachineTarget.describe(timeline.machine(), cpu);
    }

    @Override
    public byte[] readRegister(int cpu, int regnum) {
        return machine.readRegister(cpu, regnum);
    }

    @Override
    public boolean writeRegister(int cpu, int regnum, byte[] value) {
        byte[] old = machine.readRegister(cpu, regnum);
        if (old != null && java.util.Arrays.equals(old, value)) return true; // gdb rewrites what it read: not a change
        String readOnly = Aarch64Registers.readOnlyReason(regnum);
        if (readOnly != null) throw new UnsupportedOperationException(readOnly); // refused before anything changes
        if (old == null || value.length != old.length) return false;
        announceBranch();
        return machine.writeRegister(cpu, regnum, value);
    }

    @Override
    public int readMemory(int cpu, long address, byte[] into) {
        return machine.readMemory(cpu, address, into);
    }

    @Override
    public boolean writeMemory(int cpu, long address, byte[] data) {
        byte[] old = new byte[data.length];
        if (machine.readMemory(cpu, address, old) == data.length && java.util.Arrays.equals(old, data)) return true;
        announceBranch();
        return machine.writeMemory(cpu, address, data);
    }

    private void announceBranch() {
        if (announced) return;
        announced = true;
        if (timeline.isLive()) {
            log.printf(Locale.ROOT, "gdb: a write changed the run at icount %,d: from here the run is a branch; reverse execution covers it "
                    + "(monitor record DIR records it)%n", timeline.icount());
        } else {
            log.printf(Locale.ROOT, "gdb: leaving the recording at icount %,d: from here the run is a branch, live, recorded inputs no longer "
                    + "applied; reverse execution covers it (monitor record DIR records this branch)%n", timeline.icount());
        }
        log.flush();
    }

    /** Whether a write made the run a branch (a replay: left the recording). */
    public boolean branched() {
        return timeline.branched();
    }

    // ---- Points -------------------------------------------------------------------------------------
    @Override
    public boolean setPoint(int cpu, PointKind kind, long address, long length, boolean insert) {
        if (!machine.setPoint(cpu, kind, address, length, insert)) return false;
        // Breakpoints are per address whatever their length (gdb's kind is the instruction size).
        boolean breakpoint = kind == PointKind.SOFTWARE || kind == PointKind.HARDWARE;
        long len = breakpoint ? 0 : length;
        if (insert) {
            // A watchpoint also watches the physical bytes its address maps to when gdb sets it (see HostDebug).
            if (points.stream().noneMatch(p -> p.same(kind, address, len))) {
                points.add(new Point(kind, address, len, breakpoint ? -1 : machine.ramAddress(cpu, address)));
            }
        } else {
            points.removeIf(p -> p.same(kind, address, len));
        }
        return true;
    }

    private void disarm() {
        for (int i = 0; i < cpus(); i++) machine.debug(i).clear();
    }

    private void arm() {
        for (int i = 0; i < cpus(); i++) {
            HostDebug debug = machine.debug(i);
            for (Point p : points) {
                switch (p.kind()) {
                    case SOFTWARE, HARDWARE -> debug.addBreakpoint(p.address());
                    case WRITE -> debug.addWatchpoint(p.address(), p.length(), HostDebug.WATCH_WRITE, p.phys());
                    case READ -> debug.addWatchpoint(p.address(), p.length(), HostDebug.WATCH_READ, p.phys());
                    case ACCESS -> debug.addWatchpoint(p.address(), p.length(), HostDebug.WATCH_ACCESS, p.phys());
                }
            }
        }
    }

    private void clearInterrupts() {
        for (int i = 0; i < cpus(); i++) timeline.machine().vcpu(i).interruptHandle().clear();
    }

    /** CPU cpu's instructions retired. */
    private long retired(int cpu) {
        return timeline.machine().vcpu(cpu).instructions();
    }

    /** Puts the machine in the recording's state at icount, the points armed again. */
    private void land(long icount) {
        disarm();
        for (;;) {
            try {
                timeline.seek(icount);
                break;
            } catch (io.deja.recorder.RecordingException e) {
                // A Ctrl-C cancelled the seek's run, not the guest: seek again without it.
                if (!interruptRequested) throw e;
                clearInterrupts();
            }
        }
        arm();
    }

    // ---- Running ------------------------------------------------------------------------------------
    @Override
    public Stop resume(Resume how, int cpu, long rangeStart, long rangeEnd) {
        try {
            if (how == Resume.STEP || how == Resume.RANGE_STEP) machine.checkSteppable(cpu);
            Stop stop = switch (how) {
                case CONTINUE -> forward(cpu, 0, 0);
                case STEP -> step(cpu);
                case RANGE_STEP -> forward(cpu, rangeStart, rangeEnd);
                case REVERSE_CONTINUE -> reverseContinue(cpu);
                case REVERSE_STEP -> reverseStep(cpu);
            };
            lastStopWasWatch = switch (stop.kind()) {
                case WATCH_WRITE, WATCH_READ, WATCH_ACCESS -> true;
                default -> false;
            };
            lastStopCpu = stop.cpu();
            return stop;
        } finally {
            interruptRequested = false;
            clearInterrupts();
            if (history != null && (timeline.isLive() || timeline.branched())) history.reached(timeline.end());
        }
    }

    /** Where the guest's kernel panicked (-1: it has not, on the way gdb went), and its panic line. */
    private long panicAt = -1;
    private String panicLine;

    /**
     * The run just stopped for good here (landed): the guest powered off or
     * reset (the run ended: gdb is told it exited), or its kernel panicked
     * (gdb is shown the panic line and a SIGABRT stop, from which it can read
     * the state, go back, or continue to hear that the run ended).
     */
    private Stop stoppedForGood(int cpu) {
        String line = timeline.machine().panicMessage();
        if (line.isEmpty()) return new Stop(Stop.Kind.EXITED, 0, 0);
        panicAt = timeline.icount();
        panicLine = line;
        return Stop.panicked(cpu, panicAt, line);
    }

    /** At the end of the recording (a branch of it too): its history ends; of a live run's budget: the run is over. */
    private Stop endStop() {
        return timeline.isLive() ? new Stop(Stop.Kind.EXITED, 0, 0) : Stop.of(Stop.Kind.HISTORY_END);
    }

    /**
     * To the boundary after CPU cpu's next instruction: the schedule runs the
     * others too, and a breakpoint or watchpoint one of them meets on the way
     * (or a watchpoint on the stepped instruction's access) stops it first.
     */
    private Stop step(int cpu) {
        long now = timeline.icount();
        if (timeline.machine().isStopped()) return MachineTarget.ended(timeline.machine());
        if (now >= timeline.limit()) return endStop();
        long before = retired(cpu);
        boolean watching = points.stream().anyMatch(p -> p.length() > 0);
        if (cpus() == 1 && !watching) {
            land(now + 1);
            return timeline.machine().isStopped() ? stoppedForGood(cpu) : Stop.of(Stop.Kind.TRAPPED);
        }
        if (!watching && timeline.machine().currentCpu() == cpu) {
            // Most likely the next instruction is the stepped CPU's: one seek if so.
            land(now + 1);
            if (timeline.machine().isStopped()) return stoppedForGood(cpu);
            if (retired(cpu) > before) return Stop.of(Stop.Kind.TRAPPED).withCpu(cpu);
            land(now);
        }
        // One instruction at a time with the points armed. The CPU shown the last stop steps over it when it
        // runs; the stepped CPU does not stop for a breakpoint at its own PC, and for its watchpoint only if
        // that stop was not the one shown (gdb steps over a watchpoint it was shown).
        machine.resumeAll(lastStopCpu, lastStopWasWatch);
        Vcpu stepped = timeline.machine().vcpu(cpu);
        machine.debug(cpu).resumeAt(stepped.instructions(), stepped.getPc(), cpu == lastStopCpu && lastStopWasWatch);
        for (;;) {
            long at = timeline.icount();
            if (at >= timeline.limit()) {
                land(at);
                return endStop();
            }
            ExitKind why = timeline.advance(at + 1);
            int stopped = machine.stoppedCpu();
            if (why == ExitKind.CANCELLED && stopped >= 0) {
                Found f = new Found(at, machine.debug(stopped).stop(), machine.debug(stopped).stopAddress(), stopped);
                land(at);
                return stopFor(f);
            }
            if (why == ExitKind.CANCELLED) {
                land(timeline.icount());
                return Stop.of(Stop.Kind.INTERRUPTED).withCpu(timeline.machine().currentCpu());
            }
            if (timeline.machine().isStopped()) {
                land(timeline.icount());
                return stoppedForGood(cpu);
            }
            if (retired(cpu) > before) break;
            if (interruptRequested) {
                land(timeline.icount());
                return Stop.of(Stop.Kind.INTERRUPTED).withCpu(timeline.machine().currentCpu());
            }
        }
        land(timeline.icount());
        return Stop.of(Stop.Kind.TRAPPED).withCpu(cpu);
    }

    /**
     * Back to the boundary before CPU cpu's previous instruction (in the global
     * order: the last icount at which CPU cpu had retired one fewer), or the
     * start of the history. With several CPUs it searches by seeks: back in
     * windows that double until CPU cpu had retired fewer, then halving.
     */
    private Stop reverseStep(int cpu) {
        long now = timeline.icount();
        if (now == 0) return Stop.of(Stop.Kind.HISTORY_BEGIN).withCpu(cpu);
        if (cpus() == 1) {
            land(now - 1);
            return Stop.of(Stop.Kind.TRAPPED);
        }
        long mine = retired(cpu);
        // CPU cpu has retired nothing yet: nothing of it to go back over, and the others stay where they are.
        if (mine == 0) return Stop.of(Stop.Kind.HISTORY_BEGIN).withCpu(cpu);
        // The smallest icount at which CPU cpu has retired mine: the one before it is where its previous instruction is next.
        long hi = now, lo = now - 1, span = 1;
        for (;;) {
            land(lo);
            if (retired(cpu) < mine) break;
            hi = lo;
            if (lo == 0) {
                // CPU cpu had retired them all already at the start: nothing of it to go back over.
                return Stop.of(Stop.Kind.HISTORY_BEGIN).withCpu(cpu);
            }
            span *= 2;
            lo = Math.max(0, lo - span);
            if (interruptRequested) {
                land(now);
                return Stop.of(Stop.Kind.INTERRUPTED).withCpu(cpu);
            }
        }
        // retired(lo) < mine <= retired(hi)
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            land(mid);
            if (retired(cpu) < mine) lo = mid;
            else hi = mid;
        }
        land(lo);
        return Stop.of(Stop.Kind.TRAPPED).withCpu(cpu);
    }

    /**
     * Forward to the first stop after now: a breakpoint or watchpoint, the PC
     * leaving [rangeStart, rangeEnd) when range stepping (rangeEnd > rangeStart),
     * an interrupt, or the end of the recording.
     */
    private Stop forward(int cpu, long rangeStart, long rangeEnd) {
        long now = timeline.icount();
        boolean ranged = rangeEnd != rangeStart;
        if (timeline.machine().isStopped()) return MachineTarget.ended(timeline.machine());
        long end = timeline.limit();
        if (now >= end) return endStop();
        if (ranged) return rangeStep(cpu, rangeStart, rangeEnd, end);
        machine.resumeAll(lastStopCpu, lastStopWasWatch);
        ExitKind why = timeline.advance(end);
        long at = timeline.icount();
        int stopped = machine.stoppedCpu();
        int current = timeline.machine().currentCpu();
        Found found = stopped < 0 ? null : new Found(at, machine.debug(stopped).stop(), machine.debug(stopped).stopAddress(), stopped);
        land(at);
        if (why == ExitKind.CANCELLED && found != null) return stopFor(found);
        if (why == ExitKind.CANCELLED) return Stop.of(Stop.Kind.INTERRUPTED).withCpu(current);
        if (timeline.machine().isStopped()) return stoppedForGood(current);
        if (at >= timeline.limit()) return endStop();
        return Stop.of(Stop.Kind.TRAPPED).withCpu(current);
    }

    /**
     * Instructions one at a time while the PC stays in [start, end), stopping
     * early for a breakpoint at the next PC, a watchpoint, an interrupt or
     * the end; the single steps run on from each other, and the stop is then
     * reached by a seek like every other.
     */
    private Stop rangeStep(int cpu, long start, long end, long limit) {
        Stop stop = Stop.of(Stop.Kind.TRAPPED).withCpu(cpu);
        Vcpu v = timeline.machine().vcpu(cpu);
        // Only the first instruction steps over the stop gdb was shown; a breakpoint at a later one stops below,
        // and a watchpoint stops the run before its access.
        machine.resumeAll(lastStopCpu, lastStopWasWatch);
        machine.debug(cpu).resumeAt(v.instructions(), v.getPc(), cpu == lastStopCpu && lastStopWasWatch);
        long before = retired(cpu);
        for (;;) {
            long at = timeline.icount();
            ExitKind why = timeline.advance(at + 1);
            if (why == ExitKind.CANCELLED) {
                int stopped = machine.stoppedCpu();
                stop = stopped >= 0 ? stopFor(new Found(at, machine.debug(stopped).stop(), machine.debug(stopped).stopAddress(), stopped))
                        : Stop.of(Stop.Kind.INTERRUPTED).withCpu(timeline.machine().currentCpu());
                break;
            }
            if (timeline.machine().isStopped()) {
                stop = stoppedForGood(cpu);
                break;
            }
            if (timeline.icount() >= limit) {
                stop = (timeline.icount() >= timeline.limit() ? endStop() : Stop.of(Stop.Kind.TRAPPED)).withCpu(cpu);
                break;
            }
            if (interruptRequested) {
                stop = Stop.of(Stop.Kind.INTERRUPTED).withCpu(timeline.machine().currentCpu());
                break;
            }
            if (retired(cpu) == before) continue; // another CPU's instruction: the stepped one has not moved
            before = retired(cpu);
            long pc = v.getPc();
            if (Long.compareUnsigned(pc - start, end - start) >= 0) break;
            if (points.contains(new Point(PointKind.SOFTWARE, pc, 0)) || points.contains(new Point(PointKind.HARDWARE, pc, 0))) {
                stop = stopFor(new Found(timeline.icount(), HostDebug.STOP_BREAKPOINT, pc, cpu));
                break;
            }
        }
        land(timeline.icount());
        return stop;
    }

    /** Back to the last breakpoint or watchpoint stop before now, searching windows that start at snapshots. */
    private Stop reverseContinue(int cpu) {
        long now = timeline.icount();
        long hi = now;
        Found last = null;
        // Windows from the snapshot before now, each twice as long as the last one that held no stop: a stop
        // far back costs a run of about twice the distance and few restores, a near one a single interval.
        long span = 1;
        while (hi > 0 && last == null) {
            long lo = timeline.snapshotAtOrBefore(Math.max(0, hi - span));
            last = lastStopIn(lo, hi);
            if (interruptRequested) {
                land(now);
                return Stop.of(Stop.Kind.INTERRUPTED).withCpu(cpu);
            }
            span = 2 * (hi - lo);
            hi = lo;
        }
        if (last == null) {
            land(0);
            return Stop.of(Stop.Kind.HISTORY_BEGIN).withCpu(cpu);
        }
        if (last.why() == HostDebug.STOP_BREAKPOINT) {
            land(last.icount());
        } else {
            // Just after the access: gdb steps AArch64 watchpoints itself, in the direction it runs, so
            // its bs brings it to the accessing instruction, the old value in memory, and it reports the change there.
            land(last.icount() + 1);
        }
        return stopFor(last);
    }

    /** The last stop at an icount in [lo, hi) of a run from lo with the points armed, or null. */
    private Found lastStopIn(long lo, long hi) {
        if (points.isEmpty()) return null;
        land(lo);
        machine.resumeAll(-1, false); // a stop at lo itself counts
        Found last = null;
        while (timeline.icount() < hi && !interruptRequested) {
            ExitKind why = timeline.advance(hi);
            long at = timeline.icount();
            int stopped = machine.stoppedCpu();
            if (why != ExitKind.CANCELLED || stopped < 0) break;
            HostDebug d = machine.debug(stopped);
            if (at < hi) last = new Found(at, d.stop(), d.stopAddress(), stopped);
            machine.resumeAll(stopped, true);
        }
        return last;
    }

    private Stop stopFor(Found f) {
        return stopKind(f).withCpu(f.cpu());
    }

    private Stop stopKind(Found f) {
        return switch (f.why()) {
            case HostDebug.STOP_BREAKPOINT -> {
                long pc = f.address();
                boolean software = points.contains(new Point(PointKind.SOFTWARE, pc, 0));
                yield new Stop(software ? Stop.Kind.BREAKPOINT : Stop.Kind.HW_BREAKPOINT, pc, 0);
            }
            case HostDebug.STOP_WATCH_WRITE -> new Stop(Stop.Kind.WATCH_WRITE, f.address(), 0);
            case HostDebug.STOP_WATCH_READ -> new Stop(Stop.Kind.WATCH_READ, f.address(), 0);
            default -> new Stop(Stop.Kind.WATCH_ACCESS, f.address(), 0);
        };
    }

    @Override
    public void interrupt() {
        interruptRequested = true;
        timeline.machine().cancel();
    }

    @Override
    public boolean canReverse() {
        return true;
    }

    @Override
    public long instructions() {
        return timeline.icount();
    }

    // ---- Monitor ------------------------------------------------------------------------------------
    @Override
    public String monitor(String command) {
        String[] w = command.trim().split("\\s+");
        try {
            return switch (w[0]) {
                case "icount" -> timeline.isLive() || timeline.branched()
                        ? String.format(Locale.ROOT, "icount %d, history to %d (pc 0x%x, virtual time %d %s)%s%n%s",
                                timeline.icount(), timeline.end(), vcpu.getPc(), vcpu.cycles(), Plural.noun(vcpu.cycles(), "cycle"), branchNote(),
                                MachineTarget.perCpu(timeline.machine()))
                        : String.format(Locale.ROOT, "icount %d of %d (pc 0x%x, virtual time %d %s)%n%s",
                                timeline.icount(), timeline.end(), vcpu.getPc(), vcpu.cycles(), Plural.noun(vcpu.cycles(), "cycle"),
                                MachineTarget.perCpu(timeline.machine()));
                case "seek" -> seek(w);
                case "events" -> timeline.isLive() ? liveEvents()
                        : events(w.length > 1 ? parse(w[1]) : 10);
                case "checkpoint" -> timeline.isLive() ? "a live run: monitor checkpoint compares with a recording (deja replay DIR --gdb)\n"
                        : checkpoint();
                case "record" -> record(w);
                case "help", "" -> """
                        monitor icount        instructions retired so far (the next one to run has this number), PC and virtual time
                        monitor seek ICOUNT   go to the state just before instruction ICOUNT (forward or back; then
                                              'maintenance flush register-cache' makes gdb read it: the seek
                                              command of scripts/deja.gdb does both)
                        monitor events [N]    the N recorded events before and after here (default 10)
                        monitor checkpoint    the last recorded checkpoint at or before here, and whether the replay matches it
                        monitor record DIR    record this run into DIR from its start, gdb's writes included, then as it goes
                                              (deja run --gdb; deja replay --gdb after a write: the branch it made)
                        monitor help          this list
                        """;
                default -> "unknown monitor command '" + command.trim() + "' (monitor help lists them)\n";
            };
        } catch (NumberFormatException e) {
            return "not a number: " + e.getMessage() + "\n";
        }
    }

    /** After a write: where the branch starts, and (a replay) how far it may run, the recording's end. */
    private String branchNote() {
        if (!timeline.branched()) return "";
        int n = timeline.writes().size();
        String from = String.format(Locale.ROOT, ", a branch from gdb's %s at icount %d", n == 1 ? "write" : n + " writes, the first", timeline.branchedAt());
        return timeline.isLive() ? from : from + String.format(Locale.ROOT, " (live, recorded inputs no longer applied; it may run to icount %d)",
                timeline.limit());
    }

    private static long parse(String s) {
        String t = s.replace(",", "").replace("_", "");
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }

    private String seek(String[] w) {
        if (w.length != 2) return "usage: monitor seek ICOUNT\n";
        long n = parse(w[1]);
        if (n < 0 || n > timeline.end()) {
            return String.format(Locale.ROOT, "icount %d is outside the %s (0 to %d)%n", n,
                    timeline.isLive() ? "run's history" : timeline.branched() ? "branch's history" : "recording", timeline.end());
        }
        land(n);
        // gdb keeps the registers it read until the target runs: it has to be told they changed.
        return String.format(Locale.ROOT, "at icount %d (pc 0x%x); gdb shows it after 'maintenance flush register-cache' (scripts/deja.gdb's seek does both)%n",
                n, vcpu.getPc());
    }

    private String record(String[] w) {
        if (w.length != 2) return "usage: monitor record DIR\n";
        if (recordRequest == null) {
            return timeline.isLive() ? "monitor record works on deja run --gdb\n"
                    : "this is a replay of a recording already; deja record --gdb records a run gdb drives\n";
        }
        return recordRequest.record(java.nio.file.Path.of(w[1]));
    }

    /** A live run has no recorded events; what it can say is how the run ended, if it has. */
    private String liveEvents() {
        String none = "a live run: monitor events reads a recording (deja replay DIR --gdb)\n";
        if (panicAt < 0) return none;
        return String.format(Locale.ROOT, "the run stopped for good at icount %d: guest kernel panic: %s%n%s", panicAt, panicLine, none);
    }

    private String events(long n) {
        if (n <= 0 || n > 10_000) return "monitor events N: N from 1 to 10000\n";
        long now = timeline.icount();
        // The recording's cursor goes forward only, from a batch: start a window before here, wider until it holds n events.
        java.util.ArrayDeque<RecordedEvent> before = new java.util.ArrayDeque<>();
        List<RecordedEvent> after = new ArrayList<>();
        for (long window = 256; ; window *= 4) {
            long from = Math.max(0, now - window);
            before.clear();
            after.clear();
            try (EventCursor c = timeline.recording().events(from, java.util.Set.of())) {
                while (c.next()) {
                    if (c.icount() < from) continue;
                    if (c.icount() < now) {
                        before.addLast(RecordedEvent.of(c));
                        if (before.size() > n) before.removeFirst();
                    } else {
                        after.add(RecordedEvent.of(c));
                        if (after.size() >= n) break;
                    }
                }
            }
            if (before.size() >= n || from == 0) break;
        }
        StringBuilder s = new StringBuilder();
        for (RecordedEvent e : before) s.append("   ").append(e).append('\n');
        s.append(String.format(Locale.ROOT, "-> icount %d (here)%n", now));
        for (RecordedEvent e : after) s.append("   ").append(e).append('\n');
        if (timeline.branched()) {
            s.append(String.format(Locale.ROOT, "(the recording's events: the run is a branch from gdb's write at icount %d, which they do not "
                    + "hold, and from there they are not this run's)%n", timeline.branchedAt()));
        }
        return s.toString();
    }

    private String checkpoint() {
        long now = timeline.icount();
        if (timeline.branched() && now >= timeline.branchedAt()) {
            return String.format(Locale.ROOT, "on the branch gdb's write made at icount %d: the recording has nothing to compare with here "
                    + "(before icount %d it has)%n", timeline.branchedAt(), timeline.branchedAt());
        }
        RecordedEvent cp = null;
        try (EventCursor c = timeline.recording().events(Long.MIN_VALUE, EnumSet.of(EventType.CHECKPOINT))) {
            while (c.next() && c.icount() <= now) cp = RecordedEvent.of(c);
        }
        if (cp == null) return String.format(Locale.ROOT, "no recorded checkpoint at or before icount %d%n", now);
        land(cp.icount());
        StateHashes h = timeline.stateHashes();
        land(now);
        boolean cpu = cp.get("cpu_hash") == h.cpu(), ram = cp.get("ram_hash") == h.ram(), dev = cp.get("device_hash") == h.devices();
        return String.format(Locale.ROOT, "checkpoint at icount %d: cpu %s, ram %s, devices %s: %s%n", cp.icount(),
                cpu ? "equal" : "DIFFER", ram ? "equal" : "DIFFER", dev ? "equal" : "DIFFER",
                cpu && ram && dev ? "the replay matches the recording up to here" : "the replay does NOT match the recording");
    }

    @Override
    public void detach() {
        points.clear();
        machine.detach();
    }

    /**
     * After the client detached: on to the recording's end (or, live, to where
     * the recording ended); a live run's timeline on to its budget or the
     * guest's end, its last run's result returned (null for a recording).
     */
    public io.deja.core.board.RunResult runToEnd() {
        disarm();
        // The furthest point first (a stop shown before it re-runs from a snapshot, its console already shown).
        if ((timeline.isLive() || timeline.branched()) && timeline.icount() < timeline.end()) land(timeline.end());
        disarm();
        if (timeline.isLive()) return machine.runToEnd();
        if (timeline.branched()) machine.runToEnd();
        else timeline.seek(timeline.end());
        return null;
    }
}
