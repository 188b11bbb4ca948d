package io.deja.core.mem;

/** Observes every access served by an in-process device (statistics, tracing). */
public interface MmioAccessListener {
    void access(Region region, long offset, int size, boolean write, long value);

    MmioAccessListener NONE = (r, o, s, w, v) -> {};
}
