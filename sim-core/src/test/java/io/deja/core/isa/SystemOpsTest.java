package io.deja.core.isa;

import io.deja.core.cpu.IrqLine;
import io.deja.core.testing.TestMachine;
import io.deja.core.vm.VmExit;
import org.junit.jupiter.api.Test;

import static io.deja.core.testing.TestMachine.CODE;
import static io.deja.core.testing.TestMachine.DATA;
import static org.assertj.core.api.Assertions.assertThat;

/** Hints, barriers, CLREX, MSR (immediate) and the SYS operations: DC, IC, TLBI and AT. */
class SystemOpsTest {
    private static final long VBAR = 0x4010_0000L;
    private static final long IL = 1L << 25;
    private static final int EC_SYSREG = 0x18;

    private static TestMachine machine(String asm) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.vbarEl1 = VBAR;
        return m;
    }

    private static TestMachine atEl0(String asm) {
        TestMachine m = machine(asm);
        m.vm.setPstate(0);
        return m;
    }

    private static long esr(int ec, int iss) {
        return ((long) ec << 26) | IL | iss;
    }

    private static void assertUndefinedAt(TestMachine m, long pc) {
        assertThat(m.cpu.esrEl1).as("UNDEFINED").isEqualTo(esr(0, 0));
        assertThat(m.cpu.elrEl1).isEqualTo(pc);
    }

    private static final class Irq implements IrqLine {
        boolean irq;
        public boolean irq() { return irq; }
        public boolean fiq() { return false; }
    }

    // ---- Hints ------------------------------------------------------------------------------------

    @Test
    void theHintSpaceExecutesAsNop() {
        String hints = "nop\n yield\n sev\n sevl\n hint #0x7f\n hint #0x10\n hint #0x14\n hint #0x19\n hint #0x1d\n"
                + " hint #0x22\n hint #0x24\n hint #0x7\n hint #0x8\n hint #0x3f\n";
        TestMachine m = machine(hints);
        long pstate = m.cpu.pstate();
        VmExit exit = m.step(14);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(m.cpu.pc).isEqualTo(CODE + 14 * 4);
        assertThat(m.cpu.pstate()).isEqualTo(pstate);
        for (int r = 0; r < 31; r++) assertThat(m.x(r)).as("X%d", r).isZero();
    }

    @Test
    void wfiRetiresAndExitsWithTheNextPc() {
        TestMachine m = machine("wfi\n nop");
        assertThat(m.step(10)).isEqualTo(new VmExit.Wfi(CODE + 4));
        assertThat(m.vm.instructions()).isEqualTo(1);
    }

    @Test
    void wfeRetiresAndExitsWithTheNextPc() {
        TestMachine m = machine("wfe\n nop");
        assertThat(m.step(10)).isEqualTo(new VmExit.Wfe(CODE + 4));
    }

    @Test
    void wfiSleepsUntilTheNextTimerDeadline() {
        TestMachine m = machine("wfi");
        m.cpu.timer.setVirtCval(1000);
        m.cpu.timer.setVirtCtl(1);
        m.step(10);
        assertThat(m.vm.cycles()).isEqualTo(1000);
        assertThat(m.vm.instructions()).isEqualTo(1);
    }

    @Test
    void wfiAndWfeAtEl0TrapWhenSctlrSaysSo() {
        TestMachine m = atEl0("wfi\n wfe");
        m.cpu.sctlrEl1 &= ~(SysRegs.SCTLR_NTWI | SysRegs.SCTLR_NTWE);
        m.step(1);
        assertThat(m.cpu.esrEl1).as("as QEMU 7.2 reports").isEqualTo(0x07E0_0000L);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);

        m.vm.setPstate(0);
        m.cpu.pc = CODE + 4;
        m.step(1);
        assertThat(m.cpu.esrEl1).as("TI = 1 for WFE").isEqualTo(0x07E0_0001L);
    }

    @Test
    void wfiAtEl0ExitsWhenAllowed() {
        TestMachine m = atEl0("wfi");
        assertThat(m.cpu.sctlrEl1 & SysRegs.SCTLR_NTWI).as("reset value allows it").isNotZero();
        assertThat(m.step(10)).isEqualTo(new VmExit.Wfi(CODE + 4));
        assertThat(m.cpu.el).isZero();
    }

    // ---- Barriers and CLREX -------------------------------------------------------------------------

    @Test
    void barriersAreAcceptedForEveryOption() {
        StringBuilder asm = new StringBuilder();
        for (int crm = 0; crm < 16; crm++) {
            asm.append(String.format(".inst 0x%08x\n .inst 0x%08x\n .inst 0x%08x\n",
                    0xD503309F | (crm << 8), 0xD50330BF | (crm << 8), 0xD50330DF | (crm << 8)));
        }
        TestMachine m = machine(asm.toString());
        m.step(48);
        assertThat(m.cpu.pc).isEqualTo(CODE + 48 * 4);
        assertThat(m.cpu.esrEl1).isZero();
    }

    @Test
    void unallocatedBarrierEncodingsAreUndefined() {
        TestMachine m = machine(".inst 0xd50330ff"); // SB (ARMv8.5)
        m.step(1);
        assertUndefinedAt(m, CODE);
    }

    @Test
    void clrexClearsTheExclusiveMonitor() {
        TestMachine m = machine("clrex");
        m.cpu.exclusiveValid = true;
        m.step(1);
        assertThat(m.cpu.exclusiveValid).isFalse();
        assertThat(m.cpu.pc).isEqualTo(CODE + 4);
    }

    // ---- MSR (immediate) ----------------------------------------------------------------------------

    @Test
    void msrSpselSwitchesStackPointers() {
        TestMachine m = machine("msr spsel, #0\n msr spsel, #1");
        long spEl1 = m.cpu.sp;
        m.cpu.setSpEl0(0x4030_0000L);
        m.step(1);
        assertThat(m.cpu.spx).isFalse();
        assertThat(m.cpu.sp).isEqualTo(0x4030_0000L);
        m.step(1);
        assertThat(m.cpu.spx).isTrue();
        assertThat(m.cpu.sp).isEqualTo(spEl1);
    }

    @Test
    void msrSpselAtEl0IsUndefined() {
        TestMachine m = atEl0("msr spsel, #1");
        m.step(1);
        assertUndefinedAt(m, CODE);
    }

    @Test
    void daifSetAndClearChangeOnlyTheNamedBits() {
        TestMachine m = machine("msr daifclr, #0xf\n msr daifset, #0x5\n msr daifclr, #0x4\n msr daifset, #0x8");
        m.step(1);
        assertThat(m.cpu.daif).isZero();
        m.step(1);
        assertThat(m.cpu.daif).isEqualTo(0x140); // A and F
        m.step(1);
        assertThat(m.cpu.daif).isEqualTo(0x040);
        m.step(1);
        assertThat(m.cpu.daif).isEqualTo(0x240);
    }

    @Test
    void daifClrTakesAPendingInterruptBeforeTheNextInstruction() {
        TestMachine m = machine("msr daifclr, #2\n nop");
        Irq line = new Irq();
        line.irq = true;
        m.cpu.irqLine = line;
        m.step(1);
        assertThat(m.cpu.pc).as("not yet: taken at the next boundary").isEqualTo(CODE + 4);
        m.vm.writeMemory(VBAR + 0x280, new byte[] {0x1F, 0x20, 0x03, (byte) 0xD5}); // nop
        m.step(1);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE + 4);
        assertThat(m.cpu.spsrEl1 & 0x3C0).isEqualTo(0x340);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x284);
    }

    @Test
    void daifSetAtEl0TrapsUnlessUmaIsSet() {
        TestMachine m = atEl0("msr daifset, #2");
        m.step(1);
        // Op0 0, Op2 6, Op1 3, CRn 4, Rt 31, CRm 2, write. QEMU 7.2 swaps Op1 and Op2 here (ISS 0x0793E4).
        assertThat(m.cpu.esrEl1).isEqualTo(esr(EC_SYSREG, 0xCD3E4));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);

        TestMachine u = atEl0("msr daifset, #2");
        u.cpu.sctlrEl1 |= SysRegs.SCTLR_UMA;
        u.step(1);
        assertThat(u.cpu.el).isZero();
        assertThat(u.cpu.daif).isEqualTo(0x080);
    }

    @Test
    void laterPstateFieldsAreUndefined() {
        // MSR PAN, #1 (ARMv8.1), MSR UAO, #1 (ARMv8.2), CFINV (ARMv8.4)
        for (int insn : new int[] {0xD500419F, 0xD500417F, 0xD500401F}) {
            TestMachine m = machine(String.format(".inst 0x%08x", insn));
            m.step(1);
            assertUndefinedAt(m, CODE);
        }
    }

    // ---- SYS: data cache --------------------------------------------------------------------------

    @Test
    void dcZvaAtEl0TrapsUnlessDzeIsSet() {
        TestMachine m = atEl0("dc zva, x20");
        m.cpu.x[20] = DATA;
        m.step(1);
        assertThat(m.cpu.esrEl1).as("as QEMU 7.2 reports").isEqualTo(0x6212_DE88L);
    }

    @Test
    void dcZvaWithTheMmuOffTakesTheDeviceMemoryAlignmentFault() {
        TestMachine m = machine("dc zva, x1");
        m.cpu.x[1] = DATA + 0x48;
        m.step(1);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x25);
        assertThat(m.cpu.esrEl1 & 0x3F).isEqualTo(0x21);
        assertThat(m.cpu.farEl1).isEqualTo(DATA + 0x40);
    }

    @Test
    void dcCleanOperationsAtEl0NeedUci() {
        for (String op : new String[] {"dc cvac, x20", "dc cvau, x20", "dc civac, x20", "ic ivau, x20"}) {
            TestMachine m = atEl0(op);
            m.step(1);
            assertThat(m.cpu.esrEl1 >>> 26).as(op).isEqualTo(EC_SYSREG);

            TestMachine u = atEl0(op);
            u.cpu.sctlrEl1 |= SysRegs.SCTLR_UCI;
            u.cpu.x[20] = DATA;
            u.step(1);
            assertThat(u.cpu.pc).as(op).isEqualTo(CODE + 4);
            assertThat(u.cpu.el).isZero();
        }
    }

    @Test
    void dcCivacTrapSyndromeNamesTheOperationAndRegister() {
        TestMachine m = atEl0("dc civac, x20");
        m.step(1);
        assertThat(m.cpu.esrEl1).as("as QEMU 7.2 reports").isEqualTo(0x6212_DE9CL);
    }

    @Test
    void el1OnlyCacheOperationsRunAtEl1AndAreUndefinedAtEl0() {
        for (String op : new String[] {"dc ivac, x1", "dc isw, x1", "dc csw, x1", "dc cisw, x1", "ic iallu", "ic ialluis"}) {
            TestMachine m = machine(op);
            m.cpu.x[1] = DATA;
            m.step(1);
            assertThat(m.cpu.pc).as(op).isEqualTo(CODE + 4);

            TestMachine u = atEl0(op);
            u.step(1);
            assertUndefinedAt(u, CODE);
        }
    }

    @Test
    void dcCvapIsUndefinedOnAnArmv80Cpu() {
        TestMachine m = machine(".inst 0xd50b7c34"); // dc cvap, x20
        m.step(1);
        assertUndefinedAt(m, CODE);
    }

    // ---- SYS: instruction cache ----------------------------------------------------------------------

    /** Runs "svc" at CODE + 8 to cache its decoding, then rewrites it behind the cache's back (as DMA would). */
    private static TestMachine withStaleSvc(String invalidate) {
        TestMachine m = machine(invalidate + "\n b 1f\n 1: svc #1");
        m.cpu.pc = CODE + 8;
        m.step(1);
        assertThat(m.cpu.esrEl1 & 0xFFFF).isEqualTo(1);
        byte[] svc2 = {0x41, 0x00, 0x00, (byte) 0xD4}; // svc #2
        m.vm.bus().ram.load(CODE + 8, svc2); // Ram.load leaves decoded code alone
        m.cpu.pc = CODE + 8;
        m.step(1);
        assertThat(m.cpu.esrEl1 & 0xFFFF).as("stale decoding").isEqualTo(1);
        m.cpu.pc = CODE;
        m.cpu.x[1] = CODE + 8;
        return m;
    }

    @Test
    void icIvauForgetsTheDecodedLine() {
        TestMachine m = withStaleSvc("ic ivau, x1");
        m.step(3);
        assertThat(m.cpu.esrEl1 & 0xFFFF).isEqualTo(2);
    }

    @Test
    void icIalluForgetsAllDecodedCode() {
        TestMachine m = withStaleSvc("ic iallu");
        m.step(3);
        assertThat(m.cpu.esrEl1 & 0xFFFF).isEqualTo(2);
    }

    // ---- SYS: TLB maintenance and address translation ---------------------------------------------------

    @Test
    void everyArmv80El1TlbiIsAcceptedAtEl1AndUndefinedAtEl0() {
        String[] ops = {"vmalle1is", "vae1is, x1", "aside1is, x1", "vaae1is, x1", "vale1is, x1", "vaale1is, x1",
                "vmalle1", "vae1, x1", "aside1, x1", "vaae1, x1", "vale1, x1", "vaale1, x1"};
        for (String op : ops) {
            TestMachine m = machine("tlbi " + op);
            m.step(1);
            assertThat(m.cpu.pc).as(op).isEqualTo(CODE + 4);
            TestMachine u = atEl0("tlbi " + op);
            u.step(1);
            assertUndefinedAt(u, CODE);
        }
    }

    @Test
    void el2TlbiAndUnknownSysOperationsAreUndefined() {
        // TLBI ALLE2, TLBI VMALLS12E1, SYS #0, C7, C0, #0, SYS #1, C7, C5, #1, DC CVADP (ARMv8.5)
        for (int insn : new int[] {0xD50C871F, 0xD50C87DF, 0xD508701F, 0xD509753F, 0xD50B7D20}) {
            TestMachine m = machine(String.format(".inst 0x%08x", insn));
            m.step(1);
            assertUndefinedAt(m, CODE);
        }
    }

    @Test
    void syslIsUndefined() {
        TestMachine m = machine("sysl x0, #0, c7, c5, #0");
        m.step(1);
        assertUndefinedAt(m, CODE);
    }

    @Test
    void atWithTheMmuOffReportsTheIdentityMappingAsDeviceMemory() {
        for (String op : new String[] {"s1e1r", "s1e1w", "s1e0r", "s1e0w"}) {
            TestMachine m = machine("at " + op + ", x1");
            m.cpu.x[1] = 0x4008_0123L;
            m.step(1);
            // PA | RES1 (bit 11) | NS | SH = Outer Shareable, ATTR = 0x00 (Device-nGnRnE). QEMU 7.2 reports SH = 0.
            assertThat(m.cpu.sys.parEl1).as(op).isEqualTo(0x4008_0B00L);
            assertThat(m.cpu.pc).isEqualTo(CODE + 4);
        }
    }

    @Test
    void atReportsAnAddressSizeFaultAbove44Bits() {
        TestMachine m = machine("at s1e1r, x1\n at s1e1r, x2\n at s1e1r, x3");
        m.cpu.x[1] = 0x0000_1000_0000_0ABCL;
        m.cpu.x[2] = 0x0000_0FFF_FFFF_F123L;
        m.cpu.x[3] = 0xFF00_0000_0000_1000L;
        m.step(1);
        assertThat(m.cpu.sys.parEl1).isEqualTo(0x801);
        m.step(1);
        assertThat(m.cpu.sys.parEl1).isEqualTo(0x0FFF_FFFF_FB00L);
        m.step(1);
        assertThat(m.cpu.sys.parEl1).isEqualTo(0x801);
    }

    @Test
    void atIgnoresTheTagWhenTbiApplies() {
        TestMachine m = machine("at s1e1r, x1");
        m.cpu.sys.tcrEl1 = 1L << 37;
        m.cpu.x[1] = 0x5A00_0000_4008_0123L;
        m.step(1);
        assertThat(m.cpu.sys.parEl1).isEqualTo(0x4008_0B00L);
    }

    @Test
    void atIsUndefinedAtEl0() {
        TestMachine m = atEl0("at s1e0r, x1");
        m.step(1);
        assertUndefinedAt(m, CODE);
    }
}
