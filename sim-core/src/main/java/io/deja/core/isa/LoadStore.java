package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Loads and stores (Arm ARM C4.1.88, ARMv8.0 integer subset): single registers
 * in every addressing mode, literal loads, pairs, exclusives and
 * load-acquire/store-release. Each handler receives the fields named by its
 * row in a64.decode: imm9 and imm7 sign-extended, literal offsets in bytes;
 * scaling by the access size, which opc decides, is done here.
 *
 * Every method does its memory accesses first and only then writes
 * registers (a fault unwinds with ExceptionTaken and must leave no partial
 * register update), then sets the next PC.
 *
 * CONSTRAINED UNPREDICTABLE cases take the choice QEMU 7.2 makes
 * (target/arm/translate-a64.c: disas_ldst_reg_imm9, disas_ldst_pair,
 * disas_ldst_excl, gen_load_exclusive, gen_store_exclusive), each of which
 * is one of the options the Arm ARM allows:
 * <ul>
 * <li>Load with writeback and Rn == Rt (or Rt2), Rn != 31
 *     (Unpredictable_WBOVERLAPLD): Constraint_UNKNOWN; the base register ends
 *     up holding the written-back address (the writeback is the last write).
 * <li>Store with writeback and Rn == Rt (or Rt2), Rn != 31
 *     (Unpredictable_WBOVERLAPST): Constraint_NONE; the original register
 *     value is stored.
 * <li>LDP/LDPSW with Rt == Rt2 (Unpredictable_LDPOVERLAP): Constraint_UNKNOWN;
 *     the register holds the first element (the one at the lower address).
 * <li>LDXP/LDAXP with Rt == Rt2: Constraint_UNKNOWN; the register holds the
 *     second element (the one at the higher address).
 * <li>STXR/STXP with Rs == Rt, Rt2 or Rn (Unpredictable_DATAOVERLAP,
 *     Unpredictable_BASEOVERLAP): Constraint_NONE; the original register
 *     values are used as data and address, and Ws is written last.
 * <li>Should-be-one fields (Rt2 of LDXR/STXR/LDAR/STLR, Rs of LDXR/LDXP/LDAR/STLR)
 *     are ignored rather than UNDEFINED.
 * </ul>
 *
 * Where Deja and QEMU 7.2 differ, on purpose (the Arm ARM wins):
 * <ul>
 * <li>QEMU never takes SP alignment faults (gen_check_sp_alignment is empty);
 *     Deja does when SCTLR_EL1.SA/SA0 is set.
 * <li>QEMU's STXR compares the exclusive address first and, on a mismatch,
 *     fails without an alignment check; the Arm ARM
 *     (AArch64.ExclusiveMonitorsPass) checks alignment first, so a misaligned
 *     STXR always faults here.
 * <li>QEMU's STXR also succeeds only if memory still holds the value LDXR
 *     read (cmpxchg); Deja has a real local monitor (address and size), so a
 *     plain store in between that changes the value does not make it fail.
 * </ul>
 */
public final class LoadStore {
    private LoadStore() {}

    /** The imm9 forms (bits 11:10 of the word, fixed by each row): 00 unscaled, 01 post-index, 10 unprivileged, 11 pre-index. */
    private static final int IDX_UNSCALED = 0, IDX_POST = 1, IDX_UNPRIVILEGED = 2, IDX_PRE = 3;

    /**
     * The translation regime whose permissions an imm9-form access uses:
     * LDTR/STTR at EL1 check EL0's (regime 0); everything else the current EL's.
     */
    private static int regime(Cpu c, int idx) {
        return idx == IDX_UNPRIVILEGED ? 0 : c.el;
    }
    /** Bits 24:23 of the pair forms: 00 no-allocate offset, 01 post-index, 10 offset, 11 pre-index. */
    private static final int PAIR_NO_ALLOCATE = 0, PAIR_POST = 1;

    // ---- Shared pieces ----------------------------------------------------------

    /**
     * The base register value, Rn or SP. An access through SP checks its
     * alignment first (Arm ARM CheckSPAlignment): SCTLR_EL1.SA0 governs EL0,
     * SCTLR_EL1.SA governs EL1.
     */
    static long base(Cpu c, int rn) {
        if (rn != 31) return c.x[rn];
        long sp = c.sp;
        if ((sp & 15) != 0 && (c.sctlrEl1 & (c.el == 0 ? 1L << 4 : 1L << 3)) != 0) {
            throw c.spAlignmentFault();
        }
        return sp;
    }

