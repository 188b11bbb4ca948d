package io.deja.core.board;

import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The golden results of the seed kernels (kernels/README.md) hold in the
 * reference, QEMU 7.2's virt machine: so a mismatch in {@link KernelGoldenTest}
 * is Deja's fault, not the kernel's.
 *
 * QEMU starts paused, with -no-shutdown and QMP on stdin/stdout: a guest power-off
 * (PSCI SYSTEM_OFF) then shows up as a SHUTDOWN event with guest = true and
 * the stopped CPU can still be inspected with "info registers".
 */
class QemuKernelGoldenTest {
    private static final String QEMU = "qemu-system-aarch64";
    private static final long TIMEOUT_MS = 30_000;

    @BeforeAll
    static void qemuInstalled() {
        assumeTrue(onPath(QEMU), QEMU + " is not installed");
        Kernels.build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"uart_hello", "arm64_test", "timer_irq", "el0_svc", "smc_code", "mmu", "debug", "fp_scalar", "simd_fp", "crypto", "floatwork",
            "stages", "stages_slow", "stages_swap"})
    void consoleMatchesGoldenAndGuestPowersOff(String kernel, @TempDir Path tmp) throws Exception {
        try (Qemu qemu = Qemu.start(Kernels.virtBin(kernel), tmp)) {
            qemu.awaitGuestShutdown();
            assertThat(qemu.console()).isEqualTo(Kernels.qemuGolden(kernel));
        }
    }

    /**
     * The device kernels, each on the machine it is written for: GICv3 without
     * an ITS (Deja has no LPIs) for gic3_regs and timer_irq_gic3, and the RTC
     * at Deja's default start on QEMU's virtual clock for device_ids (it prints
     * the counter once, within the run's first second).
     */
    @ParameterizedTest
    @CsvSource({"gic3_regs, 'virt,gic-version=3,its=off'", "timer_irq_gic3, 'virt,gic-version=3,its=off'", "device_ids, virt"})
    void deviceKernelsMatchTheirGoldens(String kernel, String machine, @TempDir Path tmp) throws Exception {
        try (Qemu qemu = Qemu.start(Kernels.virtBin(kernel), tmp, machine, "-rtc", "base=2026-01-01T00:00:00,clock=vm")) {
            qemu.awaitGuestShutdown();
            assertThat(qemu.console()).isEqualTo(Kernels.golden(kernel));
        }
    }

    /**
     * smp on four CPUs (-smp 4): PSCI results, MPIDRs, SGIs between every pair,
     * per-CPU timers, exclusives, a spinlock; smp_gic3 the same on a GICv3
     * (redistributors, ICC_SGI1R/SGI0R/ASGI1R, SPI routing by GICD_IROUTER); smp_icache code one CPU
     * writes and another runs after IC IVAU / IC IALLUIS; smp_stages stage lines from two CPUs
     * in a fixed order; smp_psci a CPU powered on, off, on again, suspended and woken by an SGI
     * (written for -smp 2: CPUs 2 and 3 stay off). Started running, without QMP: QEMU
     * 7.2's QMP "cont" after -S also starts the CPUs that -smp leaves powered off.
     */
    @ParameterizedTest
    @CsvSource({"smp, virt", "smp_gic3, 'virt,gic-version=3,its=off'", "smp_icache, virt", "smp_stages, virt", "smp_psci, virt"})
    void smpKernelsMatchTheirGoldensOnFourCpus(String kernel, String machine, @TempDir Path tmp) throws Exception {
        assertThat(runSmp(kernel, machine, 4, tmp)).isEqualTo(Kernels.golden(kernel));
    }

    /**
     * smp_timer: every CPU there is (PSCI CPU_ON until it refuses) takes ten interrupts of its
     * own virtual timer, half of them after virtual second 1 (so each run takes a second of
     * QEMU's time), through GICv2's banked registers or its GICv3 redistributor.
     */
    @ParameterizedTest
    @CsvSource({"smp_timer, virt, 2, smp_timer.smp2", "smp_timer, virt, 4, smp_timer",
            "smp_timer_gic3, 'virt,gic-version=3,its=off', 4, smp_timer_gic3"})
    void smpTimerTicksOnEveryCpu(String kernel, String machine, int cpus, String golden, @TempDir Path tmp) throws Exception {
        assertThat(runSmp(kernel, machine, cpus, tmp)).isEqualTo(Kernels.golden(golden));
    }

    /** The console of a kernel run to its power-off in QEMU with several CPUs. */
    private static String runSmp(String kernel, String machine, int cpus, Path tmp) throws Exception {
        Path serial = tmp.resolve("serial.txt");
        Process p = new ProcessBuilder(QEMU, "-M", machine, "-cpu", "cortex-a57", "-smp", Integer.toString(cpus), "-m", "128M", "-display", "none",
                "-nic", "none", "-monitor", "none", "-serial", "file:" + serial, "-kernel", Kernels.virtBin(kernel).toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        try {
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("QEMU powered off").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(serial);
    }

    /**
     * uart_rx_irq's input is typed once it waits for it (through a FIFO: QEMU 7.2's
     * file chardev has no input, and a pipe chardev reading a regular file sometimes
     * loses bytes at end of file).
     */
    @Test
    void uartReceiveInterruptsDeliverTheInput(@TempDir Path tmp) throws Exception {
        try (Qemu qemu = Qemu.startWithConsoleInput(Kernels.virtBin("uart_rx_irq"), tmp, "virt")) {
            qemu.awaitConsole("waiting for a line\n");
            qemu.type("Deja\n");
            qemu.awaitGuestShutdown();
            assertThat(qemu.console()).isEqualTo(Kernels.golden("uart_rx_irq"));
        }
    }

    @Test
    void arm64TestHoldsItsResultsInX19AndX20AtPowerOff(@TempDir Path tmp) throws Exception {
        try (Qemu qemu = Qemu.start(Kernels.virtBin("arm64_test"), tmp)) {
            qemu.awaitGuestShutdown();
            String regs = qemu.hmp("info registers");
            assertThat(register(regs, "X19")).isEqualTo(104);
            assertThat(register(regs, "X20")).isEqualTo(5);
            // HVC has retired: the PC is the instruction after it, inside psci_system_off.
            long hvcNext = Kernels.VIRT_LOAD + Kernels.symbolOffset("arm64_test", "psci_system_off") + 12;
            assertThat(register(regs, "PC")).isEqualTo(hvcNext);
        }
    }

    /**
     * QEMU halts at arm64_hello's first WFI for good (nothing can wake it), so
     * once the marker shows the heartbeat is frozen at exactly one message.
     */
    @Test
    void arm64HelloWritesItsHeartbeat(@TempDir Path tmp) throws Exception {
        long data = Kernels.VIRT_LOAD + Kernels.HELLO_DATA;
        try (Qemu qemu = Qemu.start(Kernels.virtBin("arm64_hello"), tmp)) {
            long[] words = null;
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (System.currentTimeMillis() < deadline) {
                words = memoryWords(qemu.hmp(String.format("xp /6wx 0x%x", data)), data, 6);
                if (words[1] == 0xF00DF00DL) break;
                Thread.sleep(200);
            }
            assertThat(words).isNotNull();
            assertThat(words[0]).as("status").isEqualTo(0xCAFEBABEL);
            assertThat(words[1]).as("marker").isEqualTo(0xF00DF00DL);
            assertThat(words[2] | words[3] << 32).as("iteration counter").isEqualTo(10_000_000L);
            assertThat(words[4] | words[5] << 32).as("message count").isEqualTo(1);
        }
    }

    private static boolean isShutdown(String qmpLine) {
        return qmpLine.contains("\"event\": \"SHUTDOWN\"");
    }

    private static long register(String infoRegisters, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=([0-9a-f]{16})").matcher(infoRegisters);
        assertThat(m.find()).as(name + " in:\n" + infoRegisters).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** Parses the output of "xp /Nwx ADDR": lines of "ADDRESS: 0xWORD 0xWORD ...". */
    private static long[] memoryWords(String xp, long address, int count) {
        long[] words = new long[count];
        Matcher line = Pattern.compile("(?m)^([0-9a-f]+):((?: 0x[0-9a-f]{8})+)").matcher(xp);
        int found = 0;
        while (line.find()) {
            long lineAddr = Long.parseUnsignedLong(line.group(1), 16);
            String[] values = line.group(2).trim().split(" ");
            for (int i = 0; i < values.length; i++) {
                int index = (int) ((lineAddr - address) / 4) + i;
                if (index >= 0 && index < count) {
                    words[index] = Long.parseLong(values[i].substring(2), 16);
                    found++;
                }
            }
        }
        assertThat(found).as("words in:\n" + xp).isEqualTo(count);
        return words;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /** One qemu-system-aarch64 -M virt process, driven over QMP. */
    private static final class Qemu implements AutoCloseable {
        private final Process process;
        private final Path serial;
        private final Writer qmpIn;
        private final BlockingQueue<String> qmpOut = new LinkedBlockingQueue<>();
        private final List<String> events = new ArrayList<>();

        private Qemu(Process process, Path serial) {
            this.process = process;
            this.serial = serial;
            this.qmpIn = process.outputWriter(StandardCharsets.UTF_8);
            Thread reader = new Thread(this::pump, "qemu-qmp");
            reader.setDaemon(true);
            reader.start();
        }

        static Qemu start(Path kernel, Path tmp) throws IOException, InterruptedException {
            return start(kernel, tmp, "virt");
        }

        /** @param machine the -M value; more: further QEMU options */
        static Qemu start(Path kernel, Path tmp, String machine, String... more) throws IOException, InterruptedException {
            return start(kernel, tmp, machine, false, more);
        }

        /** A QEMU whose console also takes input: see {@link #type}. */
        static Qemu startWithConsoleInput(Path kernel, Path tmp, String machine) throws IOException, InterruptedException {
            return start(kernel, tmp, machine, true);
        }

        /**
         * @param input whether the console takes input: a pipe chardev reading the FIFO
         *              PATH.in (which QEMU keeps open, so it never sees an end of file) and
         *              writing the regular file PATH.out
         */
        private static Qemu start(Path kernel, Path tmp, String machine, boolean input, String... more) throws IOException, InterruptedException {
            Path serial = tmp.resolve("serial.txt");
            List<String> console;
            if (!input) {
                console = List.of("-serial", "file:" + serial);
            } else {
                Path pipe = tmp.resolve("serial");
                Process mkfifo = new ProcessBuilder("mkfifo", tmp.resolve("serial.in").toString()).inheritIO().start();
                assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
                serial = Files.createFile(tmp.resolve("serial.out"));
                console = List.of("-chardev", "pipe,id=console,path=" + pipe, "-serial", "chardev:console");
            }
            List<String> cmd = new ArrayList<>(List.of(QEMU, "-M", machine, "-cpu", "cortex-a57", "-m", "128M",
                    "-display", "none", "-nic", "none", "-monitor", "none"));
            cmd.addAll(console);
            cmd.addAll(List.of("-qmp", "stdio", "-no-shutdown", "-S", "-kernel", kernel.toString()));
            cmd.addAll(List.of(more));
            Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr.txt").toFile()).start();
            Qemu q = new Qemu(p, serial);
            q.await(line -> line.contains("\"QMP\""), "QMP greeting");
            q.send("{\"execute\":\"qmp_capabilities\"}");
            q.await(line -> line.startsWith("{\"return\""), "qmp_capabilities");
            // Started paused (-S): QMP drops events until capabilities are negotiated, and a
            // guest that powers off sooner would leave no SHUTDOWN event to wait for.
            q.send("{\"execute\":\"cont\"}");
            q.await(line -> line.startsWith("{\"return\""), "cont");
            return q;
        }

        /** Types text into the console (startWithConsoleInput only). */
        void type(String text) throws IOException {
            Path in = serial.resolveSibling("serial.in");
            try (var out = Files.newOutputStream(in, java.nio.file.StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        }

        /** Waits until the console output ends with text. */
        void awaitConsole(String text) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (!console().endsWith(text)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("QEMU: the console did not print " + text + " within " + TIMEOUT_MS + " ms; console so far:\n" + console());
                }
                Thread.sleep(10);
            }
        }

        private void pump() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) qmpOut.add(line);
            } catch (IOException e) {
                // The process went away; await() reports the timeout.
            }
        }

        private void send(String json) throws IOException {
            qmpIn.write(json + "\n");
            qmpIn.flush();
        }

        private String await(java.util.function.Predicate<String> wanted, String what) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            for (;;) {
                long left = deadline - System.currentTimeMillis();
                String line = left > 0 ? qmpOut.poll(left, TimeUnit.MILLISECONDS) : null;
                if (line == null) {
                    throw new AssertionError("QEMU: no " + what + " within " + TIMEOUT_MS + " ms; events " + events
                            + "; console so far:\n" + console());
                }
                if (line.contains("\"event\"")) events.add(line);
                if (wanted.test(line)) return line;
            }
        }

        /** Waits for the power-off the guest asked for (PSCI SYSTEM_OFF). */
        void awaitGuestShutdown() throws InterruptedException {
            // It may have gone by while we were waiting for a command's reply.
            String event = events.stream().filter(QemuKernelGoldenTest::isShutdown).findFirst().orElse(null);
            if (event == null) event = await(QemuKernelGoldenTest::isShutdown, "SHUTDOWN event");
            assertThat(event).contains("\"guest\": true");
        }

        /** Runs a human monitor command and returns its output. */
        String hmp(String command) throws IOException, InterruptedException {
            send("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"" + command + "\"}}");
            String line = await(l -> l.startsWith("{\"return\""), "reply to " + command);
            Matcher m = Pattern.compile("\\{\"return\": \"(.*)\"}").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            return unescape(m.group(1));
        }

        String console() {
            try {
                return Files.exists(serial) ? Files.readString(serial, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String unescape(String json) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < json.length(); i++) {
                char ch = json.charAt(i);
                if (ch != '\\') {
                    sb.append(ch);
                    continue;
                }
                char esc = json.charAt(++i);
                switch (esc) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> { }
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> sb.append(esc);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws InterruptedException {
            try {
                send("{\"execute\":\"quit\"}");
            } catch (IOException e) {
                // Already gone.
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
