package io.deja.core.cpu;

/**
 * The global exclusive monitor of a board with several CPUs (Arm ARM B2.9.2):
 * LDXR reserves the granule of the physical address it reads, and a store by
 * any other CPU that touches a reserved granule clears that CPU's local
 * monitor, so its STXR fails. A store by the reserving CPU itself leaves its
 * reservation alone, as QEMU and Cortex-A57 do.
 *
 * The granule is the Cortex-A57's Exclusives Reservation Granule, 64 bytes
 * (CTR_EL0.ERG = 4). Stores find out cheaply whether to look: a count per RAM
 * page of the reservations on it (stale counts only cost a look). A page that
 * gets its first reservation takes every CPU's store fast path off it
 * ({@link io.deja.core.mmu.Mmu#markPageForBookkeeping}), as a page of code does.
 *
 * Its state is derived: the CPUs' local monitors plus the physical granule of
 * each, which the board saves with the CPUs.
 */
public final class GlobalMonitor implements io.deja.core.state.Stateful {
    public static final int GRANULE = 64;
    private static final long NONE = -1;

    private final Cpu[] cpus;
    /** Per CPU: RAM offset of the reserved granule, or NONE. */
    private final long[] granule;
    /** Per RAM page: how many entries of granule lie in it. */
    private final byte[] reservations;

    public GlobalMonitor(Cpu[] cpus, int ramPages) {
        this.cpus = cpus.clone();
        this.granule = new long[cpus.length];
        java.util.Arrays.fill(granule, NONE);
        this.reservations = new byte[ramPages];
    }

    /** Whether a store to this RAM page must be reported. */
    public boolean watches(int page) {
        return reservations[page] != 0;
    }

    /** CPU c's LDXR read RAM offset off (or a non-RAM address: -1, which reserves nothing globally). */
    public void reserve(Cpu c, long off) {
        release(c.index);
        if (off < 0) return;
        long g = off & -GRANULE;
        granule[c.index] = g;
        watch(io.deja.core.mem.Ram.page(g));
    }

    private void watch(int page) {
        if (reservations[page]++ == 0) {
            for (Cpu each : cpus) each.mmu.markPageForBookkeeping(page);
        }
    }

    /** A store of size bytes at RAM offset off by CPU by: clears every other CPU's reservation it touches. */
    public void stored(Cpu by, long off, int size) {
        long first = off & -GRANULE, last = (off + size - 1) & -GRANULE;
        for (int i = 0; i < cpus.length; i++) {
            long g = granule[i];
            if (i == by.index || g == NONE || g < first || g > last) continue;
            cpus[i].exclusiveValid = false;
            release(i);
        }
    }

    private void release(int cpu) {
        long g = granule[cpu];
        if (g == NONE) return;
        reservations[io.deja.core.mem.Ram.page(g)]--;
        granule[cpu] = NONE;
    }

    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        long[] saved = granule.clone();
        v.u64s("granule", saved);
        for (int i = 0; i < cpus.length; i++) {
            if (saved[i] == granule[i]) continue;
            release(i);
            if (saved[i] != NONE) {
                granule[i] = saved[i];
                watch(io.deja.core.mem.Ram.page(saved[i]));
            }
        }
    }
}
