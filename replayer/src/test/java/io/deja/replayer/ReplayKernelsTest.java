package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kernel of kernels/build, on both boards and at every trace level,
 * records and replays bit-exactly; recording twice gives the same events.
 */
class ReplayKernelsTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> kernels() {
        List<Arguments> out = new ArrayList<>();
        for (String k : TestKernels.all()) {
            for (Board b : Board.values()) {
                out.add(Arguments.of(k, b, TraceLevel.EVENTS, 3_000_000L));
                out.add(Arguments.of(k, b, TraceLevel.FULL, 200_000L));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1} at {2} level")
    @MethodSource("kernels")
    void recordsAndReplaysBitExactly(String kernel, Board board, TraceLevel level, long budget) {
        Path dir = tmp.resolve("rec");
        Recorder.Result rec = TestKernels.record(dir, kernel, board,
                Recorder.Options.defaults(level).withMaxInstructions(budget).withCheckpointInterval(100_000));
        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();
        assertThat(r.truncated()).isFalse();
        assertThat(r.instructions()).isEqualTo(rec.instructions());
        assertThat(r.events()).isEqualTo(rec.events());
        assertThat(r.finalHash()).isEqualTo(rec.finalHash());
        List<RecordedEvent> events = TestKernels.events(dir);
        assertThat(events.get(0).type()).as("the opening checkpoint").isEqualTo(EventType.CHECKPOINT);
        assertThat(events.get(0).icount()).isZero();
        assertThat(events).last().extracting(RecordedEvent::type).isEqualTo(EventType.END);
        assertThat(events.get(events.size() - 2).type()).isEqualTo(EventType.CHECKPOINT);
        if (level == TraceLevel.FULL) assertThat(events).anyMatch(e -> e.type() == EventType.INSN);
    }

    @Test
    void twoRecordingsWithTheSameInputsHaveIdenticalEventStreams() {
        for (TraceLevel level : TraceLevel.values()) {
            Recorder.Options o = Recorder.Options.defaults(level).withChaos(7).withInput("hello\n".getBytes())
                    .withMaxInstructions(level == TraceLevel.EVENTS ? 5_000_000 : 300_000);
            Path a = tmp.resolve("a-" + level);
            Path b = tmp.resolve("b-" + level);
            TestKernels.record(a, "timer_irq", Board.VIRT, o);
            TestKernels.record(b, "timer_irq", Board.VIRT, o);
            List<RecordedEvent> ea = TestKernels.events(a);
            assertThat(ea).hasSizeGreaterThan(10);
            // The opening checkpoint, then the input delivered before the first instruction.
            assertThat(ea.subList(0, 2)).extracting(RecordedEvent::type).containsExactly(EventType.CHECKPOINT, EventType.INPUT);
            assertThat(ea.subList(0, 2)).extracting(RecordedEvent::icount).containsExactly(0L, 0L);
            assertThat(TestKernels.events(b)).isEqualTo(ea);
            try (Recording ra = Recording.open(a); Recording rb = Recording.open(b)) {
                assertThat(rb.header().withStartTime(0)).isEqualTo(ra.header().withStartTime(0));
            }
        }
    }
}
