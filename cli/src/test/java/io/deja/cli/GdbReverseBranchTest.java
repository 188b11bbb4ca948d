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
 * Reverse execution over a gdb write (issue 10), with the real client: the
 * write is an input of the timeline, so reverse-stepi back across it shows
 * the value before it, stepi forward shows the written value again, and a
 * watchpoint's reverse-continue runs back across it to the guest's last
 * store. On the heisenbug with chaos seed 33 (traces/heisenbug's run), at
 * x9_corrupt (icount 101,170, X9 = 1, ticks = 20: kernels/heisenbug.S and
 * ReverseGdbTest): one step on, X9 set to 0x777 and ticks to 77 at icount
 * 101,171, before "mov x21, x9" copies X9 for printing; the last tick's
 * store (19 to 20) is before the write.
 */
class GdbReverseBranchTest {
    private static Path raw, elf, sample;

    @BeforeAll
    static void build() throws Exception {
        raw = TestKernels.build("heisenbug");
        elf = TestKernels.vibeElf("heisenbug");
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("traces/heisenbug"))) d = d.getParent();
        sample = d.resolve("traces/heisenbug");
    }

    private static final String SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            break x9_corrupt
            continue
            stepi
            p/x $x9
            set $x9 = 0x777
            set var *(unsigned int *)&ticks = 77
            stepi
            stepi
            p/x $x21
            reverse-stepi
            reverse-stepi
            reverse-stepi
            monitor icount
            p/x $x9
            p *(unsigned int *)&ticks
            stepi
            p/x $x9
            p *(unsigned int *)&ticks
            stepi
            p/x $x21
            delete
            watch *(unsigned int *)&ticks
            reverse-continue
            x/i $pc
            continue
            delete
            break *x9_corrupt+8
            continue
            p *(unsigned int *)&ticks
            p/x $x21
            monitor icount
            detach
            """;

    private record Session(String gdb, String out, String err) {}

    private static Session session(String... args) throws Exception {
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format(SCRIPT, port), elf);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        return new Session(gdb, out.toString(), err.toString());
    }

    private static void crossesTheWriteBothWays(String gdb) {
        assertThat(gdb).contains(
                "Breakpoint 1, 0x0000000000010128 in x9_corrupt ()",
                "$1 = 0x1",
                "$2 = 0x777",
                // back to x9_corrupt, before the write
                "icount 101170, history to 101173 (pc 0x10128, virtual time 101170 cycles), a branch from gdb's 2 writes, the first at icount 101171",
                "$3 = 0x1",
                "$4 = 20",
                // forward across it: written again
                "$5 = 0x777",
                "$6 = 77",
                "$7 = 0x777",
                // the watch: back across the write to the last tick's store, then forward over it
                "Old value = 77\nNew value = 19\n",
                "=> 0x101dc <irq_handler+56>:\tstr\tw0, [x9]",
                "Old value = 19\nNew value = 20\n",
                "Breakpoint 3, 0x0000000000010130 in x9_corrupt ()",
                "$8 = 77",
                "$9 = 0x777",
                "icount 101172, history to 101173 (pc 0x10130",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }

    @Test
    void aReplaysBranchIsCrossedBackwardAndForward() throws Exception {
        Session s = session("replay", sample.toString(), "--binary", raw.toString(), "--gdb", "0");
        crossesTheWriteBothWays(s.gdb());
        assertThat(s.gdb()).contains("(live, recorded inputs no longer applied; it may run to icount 101856)");
        assertThat(s.err()).containsOnlyOnce("gdb: leaving the recording at icount 101,171: from here the run is a branch");
        assertThat(s.out()).contains("replayed under gdb to icount 101,856 of 101,856 (not compared with the recording; left it at icount 101,171 "
                + "for the branch gdb's writes made, run live)");
    }

    /**
     * record --gdb: the recorder follows the run's furthest point, so going
     * back and forth over the writes leaves the recording as the run: it
     * holds both writes and replays bit-exactly, and the guest printed the
     * written X9.
     */
    @Test
    void recordUnderGdbCrossesItsWritesAndRecordsThem(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        Session s = session("record", "--binary", raw.toString(), "--chaos-seed", "33", "--out", rec.toString(), "--gdb", "0");
        crossesTheWriteBothWays(s.gdb());
        assertThat(s.err()).containsOnlyOnce("gdb: a write changed the run at icount 101,171: from here the run is a branch; reverse execution covers it");
        // The longer X9 the guest prints makes the run longer than the original.
        assertThat(s.err()).containsPattern("stopped: guest powered off \\(PSCI SYSTEM_OFF\\) at icount ([\\d,]+)");
        String end = s.err().replaceAll("(?s).*stopped: guest powered off \\(PSCI SYSTEM_OFF\\) at icount ([\\d,]+).*", "$1");
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:", end + " instructions");
        HuntCommandTest.Cli q = HuntCommandTest.deja("query", rec.toString(), "--format", "csv",
                "SELECT icount, kind_name, hex(data) AS data FROM debug_writes ORDER BY icount");
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out()).contains("101171,x,7707000000000000", "101171,memory,4D000000");
        HuntCommandTest.Cli console = HuntCommandTest.deja("query", rec.toString(), "--format", "csv", "SELECT text FROM console('X9%')");
        assertThat(console.out()).contains("X9 CORRUPT: x9=0x777, expected 0x1c50 at iteration 0x1c5");
    }
}
