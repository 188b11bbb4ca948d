package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.testing.GuestAssembler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PL031, the PL011's interrupts and the GICv3 as wired into a running machine. */
class BoardDevicesTest {
    private static final long VIRT_LOAD = 0x4008_0000L;
    private static final long F = 62_500_000L;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private Machine virt(MachineConfig config) {
        return new Machine(config, console);
    }

    private static MachineConfig virtConfig(String asm) {
        return MachineConfig.of(Board.VIRT, GuestAssembler.assemble(asm, VIRT_LOAD));
    }

    @Test
    void theRtcStartsAtTheConfiguredTime() {
        String asm = """
                ldr x1, =0x09010000
                ldr w19, [x1]
                ldr x0, =0x84000008
                hvc #0
                """;
        Machine byDefault = virt(virtConfig(asm));
        assertThat(byDefault.run(100).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(byDefault.vm().getX(19)).as("2026-01-01T00:00:00Z").isEqualTo(1_767_225_600L);
        Machine asked = virt(virtConfig(asm).withRtcStart(4_000_000_000L));
        assertThat(asked.run(100).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(asked.vm().getX(19)).isEqualTo(4_000_000_000L);
    }

    @Test
    void anRtcStartOutsideTheCounterIsRefused() {
        assertThatThrownBy(() -> virtConfig("nop").withRtcStart(1L << 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2106");
    }

    /** WFI sleeps until the match: virtual time jumps to the second boundary where the counter equals RTCMR. */
    @Test
    void theRtcMatchInterruptWakesWfiAtTheRightVirtualTime() {
        Machine m = virt(virtConfig("""
                ldr x1, =0x08000000
                mov w2, #1
                str w2, [x1]
                mov w2, #(1 << 2)
                str w2, [x1, #0x104]
                ldr x1, =0x08010000
                mov w2, #0xf0
                str w2, [x1, #4]
                mov w2, #1
                str w2, [x1]
                ldr x3, =0x09010000
                mov w2, #5
                str w2, [x3, #8]
                mov w2, #7
                str w2, [x3, #4]
                mov w2, #1
                str w2, [x3, #0x10]
            1:  wfi
                ldr w2, [x1, #0x18]
                cmp w2, #34
                b.ne 1b
                mrs x19, cntvct_el0
                ldr w20, [x3]
                ldr w21, [x1, #0xc]
                ldr x0, =0x84000008
                hvc #0
                """));
        RunResult r = m.run(10_000);
        assertThat(r.reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(19)).as("woken at 2 s of virtual time").isBetween(2 * F, 2 * F + 10);
        assertThat(m.vm().getX(20)).as("RTCDR").isEqualTo(7);
        assertThat(m.vm().getX(21)).as("GICC_IAR").isEqualTo(34);
        assertThat(r.instructions()).isLessThan(100);
    }

    /** Console input is an event between runs: a guest that enabled the receive interrupt takes it. */
    @Test
    void consoleInputRaisesTheUartReceiveInterrupt() {
        Machine m = virt(virtConfig("""
                adr x0, vectors
                msr vbar_el1, x0
                ldr x1, =0x08000000
                mov w2, #1
                str w2, [x1]
                mov w2, #(1 << 1)
                str w2, [x1, #0x104]
                ldr x1, =0x08010000
                mov w2, #0xf0
                str w2, [x1, #4]
                mov w2, #1
                str w2, [x1]
                ldr x3, =0x09000000
                mov w2, #(1 << 4)
                str w2, [x3, #0x38]
                msr daifclr, #2
            1:  wfi
                b 1b
                .balign 0x800
            vectors:
                .skip 0x280
                ldr x1, =0x08010000
                ldr w19, [x1, #0xc]
                ldr w20, [x3, #0x40]
                ldr w2, [x3]
                add w2, w2, #1
                str w2, [x3]
                str w19, [x1, #0x10]
                ldr x0, =0x84000008
                hvc #0
                """));
        assertThat(m.run(10_000).reason()).as("nothing to receive yet").isEqualTo(ExitKind.BUDGET);
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEmpty();
        m.sendConsoleInput("A".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.run(10_000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(19)).as("GICC_IAR: the UART").isEqualTo(33);
        assertThat(m.vm().getX(20)).as("UARTMIS: RX").isEqualTo(1 << 4);
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("B");
        assertThat(m.statistics().count(ExitKind.MMIO_READ)).as("the PL011 stays host-handled").isGreaterThan(0);
    }

    @Test
    void aGicV3MachineTakesTheTimerInterruptThroughTheSystemRegisters() {
        Machine m = virt(virtConfig("""
                adr x0, vectors
                msr vbar_el1, x0
                ldr x1, =0x08000000
                mov w2, #0x12
                str w2, [x1]
                ldr x1, =0x080b0000
                mov w2, #(1 << 27)
                str w2, [x1, #0x80]
                str w2, [x1, #0x100]
                mov x2, #0xf0
                msr icc_pmr_el1, x2
                mov x2, #1
                msr icc_igrpen1_el1, x2
                mrs x22, id_aa64pfr0_el1
                ldr x0, =100000
                msr cntv_tval_el0, x0
                mov x0, #1
                msr cntv_ctl_el0, x0
                msr daifclr, #2
            1:  wfi
                b 1b
                .balign 0x800
            vectors:
                .skip 0x280
                mrs x19, icc_iar1_el1
                msr cntv_ctl_el0, xzr
                msr icc_eoir1_el1, x19
                mrs x20, icc_rpr_el1
                mrs x21, cntvct_el0
                ldr x0, =0x84000008
                hvc #0
                """).withGic(GicVersion.V3));
        assertThat(m.run(10_000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(m.vm().getX(19)).isEqualTo(27);
        assertThat(m.vm().getX(20)).as("idle after EOI").isEqualTo(0xFF);
        assertThat(m.vm().getX(21)).isGreaterThanOrEqualTo(100_000L);
        assertThat((m.vm().getX(22) >>> 24) & 0xF).as("ID_AA64PFR0_EL1.GIC: system register interface").isEqualTo(1);
        assertThat(m.deviceNames().subList(0, 2)).containsExactly("gic-dist", "gic-redist");
    }

    @Test
    void withGicV2TheIccRegistersAreUndefined() {
        Machine m = virt(virtConfig("""
                adr x0, vectors
                msr vbar_el1, x0
                mrs x19, id_aa64pfr0_el1
                mrs x20, icc_pmr_el1
                b .
                .balign 0x800
            vectors:
                .skip 0x200
                mrs x21, esr_el1
                ldr x0, =0x84000008
                hvc #0
                """));
        assertThat(m.run(10_000).reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat((m.vm().getX(19) >>> 24) & 0xF).isZero();
        assertThat(m.vm().getX(21) >>> 26).as("EC: unknown reason").isZero();
    }

    @Test
    void theRtcIsPartOfTheStateHash() {
        Machine a = virt(virtConfig("nop\nnop"));
        Machine b = virt(virtConfig("nop\nnop").withRtcStart(12345));
        assertThat(a.stateHashes().devices()).isNotEqualTo(b.stateHashes().devices());
        assertThat(a.stateHashes().cpu()).isEqualTo(b.stateHashes().cpu());
    }
}
