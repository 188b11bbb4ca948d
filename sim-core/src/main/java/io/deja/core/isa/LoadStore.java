package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Loads and stores (Arm ARM C4.1.88, ARMv8.0 integer subset): single registers
 * in every addressing mode, literal loads, pairs, exclusives and
 * load-acquire/store-release.
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

    // ---- Field extraction -------------------------------------------------------
    private static int rt(int insn) { return insn & 31; }
    private static int rn(int insn) { return (insn >>> 5) & 31; }
    private static int rt2(int insn) { return (insn >>> 10) & 31; }
    private static int rs(int insn) { return (insn >>> 16) & 31; }
    /** size<1:0> (bits 31:30): log2 of the access size in bytes. */
    private static int size(int insn) { return insn >>> 30; }
    /** imm9 (bits 20:12), sign-extended. */
    private static long imm9(int insn) { return (insn << 11) >> 23; }
    /** imm7 (bits 21:15), sign-extended. */
    private static long imm7(int insn) { return (insn << 10) >> 25; }
    /** imm19 (bits 23:5), sign-extended and scaled by 4. */
    private static long literalOffset(int insn) { return (long) ((insn << 8) >> 13) << 2; }

    /** Bits 11:10 of the imm9 forms: 00 unscaled, 01 post-index, 10 unprivileged, 11 pre-index. */
    private static final int IDX_POST = 1, IDX_UNPRIVILEGED = 2;

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
    private static long base(Cpu c, int rn) {
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
    private static boolean signedLoadUnallocated(int insn, int size) {
        return size == 3 || (size == 2 && (insn & (1 << 22)) != 0);
    }

    /** Writes a sign-extended load: opc<0> = 0 extends to 64 bits (Xt), 1 to 32 bits (Wt). */
    private static void setSigned(Cpu c, int insn, long value, int size) {
        long v = signExtend(value, size);
        if ((insn & (1 << 22)) == 0) c.setX(rt(insn), v); else c.setW(rt(insn), v);
    }

    /** Index register of the register-offset forms: option 010 UXTW, 011 LSL, 110 SXTW, 111 SXTX; S scales by the size. */
    private static long registerOffset(Cpu c, int insn, int size) {
        int option = (insn >>> 13) & 7;
        int shift = (insn & (1 << 12)) != 0 ? size : 0;
        return Alu.extend(c.x[(insn >>> 16) & 31], option, shift);
    }

    /** option<1> = 0 would index with a byte or halfword: unallocated. */
    private static boolean registerOffsetUnallocated(int insn) {
        return (insn & (1 << 14)) == 0;
    }

    // ---- Unsigned offset (scaled imm12) --------------------------------------------

    /** LDR Xt, [Xn|SP, #pimm]: the commonest load, without a size switch. */
    public static void ldrXUimm(Cpu c, int insn) {
        long address = base(c, rn(insn)) + ((long) ((insn >>> 10) & 0xFFF) << 3);
        c.setX(rt(insn), c.mmu.read64(address));
        c.pc += 4;
    }

    /** STR Xt, [Xn|SP, #pimm]: the commonest store, without a size switch. */
    public static void strXUimm(Cpu c, int insn) {
        long address = base(c, rn(insn)) + ((long) ((insn >>> 10) & 0xFFF) << 3);
        c.mmu.write64(address, c.x[rt(insn)]);
        c.pc += 4;
    }

    /** STRB, STRH, STR (immediate, unsigned offset) */
    public static void strUimm(Cpu c, int insn) {
        int size = size(insn);
        long address = base(c, rn(insn)) + ((long) ((insn >>> 10) & 0xFFF) << size);
        c.mmu.write(address, size, c.x[rt(insn)]);
        c.pc += 4;
    }

    /** LDRB, LDRH, LDR (immediate, unsigned offset) */
    public static void ldrUimm(Cpu c, int insn) {
        int size = size(insn);
        long address = base(c, rn(insn)) + ((long) ((insn >>> 10) & 0xFFF) << size);
        c.setX(rt(insn), c.mmu.read(address, size));
        c.pc += 4;
    }

    /** LDRSB, LDRSH, LDRSW (immediate, unsigned offset) */
    public static void ldrsUimm(Cpu c, int insn) {
        int size = size(insn);
        if (signedLoadUnallocated(insn, size)) {
            c.undefined();
            return;
        }
        long address = base(c, rn(insn)) + ((long) ((insn >>> 10) & 0xFFF) << size);
        setSigned(c, insn, c.mmu.read(address, size), size);
        c.pc += 4;
    }

    /** PRFM (immediate): a hint; never checks SP alignment, never faults. */
    public static void prfmUimm(Cpu c, int insn) {
        c.pc += 4;
    }

    // ---- imm9 forms: unscaled, post-index, unprivileged, pre-index ------------------
    //
    // One implementation per direction serves all four forms: bits 11:10 say
    // whether the offset applies before the access and whether Rn is written back.

    /** STUR*, STTR*, STR* pre- and post-index (bits 11:10 pick the form): all sizes. STTR* checks EL0 permissions. */
    public static void storeImm9(Cpu c, int insn) {
        int size = size(insn), rn = rn(insn);
        int idx = (insn >>> 10) & 3;
        long base = base(c, rn);
        long offset = imm9(insn);
        // Rt is read before the writeback: with Rn == Rt the original value is stored.
        c.mmu.write(idx == IDX_POST ? base : base + offset, size, c.x[rt(insn)], regime(c, idx));
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDUR*, LDTR*, LDR* pre- and post-index, zero-extending: all sizes. */
    public static void loadImm9(Cpu c, int insn) {
        int size = size(insn), rn = rn(insn);
        int idx = (insn >>> 10) & 3;
        long base = base(c, rn);
        long offset = imm9(insn);
        long value = c.mmu.read(idx == IDX_POST ? base : base + offset, size, regime(c, idx));
        c.setX(rt(insn), value);
        // Written after Rt: with Rn == Rt the written-back address wins (see class comment).
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDURS*, LDTRS*, LDRS* pre- and post-index; size 11 (no PRFM in these forms) is unallocated. */
    public static void loadSignedImm9(Cpu c, int insn) {
        int size = size(insn), rn = rn(insn);
        if (signedLoadUnallocated(insn, size)) {
            c.undefined();
            return;
        }
        int idx = (insn >>> 10) & 3;
        long base = base(c, rn);
        long offset = imm9(insn);
        long value = c.mmu.read(idx == IDX_POST ? base : base + offset, size, regime(c, idx));
        setSigned(c, insn, value, size);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** PRFUM: a hint; never checks SP alignment, never faults. */
    public static void prfum(Cpu c, int insn) {
        c.pc += 4;
    }

    // ---- Register offset ----------------------------------------------------------------

    /** STRB, STRH, STR (register) */
    public static void strReg(Cpu c, int insn) {
        if (registerOffsetUnallocated(insn)) {
            c.undefined();
            return;
        }
        int size = size(insn);
        long address = base(c, rn(insn)) + registerOffset(c, insn, size);
        c.mmu.write(address, size, c.x[rt(insn)]);
        c.pc += 4;
    }

    /** LDRB, LDRH, LDR (register) */
    public static void ldrReg(Cpu c, int insn) {
        if (registerOffsetUnallocated(insn)) {
            c.undefined();
            return;
        }
        int size = size(insn);
        long address = base(c, rn(insn)) + registerOffset(c, insn, size);
        c.setX(rt(insn), c.mmu.read(address, size));
        c.pc += 4;
    }

    /** LDRSB, LDRSH, LDRSW (register) */
    public static void ldrsReg(Cpu c, int insn) {
        int size = size(insn);
        if (registerOffsetUnallocated(insn) || signedLoadUnallocated(insn, size)) {
            c.undefined();
            return;
        }
        long address = base(c, rn(insn)) + registerOffset(c, insn, size);
        setSigned(c, insn, c.mmu.read(address, size), size);
        c.pc += 4;
    }

    /** PRFM (register): a hint, but a byte or halfword index is still unallocated. */
    public static void prfmReg(Cpu c, int insn) {
        if (registerOffsetUnallocated(insn)) {
            c.undefined();
            return;
        }
        c.pc += 4;
    }

    // ---- Literal (PC-relative) -----------------------------------------------------------

    /** LDR Wt, label */
    public static void ldrLitW(Cpu c, int insn) {
        c.setX(rt(insn), c.mmu.read32(c.pc + literalOffset(insn)));
        c.pc += 4;
    }

    /** LDR Xt, label */
    public static void ldrLitX(Cpu c, int insn) {
        c.setX(rt(insn), c.mmu.read64(c.pc + literalOffset(insn)));
        c.pc += 4;
    }

    /** LDRSW Xt, label */
    public static void ldrswLit(Cpu c, int insn) {
        c.setX(rt(insn), (int) c.mmu.read32(c.pc + literalOffset(insn)));
        c.pc += 4;
    }

    /** PRFM (literal): a hint, never faults. */
    public static void prfmLit(Cpu c, int insn) {
        c.pc += 4;
    }

    // ---- Pairs ---------------------------------------------------------------------------
    //
    // Each element is its own access aligned to the element size (not to the
    // pair): both elements share their alignment, so a misaligned pair faults
    // on the first access, before anything changed.

    /** STP, STNP (32- and 64-bit) */
    public static void stp(Cpu c, int insn) {
        int opc = insn >>> 30;
        // opc 01 is STGP (ARMv8.5-MemTag) and 11 is reserved: both unallocated in ARMv8.0.
        if ((opc & 1) != 0) {
            c.undefined();
            return;
        }
        int size = 2 + (opc >>> 1);
        int rn = rn(insn);
        int idx = (insn >>> 23) & 3;
        long base = base(c, rn);
        long offset = imm7(insn) << size;
        long address = idx == PAIR_POST ? base : base + offset;
        // Read before the writeback: with Rn == Rt or Rt2 the original value is stored.
        c.mmu.write(address, size, c.x[rt(insn)]);
        c.mmu.write(address + (1 << size), size, c.x[rt2(insn)]);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDP, LDNP (32- and 64-bit) */
    public static void ldp(Cpu c, int insn) {
        int opc = insn >>> 30;
        if (opc == 1) {
            ldpsw(c, insn); // the LDPSW row normally claims these
            return;
        }
        if (opc == 3) {
            c.undefined();
            return;
        }
        int size = 2 + (opc >>> 1);
        int rn = rn(insn);
        int idx = (insn >>> 23) & 3;
        long base = base(c, rn);
        long offset = imm7(insn) << size;
        long address = idx == PAIR_POST ? base : base + offset;
        long first = c.mmu.read(address, size);
        long second = c.mmu.read(address + (1 << size), size);
        // Rt last so that Rt == Rt2 holds the first element; writeback after
        // both so that Rn == Rt/Rt2 holds the address (see class comment).
        c.setX(rt2(insn), second);
        c.setX(rt(insn), first);
        if ((idx & 1) != 0) c.setXOrSp(rn, base + offset);
        c.pc += 4;
    }

    /** LDPSW (offset, pre-index, post-index; there is no no-allocate form) */
    public static void ldpsw(Cpu c, int insn) {
        int idx = (insn >>> 23) & 3;
        if (idx == PAIR_NO_ALLOCATE) {
            c.undefined();
            return;
        }
        int rn = rn(insn);
        long base = base(c, rn);
        long offset = imm7(insn) << 2;
        long address = idx == PAIR_POST ? base : base + offset;
        long first = (int) c.mmu.read32(address);
        long second = (int) c.mmu.read32(address + 4);
        c.setX(rt2(insn), second);
        c.setX(rt(insn), first);
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
    }

    /** Arm ARM AArch64.ExclusiveMonitorsPass, after the alignment check: tests and clears the local monitor. */
    private static boolean exclusiveMonitorsPass(Cpu c, long address, int bytes) {
        boolean pass = c.exclusiveValid && c.exclusiveAddr == address && c.exclusiveSize == bytes;
        c.exclusiveValid = false;
        return pass;
    }

    /** LDXR, LDAXR (acquire needs nothing more on a single PE) */
    public static void ldxr(Cpu c, int insn) {
        int size = size(insn);
        long address = base(c, rn(insn));
        c.mmu.checkAlignment(address, 1 << size, false);
        long value = c.mmu.read(address, size);
        markExclusive(c, address, 1 << size);
        c.setX(rt(insn), value);
        c.pc += 4;
    }

    /** STXR, STLXR: Ws = 0 if the store was performed, 1 if not. */
    public static void stxr(Cpu c, int insn) {
        int size = size(insn);
        long address = base(c, rn(insn));
        c.mmu.checkAlignment(address, 1 << size, true);
        boolean pass = exclusiveMonitorsPass(c, address, 1 << size);
        if (pass) c.mmu.write(address, size, c.x[rt(insn)]);
        c.setW(rs(insn), pass ? 0 : 1);
        c.pc += 4;
    }

    /** LDXP, LDAXP: 32-bit pairs are one 64-bit access; 64-bit pairs are two, aligned to 16. */
    public static void ldxp(Cpu c, int insn) {
        long address = base(c, rn(insn));
        long first, second;
        if ((insn & (1 << 30)) == 0) {
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
        c.setX(rt(insn), first);
        c.setX(rt2(insn), second);
        c.pc += 4;
    }

    /** STXP, STLXP: Ws = 0 if the pair was stored, 1 if not. */
    public static void stxp(Cpu c, int insn) {
        long address = base(c, rn(insn));
        long first = c.x[rt(insn)], second = c.x[rt2(insn)];
        boolean pass;
        if ((insn & (1 << 30)) == 0) {
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
        c.setW(rs(insn), pass ? 0 : 1);
        c.pc += 4;
    }

    /** STLR (release needs nothing more on a single PE) */
    public static void stlr(Cpu c, int insn) {
        int size = size(insn);
        long address = base(c, rn(insn));
        c.mmu.checkAlignment(address, 1 << size, true);
        c.mmu.write(address, size, c.x[rt(insn)]);
        c.pc += 4;
    }

    /** LDAR (acquire needs nothing more on a single PE) */
    public static void ldar(Cpu c, int insn) {
        int size = size(insn);
        long address = base(c, rn(insn));
        c.mmu.checkAlignment(address, 1 << size, false);
        c.setX(rt(insn), c.mmu.read(address, size));
        c.pc += 4;
    }
}
