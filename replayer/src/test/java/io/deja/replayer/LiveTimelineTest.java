package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.testing.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A live run as a timeline ({@link Timeline#live}, what deja run and record
 * under gdb use): the heisenbug kernel run with chaos seed 33, the run the
 * committed sample recorded, seeks forward past its history and back into
 * it and lands on the state the recording's forward replay has there; its
 * console, through {@link FirstPassConsole}, is the plain run's, each byte once.
 */
class LiveTimelineTest {
    private static final Path ROOT = Kernels.kernelsDir().getParent();
    private static final Path SAMPLE = ROOT.resolve("traces/heisenbug"), IMAGE = ROOT.resolve("traces/heisenbug.raw");

    private static Machine heisenbug(java.io.OutputStream console, boolean translation) {
        Machine m = new Machine(TestKernels.config(IMAGE, Board.VIBE), console);
        m.vcpu().setTranslateThreshold(translation ? 32 : 0);
        m.setChaos(33);
        return m;
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {true, false})
    void aLiveRunSeeksLikeTheRecordingOfTheSameRun(boolean translation) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Machine straight = heisenbug(plain, translation);
        straight.run(Long.MAX_VALUE);
        long end = straight.instructions();

        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        FirstPassConsole console = new FirstPassConsole(shown);
        FirstPassConsole.Stream stream = console.stream();
        Machine m = heisenbug(stream, translation);
        stream.bind(m);
        try (Timeline t = Timeline.live(m, Long.MAX_VALUE, Timeline.Options.defaults().withInterval(1_000))) {
            assertThat(t.isLive()).isTrue();
            assertThat(t.end()).isZero();
            Random random = new Random(translation ? 7 : 8);
            List<Long> targets = new ArrayList<>(List.of(0L, 1L, 999L, 1_000L, 1_001L, end / 2, end - 1));
            for (int i = 0; i < 30; i++) targets.add((long) random.nextInt((int) end));
            TreeMap<Long, long[]> expected = TimelineTest.forwardRun(SAMPLE, IMAGE, translation, new TreeSet<>(targets));
            Collections.shuffle(targets, random);
            long furthest = 0;
            for (long target : targets) {
                t.seek(target);
                furthest = Math.max(furthest, target);
                assertThat(t.end()).as("the history is as far as the run went").isEqualTo(furthest);
                assertThat(TimelineTest.state(m)).as("state at icount %d", target).containsExactly(expected.get(target));
            }
            // Forward past the history, to where the guest powers off: the run's end.
            assertThat(t.advance(Long.MAX_VALUE)).isNotNull();
            assertThat(m.isStopped()).isTrue();
            assertThat(t.end()).isEqualTo(end);
            assertThat(TimelineTest.state(m)).isEqualTo(TimelineTest.state(straight));
            t.seek(end / 3);
            t.seek(end);
            assertThatThrownBy(() -> t.seek(end + 1)).hasMessageContaining("the run stopped at icount " + end);
        }
        assertThat(shown.toString()).contains("X9 CORRUPT").isEqualTo(plain.toString());
    }

    /** replay --gdb --console: a recording's timeline shows its console once, however it goes back and forth. */
    @Test
    void aRecordingsTimelineShowsItsConsoleOnce() {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        heisenbug(plain, true).run(Long.MAX_VALUE);
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Timeline.Options o = Timeline.Options.defaults().withImage(IMAGE).withIndex(false).withInterval(2_000)
                .withConsole(new FirstPassConsole(shown));
        try (Timeline t = Timeline.open(SAMPLE, o)) {
            t.seek(t.end() / 2);
            t.seek(10);
            t.seek(t.end() - 3);
            t.seek(t.end() / 3);
            t.seek(t.end());
        }
        assertThat(shown.toString()).contains("X9 CORRUPT").isEqualTo(plain.toString());
    }

    @Test
    void aLiveRunStopsAtItsBudget() {
        Machine m = heisenbug(java.io.OutputStream.nullOutputStream(), true);
        try (Timeline t = Timeline.live(m, 5_000, Timeline.Options.defaults())) {
            assertThat(t.limit()).isEqualTo(5_000);
            assertThat(t.advance(Long.MAX_VALUE)).isNotNull();
            assertThat(t.icount()).isEqualTo(5_000);
            t.seek(10);
            assertThat(t.end()).isEqualTo(5_000);
            assertThatThrownBy(() -> t.seek(5_001)).hasMessageContaining("beyond the run's budget");
            assertThatThrownBy(t::writeIndex).isInstanceOf(IllegalStateException.class);
        }
    }
}
