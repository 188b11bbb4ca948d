package io.deja.recorder;

import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import io.deja.core.board.StateHashes;
import io.deja.core.vm.ExitKind;
import io.deja.core.trace.EventCodes;
import io.deja.core.trace.TraceLevel;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Records one run: builds the machine, attaches a {@link RecordingWriter} at
 * the chosen level, emits the opening checkpoint (icount 0), delivers the
 * inputs, runs to the end, and finishes with a final checkpoint and the END
 * event.
 *
 * Inputs: {@code initialInput} is delivered at icount 0; a live
 * {@link InputFeed} is polled every {@link InputFeed#SLICE} instructions while it
 * is open. Both become INPUT events at the icount they were delivered, so the
 * replay needs nothing but the recording.
 */
public final class Recorder {
    public static final long DEFAULT_CHECKPOINT_INTERVAL = 1_000_000;

    /**
     * @param level              what to record
     * @param checkpointInterval instructions between checkpoints (0: only the final one)
     * @param chaosSeed          interrupt jitter seed, if any
     * @param maxInstructions    stop after this many instructions (Long.MAX_VALUE: until the guest stops)
     * @param initialInput       console bytes delivered before the first instruction (may be empty)
     * @param feed               live console input
     * @param dejaVersion        written into the header
     */
    public record Options(TraceLevel level, long checkpointInterval, OptionalLong chaosSeed, long maxInstructions,
                          byte[] initialInput, InputFeed feed, String dejaVersion) {
        public Options {
            if (checkpointInterval < 0) throw new IllegalArgumentException("--checkpoint-every: must not be negative");
            if (maxInstructions <= 0) throw new IllegalArgumentException("--max-insns: must be a positive number of instructions");
            initialInput = initialInput == null ? new byte[0] : initialInput;
            feed = feed == null ? InputFeed.NONE : feed;
        }

        public static Options defaults(TraceLevel level) {
            return new Options(level, DEFAULT_CHECKPOINT_INTERVAL, OptionalLong.empty(), Long.MAX_VALUE, null, null, "development");
        }

        public Options withChaos(long seed) {
            return new Options(level, checkpointInterval, OptionalLong.of(seed), maxInstructions, initialInput, feed, dejaVersion);
        }

        public Options withMaxInstructions(long n) {
            return new Options(level, checkpointInterval, chaosSeed, n, initialInput, feed, dejaVersion);
        }

        public Options withCheckpointInterval(long n) {
            return new Options(level, n, chaosSeed, maxInstructions, initialInput, feed, dejaVersion);
        }

        public Options withInput(byte[] bytes) {
            return new Options(level, checkpointInterval, chaosSeed, maxInstructions, bytes, feed, dejaVersion);
        }

        public Options withFeed(InputFeed f) {
            return new Options(level, checkpointInterval, chaosSeed, maxInstructions, initialInput, f, dejaVersion);
        }

        public Options withDejaVersion(String v) {
            return new Options(level, checkpointInterval, chaosSeed, maxInstructions, initialInput, feed, v);
        }
    }

    /**
     * What a recording holds.
     * @param dir          the recording directory
     * @param stop         why the run ended
     * @param instructions instructions executed
     * @param cycles       virtual time at the end
     * @param events       events recorded
     * @param payloadBytes encoded event bytes (without per-document overhead)
     * @param diskBytes    bytes the recording's files take on disk
     * @param finalHash    the state hash of the final checkpoint
     * @param hostNanos    wall time of the run
     */
    public record Result(Path dir, ExitKind stop, long instructions, long cycles, long events, long payloadBytes,
                         long diskBytes, StateHashes finalHash, long hostNanos) {}

    private final Machine machine;
    private final RecordingWriter writer;
    private final Options options;
    private volatile boolean cancelled;

    private Recorder(Machine machine, RecordingWriter writer, Options options) {
        this.machine = machine;
        this.writer = writer;
        this.options = options;
    }

    /**
     * Builds the machine for config (its console goes to console), creates the recording in dir
     * and attaches it; {@link #run()} then records. imagePath is where config's image was read from.
     * @throws IllegalArgumentException if the machine cannot be built
     * @throws RecordingException        if dir cannot take a recording
     */
    public static Recorder create(Path dir, MachineConfig config, Path imagePath, OutputStream console, Options options) {
        return create(dir, config, List.of(RecordedImage.of(imagePath, config.image(), dir)), console, options);
    }

    /**
     * As {@link #create(Path, MachineConfig, Path, OutputStream, Options)}, with the images
     * described by the caller: the binary or kernel first, then the initrd and device tree
     * the configuration holds (see {@link RecordedImage#of(Path, byte[], Path, RecordedImage.Role)}).
     */
    public static Recorder create(Path dir, MachineConfig config, List<RecordedImage> images, OutputStream console, Options options) {
        Machine machine = new Machine(config, console);
        RecordingHeader header = RecordingHeader.of(config, images,
                        machine.deviceNames(), options.level(), options.checkpointInterval(), options.chaosSeed(), options.dejaVersion())
                .withMaxInstructions(options.maxInstructions() == Long.MAX_VALUE ? -1 : options.maxInstructions());
        RecordingWriter writer = RecordingWriter.open(dir, header);
        return new Recorder(machine, writer, options);
    }

    public Machine machine() { return machine; }

    public RecordingWriter writer() { return writer; }

    /** Stops the run at the next poll (from another thread, e.g. Ctrl-C); the recording still ends cleanly. */
    public void cancel() {
        cancelled = true;
        machine.cancel();
    }

    /** Records the run to its end, then writes the final checkpoint and END and closes the recording. */
    public Result run() {
        start();
        ExitKind stop;
        try {
            stop = runToEnd();
        } catch (RuntimeException | Error e) {
            abandon();
            throw e;
        }
        return finish(stop);
    }

    private long startNanos;

    /**
     * Starts recording (the opening checkpoint, the initial input) without
     * running: a caller that paces the run itself (a debugger) then calls
     * {@link #runTo} as often as it likes and {@link #finish} once.
     */
    public void start() {
        startNanos = System.nanoTime();
        try {
            // One CPU: the writer is its sink (CPU 0). With several, each CPU gets writer.sinkForCpu(n).
            machine.setTrace(writer, options.level());
            machine.setCheckpointInterval(options.checkpointInterval());
            options.chaosSeed().ifPresent(machine::setChaos);
            // The opening checkpoint: every register's value before the first instruction, so the
            // exporter knows what each register write replaced from the very first one.
            machine.checkpoint();
            if (options.initialInput().length > 0) machine.sendConsoleInput(options.initialInput());
        } catch (RuntimeException | Error e) {
            abandon();
            throw e;
        }
    }

    /**
     * Records on until icount instructions have retired (at most the budget),
     * or the run stops for another reason, which it returns (BUDGET: icount reached).
     * The feed is not polled: the caller delivers nothing after the start.
     */
    public ExitKind runTo(long icount) {
        long target = Math.min(icount, options.maxInstructions());
        while (machine.instructions() < target) {
            RunResult r = machine.run(target - machine.instructions());
            if (r.reason() != ExitKind.BUDGET) return r.reason();
        }
        return machine.isStopped() ? machine.run(0).reason() : ExitKind.BUDGET;
    }

    /** Records on as {@link #run} does after its start: to the budget or the guest's end. */
    public ExitKind runToTheEnd() {
        try {
            return runToEnd();
        } catch (RuntimeException | Error e) {
            abandon();
            throw e;
        }
    }

    /** Ends the recording here, stop saying why: the final checkpoint and END, and closes it. */
    public Result finish(ExitKind stop) {
        try {
            machine.checkpoint();
            writer.end(machine.instructions(), machine.vcpu().cycles(), stop.code);
        } finally {
            abandon();
        }
        long nanos = System.nanoTime() - startNanos;
        return new Result(writer.directory(), stop, machine.instructions(), machine.vcpu().cycles(), writer.events(),
                writer.payloadBytes(), diskBytes(writer.directory()), machine.stateHashes(), nanos);
    }

    /** Detaches and closes the writer (after finish, or without END after a failure). */
    private void abandon() {
        machine.setTrace(io.deja.core.trace.TraceSink.NONE, TraceLevel.EVENTS);
        writer.close();
    }

    private ExitKind runToEnd() {
        long max = options.maxInstructions();
        if (machine.instructions() >= max) return ExitKind.BUDGET;
        RunResult r = InputFeed.run(machine, max, options.feed(), () -> cancelled);
        if (cancelled && r.reason() == ExitKind.BUDGET && machine.instructions() < max) return ExitKind.CANCELLED;
        return r.reason();
    }

    /** Bytes the recording's files take (after the writer cut Chronicle's preallocated tail). */
    static long diskBytes(Path dir) {
        long total = 0;
        for (String name : new String[] {RecordingFormat.CYCLE_FILE, RecordingFormat.METADATA_FILE}) {
            total += dir.resolve(name).toFile().length();
        }
        return total;
    }
}
