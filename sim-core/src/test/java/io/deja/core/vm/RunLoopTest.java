package io.deja.core.vm;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunLoopTest {
    @Test
    void unallocatedEncodingTakesUndefinedAtVbar() {
        TestMachine m = TestMachine.withCode(".inst 0x00000000");
        m.cpu.vbarEl1 = 0x4010_0000L;
        VmExit exit = m.step(1);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(m.cpu.pc).isEqualTo(0x4010_0200L); // current EL with SP_EL1: +0x200
        assertThat(m.cpu.esrEl1).isEqualTo(0x0200_0000L); // EC 0, IL 1
        assertThat(m.cpu.elrEl1).isEqualTo(TestMachine.CODE);
    }

    @Test
    void pcOutsideRamTakesInstructionAbort() {
        TestMachine m = new TestMachine();
        m.cpu.pc = 0x1000;
        m.step(1);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x21);
        assertThat(m.cpu.farEl1).isEqualTo(0x1000);
    }

    @Test
    void illegalExceptionReturnMakesTheNextInstructionItsOwnFaultingStep() {
        TestMachine m = TestMachine.withCode("""
                adr  x1, 1f
                msr  elr_el1, x1
                mov  x2, #0x3c9      // SPSR.M = EL2h: this PE has no EL2
                msr  spsr_el1, x2
                eret
            1:  nop
                """);
        m.cpu.vbarEl1 = 0x4010_0000L;
        m.step(5);
        assertThat(m.cpu.il).isTrue();
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(0x4010_0200L);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x0E);
        assertThat(m.vm.instructions()).isEqualTo(6);
    }

    @Test
    void pcAlignmentFaultOutranksTheIllegalExecutionStateException() {
        TestMachine m = TestMachine.withCode("""
                movz x1, #0x4008, lsl #16
                add  x1, x1, #0x1ad     // misaligned return address
                msr  elr_el1, x1
                mov  x2, #0x3c9         // SPSR.M = EL2h: an illegal return
                msr  spsr_el1, x2
                eret
                """);
        m.cpu.vbarEl1 = 0x4010_0000L;
        m.step(7);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x22);
        assertThat(m.cpu.farEl1).isEqualTo(0x4008_01adL);
        assertThat(m.cpu.pc).isEqualTo(0x4010_0200L);
    }
}
