package io.deja.core.board;

/** The board's interrupt controller architecture (QEMU's {@code -M virt,gic-version=}). */
public enum GicVersion {
    /** GICv2: memory-mapped distributor and CPU interface (the default, as on QEMU's virt). */
    V2(2),
    /** GICv3: distributor, one redistributor per CPU, and the ICC_* system-register CPU interface. No ITS. */
    V3(3);

    private final int number;

    GicVersion(int number) {
        this.number = number;
    }

    /** 2 or 3, as on the command line and in recordings. */
    public int number() {
        return number;
    }

    public static GicVersion of(int number) {
        for (GicVersion v : values()) {
            if (v.number == number) return v;
        }
        throw new IllegalArgumentException("unknown GIC version " + number + " (known: 2, 3)");
    }
}
