package io.deja.core.vm;

import io.deja.core.state.StateReader;
import io.deja.core.state.StateWriter;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Chaos seeds keep their meaning: the generator draws what SplittableRandom drew, and its state round-trips. */
class ChaosGeneratorTest {
    @Test
    void drawsWhatSplittableRandomDraws() {
        for (long seed : new long[] {0, 1, 33, 500, -1, Long.MIN_VALUE, 0x1234_5678_9ABCL}) {
            ChaosGenerator chaos = new ChaosGenerator(seed);
            SplittableRandom reference = new SplittableRandom(seed);
            for (int i = 0; i < 10_000; i++) assertThat(chaos.nextDelay()).isEqualTo(reference.nextInt(Vcpu.CHAOS_MAX_DELAY + 1));
        }
    }

    @Test
    void aRestoredGeneratorContinuesTheSequence() {
        ChaosGenerator chaos = new ChaosGenerator(33);
        for (int i = 0; i < 17; i++) chaos.nextDelay();
        long[] saved = StateWriter.save(chaos);
        int next = chaos.nextDelay();
        ChaosGenerator other = new ChaosGenerator(0);
        StateReader.restore(other, saved);
        assertThat(other.nextDelay()).isEqualTo(next);
    }
}
