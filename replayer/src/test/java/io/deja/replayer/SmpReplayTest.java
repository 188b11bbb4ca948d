package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.StateHashes;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.EventType;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recordings of four CPUs (the smp kernel) replay bit-exactly at every trace
 * level, with and without chaos; their events carry the CPU they come from;
 * a Timeline seeks in them as in a one-CPU recording.
 */
class SmpReplayTest {
    @TempDir
    Path tmp;

    private static MachineConfig config() {
        return TestKernels.config(Kernels.virtBin("smp"), Board.VIRT).withRamSize(128L << 20).withCpus(4).withQuantum(250);
    }

    private static Recorder.Result record(Path dir, Recorder.Options options) {
        return Recorder.create(dir, config(), Kernels.virtBin("smp"), OutputStream.nullOutputStream(), options).run();
    }

    static Stream<Arguments> levels() {
        List<Arguments> out = new ArrayList<>();
        for (TraceLevel level : TraceLevel.values()) {
            out.add(Arguments.of(level, null));
            out.add(Arguments.of(level, 11L));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} level, chaos seed {1}")
    @MethodSource("levels")
    void fourCpusReplayBitExactly(TraceLevel level, Long seed) {
        Path dir = tmp.resolve("rec");
        Recorder.Options o = Recorder.Options.defaults(level).withCheckpointInterval(20_000);
        if (seed != null) o = o.withChaos(seed);
        Recorder.Result rec = record(dir, o);
        try (Recording r = Recording.open(dir)) {
            assertThat(r.header().cpus()).isEqualTo(4);
            assertThat(r.header().quantum()).isEqualTo(250);
        }
        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();
        assertThat(r.instructions()).isEqualTo(rec.instructions());
        assertThat(r.events()).isEqualTo(rec.events());
        assertThat(r.finalHash()).isEqualTo(rec.finalHash());
        Set<Integer> cpus = TestKernels.events(dir).stream().filter(e -> e.type() == EventType.EXIT).map(RecordedEvent::cpu)
                .collect(Collectors.toSet());
        assertThat(cpus).as("CPUs with exits (PSCI calls)").containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    /** smp_gic3: four redistributors and ICC_* interfaces in every checkpoint hash, replayed bit-exactly. */
    @ParameterizedTest(name = "{0} level, chaos seed {1}")
    @MethodSource("levels")
    void fourCpusOnAGicV3ReplayBitExactly(TraceLevel level, Long seed) {
        Path dir = tmp.resolve("rec");
        MachineConfig config = TestKernels.config(Kernels.virtBin("smp_gic3"), Board.VIRT).withRamSize(128L << 20).withCpus(4).withQuantum(250)
                .withGic(io.deja.core.board.GicVersion.V3);
        Recorder.Options o = Recorder.Options.defaults(level).withCheckpointInterval(20_000);
        if (seed != null) o = o.withChaos(seed);
        Recorder.Result rec = Recorder.create(dir, config, Kernels.virtBin("smp_gic3"), OutputStream.nullOutputStream(), o).run();
        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();
        assertThat(r.instructions()).isEqualTo(rec.instructions());
        assertThat(r.finalHash()).isEqualTo(rec.finalHash());
    }

    @Test
    void differentSeedsRecordDifferentSchedules() {
        Recorder.Result a = record(tmp.resolve("a"), Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(1));
        Recorder.Result b = record(tmp.resolve("b"), Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(2));
        Recorder.Result a2 = record(tmp.resolve("a2"), Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(1));
        assertThat(a2.finalHash()).isEqualTo(a.finalHash());
        assertThat(b.finalHash()).isNotEqualTo(a.finalHash());
    }

    @Test
    void aTimelineSeeksInAFourCpuRecording() {
        Path dir = tmp.resolve("rec");
        record(dir, Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(5).withCheckpointInterval(10_000));
        List<RecordedEvent> checkpoints = TestKernels.events(dir).stream().filter(e -> e.type() == EventType.CHECKPOINT).toList();
        assertThat(checkpoints).hasSizeGreaterThan(5);
        try (Timeline t = Timeline.open(dir, Timeline.Options.defaults().withIndex(false).withInterval(7_001))) {
            List<RecordedEvent> order = new ArrayList<>(checkpoints);
            Collections.reverse(order);
            for (RecordedEvent c : order) {
                t.seek(c.icount());
                StateHashes h = t.stateHashes();
                assertThat(new long[] {h.cpu(), h.ram(), h.devices()}).as("checkpoint at icount %d", c.icount())
                        .containsExactly(c.values()[2], c.values()[3], c.values()[4]);
            }
        }
    }
}
