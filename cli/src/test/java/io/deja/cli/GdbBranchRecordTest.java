package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recording the branch a gdb write starts (issue 10), with the real client:
 * a write from gdb is an input a recording holds (DEBUG_WRITE), so monitor
 * record DIR after writes, on a replay gone live or on a live run, records
 * the run as the writes changed it, and deja replay DIR replays it
 * bit-exactly. On the heisenbug with chaos seed 33 (traces/heisenbug's run):
 * at x9_corrupt, X9 set to 5 and, after the recording started, X19 to 0x100,
 * so the guest prints "x9=0x5, expected 0x1000 at iteration 0x100" where the
 * original printed "x9=0x1, expected 0x1c50 at iteration 0x1c5" (and the
 * ticks counter in memory to 77, which the guest no longer reads).
 */
class GdbBranchRecordTest {
    private static Path raw, elf, sample;
    /** The final state hash of traces/heisenbug (the run without writes). */
    private static final String ORIGINAL = "c7066c74c1b1d40b";
    private static final String CHANGED_LINE = "X9 CORRUPT: x9=0x5, expected 0x1000 at iteration 0x100";

    @BeforeAll
    static void build() throws Exception {
        raw = TestKernels.build("heisenbug");
        elf = TestKernels.vibeElf("heisenbug");
        Path d = Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.isDirectory(d.resolve("traces/heisenbug"))) d = d.getParent();
        sample = d.resolve("traces/heisenbug");
    }

    private static final String SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            break x9_corrupt
            continue
            set $x9 = 5
            monitor record %s
            stepi
            stepi
            set $x19 = 0x100
            set var *(unsigned int *)&ticks = 77
            monitor icount
            delete
            continue
            """;

    private record Session(String gdb, String out, String err, int exit) {}

    private static Session session(Path rec, String... args) throws Exception {
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format(SCRIPT, port, rec), elf);
        int exit = run.get(120, TimeUnit.SECONDS);
        return new Session(gdb, out.toString(), err.toString(), exit);
    }

    /** deja replay DIR: bit-exact, and the final state hash (not the original's). */
    private static String replaysBitExactly(Path rec) {
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:", "101,856 instructions");
        String hash = replay.out().lines().filter(l -> l.startsWith("final state hash: ")).findFirst().orElseThrow()
                .replaceAll("final state hash: ([0-9a-f]+).*", "$1");
        assertThat(hash).as("the writes changed the run's final state").isNotEqualTo(ORIGINAL);
        return hash;
    }

    @Test
    void aBranchOfAReplayGoneLiveIsRecordedAndReplaysBitExactly(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("branch");
        Session s = session(rec, "replay", sample.toString(), "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.gdb()).contains("Breakpoint 1, 0x0000000000010128 in x9_corrupt ()",
                "recording into " + rec + ": the branch from icount 0 (the recording's inputs up to icount 101170, where the replay went live, "
                        + "then gdb's 1 write), caught up to icount 101170",
                "icount 101172, history to 101172 (pc 0x10130, virtual time 101172 cycles), a branch from gdb's 3 writes, the first at icount 101170 "
                        + "(live, recorded inputs no longer applied; it may run to icount 101856)",
                "[Inferior 1 (Remote target) exited normally]");
        assertThat(s.gdb()).doesNotContain("Remote failure");
        assertThat(s.err()).contains("gdb: leaving the recording at icount 101,170", "gdb: recording the branch into " + rec);
        assertThat(s.out()).contains("replayed under gdb to icount 101,856 of 101,856 (not compared with the recording; left it at icount 101,170 "
                        + "for the branch gdb's writes made, run live)",
                "recorded: " + rec + " (the branch: icount 0 to 101,856, gdb's writes from icount 101,170, final state hash ");
        String hash = replaysBitExactly(rec);
        assertThat(s.out()).contains("final state hash " + hash + ")");

        // The branch is a recording like any other: its writes are a table, in the order and places gdb made them,
        // and the guest's console says what they changed.
        HuntCommandTest.Cli console = HuntCommandTest.deja("query", rec.toString(), "--format", "csv", "SELECT text FROM console('X9%')");
        assertThat(console.exit()).as(console.err()).isZero();
        assertThat(console.out()).contains(CHANGED_LINE);
        HuntCommandTest.Cli q = HuntCommandTest.deja("query", rec.toString(), "--format", "csv",
                "SELECT icount, cpu, kind_name, target, hex(data) AS data FROM debug_writes ORDER BY icount");
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out()).contains("101170,0,x,9,0500000000000000", "101172,0,x,19,0001000000000000");
        assertThat(q.out()).containsPattern("101172,0,memory,\\d+,4D000000"); // ticks, at its physical address
    }

    @Test
    void aLiveRunChangedByWritesIsRecordedAndReplaysBitExactly(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("changed");
        Session s = session(rec, "run", "--binary", raw.toString(), "--chaos-seed", "33", "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.gdb()).contains("Breakpoint 1, 0x0000000000010128 in x9_corrupt ()",
                "recording into " + rec + ": the run from its start (a recording replays from the machine its header describes) "
                        + "with gdb's 1 write (from icount 101170), caught up to icount 101170",
                "[Inferior 1 (Remote target) exited normally]");
        assertThat(s.gdb()).doesNotContain("Remote failure");
        assertThat(s.err()).contains("gdb: a write changed the run at icount 101,170");
        String hash = replaysBitExactly(rec);
        assertThat(s.err()).contains("recorded: " + rec + " (trace events, chaos seed 33, icount 0 to 101,856, final state hash " + hash + ")");
    }

    /**
     * record --gdb follows gdb's writes made where the run stands (the
     * furthest point of its history): the recording holds them and replays
     * bit-exactly, the same branch as monitor record makes.
     */
    @Test
    void recordUnderGdbRecordsTheWritesMadeAtTheFrontier(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"record", "--binary", raw.toString(), "--chaos-seed", "33", "--out", rec.toString(), "--gdb", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                break x9_corrupt
                continue
                set $x9 = 5
                stepi
                stepi
                set $x19 = 0x100
                delete
                detach
                """, port), elf);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(gdb).doesNotContain("Remote failure");
        assertThat(err.toString()).contains("stopped: guest powered off (PSCI SYSTEM_OFF) at icount 101,856");
        replaysBitExactly(rec);
    }

    /**
     * A write behind what the recording already holds (after going back) cannot
     * be followed: the recording ends where it was, said once, and replays
     * bit-exactly to there; the changed run goes on unrecorded. Before any
     * write, monitor record on a replay has nothing to record.
     */
    @Test
    void aWriteBehindTheRecordingEndsItWhereItWas(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"run", "--binary", raw.toString(), "--chaos-seed", "33", "--gdb", "0"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                break main_loop
                continue
                continue
                monitor record %s
                reverse-stepi
                set $x20 = 7
                delete
                detach
                """, port, rec), elf);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(gdb).doesNotContain("Remote failure");
        assertThat(err.toString()).containsPattern("gdb: the write at icount [\\d,]+ is behind the recording, which has the run to icount "
                + "([\\d,]+): the recording ends there");
        String to = err.toString().replaceAll("(?s).*which has the run to icount ([\\d,]+).*", "$1");
        assertThat(err.toString()).contains("recorded: " + rec + " (trace events, chaos seed 33, icount 0 to " + to + ",");
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:", to + " instructions");

        RunGdbTest.SharedText out2 = new RunGdbTest.SharedText(), err2 = new RunGdbTest.SharedText();
        CompletableFuture<Integer> replaying = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"replay", sample.toString(), "--gdb", "0"}, new PrintWriter(out2, true), new PrintWriter(err2, true)));
        int port2 = RunGdbTest.awaitPort(err2, replaying);
        String early = RunGdbTest.gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                monitor record %s
                detach
                """, port2, tmp.resolve("nothing")), elf);
        assertThat(replaying.get(120, TimeUnit.SECONDS)).as(err2.toString()).isZero();
        assertThat(early).contains("nothing to record yet: until a write leaves it, the replay is the recording");
    }

    /**
     * Several CPUs: writes to the secondary CPU that stops first at secondary, and
     * one instruction later, wherever that falls in the schedule's slices;
     * recorded with the machine's icount, the CPU and its own count, they
     * replay where they were made.
     */
    @Test
    void writesToAnotherCpuMidSliceReplayBitExactly(@TempDir Path tmp) throws Exception {
        Path binary = TestKernels.build("smp").resolveSibling("smp.virt.bin");
        Path symbols = TestKernels.build("smp").resolveSibling("smp.virt.elf");
        Path rec = tmp.resolve("smp");
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(
                new String[] {"run", "--binary", binary.toString(), "--board", "virt", "--smp", "4", "--chaos-seed", "5", "--gdb", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                break *secondary
                continue
                set $x28 = 0x1234
                delete
                stepi
                set $x27 = 0x5678
                monitor record %s
                thread 1
                set $x26 = 0x9abc
                continue
                """, port, rec), symbols);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(gdb).containsPattern("Thread \\d \"CPU \\d\" hit Breakpoint 1");
        assertThat(gdb).contains("with gdb's 2 writes", "[Inferior 1 (Remote target) exited normally]");
        assertThat(gdb).doesNotContain("Remote failure");
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:");
        HuntCommandTest.Cli q = HuntCommandTest.deja("query", rec.toString(), "--format", "csv",
                "SELECT cpu, kind_name, target FROM debug_writes ORDER BY icount, target DESC");
        assertThat(q.exit()).as(q.err()).isZero();
        // The CPU that met the breakpoint got the first two (the schedule decides which), thread 1 (CPU 0) the last.
        assertThat(q.out()).containsPattern("([1-3]),x,28\n\\1,x,27\n0,x,26\n");
    }
}
