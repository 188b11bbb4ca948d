package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An events-level recording re-traced at full level over a window gives the full recording's events there. */
class RetraceTest {
    @TempDir
    Path tmp;

    @Test
    void aWindowReTracedAtFullLevelEqualsAFullRecordingOfIt() {
        Path cheap = tmp.resolve("cheap");
        Path rich = tmp.resolve("rich");
        Path window = tmp.resolve("window");
        long from = 100_000, to = 100_999;
        TestKernels.record(cheap, "bench_int", Board.VIBE, TraceLevel.EVENTS, 300_000);
        TestKernels.record(rich, "bench_int", Board.VIBE, TraceLevel.FULL, 300_000);

        ReplayResult r = Replayer.replay(cheap, ReplayOptions.defaults().withRetrace(new ReplayOptions.Retrace(TraceLevel.FULL, from, to, window)));
        assertThat(r.bitExact()).isTrue();
        assertThat(r.retraced()).isPositive();

        try (Recording w = Recording.open(window); Recording c = Recording.open(cheap)) {
            RecordingHeader h = w.header();
            assertThat(h.traceLevel()).isEqualTo(TraceLevel.FULL);
            assertThat(h.traceFrom()).isEqualTo(from);
            assertThat(h.traceTo()).isEqualTo(to);
            assertThat(h.withTrace(TraceLevel.EVENTS, 0, Long.MAX_VALUE)).isEqualTo(c.header());
        }
        List<RecordedEvent> got = TestKernels.events(window);
        List<RecordedEvent> full = TestKernels.events(rich);
        List<RecordedEvent> cheapEvents = TestKernels.events(cheap);
        // The window's instructions, registers and stores, exactly as a full recording has them.
        assertThat(richOnly(got)).isEqualTo(richOnly(full).stream().filter(e -> e.icount() >= from && e.icount() <= to).toList());
        assertThat(richOnly(got)).filteredOn(e -> e.type() == EventType.INSN).hasSize((int) (to - from + 1));
        // And every events-level event of the run, so the re-traced recording replays on its own, plus
        // a checkpoint opening the window (the registers there, for the exporter's reg_writes.old).
        List<RecordedEvent> opening = got.stream().filter(e -> e.type() == EventType.CHECKPOINT && e.icount() == from).toList();
        assertThat(opening).hasSize(1);
        List<RecordedEvent> cheapPart = new java.util.ArrayList<>(got.stream().filter(e -> e.type().level == TraceLevel.EVENTS).toList());
        cheapPart.remove(opening.get(0));
        assertThat(cheapPart).isEqualTo(cheapEvents);
        assertThat(got.get(got.indexOf(opening.get(0)) + 1).type()).as("the window's first instruction follows it").isEqualTo(EventType.INSN);
        assertThat(Replayer.replay(window, ReplayOptions.defaults()).bitExact()).isTrue();
    }

    @Test
    void aWindowPastTheEndIsRefused() {
        Path cheap = tmp.resolve("cheap");
        TestKernels.record(cheap, "uart_hello", Board.VIBE, TraceLevel.EVENTS, 1_000_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Replayer.replay(cheap,
                        ReplayOptions.defaults().withRetrace(new ReplayOptions.Retrace(TraceLevel.FULL, 10_000_000, 10_000_010, tmp.resolve("w")))))
                .isInstanceOf(io.deja.recorder.RecordingException.class).hasMessageContaining("the recording ends at icount");
    }

    private static List<RecordedEvent> richOnly(List<RecordedEvent> events) {
        return events.stream().filter(e -> e.type().level != TraceLevel.EVENTS).toList();
    }
}
