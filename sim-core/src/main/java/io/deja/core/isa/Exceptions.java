package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.vm.ExitKind;

/**
 * Exception-generating instructions (Arm ARM C6.2: SVC, HVC, SMC, BRK, HLT)
 * and the syndromes of the traps that system instructions raise.
 *
 * There is no EL2 or EL3: the host plays both. HVC at EL1 exits to the host
 * (like KVM, which serves PSCI and injects UNDEFINED for anything else); SMC
 * and HLT exit only when the host asked for them and are UNDEFINED otherwise,
 * as on hardware without EL3 or halting debug. Each handler receives the
 * instruction's imm16, which the syndrome or the host exit reports.
 */
public final class Exceptions {
    private Exceptions() {}

    /** ISS.CV = 1 and ISS.COND = 0b1110 ("always"): what traps of WFI/WFE and FP accesses report from AArch64. */
    static final int ISS_CV_AL = (1 << 24) | (0xE << 20);

    /** SVC: preferred return is the next instruction. */
    public static void svc(Cpu c, int imm16) {
        c.pc += 4;
        c.takeException(Cpu.VEC_SYNC, ExceptionClass.SVC64, imm16, false, 0, c.pc);
    }

    /** HVC: UNDEFINED at EL0; at EL1 it retires and the host serves the call (X0-X7) before run() resumes. */
    public static void hvc(Cpu c, int imm16) {
        if (c.el == 0) {
            c.undefined();
            return;
        }
        c.pc += 4;
        c.requestExit(ExitKind.HVC, imm16);
    }

    /** SMC: UNDEFINED (no EL3) unless the host handles SMC calls; then it exits with pc still at the SMC. */
    public static void smc(Cpu c, int imm16) {
        if (c.el == 0 || !c.exitOnSmc) {
            c.undefined();
            return;
        }
        exitWithoutRetiring(c, ExitKind.SMC, imm16);
    }

    /** BRK: a debugger on the host may take it (pc stays at the BRK); otherwise a Breakpoint exception, EC 0x3C. */
    public static void brk(Cpu c, int imm16) {
        if (c.exitOnBrk) {
            exitWithoutRetiring(c, ExitKind.BRK, imm16);
            return;
        }
        c.takeSync(ExceptionClass.BRK64, imm16);
    }

    /** HLT: halting debug is never enabled in the guest, so it is UNDEFINED unless the host takes it (pc stays at the HLT). */
    public static void hlt(Cpu c, int imm16) {
        if (c.exitOnHlt) {
            exitWithoutRetiring(c, ExitKind.HLT, imm16);
            return;
        }
        c.undefined();
    }

    /**
     * Exits before the instruction has done anything: it does not count as
     * retired (as an MMIO read that exits), so the host may resume at the same
     * PC or skip it, and virtual time is the same either way.
     */
    private static void exitWithoutRetiring(Cpu c, ExitKind kind, int imm) {
        c.cycles--;
        c.requestExit(kind, imm);
    }

    /**
     * ISS of a trapped MSR, MRS or system instruction (ESR_EL1 with EC 0x18):
     * Op0, Op2, Op1, CRn, Rt, CRm and the direction (1 = read). MSR
     * (immediate) reports op0 0, CRn 4 and Rt 31; SYS reports op0 1, as
     * their encodings hold them.
     */
    static int sysregTrapIss(int op0, int op1, int crn, int crm, int op2, int rt, boolean read) {
        return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
    }
}
