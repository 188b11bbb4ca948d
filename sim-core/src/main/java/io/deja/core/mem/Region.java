package io.deja.core.mem;

/**
 * One mapped range of the physical address space outside RAM: either an
 * in-process device, or (device == null) a range whose accesses exit to the host.
 */
public record Region(long base, long size, String name, MmioDevice device) {
    public boolean contains(long pa, int len) {
        long off = pa - base;
        return Long.compareUnsigned(off, size) < 0 && Long.compareUnsigned(off + len, size) <= 0;
    }
}
