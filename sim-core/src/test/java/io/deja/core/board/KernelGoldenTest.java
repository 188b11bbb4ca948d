package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.cpu.Cpu;
import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed kernels (kernels/README.md) give in Deja the golden results that
 * {@link QemuKernelGoldenTest} shows QEMU gives: the same console bytes, the
 * same registers at power-off, and (Deja being deterministic) arm64_hello's
 * heartbeat exactly as computed for an instruction budget. Each kernel runs
 * on both layouts: vibe (the .raw image at 0x10000, RAM at 0x0) and virt (the
 * .virt.bin at 0x4008_0000).
 */
@Timeout(120)
class KernelGoldenTest {
    /** Far more than any powering-off kernel needs (the longest retires well under a million). */
    private static final long POWER_OFF_BUDGET = 100_000_000L;

    enum Layout {
        VIBE(Board.VIBE, Kernels::raw, Kernels.VIBE_LOAD),
        VIRT(Board.VIRT, Kernels::virtBin, Kernels.VIRT_LOAD);

        final Board board;
        final Function<String, Path> image;
        final long load;

        Layout(Board board, Function<String, Path> image, long load) {
            this.board = board;
            this.image = image;
            this.load = load;
        }

        Guest boot(String kernel) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(image.apply(kernel));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // The board's own default load address, as on the command line without --entry.
            Guest g = new Guest(kernel, this, MachineConfig.of(board, bytes).withRamSize(128L << 20));
            assertThat(g.machine.loadAddress()).as("default load address of " + board).isEqualTo(load);
            return g;
        }
    }

    /** A machine running one kernel, with its console captured. */
    static final class Guest {
        final String kernel;
        final Layout layout;
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final Machine machine;

        Guest(String kernel, Layout layout, MachineConfig config) {
            this.kernel = kernel;
            this.layout = layout;
            this.machine = new Machine(config, console);
        }

        RunResult run(long budget) {
            return machine.run(budget);
        }

        String console() {
            return console.toString(StandardCharsets.UTF_8);
        }

        long x(int n) {
            return machine.vm().getX(n);
        }

        long word32(long offset) {
            return ByteBuffer.wrap(machine.vm().readMemory(layout.load + offset, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
        }

        long word64(long offset) {
            return ByteBuffer.wrap(machine.vm().readMemory(layout.load + offset, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        /** What to look at when a golden does not hold. */
        String describe(RunResult r) {
            Cpu c = machine.vcpu().cpu();
            return String.format("%s on %s: %s after %d instructions, pc=0x%x (load+0x%x), EL%d, ESR_EL1=0x%x ELR_EL1=0x%x FAR_EL1=0x%x%nconsole:%n%s",
                    kernel, layout, r.reason(), r.instructions(), r.pc(), r.pc() - layout.load, c.el, c.esrEl1, c.elrEl1, c.farEl1, console());
        }
    }

    static Stream<Arguments> poweringOffKernels() {
        return Stream.of("uart_hello", "arm64_test", "timer_irq", "el0_svc", "smc_code", "mmu", "debug", "fp_scalar", "simd_fp", "crypto", "floatwork",
            "stages", "stages_slow", "stages_swap")
                .flatMap(k -> Stream.of(Layout.values()).map(l -> Arguments.of(k, l)));
    }

    /**
     * Where a kernel's QEMU golden differs from Deja's, it differs only in the
     * lines kernels/README.md explains, all cases where QEMU 7.2 does not
     * follow the Arm ARM: mmu's misaligned load and DC ZVA on a Device page
     * fault only in Deja (D8.2.11); debug's breakpoint with the OS lock set
     * is taken only by QEMU (AArch64.GenerateDebugExceptionsFrom).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "mmu|  fault esr=0x96000021 far=0x80006002;  fault esr=0x96000061 far=0x80006000|",
            "debug||  ec=0x31 iss=0x22 elr=+0x1f8"})
    void qemuGoldensDifferOnlyWhereQemuLeavesTheArmArm(String kernel, String onlyInDeja, String onlyInQemu) {
        java.util.List<String> deja = new java.util.ArrayList<>(Kernels.golden(kernel).lines().toList());
        java.util.List<String> qemu = new java.util.ArrayList<>(Kernels.qemuGolden(kernel).lines().toList());
        java.util.List<String> common = new java.util.ArrayList<>(deja);
        for (String line : qemu) common.remove(line);
        assertThat(common).as("only in Deja's golden").containsExactlyElementsOf(split(onlyInDeja));
        for (String line : deja) qemu.remove(line);
        assertThat(qemu).as("only in QEMU's golden").containsExactlyElementsOf(split(onlyInQemu));
    }

    private static java.util.List<String> split(String lines) {
        return lines == null || lines.isEmpty() ? java.util.List.of() : java.util.List.of(lines.split(";"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("poweringOffKernels")
    void consoleMatchesGoldenAndGuestPowersOff(String kernel, Layout layout) {
        Guest g = layout.boot(kernel);
        RunResult r = g.run(POWER_OFF_BUDGET);
        assertThat(r.reason()).as(g.describe(r)).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(g.console()).as(g.describe(r)).isEqualTo(Kernels.golden(kernel));
    }

    /**
     * The device kernels with the GIC they are written for (QemuKernelGoldenTest
     * runs them on the matching QEMU machine). device_ids needs the PL031, which
     * only virt has.
     */
    static Stream<Arguments> deviceKernels() {
        return Stream.of(
                Arguments.of("gic3_regs", Layout.VIBE, GicVersion.V3), Arguments.of("gic3_regs", Layout.VIRT, GicVersion.V3),
                Arguments.of("timer_irq_gic3", Layout.VIBE, GicVersion.V3), Arguments.of("timer_irq_gic3", Layout.VIRT, GicVersion.V3),
                Arguments.of("device_ids", Layout.VIRT, GicVersion.V2));
    }

    @ParameterizedTest(name = "{0} on {1} with GIC{2}")
    @MethodSource("deviceKernels")
    void deviceKernelsMatchTheirGoldens(String kernel, Layout layout, GicVersion gic) throws IOException {
        byte[] bytes = Files.readAllBytes(layout.image.apply(kernel));
        Guest g = new Guest(kernel, layout, MachineConfig.of(layout.board, bytes).withRamSize(128L << 20).withGic(gic));
        RunResult r = g.run(POWER_OFF_BUDGET);
        assertThat(r.reason()).as(g.describe(r)).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(g.console()).as(g.describe(r)).isEqualTo(Kernels.golden(kernel));
    }

    /** Console input typed before the first instruction, taken one byte per PL011 receive interrupt. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void uartReceiveInterruptsDeliverTheInput(Layout layout) {
        Guest g = layout.boot("uart_rx_irq");
        g.machine.sendConsoleInput("Deja\n".getBytes(StandardCharsets.US_ASCII));
        RunResult r = g.run(POWER_OFF_BUDGET);
        assertThat(r.reason()).as(g.describe(r)).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(g.console()).as(g.describe(r)).isEqualTo(Kernels.golden("uart_rx_irq"));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void arm64TestHoldsItsResultsInX19AndX20AtPowerOff(Layout layout) {
        Guest g = layout.boot("arm64_test");
        RunResult r = g.run(POWER_OFF_BUDGET);
        assertThat(r.reason()).as(g.describe(r)).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(g.x(19)).as("x19 = (42 + 10) * 2").isEqualTo(104);
        assertThat(g.x(20)).as("x20 = WFI trips").isEqualTo(5);
        // As in QEMU: the HVC has retired, the PC is the instruction after it.
        assertThat(r.pc()).isEqualTo(layout.load + Kernels.symbolOffset("arm64_test", "psci_system_off") + 12);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void arm64SimpleSleepsForever(Layout layout) {
        Guest g = layout.boot("arm64_simple");
        RunResult r = g.run(1_000);
        assertThat(r.reason()).as(g.describe(r)).isEqualTo(ExitKind.BUDGET);
        assertThat(r.instructions()).isEqualTo(1_000);
        assertThat(r.pc()).as(g.describe(r)).isIn(layout.load, layout.load + 4);
        assertThat(g.console()).isEmpty();
    }

    // ---- arm64_hello: the heartbeat, exactly as kernels/README.md computes it ----
    private static final long STATUS = Kernels.HELLO_DATA, MARKER = STATUS + 4, COUNTER = STATUS + 8, MESSAGES = STATUS + 16;
    /** Instructions before the main loop (the 17th writes 0xCAFEBABE). */
    private static final long PROLOGUE = 17;
    private static final long ITERATIONS_PER_MESSAGE = 10_000_000;
    /** One round: 4 instructions per iteration, then the 6-instruction message block. */
    private static final long ROUND = 4 * ITERATIONS_PER_MESSAGE + 6;

    static long helloCounter(long retired) {
        long t = retired - PROLOGUE;
        if (t < 0) return 0;
        long rounds = t / ROUND, m = t % ROUND;
        return rounds * ITERATIONS_PER_MESSAGE + Math.min((m + 2) / 4, ITERATIONS_PER_MESSAGE);
    }

    static long helloMessages(long retired) {
        long t = retired - PROLOGUE;
        if (t < 0) return 0;
        return t / ROUND + (t % ROUND >= 4 * ITERATIONS_PER_MESSAGE + 2 ? 1 : 0);
    }

    static boolean helloMarker(long retired) {
        long t = retired - PROLOGUE;
        return t >= 4 * ITERATIONS_PER_MESSAGE + 3;
    }

    @Test
    void helloFormulaMatchesTheReadme() {
        assertThat(helloCounter(50_000_000)).isEqualTo(12_499_994);
        assertThat(helloMessages(50_000_000)).isEqualTo(1);
    }

    /**
     * Runs arm64_hello in slices ending at the interesting instruction counts
     * (so resuming a run is exercised too) and checks the heartbeat at each.
     */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void arm64HelloHeartbeatIsExactForTheBudget(Layout layout) {
        Guest g = layout.boot("arm64_hello");
        long[] checkpoints = {
                4,                                  // status written: 0xDEADBEEF
                16,                                 // still initialising
                PROLOGUE,                           // 0xCAFEBABE: in the main loop
                PROLOGUE + 1, PROLOGUE + 2,         // first counter store
                PROLOGUE + 4 * ITERATIONS_PER_MESSAGE + 1, // the last iteration of the round is stored
                PROLOGUE + 4 * ITERATIONS_PER_MESSAGE + 2, // message count stored
                PROLOGUE + 4 * ITERATIONS_PER_MESSAGE + 3, // marker stored
                PROLOGUE + ROUND + 2,               // the second round's first store
                50_000_000};
        long retired = 0;
        for (long checkpoint : checkpoints) {
            RunResult r = g.run(checkpoint - retired);
            retired = checkpoint;
            String where = "after " + checkpoint + " instructions: " + g.describe(r);
            assertThat(r.reason()).as(where).isEqualTo(ExitKind.BUDGET);
            assertThat(g.machine.vm().instructions()).as(where).isEqualTo(checkpoint);
            assertThat(g.word32(STATUS)).as("status " + where).isEqualTo(checkpoint >= PROLOGUE ? 0xCAFEBABEL : 0xDEADBEEFL);
            assertThat(g.word32(MARKER)).as("marker " + where).isEqualTo(helloMarker(checkpoint) ? 0xF00DF00DL : 0);
            assertThat(g.word64(COUNTER)).as("counter " + where).isEqualTo(helloCounter(checkpoint));
            assertThat(g.word64(MESSAGES)).as("messages " + where).isEqualTo(helloMessages(checkpoint));
        }
        assertThat(g.console()).isEmpty();
    }
}
