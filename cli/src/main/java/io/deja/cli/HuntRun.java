package io.deja.cli;

import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import io.deja.core.vm.ExitKind;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import io.deja.recorder.RecordingException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One run of a hunt: the machine with one chaos seed, run as is or recorded
 * into a directory (through the same {@link Recorder} as deja record), its
 * console captured (not printed) so the hunt can look for the text.
 */
final class HuntRun {
    /** What a recorded run gave: its console, how it stopped, and the recording's size. */
    record Outcome(String console, ExitKind stop, long instructions, long events) {}

    private final MachineConfig config;
    private final java.util.function.Function<Path, java.util.List<io.deja.recorder.RecordedImage>> images;
    private final long seed;
    private final TraceLevel level;
    private final long budget;
    private final Path dir;
    private volatile Machine machine;
    private volatile Recorder recorder;

    HuntRun(MachineConfig config, java.util.function.Function<Path, java.util.List<io.deja.recorder.RecordedImage>> images, long seed, TraceLevel level, long budget, Path dir) {
        this.config = config;
        this.images = images;
        this.seed = seed;
        this.level = level;
        this.budget = budget;
        this.dir = dir;
    }

    /** Runs without recording (what most seeds of a hunt need: the run is the same either way). */
    Outcome run() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = machine(console);
        RunResult r = m.run(budget);
        return new Outcome(console.toString(StandardCharsets.UTF_8), r.reason(), m.instructions(), 0);
    }

    /** Runs with deterministic interrupt delivery (no chaos): the baseline a hunt departs from. */
    Outcome runWithoutChaos() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = build(console);
        machine = m;
        RunResult r = m.run(budget);
        return new Outcome(console.toString(StandardCharsets.UTF_8), r.reason(), m.instructions(), 0);
    }

    /** Records the run into dir (which must not hold a recording), as deja record does, and returns what happened. */
    Outcome record() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Recorder.Options options = Recorder.Options.defaults(level).withChaos(seed).withMaxInstructions(budget)
                .withDejaVersion(Version.current());
        Recorder recorder;
        try {
            recorder = Recorder.create(dir, config, images.apply(dir), console, options);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (RecordingException e) {
            throw new UserError("--out " + dir + ": " + e.getMessage());
        }
        this.recorder = recorder;
        Recorder.Result r = recorder.run();
        this.recorder = null;
        return new Outcome(console.toString(StandardCharsets.UTF_8), r.stop(), r.instructions(), r.events());
    }

    private Machine machine(ByteArrayOutputStream console) {
        Machine m = build(console);
        m.setChaos(seed);
        machine = m;
        return m;
    }

    private Machine build(ByteArrayOutputStream console) {
        try {
            return new Machine(config, console);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    long seed() {
        return seed;
    }

    /** Instructions run so far (read from another thread for a progress line only). */
    long instructions() {
        Recorder rec = recorder;
        if (rec != null) return rec.machine().instructions();
        Machine m = machine;
        return m == null ? 0 : m.instructions();
    }

    void cancel() {
        Recorder rec = recorder;
        if (rec != null) rec.cancel();
        Machine m = machine;
        if (m != null) m.cancel();
    }
}
