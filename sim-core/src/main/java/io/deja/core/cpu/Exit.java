package io.deja.core.cpu;

/** Why the run loop returned to the host (Cpu.exitKind). The public API wraps these in VmExit. */
public final class Exit {
    private Exit() {}

    public static final int NONE = 0;
    public static final int WFI = 1;
    public static final int WFE = 2;
    public static final int MMIO_READ = 3;
    public static final int MMIO_WRITE = 4;
    public static final int HVC = 5;
    public static final int SMC = 6;
    public static final int BRK = 7;
    public static final int HLT = 8;
    public static final int BUDGET = 9;
    public static final int CANCELLED = 10;
}