    private static long signExtend(long value, int size) {
        int shift = 64 - (8 << size);
        return (value << shift) >> shift;
    }

    /**
     * LDRS* with opc = 1x at this size: size 11 (opc 10 is PRFM, matched by its
     * own pattern where one exists) and size 10 with opc 11 are unallocated.
     */
    private static boolean signedLoadUnallocated(int size, int opc0) {
        return size == 3 || (size == 2 && opc0 != 0);
    }

    /** Writes a sign-extended load: opc<0> = 0 extends to 64 bits (Xt), 1 to 32 bits (Wt). */
    private static void setSigned(Cpu c, int opc0, int rt, long value, int size) {
        long v = signExtend(value, size);
        if (opc0 == 0) c.setX(rt, v); else c.setW(rt, v);
    }

    /** Index register of the register-offset forms: option 010 UXTW, 011 LSL, 110 SXTW, 111 SXTX; S scales by the size. */
    static long registerOffset(Cpu c, int rm, int option, int scaled, int size) {
        return Alu.extend(c.x[rm], option, scaled != 0 ? size : 0);
    }

    /** option<1> = 0 would index with a byte or halfword: unallocated. */
    static boolean registerOffsetUnallocated(int option) {
        return (option & 2) == 0;
    }

    // ---- Unsigned offset (scaled imm12) --------------------------------------------

    /** LDR Xt, [Xn|SP, #pimm]: the commonest load, without a size switch (pimm: imm12 already scaled by 8). */
    public static void ldrXUimm(Cpu c, int pimm, int rn, int rt) {
        long address = base(c, rn) + pimm;
        c.setX(rt, c.mmu.read64(address));
        c.pc += 4;
    }

    /** STR Xt, [Xn|SP, #pimm]: the commonest store, without a size switch (pimm: imm12 already scaled by 8). */
    public static void strXUimm(Cpu c, int pimm, int rn, int rt) {
        long address = base(c, rn) + pimm;
        c.mmu.write64(address, c.x[rt]);
        c.pc += 4;
    }

    /** STRB, STRH, STR (immediate, unsigned offset) */
    public static void strUimm(Cpu c, int size, int imm12, int rn, int rt) {
        long address = base(c, rn) + ((long) imm12 << size);
        c.mmu.write(address, size, c.x[rt]);
        c.pc += 4;
    }

    /** LDRB, LDRH, LDR (immediate, unsigned offset) */
    public static void ldrUimm(Cpu c, int size, int imm12, int rn, int rt) {
        long address = base(c, rn) + ((long) imm12 << size);
        c.setX(rt, c.mmu.read(address, size));
        c.pc += 4;
    }

    /** LDRSB, LDRSH, LDRSW (immediate, unsigned offset) */
    public static void ldrsUimm(Cpu c, int size, int opc0, int imm12, int rn, int rt) {
        if (signedLoadUnallocated(size, opc0)) {
            c.undefined();
            return;
        }
        long address = base(c, rn) + ((long) imm12 << size);
        setSigned(c, opc0, rt, c.mmu.read(address, size), size);
        c.pc += 4;
    }

    /** PRFM (immediate): a hint; never checks SP alignment, never faults. */
    public static void prfmUimm(Cpu c) {
        c.pc += 4;
    }

    // ---- imm9 forms: unscaled, post-index, unprivileged, pre-index ------------------
    //
    // One implementation per direction serves all four forms: the form (bits
    // 11:10, fixed by each row) says whether the offset applies before the
    // access, whether Rn is written back and whose permissions are checked.
    // Each row has its own entry point so that the form is a constant there.

    /** STUR* */
    public static void stur(Cpu c, int size, int imm9, int rn, int rt) { storeImm9(c, IDX_UNSCALED, size, imm9, rn, rt); }
    /** STR* (immediate, post-index) */
    public static void strPost(Cpu c, int size, int imm9, int rn, int rt) { storeImm9(c, IDX_POST, size, imm9, rn, rt); }
    /** STTR*: checks EL0 permissions */
    public static void sttr(Cpu c, int size, int imm9, int rn, int rt) { storeImm9(c, IDX_UNPRIVILEGED, size, imm9, rn, rt); }
    /** STR* (immediate, pre-index) */
    public static void strPre(Cpu c, int size, int imm9, int rn, int rt) { storeImm9(c, IDX_PRE, size, imm9, rn, rt); }

