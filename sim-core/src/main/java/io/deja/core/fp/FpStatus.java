package io.deja.core.fp;

/**
 * The floating-point environment of one operation: the FPCR it reads and the
 * FPSR exception flags it raises. One instance per CPU, reused by every
 * instruction, so that the arithmetic itself allocates nothing: the caller
 * sets {@link #fpcr}, clears {@link #flags}, runs the operation and ORs the
 * flags into FPSR (they are cumulative).
 */
public final class FpStatus {
    /** FPSR cumulative exception flags (Arm ARM C5.2.8). */
    public static final int IOC = 1, DZC = 1 << 1, OFC = 1 << 2, UFC = 1 << 3, IXC = 1 << 4, IDC = 1 << 7;
    /** FPCR.FZ (flush denormals to zero) and FPCR.DN (default NaN). */
    public static final int FZ = 1 << 24, DN = 1 << 25;
    public static final int RMODE_SHIFT = 22;

    /**
     * Rounding modes: FPCR.RMode values, ties-away (FRINTA, FCVTA*) and
     * round-to-odd (FCVTXN), which FPCR cannot select.
     */
    public static final int RN = 0, RP = 1, RM = 2, RZ = 3, TIEAWAY = 4, ODD = 5;

    public int fpcr;
    public int flags;

    /** The rounding mode FPCR selects. */
    public int rounding() {
        return (fpcr >>> RMODE_SHIFT) & 3;
    }

    boolean flushToZero() {
        return (fpcr & FZ) != 0;
    }

    boolean defaultNan() {
        return (fpcr & DN) != 0;
    }
}
