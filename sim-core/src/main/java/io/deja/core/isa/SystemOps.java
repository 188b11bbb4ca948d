package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.trace.TraceSink;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.vm.ExitKind;

/**
 * System instructions (Arm ARM C5.2-C5.3): hints, barriers, CLREX, MSR
 * (immediate), SYS/SYSL (cache, TLB and address translation operations) and
 * MRS/MSR (register), whose register map is {@link SysRegs}.
 *
 * One in-order PE without a cache model: barriers and cache maintenance by
 * set/way have no effect, cache maintenance by VA only translates its address
 * (and may fault), IC invalidations forget decoded code, TLB maintenance and
 * AT go to the vCPU's {@link io.deja.core.mmu.Mmu}.
 *
 * Each handler receives the fields its row in a64.decode names: op1, CRn,
 * CRm, op2 and Rt where the encoding has them (op0 is fixed by the row, or
 * o0 = op0<0> for MRS/MSR, whose op0<1> is always 1).
 */
public final class SystemOps {
    private SystemOps() {}

    private static final int PSTATE_SPSEL = 0b000_101, PSTATE_DAIFSET = 0b011_110, PSTATE_DAIFCLR = 0b011_111;
    private static final int HINT_WFE = 2, HINT_WFI = 3;

    /** MSR (immediate): SPSel, DAIFSet and DAIFClr. PAN, UAO and the later PSTATE fields are UNDEFINED in ARMv8.0. */
    public static void msrImm(Cpu c, int op1, int crm, int op2) {
        long oldSpsel = c.spx ? 1 : 0, oldDaif = c.daif;
        switch ((op1 << 3) | op2) {
            case PSTATE_SPSEL -> {
                if (c.el == 0) {
                    c.undefined();
                    return;
                }
                c.setElAndSp(c.el, (crm & 1) != 0);
            }
            case PSTATE_DAIFSET, PSTATE_DAIFCLR -> {
                if (c.el == 0 && (c.sctlrEl1 & SysRegs.SCTLR_UMA) == 0) {
                    // QEMU 7.2 swaps Op1 and Op2 in this syndrome; the Arm ARM's field order is used here.
                    c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(0, op1, 4, crm, op2, 31, false));
                    return;
                }
                if (op2 == (PSTATE_DAIFSET & 7)) c.daif |= crm << 6;
                else c.daif &= ~(crm << 6);
                // An interrupt that was masked may be taken before the next instruction.
                c.requestService();
            }
            default -> {
                c.undefined();
                return;
            }
        }
        if (c.trace != TraceSink.NONE) {
            boolean spsel = ((op1 << 3) | op2) == PSTATE_SPSEL;
            c.trace.sysregWrite(c.executingInstruction(), c.pc, spsel ? ENC_SPSEL : ENC_DAIF,
                    spsel ? oldSpsel : oldDaif, spsel ? (c.spx ? 1 : 0) : c.daif);
        }
        c.pc += 4;
    }

    /** MRS/MSR encodings of SPSel and DAIF, under which MSR (immediate) writes are reported. */
    private static final int ENC_SPSEL = (3 << 14) | (0 << 11) | (4 << 7) | (2 << 3) | 0;
    private static final int ENC_DAIF = (3 << 14) | (3 << 11) | (4 << 7) | (2 << 3) | 1;

    /**
     * HINT: the whole space executes as NOP (including the pointer
     * authentication and BTI hints, which ARMv8.0 does not have) except WFI
     * and WFE. They retire and exit to the run loop, which lets virtual time
     * jump to the next event; at EL0 they trap when SCTLR_EL1.nTWI/nTWE is 0
     * (QEMU 7.2 never traps WFE; we follow the Arm ARM). There is no event
     * register: WFE always exits, and SEV, SEVL and YIELD have nothing to do
     * on one PE.
     */
    public static void hint(Cpu c, int crm, int op2) {
        int op = (crm << 3) | op2;
        if (op == HINT_WFI || op == HINT_WFE) {
            boolean wfe = op == HINT_WFE;
            long enable = wfe ? SysRegs.SCTLR_NTWE : SysRegs.SCTLR_NTWI;
            if (c.el == 0 && (c.sctlrEl1 & enable) == 0) {
                c.takeSync(ExceptionClass.WFX, Exceptions.ISS_CV_AL | (wfe ? 1 : 0));
                return;
            }
            c.pc += 4;
            c.requestExit(wfe ? ExitKind.WFE : ExitKind.WFI, 0);
            return;
        }
        c.pc += 4;
    }

    /** CLREX: clears the local exclusive monitor. */
    public static void clrex(Cpu c) {
        c.exclusiveValid = false;
        c.pc += 4;
    }

    /** DSB (every CRm, including SSBB and PSSBB): memory is already in program order on one in-order PE. */
    public static void dsb(Cpu c) {
        c.pc += 4;
    }

    /** DMB (every CRm). */
    public static void dmb(Cpu c) {
        c.pc += 4;
    }

    /** ISB: instructions are fetched through a cache that stores and IC invalidations keep coherent, so nothing to flush. */
    public static void isb(Cpu c) {
        c.pc += 4;
    }

    // ---- SYS ---------------------------------------------------------------------------------
    /** SYS operations with CRn = 7, keyed op1:CRm:op2 (Arm ARM C5.3, ARMv8.0 forms only). */
    private static final int DC_ZVA = 3 << 7 | 4 << 3 | 1,
            DC_CVAC = 3 << 7 | 10 << 3 | 1, DC_CVAU = 3 << 7 | 11 << 3 | 1, DC_CIVAC = 3 << 7 | 14 << 3 | 1,
            IC_IVAU = 3 << 7 | 5 << 3 | 1,
            DC_IVAC = 6 << 3 | 1, DC_ISW = 6 << 3 | 2, DC_CSW = 10 << 3 | 2, DC_CISW = 14 << 3 | 2,
            IC_IALLUIS = 1 << 3, IC_IALLU = 5 << 3,
            AT_S1E1R = 8 << 3, AT_S1E1W = 8 << 3 | 1, AT_S1E0R = 8 << 3 | 2, AT_S1E0W = 8 << 3 | 3;

    /**
     * SYS: DC, IC, TLBI and AT in their ARMv8.0 forms; every other encoding
     * is UNDEFINED (DC CVAP and the other later operations included).
     */
    public static void sys(Cpu c, int op1, int crn, int crm, int op2, int rt) {
        if (crn == 7) {
            cacheOrTranslate(c, op1, crm, op2, rt);
        } else if (crn == 8 && op1 == 0 && isTlbiOp(crm, op2)) {
            if (c.el == 0) {
                c.undefined();
                return;
            }
            tlbi(c, crm, op2, c.x[rt]);
            c.pc += 4;
        } else {
            c.undefined();
        }
    }

    private static final int TLBI_VMALLE1 = 0, TLBI_VAE1 = 1, TLBI_ASIDE1 = 2, TLBI_VAAE1 = 3, TLBI_VALE1 = 5, TLBI_VAALE1 = 7;

    /**
     * TLBI: by VA (any ASID or one, last level or all) drops that page; by ASID
     * and VMALLE1 drop everything (the TLB holds one ASID's entries at a time).
     * The Inner Shareable forms (CRm 3) act on every PE of the board.
     */
    private static void tlbi(Cpu c, int crm, int op2, long xt) {
        if (crm == 3 && c.peers != null) {
            for (Cpu p : c.peers) tlbi(p, 7, op2, xt);
            return;
        }
        switch (op2) {
            case TLBI_VAE1, TLBI_VAAE1, TLBI_VALE1, TLBI_VAALE1 -> c.mmu.flushPage(xt);
            default -> c.mmu.flushAll();
        }
    }

    /** The ARMv8.0 EL1 TLBI operations: VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1 and their Inner Shareable forms. */
    private static boolean isTlbiOp(int crm, int op2) {
        return (crm == 3 || crm == 7) && (op2 == 0 || op2 == 1 || op2 == 2 || op2 == 3 || op2 == 5 || op2 == 7);
    }

    /** SYS with CRn = 7: DC, IC and AT. */
    private static void cacheOrTranslate(Cpu c, int op1, int crm, int op2, int rt) {
        int op = (op1 << 7) | (crm << 3) | op2;
        long xt = c.x[rt];
        switch (op) {
            case DC_ZVA -> {
                if (!SysRegs.dcZvaAllowed(c)) {
                    c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(1, op1, 7, crm, op2, rt, false));
                    return;
                }
                c.mmu.zeroBlock(xt);
            }
            case DC_CVAC, DC_CVAU, DC_CIVAC -> {
                // No cache model: nothing to clean, but the address must translate.
                if (!el0CacheMaintenanceAllowed(c, op1, crm, op2, rt)) return;
                c.mmu.cacheMaintenance(xt);
            }
            case IC_IVAU -> {
                if (!el0CacheMaintenanceAllowed(c, op1, crm, op2, rt)) return;
                c.mmu.invalidateCodeLine(xt);
            }
            case DC_IVAC, DC_ISW, DC_CSW, DC_CISW -> {
                if (c.el == 0) {
                    c.undefined();
                    return;
                }
            }
            case IC_IALLUIS, IC_IALLU -> {
                if (c.el == 0) {
                    c.undefined();
                    return;
                }
                c.mmu.invalidateAllCode();
            }
            case AT_S1E1R, AT_S1E1W, AT_S1E0R, AT_S1E0W -> {
                if (c.el == 0) {
                    c.undefined();
                    return;
                }
                c.sys.parEl1 = c.mmu.addressTranslate(xt, (op & 1) != 0, op == AT_S1E0R || op == AT_S1E0W ? 0 : 1);
            }
            default -> {
                c.undefined();
                return;
            }
        }
        c.pc += 4;
    }

    /** DC CVAC/CVAU/CIVAC and IC IVAU at EL0 are trapped (EC 0x18) unless SCTLR_EL1.UCI is set. */
    private static boolean el0CacheMaintenanceAllowed(Cpu c, int op1, int crm, int op2, int rt) {
        if (c.el == 0 && (c.sctlrEl1 & SysRegs.SCTLR_UCI) == 0) {
            c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(1, op1, 7, crm, op2, rt, false));
            return false;
        }
        return true;
    }

    /** SYSL: ARMv8.0 allocates no SYSL operation. */
    public static void sysl(Cpu c) {
        c.undefined();
    }

    /** MSR (register): see {@link SysRegs}. */
    public static void msrReg(Cpu c, int o0, int op1, int crn, int crm, int op2, int rt) {
        SysRegs.msr(c, o0, op1, crn, crm, op2, rt);
    }

    /** MRS: see {@link SysRegs}. */
    public static void mrs(Cpu c, int o0, int op1, int crn, int crm, int op2, int rt) {
        SysRegs.mrs(c, o0, op1, crn, crm, op2, rt);
    }
}
