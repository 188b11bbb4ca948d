package io.deja.core.cpu;

import io.deja.core.testing.TestMachine;
import io.deja.core.vm.VmExit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The EL1 physical and virtual timers over virtual time (CNTPCT = CNTVCT = cycles). */
class GenericTimerTest {
    private final TestMachine m = new TestMachine();
    private final Cpu c = m.cpu;
    private final GenericTimer t = c.timer;

    /** Records level changes with the virtual time at which they happened. */
    private final class Recorder implements InterruptSink {
        final List<String> events = new ArrayList<>();

        public void setPpiLevel(int intid, boolean level) {
            events.add(intid + (level ? " up @" : " down @") + c.cycles);
        }
    }

    @Test
    void tvalIsTheSignedDistanceToCvalReadAs32Bits() {
        c.cycles = 10_000;
        t.setVirtTval(250);
        assertThat(t.virtCval()).isEqualTo(10_250);
        assertThat(t.virtTval()).isEqualTo(250);
        c.cycles = 10_251;
        assertThat(t.virtTval()).as("past the deadline: negative, zero-extended").isEqualTo(0xFFFF_FFFFL);
        t.setPhysTval(0xFFFF_FFFF_8000_0000L);
        assertThat(t.physCval()).as("only the low 32 bits count, sign-extended").isEqualTo(10_251 - 0x8000_0000L);
        t.setPhysCval(10_251 + 0x1_0000_0005L);
        assertThat(t.physTval()).as("TVAL wraps at 32 bits").isEqualTo(5);
    }

    @Test
    void istatusShowsTheConditionWheneverTheTimerIsEnabled() {
        t.setPhysCval(100);
        t.setPhysCtl(0xFF);
        c.cycles = 99;
        assertThat(t.physCtl()).as("ENABLE and IMASK kept, ISTATUS computed").isEqualTo(3);
        c.cycles = 100;
        assertThat(t.physCtl()).as("masked but met").isEqualTo(7);
        t.setPhysCtl(0);
        assertThat(t.physCtl()).as("disabled").isZero();
    }

    @Test
    void outputsFollowEnableMaskAndDeadline() {
        Recorder r = new Recorder();
        t.connect(r);
        t.setVirtCval(50);
        t.setVirtCtl(1);
        t.setPhysCval(70);
        t.setPhysCtl(3); // masked
        c.cycles = 49;
        t.update();
        assertThat(r.events).isEmpty();
        c.cycles = 50;
        t.update();
        t.update();
        assertThat(r.events).containsExactly(GenericTimer.PPI_VIRT + " up @50");
        c.cycles = 80;
        t.update();
        assertThat(r.events).as("the physical timer is masked").hasSize(1);
        t.setPhysCtl(1);
        t.update();
        t.setVirtCtl(3);
        t.update();
        assertThat(r.events).containsExactly(GenericTimer.PPI_VIRT + " up @50", GenericTimer.PPI_PHYS + " up @80",
                GenericTimer.PPI_VIRT + " down @80");
    }

    @Test
    void nextDeadlineIsTheEarliestUnmaskedFutureCompare() {
        assertThat(t.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        c.cycles = 10;
        t.setVirtCval(500);
        t.setVirtCtl(1);
        t.setPhysCval(300);
        t.setPhysCtl(3);
        assertThat(t.nextDeadline()).as("masked timers do not wake").isEqualTo(500);
        t.setPhysCtl(1);
        assertThat(t.nextDeadline()).isEqualTo(300);
        c.cycles = 400;
        assertThat(t.nextDeadline()).as("a met deadline is no longer in the future").isEqualTo(500);
    }

    @Test
    void writesAskTheRunLoopToReevaluate() {
        c.cycles = 42;
        c.horizon = Long.MAX_VALUE;
        t.setVirtCval(1);
        assertThat(c.horizon).isEqualTo(42);
        c.horizon = Long.MAX_VALUE;
        t.setPhysTval(1);
        assertThat(c.horizon).isEqualTo(42);
        c.horizon = Long.MAX_VALUE;
        t.setVirtCtl(1);
        assertThat(c.horizon).isEqualTo(42);
    }

    @Test
    void cntkctlIsStoredAsWrittenAndGatesEl0() {
        t.setCntkctl(-1);
        assertThat(t.cntkctl()).isEqualTo(-1);
        t.setCntkctl(0x2);
        assertThat(t.el0VirtCountAccess()).isTrue();
        assertThat(t.el0PhysCountAccess()).isFalse();
        assertThat(t.el0FrequencyAccess()).isTrue();
        assertThat(t.el0VirtTimerAccess() || t.el0PhysTimerAccess()).isFalse();
        t.setCntkctl(0x300);
        assertThat(t.el0VirtTimerAccess() && t.el0PhysTimerAccess()).isTrue();
        assertThat(t.el0FrequencyAccess()).isFalse();
    }

    @Test
    void theInterruptRisesAtTheExactCycleOfTheDeadline() {
        TestMachine loop = TestMachine.withCode("1: b 1b");
        Cpu lc = loop.cpu;
        List<Long> rises = new ArrayList<>();
        lc.timer.connect((intid, level) -> {
            if (level) rises.add(lc.cycles);
        });
        lc.timer.setVirtCval(1234);
        lc.timer.setVirtCtl(1);
        VmExit exit = loop.step(5000);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(rises).containsExactly(1234L);
        assertThat(lc.timer.virtCtl()).isEqualTo(5);
    }

    @Test
    void wfiJumpsVirtualTimeToTheDeadline() {
        TestMachine w = TestMachine.withCode("wfi");
        List<Long> rises = new ArrayList<>();
        w.cpu.timer.connect((intid, level) -> {
            if (level) rises.add(w.cpu.cycles);
        });
        w.cpu.timer.setVirtCval(1_000_000);
        w.cpu.timer.setVirtCtl(1);
        assertThat(w.step(10)).isEqualTo(new VmExit.Wfi(TestMachine.CODE + 4));
        assertThat(w.vm.cycles()).isEqualTo(1_000_000);
        assertThat(w.vm.instructions()).isEqualTo(1);
        assertThat(rises).containsExactly(1_000_000L);
    }

    @Test
    void stateCoversEveryRegister() {
        t.setPhysCtl(1);
        t.setPhysCval(2);
        t.setVirtCtl(3);
        t.setVirtCval(4);
        t.setCntkctl(5);
        t.setCntfrq(6);
        assertThat(io.deja.core.state.StateWriter.save(t)).startsWith(1, 2, 3, 4, 5, 6);
    }
}
