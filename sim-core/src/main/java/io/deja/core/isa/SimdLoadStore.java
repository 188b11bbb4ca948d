package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * SIMD&FP register loads and stores (Arm ARM C4.1.88, the groups with V = 1):
 * LDR/STR of B, H, S, D and Q registers with unsigned offset, pre-index,
 * post-index and register offset, LDUR/STUR, LDR (literal) and
 * LDP/STP/LDNP/STNP. Loads write the whole register: the bits above the
 * access are cleared.
 *
 * Order of checks, as the pseudocode: reserved encodings are UNDEFINED
 * first (decode), then the CPACR_EL1.FPEN trap, then SP alignment, then the
 * accesses. A 128-bit access is two 64-bit accesses (Mem[] for AccType_VEC)
 * that must still be aligned to 16 where alignment is checked
 * ({@link io.deja.core.mmu.Mmu#checkQuadAlignment}).
 *
 * Loads read every element before writing any register, so a fault part way
 * (a pair or a Q register crossing into a page that faults) leaves the
 * registers as they were; the Arm ARM makes them UNKNOWN, so this is allowed,
 * and it is what LoadStore does for the integer forms. QEMU 7.2 loads a pair
 * straight into Rt, then Rt2, so after a fault on the second element its Rt
 * has changed: the differential generator never makes a load fault part way
 * (its page-crossing accesses cross into readable code). Stores are made
 * element by element (the first half of a Q register, the first register of a
 * pair, before the second): memory before the faulting access is written,
 * as in QEMU and as the Arm ARM allows.
 *
 * CONSTRAINED UNPREDICTABLE: LDP with Rt == Rt2 leaves the second element in
 * the register (QEMU 7.2 loads Rt2 last; the integer LDP keeps the first).
 */
public final class SimdLoadStore {
    private SimdLoadStore() {}

    /** The imm9 forms (bits 11:10, fixed by each row); 10 (unprivileged) is unallocated with V = 1. */
    private static final int IDX_UNSCALED = 0, IDX_POST = 1, IDX_PRE = 3;
    /** Bits 24:23 of the pair forms. */
    private static final int PAIR_POST = 1;

    /** log2 of the access size in bytes: opc<1>:size, 0 (B) to 4 (Q); above 4 is unallocated. */
    private static int scale(int size, int opc1) {
        return (opc1 << 2) | size;
    }

    /** Reads 1 << scale bytes at address into {@code c.simdScratch[k]} (low) and {@code [k + 1]} (high). */
    private static void load(Cpu c, long address, int scale, int k) {
        long[] buf = c.simdScratch;
        if (scale == 4) {
            c.mmu.checkQuadAlignment(address, false);
            buf[k] = c.mmu.read64(address);
            buf[k + 1] = c.mmu.read64(address + 8);
        } else {
            buf[k] = c.mmu.read(address, scale);
            buf[k + 1] = 0;
        }
    }

    /** Writes the low 1 << scale bytes of V[t] at address. */
    private static void store(Cpu c, long address, int scale, int t) {
        long lo = c.v[2 * t];
        if (scale == 4) {
            long hi = c.v[2 * t + 1];
            c.mmu.checkQuadAlignment(address, true);
            c.mmu.write64(address, lo);
            c.mmu.write64(address + 8, hi);
        } else {
            c.mmu.write(address, scale, lo);
        }
    }

    private static void setFromScratch(Cpu c, int t, int k) {
        c.v[2 * t] = c.simdScratch[k];
        c.v[2 * t + 1] = c.simdScratch[k + 1];
    }

    // ---- Unsigned offset ------------------------------------------------------------------

    /** STR (immediate, SIMD&FP), unsigned offset */
    public static void strUimm(Cpu c, int size, int opc1, int imm12, int rn, int rt) {
        int scale = scale(size, opc1);
        if (scale > 4) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        store(c, LoadStore.base(c, rn) + ((long) imm12 << scale), scale, rt);
        c.pc += 4;
    }

    /** LDR (immediate, SIMD&FP), unsigned offset */
    public static void ldrUimm(Cpu c, int size, int opc1, int imm12, int rn, int rt) {
        int scale = scale(size, opc1);
        if (scale > 4) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        load(c, LoadStore.base(c, rn) + ((long) imm12 << scale), scale, 0);
        setFromScratch(c, rt, 0);
        c.pc += 4;
    }

    // ---- imm9: unscaled, post-index, pre-index ------------------------------------------------

    /** STUR (SIMD&FP) */
    public static void stur(Cpu c, int size, int opc1, int imm9, int rn, int rt) { storeImm9(c, IDX_UNSCALED, size, opc1, imm9, rn, rt); }
    /** STR (immediate, SIMD&FP), post-index */
    public static void strPost(Cpu c, int size, int opc1, int imm9, int rn, int rt) { storeImm9(c, IDX_POST, size, opc1, imm9, rn, rt); }
    /** STR (immediate, SIMD&FP), pre-index */
    public static void strPre(Cpu c, int size, int opc1, int imm9, int rn, int rt) { storeImm9(c, IDX_PRE, size, opc1, imm9, rn, rt); }
    /** LDUR (SIMD&FP) */
    public static void ldur(Cpu c, int size, int opc1, int imm9, int rn, int rt) { loadImm9(c, IDX_UNSCALED, size, opc1, imm9, rn, rt); }
    /** LDR (immediate, SIMD&FP), post-index */
    public static void ldrPost(Cpu c, int size, int opc1, int imm9, int rn, int rt) { loadImm9(c, IDX_POST, size, opc1, imm9, rn, rt); }
    /** LDR (immediate, SIMD&FP), pre-index */
    public static void ldrPre(Cpu c, int size, int opc1, int imm9, int rn, int rt) { loadImm9(c, IDX_PRE, size, opc1, imm9, rn, rt); }

    private static void storeImm9(Cpu c, int idx, int size, int opc1, int imm9, int rn, int rt) {
        int scale = scale(size, opc1);
        if (scale > 4) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long base = LoadStore.base(c, rn);
        store(c, idx == IDX_POST ? base : base + imm9, scale, rt);
        if (idx != IDX_UNSCALED) c.setXOrSp(rn, base + imm9);
        c.pc += 4;
    }

    private static void loadImm9(Cpu c, int idx, int size, int opc1, int imm9, int rn, int rt) {
        int scale = scale(size, opc1);
        if (scale > 4) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long base = LoadStore.base(c, rn);
        load(c, idx == IDX_POST ? base : base + imm9, scale, 0);
        setFromScratch(c, rt, 0);
        if (idx != IDX_UNSCALED) c.setXOrSp(rn, base + imm9);
        c.pc += 4;
    }

    // ---- Register offset ----------------------------------------------------------------------

    /** STR (register, SIMD&FP): S scales the index by the access size. */
    public static void strReg(Cpu c, int size, int opc1, int rm, int option, int scaled, int rn, int rt) {
        int scale = scale(size, opc1);
        if (scale > 4 || LoadStore.registerOffsetUnallocated(option)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long address = LoadStore.base(c, rn) + LoadStore.registerOffset(c, rm, option, scaled, scale);
        store(c, address, scale, rt);
        c.pc += 4;
    }

    /** LDR (register, SIMD&FP) */
    public static void ldrReg(Cpu c, int size, int opc1, int rm, int option, int scaled, int rn, int rt) {
        int scale = scale(size, opc1);
        if (scale > 4 || LoadStore.registerOffsetUnallocated(option)) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long address = LoadStore.base(c, rn) + LoadStore.registerOffset(c, rm, option, scaled, scale);
        load(c, address, scale, 0);
        setFromScratch(c, rt, 0);
        c.pc += 4;
    }

    // ---- Literal --------------------------------------------------------------------------------

    /** LDR (literal, SIMD&FP): opc 00 S, 01 D, 10 Q; 11 is unallocated. offset: in bytes. */
    public static void ldrLit(Cpu c, int opc, int offset, int rt) {
        if (opc == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        load(c, c.pc + offset, 2 + opc, 0);
        setFromScratch(c, rt, 0);
        c.pc += 4;
    }

    // ---- Pairs ----------------------------------------------------------------------------------
    //
    // opc 00 S, 01 D, 10 Q (11 unallocated); imm7 is scaled by the element size.
    // Bits 24:23: 00 no-allocate (LDNP/STNP, an offset form), 01 post-index,
    // 10 offset, 11 pre-index.

    /** STP, STNP (SIMD&FP) */
    public static void stp(Cpu c, int opc, int idx, int imm7, int rt2, int rn, int rt) {
        if (opc == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int scale = 2 + opc;
        long base = LoadStore.base(c, rn);
        long offset = (long) imm7 << scale;
        long address = idx == PAIR_POST ? base : base + offset;
        store(c, address, scale, rt);
        store(c, address + (1L << scale), scale, rt2);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDP, LDNP (SIMD&FP) */
    public static void ldp(Cpu c, int opc, int idx, int imm7, int rt2, int rn, int rt) {
        if (opc == 3) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        int scale = 2 + opc;
        long base = LoadStore.base(c, rn);
        long offset = (long) imm7 << scale;
        long address = idx == PAIR_POST ? base : base + offset;
        load(c, address, scale, 0);
        load(c, address + (1L << scale), scale, 2);
        setFromScratch(c, rt, 0);
        setFromScratch(c, rt2, 2);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }
}
