package io.deja.core.vm;

import io.deja.core.cpu.GenericTimer;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedding API: exits, the MMIO exit protocol, budgets, cancellation. */
class VirtualMachineTest {
    private static final long DEVICE = 0x0900_0000L;

    @Test
    void mmioReadExitsBeforeTheLoadAndResumesWithTheHostValue() {
        TestMachine m = TestMachine.withCode("""
                movz x1, #0x0900, lsl #16
                ldr  w2, [x1, #0x18]
                add  x3, x2, #1
                """);
        m.vm.mapMmioExit(DEVICE, 0x1000, "test device");
        VmExit exit = m.step(100);
        assertThat(exit).isEqualTo(new VmExit.MmioRead(TestMachine.CODE + 4, DEVICE + 0x18, 4));
        assertThat(m.vm.instructions()).isEqualTo(1); // the load has not retired
        m.vm.completeMmioRead(0x41);
        exit = m.step(2);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(m.x(2)).isEqualTo(0x41);
        assertThat(m.x(3)).isEqualTo(0x42);
        assertThat(m.vm.instructions()).isEqualTo(3);
    }

    @Test
    void aKillBetweenAnMmioReadExitAndItsAnswerTakesEffectOnceTheLoadRetired() {
        TestMachine m = TestMachine.withCode("""
                movz x1, #0x0900, lsl #16
                ldr  w2, [x1, #0x18]
                1: add  x3, x3, #1
                b 1b
                """);
        m.vm.mapMmioExit(DEVICE, 0x1000, "test device");
        assertThat(m.step(100)).isEqualTo(new VmExit.MmioRead(TestMachine.CODE + 4, DEVICE + 0x18, 4));
        m.vm.interruptHandle().kill(); // Ctrl-A X while the host answers the exit
        m.vm.completeMmioRead(0x41);
        VmExit exit = m.vm.run(Long.MAX_VALUE);
        assertThat(exit).isInstanceOf(VmExit.Cancelled.class);
        assertThat(m.x(2)).isEqualTo(0x41);
        assertThat(m.vm.instructions()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void pairLoadFromMmioExitsOncePerElement() {
        TestMachine m = TestMachine.withCode("""
                movz x1, #0x0900, lsl #16
                ldp  x2, x3, [x1]
                """);
        m.vm.mapMmioExit(DEVICE, 0x1000, "test device");
        assertThat(m.step(10)).isEqualTo(new VmExit.MmioRead(TestMachine.CODE + 4, DEVICE, 8));
        m.vm.completeMmioRead(7);
        assertThat(m.step(10)).isEqualTo(new VmExit.MmioRead(TestMachine.CODE + 4, DEVICE + 8, 8));
        m.vm.completeMmioRead(9);
        m.step(1);
        assertThat(m.x(2)).isEqualTo(7);
        assertThat(m.x(3)).isEqualTo(9);
        assertThat(m.cpu.pc).isEqualTo(TestMachine.CODE + 8);
    }

    @Test
    void mmioWriteExitsAfterTheStoreRetired() {
        TestMachine m = TestMachine.withCode("""
                movz x1, #0x0900, lsl #16
                mov  w2, #0x48
                str  w2, [x1]
                mov  x3, #1
                """);
        m.vm.mapMmioExit(DEVICE, 0x1000, "uart");
        VmExit exit = m.step(100);
        assertThat(exit).isEqualTo(new VmExit.MmioWrite(TestMachine.CODE + 12, DEVICE, 4, 0x48));
        assertThat(m.x(3)).isZero();
    }

    @Test
    void accessOutsideEveryMappingIsASynchronousExternalAbort() {
        TestMachine m = TestMachine.withCode("""
                movz x1, #0x0900, lsl #16
                ldr  x2, [x1]
                """);
        m.cpu.vbarEl1 = 0x4010_0000L;
        m.step(2);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x25);
        assertThat(m.cpu.esrEl1 & 0x3F).isEqualTo(0x10);
        assertThat(m.cpu.farEl1).isEqualTo(DEVICE);
        assertThat(m.cpu.pc).isEqualTo(0x4010_0200L);
    }

    @Test
    void budgetCountsRetiredInstructions() {
        TestMachine m = TestMachine.withCode("1: add x0, x0, #1\n b 1b");
        assertThat(m.step(1001)).isEqualTo(new VmExit.BudgetExhausted(TestMachine.CODE + 4));
        assertThat(m.x(0)).isEqualTo(501);
        assertThat(m.vm.instructions()).isEqualTo(1001);
    }

    @Test
    void killFromAnotherThreadStopsAnEndlessLoopPromptly() throws Exception {
        TestMachine m = TestMachine.withCode("1: add x0, x0, #1\n b 1b");
        AtomicReference<VmExit> result = new AtomicReference<>();
        Thread runner = new Thread(() -> result.set(m.vm.run(Long.MAX_VALUE)));
        runner.start();
        TimeUnit.MILLISECONDS.sleep(200);
        m.vm.interruptHandle().kill();
        runner.join(5_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(result.get()).isInstanceOf(VmExit.Cancelled.class);
        assertThat(m.x(0)).isPositive();
    }

    @Test
    void wfiWithATimerArmedJumpsVirtualTimeToTheDeadline() {
        TestMachine m = TestMachine.withCode("""
                mov  x1, #1
                msr  cntv_ctl_el0, x1
                movz x2, #50000
                msr  cntv_tval_el0, x2
                wfi
                """);
        VmExit exit = m.step(100);
        assertThat(exit).isEqualTo(new VmExit.Wfi(TestMachine.CODE + 20));
        // TVAL was written when 4 instructions had run: the deadline is 4 + 50000.
        assertThat(m.vm.cycles()).isEqualTo(50_004);
        assertThat(m.vm.instructions()).isEqualTo(5);
        assertThat(m.cpu.timer.virtCtl() & 4).isEqualTo(4); // ISTATUS
        assertThat(GenericTimer.FREQUENCY_HZ).isEqualTo(62_500_000L);
    }

    @Test
    void wfiWithNothingPendingIsJustAnExit() {
        TestMachine m = TestMachine.withCode("wfi\n mov x0, #7");
        assertThat(m.step(100)).isEqualTo(new VmExit.Wfi(TestMachine.CODE + 4));
        assertThat(m.vm.cycles()).isEqualTo(1);
        m.step(1);
        assertThat(m.x(0)).isEqualTo(7);
    }

    @Test
    void registerAccessorsRejectNonexistentRegisters() {
        TestMachine m = new TestMachine();
        assertThatThrownBy(() -> m.vm.getX(31)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.vm.setPstate(0x9)).hasMessageContaining("EL0t, EL1t or EL1h");
        assertThatThrownBy(() -> m.vm.getSysReg("NOT_A_REG")).hasMessageContaining("NOT_A_REG");
        m.vm.setPstate(0x3C4);
        assertThat(m.vm.getPstate()).isEqualTo(0x3C4);
    }
}