    /** LDUR* (zero-extending) */
    public static void ldur(Cpu c, int size, int imm9, int rn, int rt) { loadImm9(c, IDX_UNSCALED, size, imm9, rn, rt); }
    /** LDR* (immediate, post-index, zero-extending) */
    public static void ldrPost(Cpu c, int size, int imm9, int rn, int rt) { loadImm9(c, IDX_POST, size, imm9, rn, rt); }
    /** LDTR* (zero-extending): checks EL0 permissions */
    public static void ldtr(Cpu c, int size, int imm9, int rn, int rt) { loadImm9(c, IDX_UNPRIVILEGED, size, imm9, rn, rt); }
    /** LDR* (immediate, pre-index, zero-extending) */
    public static void ldrPre(Cpu c, int size, int imm9, int rn, int rt) { loadImm9(c, IDX_PRE, size, imm9, rn, rt); }

    /** LDURS* */
    public static void ldurs(Cpu c, int size, int opc0, int imm9, int rn, int rt) { loadSignedImm9(c, IDX_UNSCALED, size, opc0, imm9, rn, rt); }
    /** LDRS* (immediate, post-index) */
    public static void ldrsPost(Cpu c, int size, int opc0, int imm9, int rn, int rt) { loadSignedImm9(c, IDX_POST, size, opc0, imm9, rn, rt); }
    /** LDTRS*: checks EL0 permissions */
    public static void ldtrs(Cpu c, int size, int opc0, int imm9, int rn, int rt) { loadSignedImm9(c, IDX_UNPRIVILEGED, size, opc0, imm9, rn, rt); }
    /** LDRS* (immediate, pre-index) */
    public static void ldrsPre(Cpu c, int size, int opc0, int imm9, int rn, int rt) { loadSignedImm9(c, IDX_PRE, size, opc0, imm9, rn, rt); }

