package io.deja.core.mem;

/** Observes every access served by an in-process device (statistics, tracing). */
public interface MmioAccessListener {
    /** index: the region's position in {@link PhysicalBus#regions()}, which is also its MMIO event device number. */
    void access(int index, Region region, long offset, int size, boolean write, long value);

    MmioAccessListener NONE = (i, r, o, s, w, v) -> {};
}
