package io.deja.core.vm;

import io.deja.core.cpu.HostDebug;
import io.deja.core.state.StateDump;
import io.deja.core.testing.Kernels;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host debugger's breakpoints stop before the instruction at their PC and
 * its watchpoints before the access, at exact addresses and lengths; running
 * on from any number of such stops ends in exactly the state of a run without
 * them (every state value by name, the TLB included, and RAM).
 */
class HostDebugTest {
    private static final long DATA = TestMachine.DATA;
    /** Counts x2 up to 100, storing it at DATA+8 and loading DATA+16 each time. */
    private static final String LOOP = """
            movz x1, #0x4040, lsl #16
            mov x2, #0
            loop:
            add x2, x2, #1
            str x2, [x1, #8]
            ldr x3, [x1, #16]
            cmp x2, #100
            b.ne loop
            end:
            b end
            """;
    private static final long STR_PC = TestMachine.CODE + 12, LDR_PC = TestMachine.CODE + 16;

    /** Resumes as a debugger does: the instruction at the stop runs first. */
    private static VmExit resume(TestMachine m, long budget) {
        m.cpu.hostDebug.resumeAt(m.vm.instructions(), m.vm.getPc());
        return m.vm.run(budget);
    }

    private static long data(TestMachine m, long address) {
        return java.nio.ByteBuffer.wrap(m.vm.readMemory(address, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void writeWatchpointStopsBeforeEveryStoreWithTheOldValueInMemory() {
        TestMachine m = TestMachine.withCode(LOOP);
        HostDebug d = m.cpu.hostDebug;
        d.addWatchpoint(DATA + 8, 8, HostDebug.WATCH_WRITE);
        for (int i = 1; i <= 100; i++) {
            VmExit exit = resume(m, 10_000);
            assertThat(exit).isInstanceOf(VmExit.Cancelled.class);
            assertThat(d.stop()).isEqualTo(HostDebug.STOP_WATCH_WRITE);
            assertThat(d.stopAddress()).isEqualTo(DATA + 8);
            assertThat(m.vm.getPc()).isEqualTo(STR_PC);
            assertThat(m.x(2)).isEqualTo(i);
            assertThat(data(m, DATA + 8)).isEqualTo(i - 1);
            assertThat(m.vm.instructions()).isEqualTo(2 + 5L * (i - 1) + 1);
        }
        assertThat(resume(m, 10_000)).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(data(m, DATA + 8)).isEqualTo(100);
    }

    @Test
    void watchpointsMatchExactBytesAndAccessKinds() {
        TestMachine m = TestMachine.withCode(LOOP);
        HostDebug d = m.cpu.hostDebug;
        // Same page as both accesses but outside them, or the wrong kind: never stop.
        d.addWatchpoint(DATA + 24, 8, HostDebug.WATCH_ACCESS);
        d.addWatchpoint(DATA + 7, 1, HostDebug.WATCH_ACCESS);
        d.addWatchpoint(DATA + 16, 8, HostDebug.WATCH_WRITE);
        d.addWatchpoint(DATA + 8, 8, HostDebug.WATCH_READ);
        assertThat(resume(m, 10_000)).isInstanceOf(VmExit.BudgetExhausted.class);

        TestMachine n = TestMachine.withCode(LOOP);
        HostDebug e = n.cpu.hostDebug;
        e.addWatchpoint(DATA + 15, 1, HostDebug.WATCH_WRITE); // the store's last byte
        e.addWatchpoint(DATA + 20, 2, HostDebug.WATCH_READ);  // inside the load
        assertThat(resume(n, 10_000)).isInstanceOf(VmExit.Cancelled.class);
        assertThat(n.vm.getPc()).isEqualTo(STR_PC);
        assertThat(e.stopAddress()).isEqualTo(DATA + 15);
        assertThat(resume(n, 10_000)).isInstanceOf(VmExit.Cancelled.class);
        assertThat(n.vm.getPc()).isEqualTo(LDR_PC);
        assertThat(e.stop()).isEqualTo(HostDebug.STOP_WATCH_READ);
        assertThat(e.stopAddress()).isEqualTo(DATA + 20);
        assertThat(e.removeWatchpoint(DATA + 15, 1, HostDebug.WATCH_WRITE)).isTrue();
        assertThat(e.removeWatchpoint(DATA + 20, 2, HostDebug.WATCH_READ)).isTrue();
        assertThat(resume(n, 10_000)).isInstanceOf(VmExit.BudgetExhausted.class);
    }

    @Test
    void breakpointStopsBeforeItsInstructionEveryTime() {
        TestMachine m = TestMachine.withCode(LOOP);
        HostDebug d = m.cpu.hostDebug;
        d.addBreakpoint(LDR_PC);
        for (int i = 1; i <= 100; i++) {
            assertThat(resume(m, 10_000)).isInstanceOf(VmExit.Cancelled.class);
            assertThat(d.stop()).isEqualTo(HostDebug.STOP_BREAKPOINT);
            assertThat(m.vm.getPc()).isEqualTo(LDR_PC);
            assertThat(data(m, DATA + 8)).isEqualTo(i);
        }
        d.removeBreakpoint(LDR_PC);
        assertThat(resume(m, 10_000)).isInstanceOf(VmExit.BudgetExhausted.class);
    }

    /** bench_int_mmu: the MMU on, stores in a loop, the TLB in use. */
    private static Vcpu benchmark(boolean translation) throws IOException {
        Kernels.build();
        Vcpu vm = (Vcpu) VirtualMachine.create(0, 128L << 20);
        vm.setTranslateThreshold(translation ? 32 : 0); // low: short runs must exercise blocks
        vm.writeMemory(Kernels.VIBE_LOAD, Files.readAllBytes(Kernels.raw("bench_int_mmu")));
        vm.setPc(Kernels.VIBE_LOAD);
        vm.setPstate(0x3C5);
        return vm;
    }

    private static Map<String, Long> state(Vcpu vm) {
        Map<String, Long> s = StateDump.of(vm);
        s.put("ram", vm.bus().ram.hash());
        return s;
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void stoppingAndRunningOnChangesNothingTheGuestCanSee(boolean translation) throws IOException {
        long total = 1_000_000;
        Vcpu straight = benchmark(translation);
        straight.run(total);
        Map<String, Long> expected = state(straight);

        Vcpu vm = benchmark(translation);
        vm.run(200_000);
        HostDebug d = vm.cpu().hostDebug;
        long breakAt = vm.getPc();
        d.addBreakpoint(breakAt);
        // A watchpoint on a page the loop uses (the stack, below the kernel's SP) and one nobody touches.
        d.addWatchpoint(vm.getSp() - 16, 16, HostDebug.WATCH_ACCESS);
        d.addWatchpoint(0x7F_0000, 8, HostDebug.WATCH_WRITE);
        int stops = 0;
        while (vm.instructions() < total && stops < 500) {
            d.resumeAt(vm.instructions(), vm.getPc());
            VmExit exit = vm.run(total - vm.instructions());
            if (!(exit instanceof VmExit.Cancelled)) break;
            assertThat(d.stop()).isNotEqualTo(HostDebug.STOP_NONE);
            if (d.stop() == HostDebug.STOP_BREAKPOINT) assertThat(vm.getPc()).isEqualTo(breakAt);
            stops++;
        }
        assertThat(stops).isGreaterThan(10);
        // With a watchpoint still set: its slow-path marks are not part of the state.
        d.removeBreakpoint(breakAt);
        d.resumeAt(vm.instructions(), vm.getPc());
        while (vm.instructions() < total) {
            d.resumeAt(vm.instructions(), vm.getPc());
            vm.run(total - vm.instructions());
        }
        assertThat(state(vm)).isEqualTo(expected);
        d.clear();
        assertThat(state(vm)).isEqualTo(expected);
    }
}
