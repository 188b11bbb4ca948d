package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reverse debugging with the real client: gdb-multiarch -batch against
 * replay --gdb, running backwards to the instruction that corrupted a
 * register (the heisenbug sample) and to the store that corrupted a memory
 * word (jit_x9). Expected instructions and values are the kernels' source
 * (kernels/heisenbug.S, kernels/jit_x9.S) and the recorded trace.
 */
class ReverseGdbTest {
    private static Path heisenbugRaw, heisenbugElf, sample;

    @BeforeAll
    static void build() throws Exception {
        heisenbugRaw = TestKernels.build("heisenbug");
        heisenbugElf = TestKernels.vibeElf("heisenbug");
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("traces/heisenbug"))) d = d.getParent();
        sample = d.resolve("traces/heisenbug");
    }

    /**
     * gdb keeps the registers it read until the target runs, so after a bare
     * monitor seek it shows the old PC; the seek command of scripts/deja.gdb
     * also drops gdb's caches, and gdb shows the state it sought.
     */
    @Test
    void theSeekCommandOfScriptsDejaGdbShowsTheStateItSought() throws Exception {
        Path script = sample.getParent().getParent().resolve("scripts/deja.gdb");
        String gdb = session(sample, heisenbugRaw, heisenbugElf, """
                source %s
                p/x $pc
                monitor seek 101170
                p/x $pc
                seek 101161
                p/x $pc
                x/i $pc
                p/x $x9
                seek 0
                p/x $pc
                icount
                seek
                detach
                """.formatted(script));
        assertThat(gdb).contains(
                "$1 = 0x10000",
                "$2 = 0x10000", // gdb's cache: the bare monitor seek is not seen
                "at icount 101161 (pc 0x101e4)",
                "$3 = 0x101e4",
                "=> 0x101e4 <irq_handler+64>:\tmov\tw9, #0x1",
                "$4 = 0x12000",
                "$5 = 0x10000",
                "icount 0 of 101856 (pc 0x10000",
                "usage: seek ICOUNT",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }

    private static String session(Path recording, Path binary, Path symbols, String script) throws Exception {
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"replay", recording.toString(), "--binary", binary.toString(), "--gdb", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, replay);
        String gdb = RunGdbTest.gdb("set pagination off\nset confirm off\ntarget remote 127.0.0.1:" + port + "\n" + script, symbols);
        assertThat(replay.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        return gdb + "\n--- deja stderr\n" + err + "\n--- deja stdout\n" + out;
    }

    /**
     * From the failing check, back to the handler's "mov w9, #1" that the
     * delayed timer interrupt ran inside X9's live window (recorded at icount
     * 101,161: the trace's REG_WRITE of X9 = 1), then the last tick's store
     * by a reverse watchpoint.
     */
    @Test
    void reverseContinueFromTheFailingCheckFindsTheHandlerThatOverwroteX9() throws Exception {
        String gdb = session(sample, heisenbugRaw, heisenbugElf, """
                break x9_corrupt
                continue
                reverse-stepi
                x/i $pc
                reverse-stepi
                x/i $pc
                p/x $x9
                break *irq_handler+64
                reverse-continue
                x/i $pc
                monitor icount
                stepi
                p/x $x9
                monitor events 2
                monitor checkpoint
                delete
                watch *(unsigned int *)&ticks
                reverse-continue
                x/i $pc
                reverse-continue
                delete
                monitor seek 0
                reverse-stepi
                monitor seek 101170
                maintenance flush register-cache
                x/i $pc
                detach
                """);
        assertThat(gdb).contains(
                "Breakpoint 1, 0x0000000000010128 in x9_corrupt ()",
                "=> 0x100e0 <main_loop+20>:\tb.ne\t0x10128 <x9_corrupt>",
                "=> 0x100dc <main_loop+16>:\tcmp\tx9, x19, lsl #4",
                "$1 = 0x1",
                "Breakpoint 2, 0x00000000000101e4 in irq_handler ()",
                "=> 0x101e4 <irq_handler+64>:\tmov\tw9, #0x1",
                "icount 101161 of 101856",
                "$2 = 0x1",
                "REG_WRITE icount=101161 cpu=0 reg=X9 value=0x1",
                "-> icount 101162 (here)",
                "the replay matches the recording up to here",
                "Old value = 20\nNew value = 19\n",
                "=> 0x101dc <irq_handler+56>:\tstr\tw0, [x9]",
                "Old value = 19\nNew value = 18\n",
                "at icount 0 (pc 0x10000)",
                "No more reverse-execution history.",
                "at icount 101170 (pc 0x10128)",
                "=> 0x10128 <x9_corrupt>:",
                "[Inferior 1 (Remote target) detached]",
                "replayed under gdb to icount 101,856 of 101,856");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }

    /**
     * The source-level reverse commands on an assembly kernel (no line
     * table): reverse-finish from uart_puthex to its call in x9_corrupt,
     * reverse-nexti back to the call, reverse-step back into the call just
     * stepped over (at its ret), reverse-next; then a register write leaves
     * the recording for a branch, and a reverse step goes back across it.
     */
    @Test
    void reverseFinishNextAndStepAndLeavingTheRecording() throws Exception {
        String gdb = session(sample, heisenbugRaw, heisenbugElf, """
                break uart_puthex
                continue
                reverse-finish
                x/i $pc
                stepi
                delete
                reverse-nexti
                monitor icount
                nexti
                nexti
                monitor icount
                reverse-step
                x/i $pc
                reverse-next
                x/i $pc
                monitor icount
                set var $x5 = 7
                reverse-stepi
                p $x5
                stepi
                p $x5
                monitor icount
                detach
                """);
        assertThat(gdb).contains(
                "Breakpoint 1, 0x00000000000108a8 in uart_puthex ()",
                "=> 0x10150 <x9_corrupt+40>:\tbl\t0x10898 <uart_puthex>",
                "icount 101272 of 101856 (pc 0x10150",
                // nexti over the call: uart_puthex returns at 101387, then 0x10154 (101388), 0x10158 (101389)
                "icount 101389 of 101856 (pc 0x10158",
                // reverse-step enters the call it steps back over, at its last instruction
                "=> 0x108fc <uart_puthex+100>:\tret",
                "=> 0x108f8 <uart_puthex+96>:\tldp\tx29, x30, [sp], #32",
                "icount 101386 of 101856 (pc 0x108f8",
                "$1 = 1", // x5 at 101385, on the recording: the last nibble uart_puthex printed of x9 = 1 (lib.inc)
                "$2 = 7",
                "icount 101386, history to 101386 (pc 0x108f8, virtual time 101386 cycles), a branch from gdb's write at icount 101386",
                "[Inferior 1 (Remote target) detached]",
                "gdb: leaving the recording at icount 101,386: from here the run is a branch, live, recorded inputs no longer applied; "
                        + "reverse execution covers it",
                "left it at icount 101,386 for the branch");
        assertThat(gdb).doesNotContain("Remote failure");
    }

    /**
     * jit_x9: after the generated code ran, a write watchpoint on X9's
     * literal (jit_buffer + 16) and reverse-continue land on patch_literal's
     * store of 1 (the off-by-one slot), with the emitted 0x12345678 before it.
     */
    @Test
    void reverseWatchpointFindsTheStoreThatCorruptedTheJitLiteral(@TempDir Path tmp) throws Exception {
        Path raw = TestKernels.build("jit_x9");
        Path recording = tmp.resolve("rec");
        HuntCommandTest.Cli rec = HuntCommandTest.deja("record", "--binary", raw.toString(), "--out", recording.toString());
        assertThat(rec.exit()).as(rec.err()).isZero();
        String gdb = session(recording, raw, TestKernels.vibeElf("jit_x9"), """
                break sync_code
                continue
                delete
                watch *(unsigned long *)((char *)&jit_buffer + 16)
                reverse-continue
                x/i $pc
                p/x *(unsigned long *)((char *)&jit_buffer + 16)
                reverse-continue
                x/i $pc
                detach
                """);
        assertThat(gdb).contains(
                "Breakpoint 1, 0x0000000000010180 in sync_code ()",
                "Old value = 1\nNew value = 305419896\n",
                "=> 0x10178 <patch_literal>:\tstr\tx1, [x20, x0, lsl #3]",
                "$1 = 0x12345678",
                "Old value = 305419896\nNew value = 0\n",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).containsPattern("=> 0x[0-9a-f]+ <emit_load_literal(\\+\\d+)?>:\\tstr\\tx1, \\[x20, x21, lsl #3\\]");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }
}
