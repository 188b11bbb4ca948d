package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.StateHashes;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.EventType;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.InputFeed;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seeking: the state a {@link Timeline} reaches at icount N, forward or
 * backward, from whichever snapshot, is the state a plain forward replay from
 * the start reaches at N (state hashes and PC), with and without the
 * translation tier, for many snapshot intervals; it also equals the
 * recorder's own checkpoints. Snapshot indexes restore to identical hashes,
 * and a changed or foreign index is ignored with a warning.
 */
class TimelineTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static Path heisenbug, heisenbugImage, inputs, timer;

    /** Console bytes on every third poll (one poll per io.deja.recorder.InputFeed.SLICE instructions): inputs at many icounts. */
    static final class Trickle implements InputFeed {
        int polls;

        @Override
        public byte[] poll() {
            polls++;
            return polls % 3 == 0 && polls <= 18 ? ("in" + polls + "\n").getBytes() : null;
        }

        @Override
        public boolean open() {
            return polls < 18;
        }
    }

    /** The committed sample (full level, chaos seed 33), and two fresh recordings: one with inputs, one with chaos on virt. */
    static synchronized void recordings() {
        if (heisenbug != null) return;
        Path root = Kernels.kernelsDir().getParent();
        heisenbug = root.resolve("traces/heisenbug");
        heisenbugImage = root.resolve("traces/heisenbug.raw");
        inputs = shared.resolve("hello-inputs");
        TestKernels.record(inputs, "arm64_hello", Board.VIBE, Recorder.Options.defaults(TraceLevel.EVENTS).withFeed(new Trickle())
                .withInput("first".getBytes()).withMaxInstructions(1_200_000).withCheckpointInterval(100_000));
        timer = shared.resolve("timer-chaos");
        TestKernels.record(timer, "timer_irq", Board.VIRT, Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(5)
                .withInput("x".getBytes()).withCheckpointInterval(100));
    }

    static Stream<Arguments> cases() {
        recordings();
        List<Arguments> out = new ArrayList<>();
        for (boolean translation : new boolean[] {true, false}) {
            for (long interval : new long[] {1_000, 7_919, 65_536}) out.add(Arguments.of("heisenbug", heisenbug, heisenbugImage, interval, translation));
            for (long interval : new long[] {100_000, 0}) out.add(Arguments.of("hello with inputs", inputs, null, interval, translation));
            for (long interval : new long[] {1, 97}) out.add(Arguments.of("timer_irq with chaos", timer, null, interval, translation));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, snapshots every {3}, translation {4}")
    @MethodSource("cases")
    void seekingAnywhereGivesTheStateOfAForwardRun(String name, Path dir, Path image, long interval, boolean translation) {
        Timeline.Options o = Timeline.Options.defaults().withImage(image).withInterval(interval).withBlockTranslation(translation)
                .withIndex(false);
        try (Timeline t = Timeline.open(dir, o)) {
            long end = t.end();
            Random random = new Random(interval * 31 + (translation ? 1 : 0));
            List<Long> targets = new ArrayList<>(List.of(0L, 1L, end, end - 1, end / 2));
            for (int i = 0; i < 25; i++) targets.add((long) random.nextInt((int) end + 1));
            // Around snapshots and inputs: the places where an off-by-one would show.
            long step = interval == 0 ? Timeline.adaptiveInterval(end) : interval;
            for (long k = step; k <= end && targets.size() < 60; k += step * (1 + random.nextInt(4))) {
                targets.add(k - 1);
                targets.add(k);
                targets.add(Math.min(end, k + 1));
            }
            for (long i : inputIcounts(dir)) targets.add(i);
            // First a pass forward (snapshots are kept as the frontier moves), then everything in a random order.
            List<Long> ordered = new ArrayList<>(new TreeSet<>(targets));
            List<Long> shuffled = new ArrayList<>(targets);
            Collections.shuffle(shuffled, random);
            TreeMap<Long, long[]> expected = forwardRun(dir, image, translation, new TreeSet<>(targets));
            for (List<Long> order : List.of(ordered, shuffled)) {
                for (long target : order) {
                    t.seek(target);
                    assertThat(t.icount()).isEqualTo(target);
                    assertThat(state(t.machine())).as("state at icount %d", target).containsExactly(expected.get(target));
                }
            }
            assertThat(t.snapshotIcounts()[0]).isZero();
            if (interval > 0 && end > interval) assertThat(t.snapshotIcounts()).contains(interval);
        }
    }

    static Stream<Arguments> kernels() {
        List<Arguments> out = new ArrayList<>();
        // Self-modifying and JIT-generated code (decoded code must not outlive a restore), the MMU on (the TLB is
        // restored state), EL0 and system calls, console input through the receive interrupt.
        for (String k : List.of("jit_x9", "smc_code", "mmu", "el0_svc", "uart_rx_irq", "debug")) {
            for (boolean translation : new boolean[] {true, false}) out.add(Arguments.of(k, translation));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, translation {1}")
    @MethodSource("kernels")
    void freshRecordingsOfTheKernelsSeekLikeAForwardRun(String kernel, boolean translation) {
        Path dir = tmp.resolve(kernel);
        TestKernels.record(dir, kernel, Board.VIRT, Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(400_000)
                .withInput("Deja\n".getBytes()));
        try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withIndex(false).withInterval(2_003).withBlockTranslation(translation))) {
            Random random = new Random(kernel.hashCode());
            List<Long> targets = new ArrayList<>(List.of(0L, t.end()));
            for (int i = 0; i < 20; i++) targets.add((long) random.nextInt((int) t.end() + 1));
            TreeMap<Long, long[]> expected = forwardRun(dir, null, translation, new TreeSet<>(targets));
            Collections.shuffle(targets, random);
            for (long target : targets) {
                t.seek(target);
                assertThat(state(t.machine())).as("%s at icount %d", kernel, target).containsExactly(expected.get(target));
            }
        }
    }

    @Test
    void seekingToTheRecordedCheckpointsGivesTheirHashes() {
        recordings();
        for (Path dir : List.of(inputs, timer)) {
            Set<Long> inputAt = inputIcounts(dir);
            List<RecordedEvent> checkpoints = TestKernels.events(dir).stream().filter(e -> e.type() == EventType.CHECKPOINT)
                    .filter(e -> !inputAt.contains(e.icount())).toList(); // a checkpoint precedes the inputs at its icount
            assertThat(checkpoints).hasSizeGreaterThan(5);
            try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withIndex(false).withInterval(30_011))) {
                List<RecordedEvent> order = new ArrayList<>(checkpoints);
                Collections.reverse(order); // backwards: every one from a restored snapshot
                for (RecordedEvent c : order) {
                    t.seek(c.icount());
                    StateHashes h = t.stateHashes();
                    assertThat(new long[] {h.cpu(), h.ram(), h.devices()}).as("checkpoint at icount %d", c.icount())
                            .containsExactly(c.values()[2], c.values()[3], c.values()[4]);
                }
            }
        }
    }

    @Test
    void stepsForwardAndBackwardOneInstructionAtATime() {
        recordings();
        try (Timeline t = Timeline.open(heisenbug, Timeline.Options.defaults().withImage(heisenbugImage).withIndex(false).withInterval(10_000))) {
            long start = 101_180;
            TreeSet<Long> all = new TreeSet<>();
            for (long i = start - 30; i <= start; i++) all.add(i);
            // Each from a run of its own: stopping the reference at every instruction would refill the fetch TLB
            // entry the handler's GICC access evicted (see forwardRun), which a straight run does not.
            TreeMap<Long, long[]> expected = new TreeMap<>();
            for (long i : all) expected.putAll(forwardRun(heisenbug, heisenbugImage, true, new TreeSet<>(List.of(i))));
            t.seek(start);
            for (long i = start - 1; i >= start - 30; i--) {
                assertThat(t.step(-1)).isTrue();
                assertThat(state(t.machine())).as("back to %d", i).containsExactly(expected.get(i));
            }
            for (long i = start - 29; i <= start; i++) {
                assertThat(t.step(+1)).isTrue();
                assertThat(state(t.machine())).as("forward to %d", i).containsExactly(expected.get(i));
            }
            t.seek(0);
            assertThat(t.step(-1)).isFalse();
            t.seek(t.end());
            assertThat(t.step(+1)).isFalse();
            assertThat(t.icount()).isEqualTo(t.end());
        }
    }

    @Test
    void aCountOutsideTheRecordingIsAnError() {
        recordings();
        try (Timeline t = Timeline.open(heisenbug, Timeline.Options.defaults().withImage(heisenbugImage).withIndex(false))) {
            assertThat(t.end()).isEqualTo(101_856);
            assertThat(t.complete()).isTrue();
            assertThatThrownBy(() -> t.seek(101_857)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("icount 101857 is beyond the recording's end at icount 101856");
            assertThatThrownBy(() -> t.seek(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("icount -1 is negative");
            t.seek(500); // still usable
            assertThat(t.icount()).isEqualTo(500);
        }
    }

    @Test
    void aDetachedStateIsLeftOnTheNextSeek() {
        recordings();
        try (Timeline t = Timeline.open(heisenbug, Timeline.Options.defaults().withImage(heisenbugImage).withIndex(false).withInterval(5_000))) {
            TreeMap<Long, long[]> expected = forwardRun(heisenbug, heisenbugImage, true, new TreeSet<>(List.of(12_345L, 12_346L)));
            t.seek(12_345);
            t.vm().setX(9, 0xBAD);
            t.detach();
            assertThat(t.onRecording()).isFalse();
            t.seek(12_346); // forward by one, but not from the changed state
            assertThat(state(t.machine())).containsExactly(expected.get(12_346L));
            assertThat(t.onRecording()).isTrue();
        }
    }

    @Test
    void aTightMemoryBudgetDoublesTheInterval() {
        recordings();
        try (Timeline t = Timeline.open(inputs, Timeline.Options.defaults().withIndex(false).withInterval(10_000).withMemoryBudget(200_000))) {
            t.seek(t.end());
            assertThat(t.interval()).isGreaterThan(10_000);
            long[] at = t.snapshotIcounts();
            assertThat(at.length).isLessThan((int) (t.end() / 10_000));
            // Sparser and sparser, but kept to the end: the interval doubles at each multiple of the budget.
            Set<Long> gaps = new TreeSet<>();
            for (int i = 1; i < at.length; i++) gaps.add(at[i] - at[i - 1]);
            assertThat(gaps).hasSizeGreaterThanOrEqualTo(3).first().isEqualTo(10_000L);
            assertThat(at[at.length - 1]).isGreaterThan(t.end() - 2 * t.interval());
            TreeMap<Long, long[]> expected = forwardRun(inputs, null, true, new TreeSet<>(List.of(1_134_567L, 77L)));
            t.seek(1_134_567);
            assertThat(state(t.machine())).containsExactly(expected.get(1_134_567L));
            t.seek(77);
            assertThat(state(t.machine())).containsExactly(expected.get(77L));
        }
    }

    @Test
    void theAdaptiveIntervalFollowsTheRunsLength() {
        assertThat(Timeline.adaptiveInterval(100_000)).isEqualTo(Timeline.MIN_INTERVAL);
        assertThat(Timeline.adaptiveInterval(1_030_000_000L)).isEqualTo(1_005_860);
    }

    // ---- The index ------------------------------------------------------------------------------
    @Test
    void anIndexRestoresToIdenticalHashes() {
        recordings();
        Path dir = copy(inputs, tmp.resolve("rec"));
        TreeMap<Long, long[]> atSnapshots = new TreeMap<>();
        long[] icounts;
        try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withInterval(40_000))) {
            assertThat(t.indexLoaded()).isFalse();
            assertThat(t.indexWarning()).isNull();
            Path file = t.writeIndex();
            assertThat(file).isEqualTo(dir.resolve(SnapshotIndex.FILE)).isRegularFile();
            icounts = t.snapshotIcounts();
            assertThat(icounts[icounts.length - 1]).isGreaterThan(t.end() - 40_000);
            for (long i : icounts) {
                t.seek(i);
                atSnapshots.put(i, state(t.machine()));
            }
        }
        for (boolean translation : new boolean[] {true, false}) {
            try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withBlockTranslation(translation))) {
                assertThat(t.indexWarning()).isNull();
                assertThat(t.indexLoaded()).isTrue();
                assertThat(t.snapshotIcounts()).containsExactly(icounts);
                assertThat(t.interval()).isEqualTo(40_000);
                List<Long> order = new ArrayList<>(atSnapshots.keySet());
                Collections.shuffle(order, new Random(3));
                for (long i : order) {
                    t.seek(i); // a restore of the snapshot read from the file
                    assertThat(state(t.machine())).as("snapshot at %d", i).containsExactly(atSnapshots.get(i));
                }
                TreeMap<Long, long[]> expected = forwardRun(dir, null, translation, new TreeSet<>(List.of(987_654L, 5L)));
                t.seek(987_654);
                assertThat(state(t.machine())).containsExactly(expected.get(987_654L));
                t.seek(5);
                assertThat(state(t.machine())).containsExactly(expected.get(5L));
            }
        }
    }

    @Test
    void aChangedOrForeignIndexIsIgnoredWithAWarning() throws IOException {
        recordings();
        Path dir = copy(inputs, tmp.resolve("rec"));
        Path other = copy(timer, tmp.resolve("other"));
        try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withInterval(50_000))) {
            t.writeIndex();
        }
        try (Timeline t = Timeline.open(other, Timeline.Options.defaults())) {
            t.writeIndex();
        }
        Path index = dir.resolve(SnapshotIndex.FILE);
        byte[] good = Files.readAllBytes(index);
        TreeMap<Long, long[]> expected = forwardRun(dir, null, true, new TreeSet<>(List.of(654_321L)));

        record Tamper(String name, byte[] bytes, String warning) {}
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        byte[] version = good.clone();
        version[13] = 99; // the low byte of the version after the 10-byte magic
        List<Tamper> cases = List.of(
                new Tamper("a flipped bit", flipped, "it is corrupted (CRC32C mismatch)"),
                new Tamper("cut short", java.util.Arrays.copyOf(good, good.length - 5000), "it is cut short"),
                new Tamper("another version", version, "it is of format version 99, this Deja reads version 1"),
                new Tamper("another recording's", Files.readAllBytes(other.resolve(SnapshotIndex.FILE)), "it was made from another recording"),
                new Tamper("not an index", "hello, this is no index at all".getBytes(), "it is not a Deja snapshot index"));
        for (Tamper c : cases) {
            Files.write(index, c.bytes());
            try (Timeline t = Timeline.open(dir)) {
                assertThat(t.indexLoaded()).as(c.name()).isFalse();
                assertThat(t.indexWarning()).as(c.name()).startsWith(index + ": snapshot index ignored, ").contains(c.warning());
                t.seek(654_321);
                assertThat(state(t.machine())).as(c.name()).containsExactly(expected.get(654_321L));
            }
        }
        // A recording changed after its index was made (here: another recording put in its place).
        Files.write(index, good);
        Path moved = tmp.resolve("moved");
        Files.createDirectories(moved);
        for (String f : List.of(io.deja.recorder.RecordingFormat.CYCLE_FILE, "metadata.cq4t")) {
            Files.copy(other.resolve(f), moved.resolve(f));
        }
        Files.copy(index, moved.resolve(SnapshotIndex.FILE));
        try (Timeline t = Timeline.open(moved)) {
            assertThat(t.indexLoaded()).isFalse();
            assertThat(t.indexWarning()).contains("it was made from another recording");
        }
        try (Timeline t = Timeline.open(dir)) {
            assertThat(t.indexLoaded()).as("the good index again").isTrue();
        }
    }

    // ---- Helpers -----------------------------------------------------------------------------------
    /** Hashes and PC of the machine now. */
    static long[] state(Machine m) {
        StateHashes h = m.stateHashes();
        return new long[] {h.cpu(), h.ram(), h.devices(), m.vm().getPc(), m.instructions()};
    }

    /**
     * The state at each target of one plain forward replay from the start (the
     * replayer's own Drive, no snapshots), stopping at each target in turn.
     *
     * Where a run stops is not quite invisible (see "Exactly" in Timeline): a
     * stop right after a data access that evicted the code page's TLB entry
     * refills it, a straight run refills it at its next service point (a timer
     * deadline, an exception, the kill poll every 65,536 cycles), and the TLB is
     * hashed. The targets here are sparse enough that none falls there except
     * where a test says so.
     */
    static TreeMap<Long, long[]> forwardRun(Path dir, Path image, boolean translation, TreeSet<Long> targets) {
        TreeMap<Long, long[]> out = new TreeMap<>();
        try (Recording rec = Recording.open(dir); InputSchedule in = new InputSchedule(rec)) {
            RecordingHeader h = rec.header();
            Machine m = Replayer.build(h, ImageResolver.loadAll(h, dir, image), null);
            m.vcpu().setTranslateThreshold(translation ? 32 : 0); // low: short runs must exercise blocks
            h.chaosSeed().ifPresent(m::setChaos);
            Drive d = new Drive(m, in, new LevelPlan(), TraceSink.NONE);
            for (long target : targets) {
                d.runTo(target, () -> false);
                out.put(target, state(m));
            }
        }
        return out;
    }

    static Set<Long> inputIcounts(Path dir) {
        Set<Long> out = new TreeSet<>();
        for (RecordedEvent e : TestKernels.events(dir)) if (e.type() == EventType.INPUT) out.add(e.icount());
        return out;
    }

    static Path copy(Path recording, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(recording)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, to.resolve(f.getFileName()));
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