    /** STUR*, STTR*, STR* pre- and post-index (idx picks the form): all sizes. STTR* checks EL0 permissions. */
    private static void storeImm9(Cpu c, int idx, int size, int imm9, int rn, int rt) {
        long base = base(c, rn);
        long offset = imm9;
        // Rt is read before the writeback: with Rn == Rt the original value is stored.
        c.mmu.write(idx == IDX_POST ? base : base + offset, size, c.x[rt], regime(c, idx));
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDUR*, LDTR*, LDR* pre- and post-index, zero-extending: all sizes. */
    private static void loadImm9(Cpu c, int idx, int size, int imm9, int rn, int rt) {
        long base = base(c, rn);
        long offset = imm9;
        long value = c.mmu.read(idx == IDX_POST ? base : base + offset, size, regime(c, idx));
        c.setX(rt, value);
        // Written after Rt: with Rn == Rt the written-back address wins (see class comment).
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDURS*, LDTRS*, LDRS* pre- and post-index; size 11 (no PRFM in these forms) is unallocated. */
    private static void loadSignedImm9(Cpu c, int idx, int size, int opc0, int imm9, int rn, int rt) {
        if (signedLoadUnallocated(size, opc0)) {
            c.undefined();
            return;
        }
        long base = base(c, rn);
        long offset = imm9;
        long value = c.mmu.read(idx == IDX_POST ? base : base + offset, size, regime(c, idx));
        setSigned(c, opc0, rt, value, size);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** PRFUM: a hint; never checks SP alignment, never faults. */
    public static void prfum(Cpu c) {
        c.pc += 4;
    }

    // ---- Register offset ----------------------------------------------------------------

    /** STRB, STRH, STR (register) */
    public static void strReg(Cpu c, int size, int rm, int option, int scaled, int rn, int rt) {
        if (registerOffsetUnallocated(option)) {
            c.undefined();
            return;
        }
        long address = base(c, rn) + registerOffset(c, rm, option, scaled, size);
        c.mmu.write(address, size, c.x[rt]);
        c.pc += 4;
    }

    /** LDRB, LDRH, LDR (register) */
    public static void ldrReg(Cpu c, int size, int rm, int option, int scaled, int rn, int rt) {
        if (registerOffsetUnallocated(option)) {
            c.undefined();
            return;
        }
        long address = base(c, rn) + registerOffset(c, rm, option, scaled, size);
        c.setX(rt, c.mmu.read(address, size));
        c.pc += 4;
    }

    /** LDRSB, LDRSH, LDRSW (register) */
    public static void ldrsReg(Cpu c, int size, int opc0, int rm, int option, int scaled, int rn, int rt) {
        if (registerOffsetUnallocated(option) || signedLoadUnallocated(size, opc0)) {
            c.undefined();
            return;
        }
        long address = base(c, rn) + registerOffset(c, rm, option, scaled, size);
        setSigned(c, opc0, rt, c.mmu.read(address, size), size);
        c.pc += 4;
    }

    /** PRFM (register): a hint, but a byte or halfword index is still unallocated. */
    public static void prfmReg(Cpu c, int option) {
        if (registerOffsetUnallocated(option)) {
            c.undefined();
            return;
        }
        c.pc += 4;
    }

    // ---- Literal (PC-relative; offset: imm19 words, in bytes) -------------------------------

    /** LDR Wt, label */
    public static void ldrLitW(Cpu c, int offset, int rt) {
        c.setX(rt, c.mmu.read32(c.pc + offset));
        c.pc += 4;
    }

    /** LDR Xt, label */
    public static void ldrLitX(Cpu c, int offset, int rt) {
        c.setX(rt, c.mmu.read64(c.pc + offset));
        c.pc += 4;
    }

    /** LDRSW Xt, label */
    public static void ldrswLit(Cpu c, int offset, int rt) {
        c.setX(rt, (int) c.mmu.read32(c.pc + offset));
        c.pc += 4;
    }

    /** PRFM (literal): a hint, never faults. */
    public static void prfmLit(Cpu c) {
        c.pc += 4;
    }

    // ---- Pairs ---------------------------------------------------------------------------
    //
    // Each element is its own access aligned to the element size (not to the
    // pair): both elements share their alignment, so a misaligned pair faults
    // on the first access, before anything changed. imm7 arrives sign-extended;
    // its scale depends on opc, so it is applied here.

    /** STP, STNP (32- and 64-bit) */
    public static void stp(Cpu c, int opc, int idx, int imm7, int rt2, int rn, int rt) {
        // opc 01 is STGP (ARMv8.5-MemTag) and 11 is reserved: both unallocated in ARMv8.0.
        if ((opc & 1) != 0) {
            c.undefined();
            return;
        }
        int size = 2 + (opc >>> 1);
        long base = base(c, rn);
        long offset = (long) imm7 << size;
        long address = idx == PAIR_POST ? base : base + offset;
        // Read before the writeback: with Rn == Rt or Rt2 the original value is stored.
        c.mmu.write(address, size, c.x[rt]);
        c.mmu.write(address + (1 << size), size, c.x[rt2]);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDP, LDNP (32- and 64-bit) */
    public static void ldp(Cpu c, int opc, int idx, int imm7, int rt2, int rn, int rt) {
        if (opc == 1) {
            ldpsw(c, idx, imm7, rt2, rn, rt); // the LDPSW row normally claims these
            return;
        }
        if (opc == 3) {
            c.undefined();
            return;
        }
        int size = 2 + (opc >>> 1);
        long base = base(c, rn);
        long offset = (long) imm7 << size;
        long address = idx == PAIR_POST ? base : base + offset;
        long first = c.mmu.read(address, size);
        long second = c.mmu.read(address + (1 << size), size);
        // Rt last so that Rt == Rt2 holds the first element; writeback after
        // both so that Rn == Rt/Rt2 holds the address (see class comment).
        c.setX(rt2, second);
        c.setX(rt, first);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDPSW (offset, pre-index, post-index; there is no no-allocate form) */
    public static void ldpsw(Cpu c, int idx, int imm7, int rt2, int rn, int rt) {
        if (idx == PAIR_NO_ALLOCATE) {
            c.undefined();
            return;
        }
        long base = base(c, rn);
        long offset = (long) imm7 << 2;
        long address = idx == PAIR_POST ? base : base + offset;
        long first = (int) c.mmu.read32(address);
        long second = (int) c.mmu.read32(address + 4);
        c.setX(rt2, second);
        c.setX(rt, first);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    // ---- Exclusives and acquire/release -----------------------------------------------------
    //
    // The local exclusive monitor lives in Cpu: exclusiveValid, exclusiveAddr and
    // exclusiveSize (bytes covered: the access size, or both elements of a pair).
    // A store-exclusive passes only if the monitor covers exactly its address and
    // size; pass or fail, it clears the monitor. These accesses must be naturally
    // aligned (pairs: to the pair) on any memory type, so alignment is checked
    // explicitly before any access rather than left to the memory path.

    private static void markExclusive(Cpu c, long address, int bytes) {
        c.exclusiveValid = true;
        c.exclusiveAddr = address;
        c.exclusiveSize = bytes;
        if (c.monitor != null) c.monitor.reserve(c, c.mmu.ramOffsetForMonitor(address));
    }

    /** Arm ARM AArch64.ExclusiveMonitorsPass, after the alignment check: tests and clears the local monitor. */
    private static boolean exclusiveMonitorsPass(Cpu c, long address, int bytes) {
        boolean pass = c.exclusiveValid && c.exclusiveAddr == address && c.exclusiveSize == bytes;
        c.exclusiveValid = false;
        return pass;
    }

    /** LDXR, LDAXR (acquire needs nothing more on a single PE) */
    public static void ldxr(Cpu c, int size, int rn, int rt) {
        long address = base(c, rn);
        c.mmu.checkAlignment(address, 1 << size, false);
        long value = c.mmu.read(address, size);
        markExclusive(c, address, 1 << size);
        c.setX(rt, value);
        c.pc += 4;
    }

    /** STXR, STLXR: Ws = 0 if the store was performed, 1 if not. */
    public static void stxr(Cpu c, int size, int rs, int rn, int rt) {
        long address = base(c, rn);
        c.mmu.checkAlignment(address, 1 << size, true);
        boolean pass = exclusiveMonitorsPass(c, address, 1 << size);
        if (pass) c.mmu.write(address, size, c.x[rt]);
        c.setW(rs, pass ? 0 : 1);
        c.pc += 4;
    }

    /** LDXP, LDAXP: 32-bit pairs (sz = 0) are one 64-bit access; 64-bit pairs are two, aligned to 16. */
    public static void ldxp(Cpu c, int sz, int rt2, int rn, int rt) {
        long address = base(c, rn);
        long first, second;
        if (sz == 0) {
            c.mmu.checkAlignment(address, 8, false);
            long both = c.mmu.read64(address);
            first = both & 0xFFFF_FFFFL;
            second = both >>> 32;
            markExclusive(c, address, 8);
        } else {
            c.mmu.checkAlignment(address, 16, false);
            first = c.mmu.read64(address);
            second = c.mmu.read64(address + 8);
            markExclusive(c, address, 16);
        }
        // Rt2 last: with Rt == Rt2 the register holds the second element (as QEMU 7.2).
        c.setX(rt, first);
        c.setX(rt2, second);
        c.pc += 4;
    }

    /** STXP, STLXP: Ws = 0 if the pair was stored, 1 if not. */
    public static void stxp(Cpu c, int sz, int rs, int rt2, int rn, int rt) {
        long address = base(c, rn);
        long first = c.x[rt], second = c.x[rt2];
        boolean pass;
        if (sz == 0) {
            c.mmu.checkAlignment(address, 8, true);
            pass = exclusiveMonitorsPass(c, address, 8);
            if (pass) c.mmu.write64(address, (second << 32) | (first & 0xFFFF_FFFFL));
        } else {
            c.mmu.checkAlignment(address, 16, true);
            pass = exclusiveMonitorsPass(c, address, 16);
            if (pass) {
                c.mmu.write64(address, first);
                c.mmu.write64(address + 8, second);
            }
        }
        c.setW(rs, pass ? 0 : 1);
        c.pc += 4;
    }

    /** STLR (release needs nothing more on a single PE) */
    public static void stlr(Cpu c, int size, int rn, int rt) {
        long address = base(c, rn);
        c.mmu.checkAlignment(address, 1 << size, true);
        c.mmu.write(address, size, c.x[rt]);
        c.pc += 4;
    }

    /** LDAR (acquire needs nothing more on a single PE) */
    public static void ldar(Cpu c, int size, int rn, int rt) {
        long address = base(c, rn);
        c.mmu.checkAlignment(address, 1 << size, false);
        c.setX(rt, c.mmu.read(address, size));
        c.pc += 4;
    }
}
