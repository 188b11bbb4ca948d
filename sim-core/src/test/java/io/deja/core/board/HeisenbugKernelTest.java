package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two bug-hunting kernels (kernels/README.md): heisenbug, whose timer
 * handler clobbers X9 only when a tick lands in a three-instruction window of
 * the main loop, and jit_x9, whose JIT patches the wrong literal. Pins what
 * `deja hunt` and `deja demo` rely on: without chaos heisenbug always passes,
 * with chaos a few seeds (deterministically) fail, and each failure is an
 * interrupt taken inside the window.
 */
@Timeout(300)
class HeisenbugKernelTest {
    private static final long BUDGET = 10_000_000L;
    private static final int TICKS = 20;

    enum Layout {
        VIBE(Board.VIBE, Kernels.VIBE_LOAD) {
            Path image(String kernel) { return Kernels.raw(kernel); }
        },
        VIRT(Board.VIRT, Kernels.VIRT_LOAD) {
            Path image(String kernel) { return Kernels.virtBin(kernel); }
        };

        final Board board;
        final long load;

        Layout(Board board, long load) {
            this.board = board;
            this.load = load;
        }

        abstract Path image(String kernel);
    }

    /** One run: its console, how it stopped and the interrupted PC of every IRQ taken. */
    record Run(String console, RunResult result, List<Long> interruptedPcs, long instructions) {
        boolean corrupt() {
            return console.contains("X9 CORRUPT");
        }
    }

    static Run run(String kernel, Layout layout, Long chaosSeed) {
        byte[] image;
        try {
            image = Files.readAllBytes(layout.image(kernel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(MachineConfig.of(layout.board, image).withRamSize(128L << 20), console);
        if (chaosSeed != null) m.setChaos(chaosSeed);
        List<Long> pcs = new ArrayList<>();
        m.setTrace(new TraceSink() {
            @Override
            public void interrupt(long icount, long pc, int intid, boolean fiq, int fromEl) {
                pcs.add(pc);
            }
        }, TraceLevel.EVENTS);
        RunResult r = m.run(BUDGET);
        return new Run(console.toString(StandardCharsets.UTF_8), r, pcs, m.instructions());
    }

    private static long mainLoopOffset = -1;

    /** Interrupted PCs that put the handler between the write of X9 and the check that reads it. */
    static boolean inWindow(long pc, Layout layout) {
        if (mainLoopOffset < 0) mainLoopOffset = Kernels.symbolOffset("heisenbug", "main_loop"); // runs nm
        long loop = layout.load + mainLoopOffset;
        // main_loop: add x19 / lsl x9 (write) / add x10, x9 / eor / cmp x9 (check) / b.ne
        return pc >= loop + 8 && pc <= loop + 16;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void withoutChaosEveryTickMissesTheWindowAndTheKernelPasses(Layout layout) {
        Run r = run("heisenbug", layout, null);
        assertThat(r.result().reason()).as(r.console()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(r.console()).isEqualTo(Kernels.golden("heisenbug"));
        assertThat(r.interruptedPcs()).hasSize(TICKS);
        assertThat(r.interruptedPcs()).noneMatch(pc -> inWindow(pc, layout));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void jitX9LoadsTheWrongLiteralOnBothLayouts(Layout layout) {
        Run r = run("jit_x9", layout, null);
        assertThat(r.result().reason()).as(r.console()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(r.console()).isEqualTo(Kernels.golden("jit_x9"));
    }

    /**
     * The hunt's premise: over seeds 1..100 a few runs fail, most pass, a
     * failure shows early, and every failure is a tick taken inside the window
     * (the last interrupt before the guest noticed). Both layouts fail for the
     * same seeds, since chaos counts instructions, not addresses.
     */
    @Test
    void chaosMakesAFewSeedsFailAndEachFailureIsATickInTheWindow() {
        List<Long> failing = new ArrayList<>();
        for (long seed = 1; seed <= 100; seed++) {
            Run vibe = run("heisenbug", Layout.VIBE, seed);
            Run virt = run("heisenbug", Layout.VIRT, seed);
            assertThat(vibe.result().reason()).as("seed " + seed + ": " + vibe.console()).isEqualTo(ExitKind.SHUTDOWN);
            assertThat(virt.console()).as("seed " + seed + " on virt").isEqualTo(vibe.console());
            if (vibe.corrupt()) {
                failing.add(seed);
                assertThat(vibe.console()).as("seed " + seed).containsPattern("X9 CORRUPT: x9=0x1, expected 0x[0-9a-f]+0 at iteration 0x[0-9a-f]+\n");
                List<Long> pcs = vibe.interruptedPcs();
                assertThat(inWindow(pcs.getLast(), Layout.VIBE)).as("seed %d: last tick at 0x%x", seed, pcs.getLast()).isTrue();
                assertThat(pcs.subList(0, pcs.size() - 1)).noneMatch(pc -> inWindow(pc, Layout.VIBE));
            } else {
                assertThat(vibe.console()).as("seed " + seed).isEqualTo(Kernels.golden("heisenbug"));
                assertThat(vibe.interruptedPcs()).as("seed " + seed).hasSize(TICKS).noneMatch(pc -> inWindow(pc, Layout.VIBE));
            }
        }
        assertThat(failing).as("failing seeds").isNotEmpty();
        assertThat(failing.size()).as("failing seeds %s", failing).isLessThan(30);
    }

    @Test
    void aChaosSeedGivesTheSameRunEveryTime() {
        long failing = -1;
        for (long seed = 1; seed <= 100 && failing < 0; seed++) {
            if (run("heisenbug", Layout.VIBE, seed).corrupt()) failing = seed;
        }
        assertThat(failing).as("a failing seed in 1..100").isPositive();
        Run a = run("heisenbug", Layout.VIBE, failing);
        Run b = run("heisenbug", Layout.VIBE, failing);
        assertThat(b.console()).isEqualTo(a.console());
        assertThat(b.instructions()).isEqualTo(a.instructions());
        assertThat(b.interruptedPcs()).isEqualTo(a.interruptedPcs());
    }

    // ---- QEMU: the kernels boot and print there too ----

    @Test
    void bothKernelsRunInQemu(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("qemu-system-aarch64"), "qemu-system-aarch64 is not installed");
        assertThat(qemuConsole("jit_x9", tmp)).isEqualTo(Kernels.golden("jit_x9"));
        // Real time decides where QEMU's ticks land (and it takes interrupts only
        // between translation blocks, so the window is in practice never hit).
        String heisenbug = qemuConsole("heisenbug", tmp);
        assertThat(heisenbug).startsWith("heisenbug: X9 must survive 20 timer interrupts\n");
        assertThat(heisenbug).matches("(?s).*(heisenbug: ok|X9 CORRUPT: [^\n]*)\n");
    }

    /** Runs a kernel in QEMU's virt machine until the guest powers off (QEMU then exits). */
    private static String qemuConsole(String kernel, Path tmp) throws Exception {
        Path serial = tmp.resolve(kernel + ".txt");
        Process p = new ProcessBuilder("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "128M",
                "-display", "none", "-nic", "none", "-monitor", "none", "-serial", "file:" + serial,
                "-kernel", Kernels.virtBin(kernel).toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve(kernel + ".log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(kernel + " did not power off in QEMU within 60 s; console:\n" + Files.readString(serial));
        }
        return Files.readString(serial, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
