package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.trace.TraceSink;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.cpu.Exit;

/**
 * System instructions (Arm ARM C5.2-C5.3): hints, barriers, CLREX, MSR
 * (immediate), SYS/SYSL (cache, TLB and address translation operations) and
 * MRS/MSR (register), whose register map is {@link SysRegs}.
 *
 * One in-order PE without a cache model: barriers and cache maintenance by
 * set/way or to the point of coherency have no effect. There is no MMU yet,
 * so TLB maintenance has no effect either and AT reports the identity
 * translation that SCTLR_EL1.M = 0 gives.
 */
public final class SystemOps {
    private SystemOps() {}

    private static final int PSTATE_SPSEL = 0b000_101, PSTATE_DAIFSET = 0b011_110, PSTATE_DAIFCLR = 0b011_111;
    private static final int HINT_WFE = 2, HINT_WFI = 3;

    /** MSR (immediate): SPSel, DAIFSet and DAIFClr. PAN, UAO and the later PSTATE fields are UNDEFINED in ARMv8.0. */
    public static void msrImm(Cpu c, int insn) {
        int op1 = (insn >>> 16) & 7, op2 = (insn >>> 5) & 7, crm = (insn >>> 8) & 15;
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
                    c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(insn, false));
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
            c.trace.sysregWrite(c.instructions() - 1, c.pc, spsel ? ENC_SPSEL : ENC_DAIF,
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
    public static void hint(Cpu c, int insn) {
        int op = (insn >>> 5) & 0x7F;
        if (op == HINT_WFI || op == HINT_WFE) {
            boolean wfe = op == HINT_WFE;
            long enable = wfe ? SysRegs.SCTLR_NTWE : SysRegs.SCTLR_NTWI;
            if (c.el == 0 && (c.sctlrEl1 & enable) == 0) {
                c.takeSync(ExceptionClass.WFX, Exceptions.ISS_CV_AL | (wfe ? 1 : 0));
                return;
            }
            c.pc += 4;
            c.requestExit(wfe ? Exit.WFE : Exit.WFI, 0);
            return;
        }
        c.pc += 4;
    }

    /** CLREX: clears the local exclusive monitor. */
    public static void clrex(Cpu c, int insn) {
        c.exclusiveValid = false;
        c.pc += 4;
    }

    /** DSB (every CRm, including SSBB and PSSBB): memory is already in program order on one in-order PE. */
    public static void dsb(Cpu c, int insn) {
        c.pc += 4;
    }

    /** DMB (every CRm). */
    public static void dmb(Cpu c, int insn) {
        c.pc += 4;
    }

    /** ISB: instructions are fetched through a cache that stores and IC invalidations keep coherent, so nothing to flush. */
    public static void isb(Cpu c, int insn) {
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
    public static void sys(Cpu c, int insn) {
        int op1 = (insn >>> 16) & 7, crn = (insn >>> 12) & 15, crm = (insn >>> 8) & 15, op2 = (insn >>> 5) & 7;
        if (crn == 7) {
            cacheOrTranslate(c, insn, (op1 << 7) | (crm << 3) | op2);
        } else if (crn == 8 && op1 == 0 && isTlbiOp(crm, op2)) {
            if (c.el == 0) {
                c.undefined();
                return;
            }
            // TLBI: accepted; there is no TLB until the stage-1 MMU exists.
            c.pc += 4;
        } else {
            c.undefined();
        }
    }

    /** The ARMv8.0 EL1 TLBI operations: VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1 and their Inner Shareable forms. */
    private static boolean isTlbiOp(int crm, int op2) {
        return (crm == 3 || crm == 7) && (op2 == 0 || op2 == 1 || op2 == 2 || op2 == 3 || op2 == 5 || op2 == 7);
    }

    private static void cacheOrTranslate(Cpu c, int insn, int op) {
        long xt = c.x[insn & 31];
        switch (op) {
            case DC_ZVA -> {
                if (!SysRegs.dcZvaAllowed(c)) {
                    c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(insn, false));
                    return;
                }
                c.mem.zeroBlock(xt);
            }
            case DC_CVAC, DC_CVAU, DC_CIVAC -> {
                // No cache model: nothing to clean.
                if (!el0CacheMaintenanceAllowed(c, insn)) return;
            }
            case IC_IVAU -> {
                if (!el0CacheMaintenanceAllowed(c, insn)) return;
                c.mem.invalidateCodeLine(xt);
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
                c.mem.invalidateAllCode();
            }
            case AT_S1E1R, AT_S1E1W, AT_S1E0R, AT_S1E0W -> {
                if (c.el == 0) {
                    c.undefined();
                    return;
                }
                c.sys.parEl1 = translateWithMmuOff(c, xt);
            }
            default -> {
                c.undefined();
                return;
            }
        }
        c.pc += 4;
    }

    /** DC CVAC/CVAU/CIVAC and IC IVAU at EL0 are trapped (EC 0x18) unless SCTLR_EL1.UCI is set. */
    private static boolean el0CacheMaintenanceAllowed(Cpu c, int insn) {
        if (c.el == 0 && (c.sctlrEl1 & SysRegs.SCTLR_UCI) == 0) {
            c.takeSync(ExceptionClass.SYSREG, Exceptions.sysregTrapIss(insn, false));
            return false;
        }
        return true;
    }

    /** ID_AA64MMFR0_EL1.PARange = 0b0100: 44-bit physical addresses. */
    private static final int PA_BITS = 44;
    private static final long PAR_RES1 = 1L << 11, PAR_NS = 1L << 9, PAR_SH_OUTER = 2L << 7, PAR_FAULT = 1;

    /**
     * PAR_EL1 for an AT with stage 1 disabled (Arm ARM AArch64.TranslateAddressS1Off):
     * the output address is the input address, Device-nGnRnE (ATTR 0x00),
     * reported Outer Shareable as PAREncodeShareability() requires for Device
     * memory (QEMU 7.2 reports SH = 0b00; later QEMU fixed this), NS = 1 since
     * the PE runs in Non-secure state as on QEMU's virt. An address with bits
     * set above the 44-bit PA range (below the tag when TBI applies) takes an
     * Address size fault at level 0, reported in PAR (F = 1, FST = 0b000000).
     * AT never takes the fault itself.
     *
     * TODO(mmu): with SCTLR_EL1.M = 1 this must walk the translation tables.
     */
    private static long translateWithMmuOff(Cpu c, long va) {
        int tbi = (va & (1L << 55)) == 0 ? 37 : 38;
        int top = (c.sys.tcrEl1 & (1L << tbi)) != 0 ? 55 : 63;
        long above = (va >>> PA_BITS) & ((1L << (top - PA_BITS + 1)) - 1);
        if (above != 0) return PAR_RES1 | PAR_FAULT;
        return (va & 0x0000_0FFF_FFFF_F000L) | PAR_RES1 | PAR_NS | PAR_SH_OUTER;
    }

    /** SYSL: ARMv8.0 allocates no SYSL operation. */
    public static void sysl(Cpu c, int insn) {
        c.undefined();
    }

    /** MSR (register): see {@link SysRegs}. */
    public static void msrReg(Cpu c, int insn) {
        SysRegs.msr(c, insn);
    }

    /** MRS: see {@link SysRegs}. */
    public static void mrs(Cpu c, int insn) {
        SysRegs.mrs(c, insn);
    }
}
