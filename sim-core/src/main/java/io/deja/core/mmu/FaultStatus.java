package io.deja.core.mmu;

/**
 * Fault status codes of the long-descriptor format (DFSC/IFSC in ESR_EL1,
 * FST in PAR_EL1; Arm ARM D17.2.37). The level-dependent ones are the base
 * code plus the lookup level (0-3).
 */
public final class FaultStatus {
    private FaultStatus() {}

    public static final int ADDRESS_SIZE = 0b000000;
    public static final int TRANSLATION = 0b000100;
    public static final int ACCESS_FLAG = 0b001000;
    public static final int PERMISSION = 0b001100;
    /** Synchronous External abort, not on a translation table walk. */
    public static final int SYNC_EXTERNAL = 0b010000;
    /** Synchronous External abort on a translation table walk. */
    public static final int SYNC_EXTERNAL_WALK = 0b010100;
    public static final int ALIGNMENT = 0b100001;
}
