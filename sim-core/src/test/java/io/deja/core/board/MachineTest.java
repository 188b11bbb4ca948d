package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.devices.DeviceTree;
import io.deja.core.testing.GuestAssembler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineTest {
    private static final long VIRT_LOAD = 0x4008_0000L;
    private static final long VIBE_LOAD = 0x1_0000L;
    private static final byte[] TINY = {0, 0, 0, 0x14}; // b .

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private Machine virt(String asm) {
        return new Machine(MachineConfig.of(Board.VIRT, GuestAssembler.assemble(asm, VIRT_LOAD)), console);
    }

    private Machine vibe(String asm) {
        return new Machine(MachineConfig.of(Board.VIBE, GuestAssembler.assemble(asm, VIBE_LOAD)), console);
    }

    private String console() {
        return console.toString(StandardCharsets.US_ASCII);
    }

    // ---- Building and entry state ------------------------------------------------------------
    @Test
    void virtEntryStateIsWhatQemusBootStubLeaves() {
        Machine m = new Machine(MachineConfig.of(Board.VIRT, TINY), console);
        assertThat(m.vm().getPc()).isEqualTo(VIRT_LOAD);
        assertThat(m.vm().getX(0)).as("DTB at RAM + min(RAM / 2, 128 MiB)").isEqualTo(0x4400_0000L);
        assertThat(m.vm().getX(1)).isZero();
        assertThat(m.vm().getX(2)).isZero();
        assertThat(m.vm().getX(3)).isZero();
        assertThat(m.vm().getX(4)).isEqualTo(VIRT_LOAD);
        assertThat(m.vm().getSp()).isZero();
        assertThat(m.vm().getPstate()).isEqualTo(0x4000_03C5L);
        assertThat(m.vm().readMemory(VIRT_LOAD, 4)).containsExactly(TINY);
        byte[] dtb = m.vm().readMemory(0x4400_0000L, m.deviceTree().length);
        assertThat(dtb).isEqualTo(m.deviceTree());
        assertThat(DeviceTree.parse(dtb).root().child("memory@40000000").property("reg").longs())
                .containsExactly(0x4000_0000L, 128L << 20);
    }

    @Test
    void theDeviceTreeFollowsQemusPlacementRule() {
        assertThat(new Machine(MachineConfig.of(Board.VIRT, TINY).withRamSize(512L << 20), console).dtbAddress())
                .isEqualTo(0x4800_0000L);
        assertThat(new Machine(MachineConfig.of(Board.VIRT, TINY).withRamSize(64L << 20), console).dtbAddress())
                .isEqualTo(0x4200_0000L);
    }

    @Test
    void theCommandLineAndSeedsReachTheDeviceTree() {
        MachineConfig c = MachineConfig.of(Board.VIRT, TINY).withCommandLine("console=ttyAMA0").withSeeds(42, new byte[] {9, 9});
        DeviceTree.Node chosen = DeviceTree.parse(new Machine(c, console).deviceTree()).root().child("chosen");
        assertThat(chosen.property("bootargs").string()).isEqualTo("console=ttyAMA0");
        assertThat(chosen.property("kaslr-seed").longs()).containsExactly(42L);
        assertThat(chosen.property("rng-seed").value()).containsExactly(9, 9);
    }

    @Test
    void anArm64ImageLoadsWhereItsHeaderAsks() {
        byte[] image = new byte[4096];
        ByteBuffer h = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, 0x14000000 | (0x40 / 4)); // b +0x40 (code0)
        h.putLong(8, 0);                      // text_offset 0: below QEMU's boot stub, so + 2 MiB
        h.putLong(16, 0x2010000);             // image_size
        h.putInt(0x38, 0x644D5241);           // "ARM\x64"
        Machine m = new Machine(MachineConfig.of(Board.VIRT, image), console);
        assertThat(m.loadAddress()).isEqualTo(0x4020_0000L);
        assertThat(m.vm().getPc()).isEqualTo(0x4020_0000L);
        assertThat(m.vm().getX(4)).isEqualTo(0x4020_0000L);
    }

    @Test
    void vibeEntersAtTheEntryPointWithEveryRegisterZero() {
        Machine m = new Machine(MachineConfig.of(Board.VIBE, TINY), console);
        assertThat(m.vm().getPc()).isEqualTo(VIBE_LOAD);
        assertThat(m.vm().ramBase()).isZero();
        assertThat(m.vm().ramSize()).isEqualTo(128L << 20);
        for (int i = 0; i <= 30; i++) assertThat(m.vm().getX(i)).isZero();
        assertThat(m.vm().getSp()).isZero();
        assertThat(m.vm().getPstate()).isEqualTo(0x4000_03C5L);
        assertThat(m.deviceTree()).isNull();
        Machine other = new Machine(MachineConfig.of(Board.VIBE, TINY).withEntry(0x8_0000), console);
        assertThat(other.vm().getPc()).isEqualTo(0x8_0000L);
        assertThat(other.vm().readMemory(0x8_0000, 4)).containsExactly(TINY);
    }

    @Test
    void boardNamesParse() {
        assertThat(Board.fromName("virt")).isEqualTo(Board.VIRT);
        assertThat(Board.fromName("VIBE")).isEqualTo(Board.VIBE);
        assertThatThrownBy(() -> Board.fromName("pc")).hasMessageContaining("unknown board 'pc'");
    }

    // ---- Validation --------------------------------------------------------------------------
    private void refused(MachineConfig config, String message) {
        assertThatThrownBy(() -> new Machine(config, console))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void badConfigurationsAreRefusedWithAReason() {
        refused(MachineConfig.of(Board.VIRT, new byte[0]), "the image is empty");
        assertThatThrownBy(() -> MachineConfig.of(Board.VIRT, null)).hasMessageContaining("no image");
        refused(MachineConfig.of(Board.VIBE, new byte[(int) (1L << 20)]).withRamSize(1L << 20), "beyond the end of RAM");
        refused(MachineConfig.of(Board.VIBE, TINY).withEntry(0x0800_0000L), "entry point 0x8000000 is outside RAM");
        refused(MachineConfig.of(Board.VIRT, TINY).withEntry(0x1000), "outside RAM [0x40000000, 0x48000000)");
        refused(MachineConfig.of(Board.VIBE, TINY).withEntry(0x10002), "not 4-byte aligned");
        refused(MachineConfig.of(Board.VIBE, TINY).withRamSize(4096), "too small for the vibe board");
        refused(MachineConfig.of(Board.VIBE, TINY).withRamSize(256L << 20), "too large for the vibe board");
        refused(MachineConfig.of(Board.VIRT, TINY).withRamSize(2L << 30), "too large for the virt board");
        refused(MachineConfig.of(Board.VIRT, TINY).withRamSize((64L << 20) + 100), "not a multiple of 4 KiB");
        refused(MachineConfig.of(Board.VIRT, new byte[1 << 19]).withRamSize(1L << 20), "beyond the end of RAM");
        refused(MachineConfig.of(Board.VIRT, new byte[1 << 18]).withRamSize(1L << 20), "device tree");
    }

    @Test
    void aNegativeBudgetIsRefused() {
        Machine m = new Machine(MachineConfig.of(Board.VIBE, TINY), console);
        assertThatThrownBy(() -> m.run(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancelBeforeARunStopsItAtOnce() {
        Machine m = new Machine(MachineConfig.of(Board.VIBE, TINY), console);
        m.cancel();
        RunResult r = m.run(1000);
        assertThat(r.reason()).isEqualTo(ExitKind.CANCELLED);
        assertThat(r.canContinue()).isTrue();
        assertThat(m.statistics().count(ExitKind.CANCELLED)).isEqualTo(1);
    }

    // ---- Guests (need loads/stores, branches and HVC in the ISA) -----------------------------
    private static final String PRINT_HI_AND_POWER_OFF = """
            ldr x1, =0x09000000
            mov w2, #'H'
            str w2, [x1]
            mov w2, #'i'
            str w2, [x1]
            mov w2, #10
            str w2, [x1]
            ldr x0, =0x84000008
            hvc #0
            b .
            """;

    @Test
    void aGuestPrintsThroughThePl011AndPowersOff() {
        Machine m = virt(PRINT_HI_AND_POWER_OFF);
        RunResult r = m.run(1_000_000);
        assertThat(console()).isEqualTo("Hi\n");
        assertThat(r.reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(r.instructions()).isEqualTo(9);
        assertThat(m.isStopped()).isTrue();
        ExitStatistics s = m.statistics();
        assertThat(s.count(ExitKind.MMIO_WRITE)).isEqualTo(3);
        assertThat(s.count(ExitKind.HVC)).isEqualTo(1);
        assertThat(s.count(ExitKind.SHUTDOWN)).isEqualTo(1);
        assertThat(s.totalExits()).isEqualTo(5);
        assertThat(s.instructions()).isEqualTo(9);
        assertThat(s.format()).contains("MMIO write").contains("instructions: 9");
        RunResult again = m.run(1000);
        assertThat(again.reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(again.instructions()).isZero();
    }

    @Test
    void theSameGuestRunsOnVibe() {
        Machine m = vibe(PRINT_HI_AND_POWER_OFF);
        assertThat(m.run(1_000_000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(console()).isEqualTo("Hi\n");
    }

    @Test
    void aBudgetStopsAnEndlessLoopAndTheRunCanContinue() {
        Machine m = vibe("b .");
        RunResult r = m.run(1000);
        assertThat(r.reason()).isEqualTo(ExitKind.BUDGET);
        assertThat(r.instructions()).isEqualTo(1000);
        assertThat(r.pc()).isEqualTo(VIBE_LOAD);
        assertThat(m.run(500).instructions()).isEqualTo(500);
        assertThat(m.statistics().instructions()).isEqualTo(1500);
    }

    @Test
    void psciCallsReturnQemusResults() {
        Machine m = virt("""
                ldr x0, =0x84000000
                hvc #0
                mov x19, x0
                ldr x0, =0xc4000003
                mov x1, #1
                ldr x2, =0x40080000
                hvc #0
                mov x20, x0
                ldr x0, =0x12345678
                hvc #0x77
                mov x21, x0
                ldr x0, =0x84000008
                hvc #0
                """);
        assertThat(m.run(1000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(19)).as("PSCI_VERSION").isEqualTo(0x10001);
        assertThat(m.vm().getX(20)).as("CPU_ON(1)").isEqualTo(-2L);
        assertThat(m.vm().getX(21)).as("not a PSCI function: NOT_SUPPORTED, not UNDEFINED").isEqualTo(-1L);
        assertThat(m.statistics().count(ExitKind.HVC)).isEqualTo(4);
    }

    @Test
    void devicesAnswerAtTheirAddresses() {
        Machine m = virt("""
                ldr x1, =0x09000000
                ldr w19, [x1, #0x18]
                ldr w20, [x1, #0xfe0]
                ldr x1, =0x08000000
                ldr w21, [x1, #4]
                ldr x1, =0x0a003e00
                ldr w22, [x1]
                ldr w23, [x1, #4]
                ldr x0, =0x84000008
                hvc #0
                """);
        assertThat(m.run(1000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(19)).as("UARTFR").isEqualTo(0x90);
        assertThat(m.vm().getX(20)).as("UARTPeriphID0").isEqualTo(0x11);
        assertThat(m.vm().getX(21)).as("GICD_TYPER").isEqualTo(8);
        assertThat(m.vm().getX(22)).as("virtio magic").isEqualTo(0x74726976L);
        assertThat(m.vm().getX(23)).as("virtio version").isEqualTo(1);
        assertThat(m.statistics().count(ExitKind.MMIO_READ)).as("only the UART exits").isEqualTo(2);
    }

    @Test
    void consoleInputReachesTheGuest() {
        Machine m = vibe("""
                ldr x1, =0x09000000
            1:  ldr w2, [x1, #0x18]
                tbnz w2, #4, 1b
                ldr w3, [x1]
                add w3, w3, #1
                str w3, [x1]
                ldr x0, =0x84000008
                hvc #0
                """);
        assertThat(m.run(1000).reason()).isEqualTo(ExitKind.BUDGET);
        m.sendConsoleInput("A".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.run(1000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(console()).isEqualTo("B");
    }

    @Test
    void anAccessToAnUnassignedPartOfTheGicWindowAborts() {
        Machine m = virt("""
                adr x0, vectors
                msr vbar_el1, x0
                ldr x1, =0x08001000
                ldr w2, [x1]
                b .
                .balign 0x800
            vectors:
                .skip 0x200
                mov x19, #1
                ldr x0, =0x84000008
                hvc #0
                """);
        assertThat(m.run(10_000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(19)).isEqualTo(1);
        assertThat(m.vm().getSysReg("FAR_EL1")).isEqualTo(0x0800_1000L);
    }

    @Test
    void cpuSuspendSleepsUntilTheTimerWakesTheCpu() {
        Machine m = virt("""
                ldr x1, =0x08000000
                mov w2, #1
                str w2, [x1]
                mov w2, #(1 << 27)
                str w2, [x1, #0x100]
                ldr x1, =0x08010000
                mov w2, #0xf0
                str w2, [x1, #4]
                mov w2, #1
                str w2, [x1]
                ldr x0, =100000
                msr cntv_tval_el0, x0
                mov x0, #1
                msr cntv_ctl_el0, x0
                ldr x0, =0xc4000001
                mov x1, #0
                hvc #0
                mov x20, x0
                mrs x19, cntvct_el0
                ldr x0, =0x84000008
                hvc #0
                """);
        RunResult r = m.run(1000);
        assertThat(r.reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(20)).as("CPU_SUSPEND result").isZero();
        assertThat(m.vm().getX(19)).as("virtual time jumped to the deadline").isGreaterThanOrEqualTo(100_000L);
        assertThat(r.instructions()).isLessThan(100);
        assertThat(r.cycles()).isGreaterThanOrEqualTo(100_000L);
        assertThat(m.gic().isPendingInterrupt(27)).isTrue();
    }

    /** One PSCI event per call: the suspend that the timer's interrupt ends says so and when; one with nothing to wait for returns at once. */
    @Test
    void psciEventsSayHowEachCpuSuspendEnded() {
        Machine m = virt("""
                ldr x0, =0xc4000001
                mov x1, #0
                hvc #0
                ldr x1, =0x08000000
                mov w2, #1
                str w2, [x1]
                mov w2, #(1 << 27)
                str w2, [x1, #0x100]
                ldr x1, =0x08010000
                mov w2, #0xf0
                str w2, [x1, #4]
                mov w2, #1
                str w2, [x1]
                ldr x0, =100000
                msr cntv_tval_el0, x0
                mov x0, #1
                msr cntv_ctl_el0, x0
                ldr x0, =0x84000001
                mov x1, #0
                hvc #0
                ldr x0, =0x84000001
                ldr x1, =0x20000
                hvc #0
                ldr x0, =0x84000008
                hvc #0
                """);
        List<String> calls = new java.util.ArrayList<>();
        m.setTrace(new io.deja.core.trace.TraceSink() {
            @Override
            public void psci(long icount, long pc, int function, long functionId, int target, long result, int wake, long cycles, long wakeCycles, long total) {
                calls.add(icount + " " + io.deja.core.trace.EventCodes.PSCI_FUNCTION.nameOf(function) + " 0x" + Long.toHexString(functionId)
                        + " " + result + " " + io.deja.core.trace.EventCodes.PSCI_WAKE.nameOf(wake) + " slept " + (wakeCycles - cycles) + " total " + total);
            }
        }, io.deja.core.trace.TraceLevel.EVENTS);
        RunResult r = m.run(1000);
        assertThat(r.reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(calls).hasSize(4);
        assertThat(calls.get(0)).isEqualTo("3 CPU_SUSPEND 0xc4000001 0 immediate slept 0 total 3");
        assertThat(calls.get(1)).matches("20 CPU_SUSPEND 0x84000001 0 interrupt slept \\d+ total 20");
        long slept = Long.parseLong(calls.get(1).split(" ")[6]);
        assertThat(slept).as("to the timer's deadline, 100,000 cycles after it was set").isBetween(99_990L, 100_000L);
        // power_state bits 31:17 set: INVALID_PARAMETERS, no sleep
        assertThat(calls.get(2)).isEqualTo("23 CPU_SUSPEND 0x84000001 -2 none slept 0 total 23");
        assertThat(calls.get(3)).isEqualTo("25 SYSTEM_OFF 0x84000008 0 none slept 0 total 25");
    }
}
