package io.deja.core.mmu;

import io.deja.core.cpu.SystemRegisters;
import io.deja.core.mem.Ram;

/**
 * The stage-1 translation table walk of the EL1&0 regime, ARMv8.0 as a
 * Cortex-A57 implements it (Arm ARM D8, pseudocode
 * AArch64.TranslationTableWalk): TTBR0/TTBR1 selected by VA bit 55, 4K, 16K
 * and 64K granules, T0SZ/T1SZ from 16 to 39, TBI, block and page descriptors
 * at every legal level, the hierarchical APTable/UXNTable/PXNTable controls,
 * output address size checks against TCR_EL1.IPS capped at the 44-bit PA
 * range, and the access flag (ARMv8.0 has no hardware update: AF = 0 faults).
 *
 * A walk reads descriptors from RAM only; a descriptor address outside RAM
 * is a synchronous external abort on the walk. One walker per vCPU: the
 * result fields are overwritten by each walk (nothing is allocated).
 */
final class TableWalker {
    /** ID_AA64MMFR0_EL1.PARange = 0b0100: 44-bit physical addresses. */
    static final int PA_BITS = 44;
    private static final int[] IPS_BITS = {32, 36, 40, 42, 44, 48, 52, 52};
    private static final int MIN_TSZ = 16, MAX_TSZ = 39;

    private final Ram ram;

    // ---- The result of the last walk --------------------------------------------------
    /** FSC of the fault, or -1 if the walk succeeded. */
    int fault;
    /** Level of the leaf descriptor (or of the fault). */
    int level;
    /** Output address of the walked VA. */
    long pa;
    /** log2 of the size of the page or block that maps it. */
    int blockShift;
    /** MAIR_EL1 attribute byte and SH[1:0] of the leaf. */
    int attr, shareability;
    /** AP[2:1] after APTable (bit 0: EL0 access, bit 1: read-only), and the execute-never bits after the table ones. */
    int ap;
    boolean uxn, pxn;
    /** nG = 0. */
    boolean global;

    TableWalker(Ram ram) {
        this.ram = ram;
    }

    /** Walks va with the registers' current values; the result is in the fields. Returns false on a fault. */
    boolean walk(SystemRegisters s, long va) {
        long tcr = s.tcrEl1;
        boolean upper = (va & (1L << 55)) != 0;
        int tsz, granuleBits;
        boolean epd, tbi;
        long ttbr;
        if (!upper) {
            tsz = (int) (tcr & 63);
            epd = (tcr & (1L << 7)) != 0;
            // TG0: 00 4K, 01 64K, 10 16K (11 reserved: QEMU 7.2 reads bit 14 first, so 64K).
            granuleBits = (tcr & (1L << 14)) != 0 ? 16 : (tcr & (1L << 15)) != 0 ? 14 : 12;
            tbi = (tcr & (1L << 37)) != 0;
            ttbr = s.ttbr0El1;
        } else {
            tsz = (int) ((tcr >>> 16) & 63);
            epd = (tcr & (1L << 23)) != 0;
            // TG1: 01 16K, 10 4K, 11 64K (00 reserved: 4K, as QEMU 7.2).
            int tg1 = (int) ((tcr >>> 30) & 3);
            granuleBits = tg1 == 1 ? 14 : tg1 == 3 ? 16 : 12;
            tbi = (tcr & (1L << 38)) != 0;
            ttbr = s.ttbr1El1;
        }
        // A TxSZ outside 16..39 is a level 0 Translation fault (one of the Arm ARM's
        // permitted behaviours, and QEMU's).
        if (tsz < MIN_TSZ || tsz > MAX_TSZ || epd) return fail(FaultStatus.TRANSLATION, 0);
        int inputBits = 64 - tsz;
        // Bits [top:inputBits] must all equal bit 55 (all zeros for TTBR0, all ones for TTBR1).
        int top = tbi ? 55 : 63;
        long above = (va << (63 - top)) >> (63 - top + inputBits);
        if (above != (upper ? -1L : 0L)) return fail(FaultStatus.TRANSLATION, 0);

        int stride = granuleBits - 3;
        int startLevel = 4 - (inputBits - granuleBits + stride - 1) / stride;
        int outputBits = Math.min(IPS_BITS[(int) ((tcr >>> 32) & 7)], PA_BITS);
        long oaMask = (1L << 48) - 1;

        int firstIndexBits = inputBits - (granuleBits + stride * (3 - startLevel));
        long table = ttbr & oaMask & -(8L << firstIndexBits);
        if ((table >>> outputBits) != 0) return fail(FaultStatus.ADDRESS_SIZE, 0);

        int apTable = 0;
        boolean uxnTable = false, pxnTable = false;
        int level = startLevel;
        for (;;) {
            int shift = granuleBits + stride * (3 - level);
            int indexBits = level == startLevel ? firstIndexBits : stride;
            long index = (va >>> shift) & ((1L << indexBits) - 1);
            long descAddr = table | (index << 3);
            if (!ram.contains(descAddr, 8)) return fail(FaultStatus.SYNC_EXTERNAL_WALK + level, level);
            long d = ram.peek64(descAddr);
            if ((d & 1) == 0) return fail(FaultStatus.TRANSLATION + level, level);
            if ((d & 2) != 0 && level < 3) {
                long next = d & oaMask & -(1L << granuleBits);
                if ((next >>> outputBits) != 0) return fail(FaultStatus.ADDRESS_SIZE + level, level);
                apTable |= (int) (d >>> 61) & 3;
                uxnTable |= (d & (1L << 60)) != 0;
                pxnTable |= (d & (1L << 59)) != 0;
                table = next;
                level++;
                continue;
            }
            // A page at level 3 has type 0b11; a block (type 0b01) exists from level 1
            // with 4K and from level 2 with 16K and 64K.
            boolean page = level == 3;
            if (page ? (d & 2) == 0 : level < (granuleBits == 12 ? 1 : 2)) {
                return fail(FaultStatus.TRANSLATION + level, level);
            }
            long oa = d & oaMask & -(1L << shift);
            if ((oa >>> outputBits) != 0) return fail(FaultStatus.ADDRESS_SIZE + level, level);
            if ((d & (1L << 10)) == 0) return fail(FaultStatus.ACCESS_FLAG + level, level);
            this.fault = -1;
            this.level = level;
            this.pa = oa | (va & ((1L << shift) - 1));
            this.blockShift = shift;
            this.attr = (int) (s.mairEl1 >>> (8 * ((d >>> 2) & 7))) & 0xFF;
            this.shareability = (int) (d >>> 8) & 3;
            int ap = (int) (d >>> 6) & 3;
            if ((apTable & 1) != 0) ap &= ~1;
            if ((apTable & 2) != 0) ap |= 2;
            this.ap = ap;
            this.uxn = uxnTable || (d & (1L << 54)) != 0;
            this.pxn = pxnTable || (d & (1L << 53)) != 0;
            this.global = (d & (1L << 11)) == 0;
            return true;
        }
    }

    private boolean fail(int fsc, int level) {
        this.fault = fsc;
        this.level = level;
        return false;
    }

    /** Whether a MAIR attribute byte is Device memory (0b0000dd00). */
    static boolean isDevice(int attr) {
        return (attr & 0xF0) == 0;
    }
}
