package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.core.board.RunResult;
import io.deja.core.board.StateHashes;
import io.deja.core.vm.ExitKind;
import io.deja.core.vm.Snapshot;
import io.deja.core.vm.VirtualMachine;
import io.deja.recorder.Plural;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingHeader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording as a timeline: the machine's state at any instruction count,
 * reached forward or backward. A run is a pure function of its recorded
 * inputs, so going to icount N is restoring the nearest snapshot at or before
 * N, delivering the inputs recorded after it, and running forward to exactly
 * N. "The state at N" is the state just before instruction N executes (N
 * instructions retired), with the inputs recorded at N delivered.
 *
 * <h2>Use</h2>
 * <pre>
 * try (Timeline t = Timeline.open(dir)) {
 *     t.seek(1_000_000);            // forward or backward, any icount in [0, end()]
 *     long x9 = t.vm().getX(9);     // registers, V0-V31, FPCR/FPSR, system registers, RAM
 *     t.step(-1);                   // one instruction back
 *     t.machine().stateHashes();    // equals a forward run's at the same icount
 * }
 * </pre>
 * Reads of the state are free. A debugger that changes it (writes a register
 * or memory) tells the timeline with {@link #written}: the write becomes one
 * of its inputs (see "Branches"). Whoever changes it otherwise calls
 * {@link #detach()}: the state is no longer the timeline's, and the next seek
 * restores a snapshot. Not thread-safe.
 *
 * <h2>Snapshots</h2>
 * Snapshots are kept as the timeline first runs past a point (the frontier),
 * one every {@link #interval()} instructions; replaying a recording once
 * ({@link #seek} to {@link #end()}) leaves one every interval over the whole
 * run. The interval adapts to the run's length and a memory budget:
 * <ul>
 * <li>at the start it is length / {@value #TARGET_SNAPSHOTS}, at least
 *     {@value #MIN_INTERVAL} instructions, so a seek runs at most that many
 *     instructions forward (about 1 M for a billion-instruction boot);
 * <li>a snapshot costs the RAM pages written since the previous one plus the
 *     state words; whenever the bytes kept pass the budget (default a quarter of
 *     the JVM's heap, at most 1 GiB), and again at each further multiple of it,
 *     the interval doubles for the rest of the run: a guest that writes a lot
 *     gets sparser snapshots, each budget's worth covering twice the run the
 *     one before did, so memory grows with the logarithm of the run's length
 *     past the budget instead of with its length. Snapshots already kept stay.
 * </ul>
 * {@link SnapshotIndex} stores them beside the recording for later sessions.
 *
 * <h2>Live runs</h2>
 * {@link #live} makes a timeline of a run that is going on (deja run or record
 * under gdb): the same snapshots and seeks, over the history the run has had
 * so far ({@link #end()} grows as it runs) and forward up to its budget
 * ({@link #limit()}). A run is a pure function of its machine at icount 0,
 * where its inputs (the console input given before the first instruction)
 * are delivered, and of a debugger's writes, which the timeline keeps as
 * its inputs (see "Branches"): nothing else arrives later.
 *
 * <h2>Branches</h2>
 * A debugger's write at icount W ({@link #written}) makes the timeline a
 * branch: its inputs are the recording's up to W (those recorded at W
 * delivered first), then the writes, each at its icount, in the order they
 * were made, and no recorded input after W: from there a recording's
 * timeline runs live, up to the recording's end ({@link #limit()}), as a
 * live run's does up to its budget. A write replaces the history after it:
 * writes made at a later icount (on the history gdb went back over) are
 * dropped, and with them the snapshots taken after W; the snapshots before W
 * hold the state before any write and stay valid. Seeking back before the
 * first write shows the recording (or the live run as it was); seeking
 * forward across a write applies it again at its icount.
 * {@link #end()} is then the branch's furthest icount so far.
 *
 * <h2>Exactly</h2>
 * The state at N is that of a replay from the start that stops only at the
 * snapshot points and at N. Where a run stops is invisible in the state, TLB
 * included (issue 10; StopInvisibleTest in sim-core pins it), so a seek
 * forward runs on from where the machine stands when that is past the
 * snapshot before N (a step forward is one instruction's run), unless an
 * early stop of {@link #advance} left it there: a debugger's watchpoint
 * stops a run inside the instruction that makes the access, after its
 * translation, so that state is not one a run reaches; the next seek
 * restores a snapshot.
 */
public final class Timeline implements AutoCloseable {
    /** Snapshots a whole run gets when the memory budget allows. */
    public static final int TARGET_SNAPSHOTS = 1024;
    /** Fewer instructions apart than this, a snapshot costs more than the run it saves. */
    public static final long MIN_INTERVAL = 65_536;

    /**
     * How to open a timeline.
     *
     * @param image            read the image from here instead of the recorded path (still checked); null: recorded
     * @param blockTranslation run with the translated-block tier (results are identical either way)
     * @param interval         instructions between snapshots; 0: adaptive (see {@link Timeline})
     * @param memoryBudget     bytes of snapshots after which the interval doubles
     * @param useIndex         load a snapshot index stored beside the recording, if valid
     * @param console          where the guest's console goes, each byte the first time the timeline runs past it; null: nowhere
     */
    public record Options(Path image, boolean blockTranslation, long interval, long memoryBudget, boolean useIndex,
                          FirstPassConsole console) {
        public Options {
            if (interval < 0) throw new IllegalArgumentException("negative snapshot interval");
            if (memoryBudget <= 0) throw new IllegalArgumentException("the memory budget must be positive");
        }

        public static Options defaults() {
            return new Options(null, true, 0, Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4), true, null);
        }

        public Options withImage(Path p) { return new Options(p, blockTranslation, interval, memoryBudget, useIndex, console); }
        public Options withBlockTranslation(boolean on) { return new Options(image, on, interval, memoryBudget, useIndex, console); }
        public Options withInterval(long n) { return new Options(image, blockTranslation, n, memoryBudget, useIndex, console); }
        public Options withMemoryBudget(long b) { return new Options(image, blockTranslation, interval, b, useIndex, console); }
        public Options withIndex(boolean use) { return new Options(image, blockTranslation, interval, memoryBudget, use, console); }
        public Options withConsole(FirstPassConsole c) { return new Options(image, blockTranslation, interval, memoryBudget, useIndex, c); }
    }

    /** Null, and so are recording, header and images, for a live run's timeline. */
    private final Path dir;
    private final Recording recording;
    private final RecordingHeader header;
    private final ImageResolver.Images images;
    /** Where the first image was read from instead of the recorded path (null: the recorded one). */
    private final Path imageOverride;
    /** Replaced only when a rejected index left it restored to a foreign state (see {@link #start}). */
    private Machine machine;
    private final boolean blockTranslation;
    /** Where a recording's machine's console goes (null: nowhere); a live run's, to tell it where a branch starts (null: not told). */
    private final FirstPassConsole console;
    /** The recording's last icount; for a live run, the furthest it has run so far. */
    private long end;
    /** How far forward the machine may run: the recording's end, or a live run's budget. */
    private final long limit;
    private final boolean complete;
    private final long budget;
    /** Kept snapshots, ascending by icount; the first is at icount 0. */
    private final List<Snapshot> snapshots = new ArrayList<>();
    /** For each kept snapshot, how many of {@link #writes} its state holds (those at its icount may be only partly in it). */
    private final List<Integer> snapshotWrites = new ArrayList<>();
    /** A debugger's writes, the branch's inputs after the recording's: ascending by icount, in the order made (see "Branches"). */
    private final List<Write> writes = new ArrayList<>();
    /** The next of {@link #writes} to deliver. */
    private int nextWrite;
    private long interval;
    private long keptBytes;
    /** Kept bytes past which the interval doubles next: the budget, then each further multiple of it. */
    private long budgetMark;
    /** The machine holds the recording's state at its icount (nothing outside changed it). */
    private boolean onRecording = true;
    /** ... and it got there by running forward from the last snapshot: the next one may be taken from it. */
    private boolean onFrontier;
    /** ... and not by an early stop of advance (see "Exactly"): a seek forward may run on from it. */
    private boolean clean = true;
    private InputSchedule inputs;
    /** Why an index found beside the recording was not used (null: none there, not asked for, or loaded). */
    private String indexWarning;
    private boolean indexLoaded;

    private Timeline(Path dir, Recording recording, ImageResolver.Images images, Options options) {
        this.dir = dir;
        this.recording = recording;
        this.header = recording.header();
        this.images = images;
        this.imageOverride = options.image();
        this.blockTranslation = options.blockTranslation();
        this.console = options.console();
        this.machine = newMachine();
        Recording.Tail tail = recording.tail();
        this.end = tail.lastIcount();
        this.limit = end;
        this.complete = tail.complete();
        this.budget = options.memoryBudget();
        this.budgetMark = budget;
        this.interval = options.interval() > 0 ? options.interval() : adaptiveInterval(end);
    }

    private Timeline(Machine machine, long limit, Options options) {
        this.dir = null;
        this.recording = null;
        this.header = null;
        this.images = null;
        this.imageOverride = null;
        this.blockTranslation = options.blockTranslation();
        this.console = options.console(); // the live machine writes to it already: it is only told where a branch starts
        this.machine = machine; // its translation tier as the caller set it
        this.end = machine.instructions();
        this.limit = limit;
        this.complete = true;
        this.budget = options.memoryBudget();
        this.budgetMark = budget;
        // The length is not known: the shortest interval, doubling with the memory kept.
        this.interval = options.interval() > 0 ? options.interval() : MIN_INTERVAL;
    }

    /**
     * A live run as a timeline: machine stands before its first instruction
     * (built, chaos set, its console input delivered); it may run until it has
     * retired limit instructions (Long.MAX_VALUE: no limit). Its console is
     * its own: wrap it in a {@link FirstPassConsole} so that going back and
     * forward shows each byte once, and pass that console in options too, so
     * that a branch's bytes are shown (see {@link #written}). Only options'
     * interval, memory budget and console are used.
     */
    public static Timeline live(Machine machine, long limit, Options options) {
        if (machine.instructions() != 0) throw new IllegalArgumentException("a live timeline starts before the first instruction");
        Timeline t = new Timeline(machine, limit, options);
        t.start(false);
        return t;
    }
    /** Opens the recording in dir with {@link Options#defaults()}. */
    public static Timeline open(Path dir) {
        return open(dir, Options.defaults());
    }

    /**
     * Opens the recording in dir: rebuilds its machine (refusing a changed
     * image) and stands at icount 0.
     * @throws RecordingException for a recording that cannot be replayed (unreadable, other format, image missing or changed)
     */
    public static Timeline open(Path dir, Options options) {
        Recording recording = Recording.open(dir);
        try {
            RecordingHeader h = recording.header();
            Timeline t = new Timeline(dir, recording, ImageResolver.loadAll(h, dir, options.image()), options);
            t.start(options.useIndex());
            return t;
        } catch (RuntimeException e) {
            recording.close();
            throw e;
        }
    }

    /** The recorded machine at icount 0, before the inputs recorded there. */
    private Machine newMachine() {
        FirstPassConsole.Stream out = console == null ? null : console.stream();
        Machine m = Replayer.build(header, images, out);
        if (out != null) out.bind(m);
        Replayer.checkDevices(m, header, dir);
        m.vcpu().setBlockTranslation(blockTranslation);
        header.chaosSeed().ifPresent(m::setChaos);
        return m;
    }

    /** The adaptive policy's starting interval for a run of length instructions. */
    public static long adaptiveInterval(long length) {
        return Math.max(MIN_INTERVAL, Math.ceilDiv(length, TARGET_SNAPSHOTS));
    }

    private void start(boolean useIndex) {
        atZero();
        if (useIndex) {
            SnapshotIndex.Loaded loaded = SnapshotIndex.load(dir, machine, end);
            indexWarning = loaded.warning();
            if (loaded.snapshots() != null) {
                snapshots.addAll(loaded.snapshots());
                for (int i = 0; i < snapshots.size(); i++) snapshotWrites.add(0);
                interval = loaded.interval();
                for (Snapshot s : snapshots) keptBytes += s.ownBytes();
                indexLoaded = true;
                restore(0);
                return;
            }
            if (loaded.touched()) {
                machine = newMachine();
                atZero();
            }
        }
        keep();
        onFrontier = true;
    }

    /** The fresh machine's state at icount 0: the inputs recorded there delivered. */
    private void atZero() {
        if (inputs != null) inputs.close();
        inputs = recording == null ? InputSchedule.none() : new InputSchedule(recording);
        nextWrite = 0;
        deliverInputs(0);
    }

    // ---- Moving -----------------------------------------------------------------------------------
    /**
     * Puts the machine in its state at icount: restores the nearest snapshot at
     * or before it (unless the machine stands there) and runs forward, keeping
     * snapshots past the frontier.
     * On a live run or a branch, icount may be past {@link #end()} (up to {@link #limit()}): the run goes on there.
     * @throws IllegalArgumentException if icount is outside [0, {@link #end()}] ({@link #limit()} for a live run or a branch)
     * @throws RecordingException if the machine stops before icount (it no longer replays this recording, or a live run ended)
     */
    public void seek(long icount) {
        if (icount < 0) throw new IllegalArgumentException("icount " + icount + " is negative");
        if (recording == null && icount > limit) {
            throw new IllegalArgumentException(String.format("icount %d is beyond the run's budget of %d %s", icount, limit, Plural.noun(limit, "instruction")));
        }
        if (recording != null && branched() && icount > limit) {
            throw new IllegalArgumentException(String.format("icount %d is beyond the recording's end at icount %d, where a branch of it ends too",
                    icount, limit));
        }
        if (recording != null && !branched() && icount > end) {
            throw new IllegalArgumentException(String.format("icount %d is beyond the recording's end at icount %d%s", icount, end,
                    complete ? "" : ", where it was cut short"));
        }
        int base = floor(icount);
        long now = machine.instructions(), from = snapshots.get(base).instructions();
        // From where the machine stands if that is between the snapshot and icount: see "Exactly" in the class comment.
        boolean runOn = onRecording && (now == from || (clean && from <= now && now <= icount));
        if (!runOn) restore(base);
        runTo(icount);
    }

    /**
     * Moves by delta instructions (+1: one forward, -1: one back).
     * @return false (not moving) when that would leave [0, {@link #end()}]
     */
    public boolean step(long delta) {
        long target = icount() + delta;
        if (target < 0 || target > (recording == null || branched() ? limit : end)) return false;
        seek(target);
        return true;
    }

    /**
     * The machine's state was changed from outside (a debugger wrote a register
     * or memory): it is no longer the recording's, no snapshot is taken from it,
     * and the next seek restores one.
     */
    public void detach() {
        onRecording = false;
        onFrontier = false;
    }

    /**
     * A debugger's write, made on the machine as it stands (at {@link #icount()},
     * its state the timeline's there): a register of CPU cpu or RAM, as
     * {@link Machine#debugWrite} takes it. It becomes an input of the
     * timeline at this icount, after the inputs and writes already there,
     * and replaces the history after it (see "Branches"): later writes and
     * the snapshots after it are dropped, {@link #end()} is here, and a
     * snapshot is taken here with the write in it. The console, if any, shows
     * what the changed run writes from here, once.
     * @return whether the history after here (up to the old {@link #end()}) was dropped
     * @throws IllegalStateException if the machine refuses the write when it is applied again
     */
    public boolean written(int cpu, int kind, long target, byte[] data) {
        long at = machine.instructions();
        boolean dropped = end > at;
        while (!writes.isEmpty() && writes.get(writes.size() - 1).icount() > at) writes.remove(writes.size() - 1);
        while (snapshots.size() > 1 && snapshots.get(snapshots.size() - 1).instructions() > at) dropLastSnapshot();
        // The writes at or before here survive, so the machine (if its state is the timeline's) has delivered all of them.
        boolean exact = onRecording && clean && nextWrite == writes.size();
        writes.add(new Write(at, cpu, kind, target, data.clone()));
        end = at;
        if (console != null) console.branchedAt(at);
        if (exact) {
            nextWrite = writes.size();
        } else {
            // Re-derive the state here (the write is delivered with the others at this icount).
            restore(floor(at));
            runTo(at);
        }
        Snapshot last = snapshots.get(snapshots.size() - 1);
        if (last.instructions() == at) dropLastSnapshot(); // the state here before the write
        Snapshot s = machine.snapshot();
        snapshots.add(s);
        snapshotWrites.add(nextWrite);
        keptBytes += s.ownBytes();
        onRecording = true;
        onFrontier = true;
        clean = true;
        return dropped;
    }

    private void dropLastSnapshot() {
        int i = snapshots.size() - 1;
        keptBytes -= snapshots.remove(i).ownBytes();
        snapshotWrites.remove(i);
    }

    /** A debugger's write as the timeline delivers it: before the instruction at icount (all CPUs'), with its inputs. */
    public record Write(long icount, int cpu, int kind, long target, byte[] data) {
        public Write {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /** The debugger's writes on this branch, in the order they are delivered (empty: none, the timeline is the recording's or the run's). */
    public List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Whether a debugger's write made this timeline a branch (see "Branches"). */
    public boolean branched() {
        return !writes.isEmpty();
    }

    /** The icount of the branch's first write, where it leaves the recording (or the run as it was); -1 before any. */
    public long branchedAt() {
        return writes.isEmpty() ? -1 : writes.get(0).icount();
    }

    private void restore(int i) {
        Snapshot s = snapshots.get(i);
        machine.restore(s);
        if (inputs != null) inputs.close();
        inputs = recording == null ? InputSchedule.none() : new InputSchedule(recording, s.instructions());
        nextWrite = snapshotWrites.get(i);
        onRecording = true;
        onFrontier = i == snapshots.size() - 1;
        clean = true;
    }

    private void runTo(long target) {
        Machine m = machine;
        for (;;) {
            long now = m.instructions();
            deliverInputs(now);
            if (onFrontier && now == nextSnapshotAt()) keep();
            if (now >= target) return;
            if (m.isStopped()) throw stoppedEarly(now, target, "the guest stopped the machine");
            long stop = Math.min(target, nextInput());
            if (onFrontier) stop = Math.min(stop, nextSnapshotAt());
            RunResult r = m.run(stop - now);
            reached();
            if (r.reason() != ExitKind.BUDGET && m.instructions() < stop && !m.isStopped()) {
                throw stoppedEarly(m.instructions(), target, "the run stopped (" + r.reason() + ")");
            }
        }
    }

    /**
     * Runs forward from where the timeline stands, on the recording, towards
     * icount limit, delivering the recorded inputs, and returns as soon as a
     * run ends for another reason than its budget: a host debugger's
     * breakpoint or watchpoint, or a cancel (a debugger's interrupt). A
     * debugger finds its stops this way and then seeks to the one it wants;
     * no snapshot is taken after an early stop (see "Exactly").
     * @return how the last run ended (BUDGET once at limit or if already there)
     * @throws IllegalStateException after {@link #detach()} (the state is not the recording's)
     */
    public ExitKind advance(long limit) {
        if (!onRecording) throw new IllegalStateException("the state is no longer the recording's: seek first");
        if (limit > this.limit) limit = this.limit;
        Machine m = machine;
        for (;;) {
            long now = m.instructions();
            deliverInputs(now);
            if (onFrontier && now == nextSnapshotAt()) keep();
            if (now >= limit || m.isStopped()) return ExitKind.BUDGET;
            long stop = Math.min(limit, nextInput());
            if (onFrontier) stop = Math.min(stop, nextSnapshotAt());
            RunResult r = m.run(stop - now);
            reached();
            if (r.reason() != ExitKind.BUDGET && !m.isStopped()) {
                onFrontier = false;
                clean = false;
                return r.reason();
            }
        }
    }

    /** A live run's history grows as it runs, and so does a branch's (a recording's is fixed). */
    private void reached() {
        if ((recording == null || branched()) && machine.instructions() > end) end = machine.instructions();
    }

    /** The recording itself, for reading its events (a debugger shows those around here); null for a live run. */
    public Recording recording() { return recording; }

    /** Whether this is a live run's timeline ({@link #live}) rather than a recording's. */
    public boolean isLive() { return recording == null; }

    private RecordingException stoppedEarly(long now, long target, String why) {
        if (recording == null || branched()) {
            return new RecordingException(String.format("the run stopped at icount %d on the way to %d (%s)", now, target, why));
        }
        return new RecordingException(String.format("%s: %s at icount %d on the way to %d, but the recording goes on to %d "
                + "(replay it to find the divergence)", dir, why, now, target, end));
    }

    /** Delivers the inputs at now (between instructions, as the recorder did): the recorded ones, then the debugger's writes. */
    private void deliverInputs(long now) {
        Machine m = machine;
        while (nextRecorded() == now && !m.isStopped()) inputs.deliver(m);
        while (nextWriteAt() == now && !m.isStopped()) {
            Write w = writes.get(nextWrite++);
            if (!m.debugWrite(w.cpu(), w.kind(), w.target(), w.data)) {
                throw new IllegalStateException("the machine refused the debugger's write at icount " + now + " when applying it again");
            }
        }
        if (nextInput() < now && !m.isStopped()) {
            throw new IllegalStateException("input at icount " + nextInput() + " was passed (now " + now + ")");
        }
    }

    /** The next recorded input's icount: on a branch only those up to its first write (Long.MAX_VALUE: none). */
    private long nextRecorded() {
        long n = inputs.next();
        return writes.isEmpty() || n <= writes.get(0).icount() ? n : Long.MAX_VALUE;
    }

    private long nextWriteAt() {
        return nextWrite < writes.size() ? writes.get(nextWrite).icount() : Long.MAX_VALUE;
    }

    private long nextInput() {
        return Math.min(nextRecorded(), nextWriteAt());
    }

    private long nextSnapshotAt() {
        return snapshots.get(snapshots.size() - 1).instructions() + interval;
    }

    /** Takes a snapshot here, at the frontier (or, past another multiple of the memory budget, doubles the interval instead). */
    private void keep() {
        if (!snapshots.isEmpty() && keptBytes > budgetMark) {
            interval *= 2;
            budgetMark += budget;
            if (machine.instructions() != nextSnapshotAt()) return;
        }
        Snapshot s = machine.snapshot();
        snapshots.add(s);
        snapshotWrites.add(nextWrite);
        keptBytes += s.ownBytes();
    }

    /** Index of the last snapshot at or before icount. */
    private int floor(long icount) {
        int lo = 0, hi = snapshots.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (snapshots.get(mid).instructions() <= icount) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    // ---- Reading ----------------------------------------------------------------------------------
    /** Where the timeline stands: instructions retired. */
    public long icount() { return machine.instructions(); }

    /** The last icount a seek can reach: the recording's END, or its last event if it was cut short; a live run's or a branch's furthest icount so far. */
    public long end() { return end; }

    /** How far forward the machine may run: the recording's end (a branch of it too), the budget for a live run. */
    public long limit() { return limit; }

    /** Whether the recording has its END event (false: cut short, and {@link #end()} is its last event). */
    public boolean complete() { return complete; }

    public RecordingHeader header() { return header; }

    /**
     * The recorded machine's configuration, its images verified: what a
     * recording of a branch of this one (a run a debugger changed) is made from.
     */
    public io.deja.core.board.MachineConfig machineConfig() {
        if (recording == null) throw new IllegalStateException("a live run's timeline has no recording");
        return header.toMachineConfig(images.image(), images.initrd(), images.dtb());
    }

    /** The recording's images as a new recording in newDir names them (the same files and hashes). */
    public List<io.deja.recorder.RecordedImage> imagesFor(Path newDir) {
        if (recording == null) throw new IllegalStateException("a live run's timeline has no recording");
        return ImageResolver.rebased(header, dir, imageOverride, newDir);
    }

    /** The machine, for reading its state (change it only with {@link #detach()}). */
    public Machine machine() { return machine; }

    /** The embedding API of the machine: general, system and FP registers (V0-V31, FPCR, FPSR), RAM. */
    public VirtualMachine vm() { return machine.vm(); }

    public StateHashes stateHashes() { return machine.stateHashes(); }

    /** Whether the state is the recording's (no {@link #detach()} since the last seek). */
    public boolean onRecording() { return onRecording; }

    // ---- Snapshots ---------------------------------------------------------------------------------
    /** Instructions between snapshots now (it doubles each time the bytes kept pass another multiple of the budget). */
    public long interval() { return interval; }

    /** The icounts of the kept snapshots, ascending (the first is 0). */
    public long[] snapshotIcounts() {
        long[] out = new long[snapshots.size()];
        for (int i = 0; i < out.length; i++) out[i] = snapshots.get(i).instructions();
        return out;
    }

    /** The icount of the nearest kept snapshot at or before icount: where a seek there starts running. */
    public long snapshotAtOrBefore(long icount) {
        return snapshots.get(floor(Math.max(0, icount))).instructions();
    }

    /** Bytes the kept snapshots hold (RAM pages and state words). */
    public long keptBytes() { return keptBytes; }

    /** Whether the snapshots came from an index stored beside the recording. */
    public boolean indexLoaded() { return indexLoaded; }

    /** Why an index found beside the recording was ignored, or null. */
    public String indexWarning() { return indexWarning; }

    /** The kept snapshots, for {@link SnapshotIndex}. */
    List<Snapshot> snapshots() { return snapshots; }

    Path directory() { return dir; }

    /**
     * Replays to the end (keeping snapshots over the whole run) and writes them
     * beside the recording, for later sessions to seek at once.
     * @return the index file
     */
    public Path writeIndex() {
        if (recording == null) throw new IllegalStateException("a live run has no recording to store an index beside");
        if (branched()) throw new IllegalStateException("a branch's snapshots are not the recording's");
        if (!snapshots.isEmpty() && snapshots.get(snapshots.size() - 1).instructions() + interval <= end) seek(end);
        return SnapshotIndex.write(this);
    }

    @Override
    public void close() {
        if (inputs != null) inputs.close();
        if (recording != null) recording.close();
    }
}
