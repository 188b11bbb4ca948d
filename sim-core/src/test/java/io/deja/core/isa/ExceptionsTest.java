package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import io.deja.core.vm.VmExit;
import org.junit.jupiter.api.Test;

import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/** SVC, HVC, SMC, BRK and HLT: syndromes, return addresses, vectors and host exits. */
class ExceptionsTest {
    private static final long VBAR = 0x4010_0000L;
    private static final long IL = 1L << 25;

    private static TestMachine machine(String asm) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.vbarEl1 = VBAR;
        return m;
    }

    private static long esr(int ec, int iss) {
        return ((long) ec << 26) | IL | iss;
    }

    @Test
    void svcFromEl1hSavesStateAndUsesTheCurrentElSpxVector() {
        TestMachine m = machine("svc #0x1234");
        m.cpu.daif = 0x140; // D and I masked only
        m.cpu.setNzcv(0x9000_0000L);
        long pstate = m.cpu.pstate();
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0x15, 0x1234));
        assertThat(m.cpu.elrEl1).as("preferred return is the next instruction").isEqualTo(CODE + 4);
        assertThat(m.cpu.spsrEl1).isEqualTo(pstate).isEqualTo(0x9000_0145L);
        assertThat(m.cpu.daif).isEqualTo(0x3C0);
        assertThat(m.cpu.el).isEqualTo(1);
        assertThat(m.cpu.spx).isTrue();
    }

    @Test
    void svcFromEl1tUsesTheSpEl0Vector() {
        TestMachine m = machine("svc #1");
        m.vm.setPstate(0x3C4); // EL1t
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(VBAR);
        assertThat(m.cpu.spsrEl1).isEqualTo(0x3C4);
        assertThat(m.cpu.spx).isTrue();
    }

    @Test
    void svcFromEl0UsesTheLowerElVector() {
        TestMachine m = machine("svc #0xffff");
        m.vm.setPstate(0);
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0x15, 0xFFFF));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE + 4);
        assertThat(m.cpu.spsrEl1).isZero();
        assertThat(m.cpu.el).isEqualTo(1);
    }

    @Test
    void hvcAtEl1RetiresAndExitsToTheHost() {
        TestMachine m = machine("hvc #0x5\n svc #0");
        m.cpu.x[0] = 0x8400_0000L;
        VmExit exit = m.step(10);
        assertThat(exit).isEqualTo(new VmExit.Hvc(CODE + 4, 5));
        assertThat(m.vm.instructions()).isEqualTo(1);
        assertThat(m.cpu.pc).isEqualTo(CODE + 4);
        assertThat(m.cpu.x[0]).isEqualTo(0x8400_0000L);
    }

    @Test
    void hvcAtEl0IsUndefined() {
        TestMachine m = machine("hvc #0");
        m.vm.setPstate(0);
        VmExit exit = m.step(1);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0, 0));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);
    }

    @Test
    void hostCanInjectUndefinedForAnHvcItDoesNotServe() {
        TestMachine m = machine("hvc #7");
        VmExit exit = m.step(10);
        m.vm.injectUndefined(exit.pc() - 4);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0, 0));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
    }

    @Test
    void smcIsUndefinedWithoutEl3() {
        TestMachine m = machine("smc #3");
        m.step(1);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0, 0));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
    }

    @Test
    void smcExitsWithPcAtTheSmcWhenTheHostServesIt() {
        TestMachine m = machine("smc #3");
        m.cpu.exitOnSmc = true;
        VmExit exit = m.step(10);
        assertThat(exit).isEqualTo(new VmExit.Smc(CODE, 3));
        assertThat(m.vm.instructions()).as("the SMC has not retired").isZero();
    }

    @Test
    void smcAtEl0IsUndefinedEvenWhenTheHostServesIt() {
        TestMachine m = machine("smc #3");
        m.cpu.exitOnSmc = true;
        m.vm.setPstate(0);
        VmExit exit = m.step(1);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0, 0));
    }

    @Test
    void brkTakesABreakpointExceptionAtTheBrk() {
        TestMachine m = machine("brk #0x800");
        m.step(1);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0x3C, 0x800));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
    }

    @Test
    void brkFromEl0IsTakenAtEl1() {
        TestMachine m = machine("brk #4");
        m.vm.setPstate(0);
        m.step(1);
        assertThat(m.cpu.esrEl1).as("as QEMU 7.2 reports").isEqualTo(0xF200_0004L);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);
    }

    @Test
    void brkExitsToADebuggerWithPcUnchanged() {
        TestMachine m = machine("brk #9");
        m.cpu.exitOnBrk = true;
        assertThat(m.step(10)).isEqualTo(new VmExit.Brk(CODE, 9));
        assertThat(m.vm.instructions()).isZero();
        assertThat(m.step(10)).as("resuming stops at the same BRK again").isEqualTo(new VmExit.Brk(CODE, 9));
    }

    @Test
    void hltIsUndefinedUnlessTheHostTakesIt() {
        TestMachine m = machine("hlt #0xf000");
        m.step(1);
        assertThat(m.cpu.esrEl1).isEqualTo(esr(0, 0));

        TestMachine h = machine("hlt #0xf000");
        h.cpu.exitOnHlt = true;
        assertThat(h.step(10)).isEqualTo(new VmExit.Hlt(CODE, 0xF000));
        assertThat(h.vm.instructions()).isZero();
    }
}
