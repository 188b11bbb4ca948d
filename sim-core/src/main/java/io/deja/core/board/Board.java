package io.deja.core.board;

import java.util.Locale;

/** The machines Deja can build; their memory maps are in {@link MemoryMap}. */
public enum Board {
    /**
     * QEMU 7.2's {@code virt} (GICv2 or GICv3, PL011, PL031, virtio-mmio, cortex-a57,
     * one CPU, PSCI over HVC; devices in {@link BoardLayout}): RAM
     * at 0x4000_0000, the image at 0x4008_0000 (or where an arm64 Image header
     * asks), a device tree in RAM and x0 pointing at it, as QEMU's boot stub
     * leaves things.
     */
    VIRT(MemoryMap.Virt.RAM_BASE, MemoryMap.Virt.RAM_MIN, MemoryMap.Virt.RAM_MAX, MemoryMap.Virt.RAM_DEFAULT,
            MemoryMap.Virt.KERNEL_LOAD_ADDRESS),
    /**
     * Deja's bare-metal layout: RAM at 0x0 (at most 128 MiB, below the
     * devices), the image loaded and entered at the given entry point, the
     * virt board's GIC and PL011 (no PL031), no device tree.
     */
    VIBE(MemoryMap.Vibe.RAM_BASE, MemoryMap.Vibe.RAM_MIN, MemoryMap.Vibe.RAM_MAX, MemoryMap.Vibe.RAM_DEFAULT,
            MemoryMap.Vibe.DEFAULT_ENTRY);

    private final long ramBase, ramMin, ramMax, defaultRamSize, defaultEntry;

    Board(long ramBase, long ramMin, long ramMax, long defaultRamSize, long defaultEntry) {
        this.ramBase = ramBase;
        this.ramMin = ramMin;
        this.ramMax = ramMax;
        this.defaultRamSize = defaultRamSize;
        this.defaultEntry = defaultEntry;
    }

    public long ramBase() { return ramBase; }
    public long minRamSize() { return ramMin; }
    public long maxRamSize() { return ramMax; }
    public long defaultRamSize() { return defaultRamSize; }
    /** Where a flat image is loaded and entered when no entry point is given. */
    public long defaultEntry() { return defaultEntry; }

    /** The name used on the command line and in recordings ("virt", "vibe"). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Board fromName(String name) {
        for (Board b : values()) {
            if (b.cliName().equalsIgnoreCase(name)) return b;
        }
        throw new IllegalArgumentException("unknown board '" + name + "' (known: virt, vibe)");
    }
}
