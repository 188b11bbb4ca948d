package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja run --gdb with the real client: gdb-multiarch in batch mode attaches
 * to kernels/heisenbug.S (symbols from its vibe ELF), stops at a
 * breakpoint, steps, reads and writes registers (V registers too) and
 * memory, catches the timer handler's store to `ticks` with a write
 * watchpoint (old and new value, stopped right after that store, as gdb
 * shows it) and its next read with a read watchpoint, then detaches; the
 * guest then runs to the end exactly as it does without gdb (instruction
 * count, virtual time, final registers, the ticks it counted). Expected values follow
 * from the kernel's source.
 */
@Timeout(300)
class RunGdbTest {
    private static Path raw, elf;

    @BeforeAll
    static void build() throws Exception {
        raw = TestKernels.build("heisenbug");
        elf = TestKernels.vibeElf("heisenbug");
    }

    /** A StringWriter that other threads may read while it is written. */
    static final class SharedText extends StringWriter {
        @Override
        public synchronized void write(String s, int off, int len) {
            super.write(s, off, len);
        }

        @Override
        public synchronized void write(char[] c, int off, int len) {
            super.write(c, off, len);
        }

        @Override
        public synchronized void write(int c) {
            super.write(c);
        }

        @Override
        public synchronized String toString() {
            return super.toString();
        }
    }

    private static final String SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            info registers pc cpsr
            info all-registers
            break main_loop
            continue
            info registers x19
            stepi
            stepi
            p/x $x9
            x/2i $pc
            watch *(unsigned int *)&ticks
            delete 1
            continue
            x/i $pc - 4
            p/x $vbar_el1
            p/x $sctlr_el1
            p $v0
            set $v1.d.u[0] = 0x1234
            p/x $v1.d.u
            set $v1.d.u[0] = 0
            p/x $v1.d.u[0]
            x/2xw &ticks
            set var *(unsigned int *)&tick_pending = 0x55
            x/1xw &tick_pending
            set var *(unsigned int *)&tick_pending = 0
            delete 2
            rwatch *(unsigned int *)&ticks
            continue
            x/i $pc - 4
            delete
            set $tpidr_el1 = 0x1234
            p/x $tpidr_el1
            set $tpidr_el1 = 0
            python
            try:
                gdb.execute("set $midr_el1 = 0")
            except gdb.error as e:
                print("refused: " + str(e).replace("remote failure", "remote refusal"))
            end
            monitor icount
            detach
            """;

    @Test
    void gdbDebugsTheGuestAndTheRunIsTheRunWithoutIt() throws Exception {
        HuntCommandTest.Cli plain = HuntCommandTest.deja("run", "--binary", raw.toString(), "--dump-regs", "--dump-mem", "0x12000:16");
        assertThat(plain.exit()).isZero();

        SharedText out = new SharedText(), err = new SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"run", "--binary", raw.toString(), "--dump-regs", "--dump-mem", "0x12000:16", "--gdb", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = awaitPort(err, run);
        String gdb = gdb(String.format(SCRIPT, port));
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();

        assertThat(gdb).contains(
                "pc             0x10000             0x10000 <_start>",
                "cpsr           0x400003c5          [ SP EL=1 F I A D Z ]",
                "fpcr           0x0                 0",
                "mpidr_el1      0x80000000          2147483648",
                "Breakpoint 1, 0x00000000000100d0 in main_loop ()",
                "x19            0x101               257",
                "0x00000000000100d8 in main_loop ()",
                "$1 = 0x1010",
                "=> 0x100d8 <main_loop+12>:\teor\tx11, x10, x19",
                "Hardware watchpoint 2: *(unsigned int *)&ticks",
                "Old value = 0\nNew value = 1\n",
                "in irq_handler ()",
                "<irq_handler+56>:\tstr\tw0, [x9]",
                "= {d = {f = {0, 0}, u = {0, 0}, s = {0, 0}}, s = {f = {0, 0, 0, 0}",
                "= {0x1234, 0x0}",
                "$2 = 0x11800",  // VBAR_EL1 = vectors, which _start installs
                "$3 = 0xc50838", // SCTLR_EL1 as a Cortex-A57 resets it (MMU off)
                "$6 = 0x0",
                ":\t0x00000001\t0x00000000",
                ":\t0x00000055",
                "Hardware read watchpoint 3: *(unsigned int *)&ticks",
                "Value = 1",
                "ldr\tw13, [x20]",
                "$7 = 0x1234", // a system register the guest can write, as MSR writes it
                "refused: Could not write register \"midr_el1\"; remote refusal reply 'E.midr_el1 is read-only (the guest cannot write it either)'",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).containsPattern("icount (\\d+), history to \\1 \\(pc 0x[0-9a-f]+, virtual time \\d+ cycles\\), a branch from gdb's "
                + "\\d+ writes, the first at icount \\d+\n");
        assertThat(gdb).doesNotContain("error", "Error", "Remote failure", "warning: Architecture rejected");

        assertThat(err.toString()).contains("gdb: client detached; the guest runs on");
        assertThat(sameRunLines(plain.err())).hasSizeGreaterThan(10);
        assertThat(sameRunLines(err.toString())).isEqualTo(sameRunLines(plain.err()));
    }

    private static final String REPLAY_SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            break x9_corrupt
            continue
            p/x $x9
            p/x $x19
            monitor icount
            delete
            detach
            """;

