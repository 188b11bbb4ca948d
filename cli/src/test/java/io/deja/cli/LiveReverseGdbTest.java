package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reverse debugging on runs that are going on, with the real client:
 * gdb-multiarch -batch against deja run --gdb and deja record --gdb on the
 * heisenbug kernel with chaos seed 33 (the run traces/heisenbug recorded).
 * The same session as on the recording (ReverseGdbTest): from the failing
 * check back to the handler's "mov w9, #1" at icount 101,161, a reverse
 * watchpoint to the last tick's store; the run then goes on to the end it
 * has without gdb, and the recording made under gdb replays bit-exactly to
 * the sample's final state hash.
 */
class LiveReverseGdbTest {
    private static Path raw, elf;

    @BeforeAll
    static void build() throws Exception {
        raw = TestKernels.build("heisenbug");
        elf = TestKernels.vibeElf("heisenbug");
    }

    private static final String SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            break x9_corrupt
            continue
            p/x $x9
            reverse-stepi
            x/i $pc
            break *irq_handler+64
            reverse-continue
            x/i $pc
            p/x $x9
            monitor icount
            stepi
            p/x $x9
            delete
            watch *(unsigned int *)&ticks
            reverse-continue
            x/i $pc
            reverse-continue
            delete
            break uart_puthex
            continue
            reverse-finish
            x/i $pc
            delete
            monitor seek 101170
            maintenance flush register-cache
            x/i $pc
            monitor events
            detach
            """;

    private record Session(String gdb, String err, int exit) {}

    private static Session session(String... args) throws Exception {
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args,
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format(SCRIPT, port), elf);
        int exit = run.get(120, TimeUnit.SECONDS);
        return new Session(gdb, err.toString(), exit);
    }

    private static void assertTheSession(String gdb) {
        assertThat(gdb).contains(
                "Breakpoint 1, 0x0000000000010128 in x9_corrupt ()",
                "$1 = 0x1",
                "=> 0x100e0 <main_loop+20>:\tb.ne\t0x10128 <x9_corrupt>",
                "Breakpoint 2, 0x00000000000101e4 in irq_handler ()",
                "=> 0x101e4 <irq_handler+64>:\tmov\tw9, #0x1",
                "$2 = 0x12000",
                "icount 101161, history to 101170 (pc 0x101e4",
                "$3 = 0x1",
                "Old value = 20\nNew value = 19\n",
                "=> 0x101dc <irq_handler+56>:\tstr\tw0, [x9]",
                "Old value = 19\nNew value = 18\n",
                "Breakpoint 4, 0x00000000000108a8 in uart_puthex ()",
                "=> 0x10150 <x9_corrupt+40>:\tbl\t0x10898 <uart_puthex>",
                "at icount 101170 (pc 0x10128)",
                "=> 0x10128 <x9_corrupt>:",
                "a live run: monitor events reads a recording",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }

    /** How the run ended: stop line, instructions, virtual time (not the exit table, which counts gdb's stops and re-runs). */
    private static List<String> runEnd(String err) {
        return err.lines().filter(l -> l.startsWith("stopped:") || l.startsWith("instructions:") || l.startsWith("virtual time:")).toList();
    }

    @Test
    void runUnderGdbGoesBackwardsAndThenEndsAsWithoutIt() throws Exception {
        HuntCommandTest.Cli plain = HuntCommandTest.deja("run", "--binary", raw.toString(), "--chaos-seed", "33");
        Session s = session("run", "--binary", raw.toString(), "--chaos-seed", "33", "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertTheSession(s.gdb());
        assertThat(s.err()).contains("reverse execution works", "gdb: client detached; the guest runs on");
        assertThat(runEnd(s.err())).hasSize(3).isEqualTo(runEnd(plain.err()));
    }

    @Test
    void recordUnderGdbGoesBackwardsAndItsRecordingReplaysBitExactly(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        Session s = session("record", "--binary", raw.toString(), "--chaos-seed", "33", "--checkpoint-every", "5000",
                "--out", rec.toString(), "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertTheSession(s.gdb());
        assertThat(s.err()).contains("recording into " + rec, "stopped: guest powered off (PSCI SYSTEM_OFF) at icount 101,856");
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        // The committed sample's final state: the same run, recorded without gdb.
        assertThat(replay.out()).contains("bit-exact:", "101,856 instructions", "final state hash: c7066c74c1b1d40b");
    }

    /** A kill ends the recording where the debugged run had been; it replays bit-exactly to there. */
    @Test
    void killingARecordedRunEndsItsRecordingWhereTheRunHadBeen(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"record", "--binary", raw.toString(), "--chaos-seed", "33", "--out", rec.toString(), "--gdb", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                break main_loop
                continue
                continue
                reverse-stepi
                reverse-stepi
                monitor icount
                kill
                """.formatted(port), elf);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(Main.EXIT_INTERRUPTED);
        assertThat(gdb).contains("history to").doesNotContain("Remote failure"); // gdb -batch reports the closed connection after kill
        String furthest = gdb.lines().filter(l -> l.startsWith("icount ")).findFirst().orElseThrow()
                .replaceAll("^icount \\d+, history to (\\d+).*", "$1");
        assertThat(err.toString()).contains(String.format(java.util.Locale.ROOT, "stopped: cancelled at icount %,d", Long.parseLong(furthest)));
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:");
    }

    private static String runSession(Path binary, Path symbols, String script) throws Exception {
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"run", "--binary", binary.toString(), "--gdb", "0"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb("set pagination off\nset confirm off\ntarget remote 127.0.0.1:" + port + "\n" + script, symbols);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        return gdb;
    }

    /**
     * A watchpoint on a virtual address also fires for an access to the same
     * physical bytes through another one: kernels/mmu.S maps W + 0x1000
     * read-only onto W's page, and test_levels reads W's 0x5a back through it.
     * gdb is told the watched address and shows the value there.
     */
    @Test
    void aWatchpointFiresForAnAccessThroughAnotherVirtualAddressOfTheSameBytes() throws Exception {
        String gdb = runSession(TestKernels.build("mmu"), TestKernels.vibeElf("mmu"), """
                break test_levels
                continue
                delete
                rwatch *(long *)0x80000000
                continue
                x/i $pc - 4
                p/x $x19
                delete
                detach
                """);
        assertThat(gdb).contains(
                "Breakpoint 1, 0x0000000000010498 in test_levels ()",
                "Hardware read watchpoint 2: *(long *)0x80000000\n\nValue = 90\n",
                "<test_levels+40>:\tldr\tx1, [x19, #4096]",
                "$1 = 0x80000000",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }

    /** stepi over a store to watched bytes stops for the watchpoint, and gdb shows the old and new value (heisenbug's tick store). */
    @Test
    void stepiOverAWatchedStoreReportsTheWatchpoint() throws Exception {
        String gdb = runSession(raw, elf, """
                break *irq_handler+56
                continue
                delete
                watch *(unsigned int *)&ticks
                x/i $pc
                stepi
                x/i $pc - 4
                stepi
                p *(unsigned int *)&ticks
                delete
                detach
                """);
        assertThat(gdb).contains(
                "Breakpoint 1, 0x00000000000101dc in irq_handler ()",
                "=> 0x101dc <irq_handler+56>:\tstr\tw0, [x9]",
                "Hardware watchpoint 2: *(unsigned int *)&ticks\n\nOld value = 0\nNew value = 1\n",
                "0x00000000000101e0 in irq_handler ()",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb.split("Old value = 0\nNew value = 1", -1)).hasSize(2); // the next stepi writes nothing watched
        assertThat(gdb).contains("0x00000000000101e4 in irq_handler ()", "$1 = 1");
        assertThat(gdb).doesNotContain("Remote failure", "error", "Error");
    }

    /**
     * monitor record DIR on run --gdb, given in the middle of a session: the
     * recording holds the run from its start (it catches up on the history,
     * then follows the run back and forth under gdb), and after the detach
     * replays bit-exactly to the committed sample's final state (the same run:
     * heisenbug, chaos seed 33). A second monitor record is refused saying why
     * (a run changed by writes is recorded too: GdbBranchRecordTest).
     */
    @Test
    void monitorRecordOnALiveRunRecordsItFromItsStart(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"run", "--binary", raw.toString(), "--chaos-seed", "33", "--gdb", "0"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                break x9_corrupt
                continue
                monitor record %s
                monitor record %s
                reverse-stepi
                delete
                continue
                """, port, rec, tmp.resolve("second")), elf);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(gdb).contains("in x9_corrupt ()",
                "recording into " + rec + ": the run from its start (a recording replays from the machine its header describes), caught up to icount 101170,",
                "already recording (one monitor record per run)",
                "[Inferior 1 (Remote target) exited normally]");
        assertThat(err.toString()).contains("gdb: recording into " + rec + ": the run from icount 0, 101,170 instructions so far",
                "recorded: " + rec + " (trace events, chaos seed 33, icount 0 to 101,856, final state hash c7066c74c1b1d40b)");
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:", "101,856 instructions", "final state hash: c7066c74c1b1d40b");
    }
}
