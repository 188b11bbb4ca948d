package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A replay the host cancels (deja ui's Cancel button) stops at once with
 * ReplayCancelled: no divergence is reported and no report replays the run
 * again; an uncancelled replay of the same recording is still bit-exact.
 */
class ReplayCancelTest {
    @TempDir
    Path tmp;

    @Test
    void aCancelledReplayStopsWithoutADivergence() {
        Path rec = tmp.resolve("timer");
        TestKernels.record(rec, "timer_irq", Board.VIRT, TraceLevel.EVENTS, 50_000_000);
        AtomicLong end = new AtomicLong();
        // cancelled before it runs: its first run stops at once
        assertThatThrownBy(() -> Replayer.replay(rec, ReplayOptions.defaults().withStarted((m, e) -> {
            end.set(e);
            m.cancel();
        }))).isInstanceOfSatisfying(ReplayCancelled.class, c -> assertThat(c.icount()).isLessThan(end.get()));
        assertThat(end.get()).isPositive();
        assertThat(Replayer.replay(rec, ReplayOptions.defaults()).bitExact()).isTrue();
    }
}