    /**
     * replay --gdb on a heisenbug recording (chaos seed 33, the demo's
     * failing seed): gdb stops at the failure branch with X9 = 1 where the
     * invariant wants X19 << 4, exactly as the recording went, and after the
     * detach the replay runs on to the recording's end.
     */
    @Test
    void replayUnderGdbReachesTheRecordedFailure(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path recording = tmp.resolve("rec");
        HuntCommandTest.Cli rec = HuntCommandTest.deja("record", "--binary", raw.toString(), "--chaos-seed", "33",
                "--out", recording.toString());
        assertThat(rec.exit()).as(rec.err()).isZero();

        SharedText out = new SharedText(), err = new SharedText();
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"replay", recording.toString(), "--gdb", "0"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = awaitPort(err, replay);
        String gdb = gdb(String.format(REPLAY_SCRIPT, port));
        assertThat(replay.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();

        assertThat(gdb).contains("in x9_corrupt ()", "$1 = 0x1", "$2 = 0x1c5", "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).doesNotContain("error", "Error");
        Matcher end = Pattern.compile("replayed under gdb to icount ([\\d,]+) of ([\\d,]+)").matcher(out.toString());
        assertThat(end.find()).as(out.toString()).isTrue();
        assertThat(end.group(1)).isEqualTo(end.group(2));
    }

    /**
     * replay --gdb delivers the recorded console input: a write watchpoint on
     * uart_rx_irq's buffer stops at the handler's store of the first byte
     * typed ('h'), and the guest then finishes as recorded.
     */
    @Test
    void replayUnderGdbDeliversTheRecordedInput(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path kernel = TestKernels.build("uart_rx_irq");
        Path input = Files.writeString(tmp.resolve("input.txt"), "hi\n");
        Path recording = tmp.resolve("rec");
        HuntCommandTest.Cli rec = HuntCommandTest.deja("record", "--binary", kernel.toString(), "--input", input.toString(),
                "--out", recording.toString());
        assertThat(rec.exit()).as(rec.err()).isZero();

        SharedText out = new SharedText(), err = new SharedText();
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"replay", recording.toString(), "--gdb", "0"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = awaitPort(err, replay);
        String gdb = gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                watch *(unsigned char *)&received
                continue
                x/i $pc - 4
                delete
                continue
                """, port), TestKernels.vibeElf("uart_rx_irq"));
        assertThat(replay.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();

        assertThat(gdb).contains("Old value = 0 '\\000'\nNew value = 104 'h'", "in irq_handler ()", "strb\tw0, [x19], #1",
                "[Inferior 1 (Remote target) exited normally]");
        Matcher end = Pattern.compile("replayed under gdb to icount ([\\d,]+) of ([\\d,]+)").matcher(out.toString());
        assertThat(end.find()).as(out.toString()).isTrue();
        assertThat(end.group(1)).isEqualTo(end.group(2));
    }

    @Test
    void badGdbAddressesAreOneLineUserErrors() throws Exception {
        HuntCommandTest.Cli bad = HuntCommandTest.deja("run", "--binary", raw.toString(), "--gdb", "nonsense");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("deja: --gdb: 'nonsense' is not [HOST:]PORT (examples: 1234, :1234, 0.0.0.0:1234)");
        assertThat(HuntCommandTest.deja("run", "--binary", raw.toString(), "--gdb", "70000").err())
                .contains("--gdb: port 70000 is outside 0-65535");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HuntCommandTest.Cli busy = HuntCommandTest.deja("run", "--binary", raw.toString(), "--gdb", String.valueOf(taken.getLocalPort()));
            assertThat(busy.exit()).isEqualTo(2);
            assertThat(busy.err()).startsWith("deja: --gdb: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /** What must not depend on gdb: how the run stopped, instructions, virtual time, registers, ticks (not the exit table, which counts gdb's stops, nor host time). */
    private static List<String> sameRunLines(String err) {
        return err.lines().filter(l -> l.startsWith("stopped:") || l.startsWith("instructions:") || l.startsWith("virtual time:")
                || l.matches("^ ?[A-Z0-9]{2,3}=.*") || l.startsWith("0000000000012000 ")).toList();
    }

    static int awaitPort(StringWriter err, CompletableFuture<Integer> run) throws InterruptedException {
        Pattern p = Pattern.compile("waiting for gdb on 127\\.0\\.0\\.1:(\\d+)");
        for (int i = 0; i < 600; i++) {
            Matcher m = p.matcher(err.toString());
            if (m.find()) return Integer.parseInt(m.group(1));
            if (run.isDone()) throw new AssertionError("deja run ended before listening: " + err);
            Thread.sleep(100);
        }
        throw new AssertionError("deja run never listened: " + err);
    }

    static String gdb(String script) throws IOException, InterruptedException {
        return gdb(script, elf);
    }

    static String gdb(String script, Path symbols) throws IOException, InterruptedException {
        Path file = Files.createTempFile("deja-gdb", ".gdb");
        try {
            Files.writeString(file, script);
            Process p;
            try {
                p = new ProcessBuilder("gdb-multiarch", "-batch", "-nx", "-x", file.toString(), symbols.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("gdb-multiarch is missing: scripts/install-deps.sh installs it", e);
            }
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gdb did not finish in 120 s");
            }
            return new String(output.join(), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
