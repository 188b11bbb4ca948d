package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.InputFeed;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console input that arrives while recording (a terminal, a pipe) is
 * delivered between slices and recorded with its icount; the replay delivers
 * it at the same icount, so the UART's state (in the checkpoints' device hash)
 * matches.
 */
class InputReplayTest {
    @TempDir
    Path tmp;

    /** Bytes on every third poll, for six polls. */
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

    @Test
    void liveInputReplaysAtTheRecordedIcount() {
        Path dir = tmp.resolve("rec");
        Recorder.Options o = Recorder.Options.defaults(TraceLevel.EVENTS).withFeed(new Trickle()).withMaxInstructions(5_000_000)
                .withCheckpointInterval(50_000).withInput("first".getBytes());
        TestKernels.record(dir, "arm64_hello", Board.VIBE, o);
        List<RecordedEvent> inputs = TestKernels.events(dir).stream().filter(e -> e.type() == EventType.INPUT).toList();
        assertThat(inputs).hasSize(7);
        assertThat(inputs.get(0).icount()).isZero();
        assertThat(new String(inputs.get(1).data())).isEqualTo("in3\n");
        // The first poll is before the first instruction (what a pipe already holds goes in at icount 0), the third after two slices.
        assertThat(inputs.get(1).icount()).isEqualTo(2 * io.deja.recorder.InputFeed.SLICE);

        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();

        // Inputs are what the replay obeys, so a changed input is no divergence by itself; its effect
        // is: the UART's receive FIFO differs at the next checkpoint.
        Path changed = tmp.resolve("changed");
        List<RecordedEvent> all = TestKernels.events(dir);
        int index = all.indexOf(inputs.get(2));
        RecordedEvent input = inputs.get(2);
        Tampering.copyWith(dir, changed, index, e -> new RecordedEvent(e.type(), e.values(), "IN6\n".getBytes()));
        ReplayResult m = Replayer.replay(changed, ReplayOptions.defaults());
        assertThat(m.bitExact()).isFalse();
        RecordedEvent next = all.subList(index, all.size()).stream().filter(e -> e.type() == EventType.CHECKPOINT).findFirst().orElseThrow();
        assertThat(m.divergence().expected()).isEqualTo(next);
        assertThat(m.report()).contains("devices DIFFER");
        assertThat(next.icount()).isGreaterThan(input.icount());
    }
}
