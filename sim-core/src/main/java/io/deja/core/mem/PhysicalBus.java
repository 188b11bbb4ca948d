package io.deja.core.mem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The physical address space that every CPU shares: RAM, and device regions
 * (in-process devices, or ranges whose accesses exit to the host). It sees
 * physical addresses only and knows nothing about CPUs or translation.
 * Beside it: the decoded-code cache of its RAM.
 */
public final class PhysicalBus {
    public final Ram ram;
    public final CodeCache code;
    private Region[] regions = new Region[0];
    private MmioAccessListener listener = MmioAccessListener.NONE;
    private int lastFound;

    public PhysicalBus(long ramBase, long ramSize) {
        this.ram = new Ram(ramBase, ramSize);
        this.code = new CodeCache(ram);
    }

    public void map(Region region) {
        long end = region.base() + region.size();
        if (Long.compareUnsigned(region.base(), ram.base + ram.size) < 0 && Long.compareUnsigned(end, ram.base) > 0) {
            throw new IllegalArgumentException(region.name() + " overlaps RAM");
        }
        for (Region r : regions) {
            if (Long.compareUnsigned(region.base(), r.base() + r.size()) < 0 && Long.compareUnsigned(end, r.base()) > 0) {
                throw new IllegalArgumentException(region.name() + " overlaps " + r.name());
            }
        }
        List<Region> all = new ArrayList<>(Arrays.asList(regions));
        all.add(region);
        all.sort((a, b) -> Long.compareUnsigned(a.base(), b.base()));
        regions = all.toArray(new Region[0]);
    }

    /** The mapped regions in address order; an MMIO event's device number is the index here. */
    public Region[] regions() { return regions.clone(); }

    public Region region(int index) { return regions[index]; }

    public void setListener(MmioAccessListener listener) { this.listener = listener; }

    /**
     * The index of the region holding [pa, pa + size), or -1. The last one found is
     * tried first: device drivers poll one device at a time.
     */
    public int find(long pa, int size) {
        Region[] rs = regions;
        int last = lastFound;
        if (last < rs.length && rs[last].contains(pa, size)) return last;
        for (int i = 0; i < rs.length; i++) {
            if (rs[i].contains(pa, size)) {
                lastFound = i;
                return i;
            }
        }
        return -1;
    }

    /** A read of an in-process device (region index from find), zero-extended to size bytes. */
    public long deviceRead(int index, long pa, int size) {
        Region r = regions[index];
        long offset = pa - r.base();
        long v = r.device().read(offset, size);
        if (size < 8) v &= (1L << (size * 8)) - 1;
        listener.access(index, r, offset, size, false, v);
        return v;
    }

    public void deviceWrite(int index, long pa, int size, long v) {
        Region r = regions[index];
        long offset = pa - r.base();
        r.device().write(offset, size, v);
        listener.access(index, r, offset, size, true, v);
    }

    // ---- Host access (loading images, dumps) ---------------------------------------------
    /** Copies an image into RAM; decoded code is forgotten. */
    public void load(long pa, byte[] data) {
        ram.load(pa, data);
        code.invalidateAll();
    }
}
