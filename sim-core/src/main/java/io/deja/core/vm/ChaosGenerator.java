package io.deja.core.vm;

import io.deja.core.state.StateVisitor;
import io.deja.core.state.Stateful;

/**
 * The seeded source of interrupt-delivery jitter. It draws exactly what
 * java.util.SplittableRandom(seed).nextInt(1024) draws (so chaos seeds found
 * before keep their meaning), but its state is one visible long, so that
 * snapshots can save and restore it.
 */
final class ChaosGenerator implements Stateful {
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private long seed;

    ChaosGenerator(long seed) {
        this.seed = seed;
    }

    /** A delay in [0, 1024). */
    int nextDelay() {
        seed += GOLDEN_GAMMA;
        long z = seed;
        z = (z ^ (z >>> 33)) * 0x62A9_D9ED_7997_05F5L;
        int r = (int) (((z ^ (z >>> 28)) * 0xCB24_D0A5_C88C_35B3L) >>> 32);
        return r & 1023;
    }

    @Override
    public void state(StateVisitor v) {
        seed = v.u64("seed", seed);
    }
}
