package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gdb-multiarch on kernels/smp.S with --smp 4 (issue 13): the CPUs are
 * threads 1-4, CPUs 1-3 powered off at first; a breakpoint on `secondary`
 * stops for thread 2 (CPU 1, the first CPU_ON), whose X0 is its number and
 * MPIDR_EL1 0x80000001 while thread 1's is 0x80000000; reverse-stepi goes
 * back over the selected thread's previous instruction only (CPU 0's
 * previous one is before CPU 1 ever ran); a watchpoint on mpidrs[2] stops
 * for thread 3, the CPU that stores it; a continue of one thread alone
 * (scheduler-locking on) is refused with gdb showing why; reverse-continue
 * finds the previous thread's breakpoint hit. Values follow from the kernel's
 * source. The same session on run --gdb (after the detach the run ends as
 * it does without gdb), on record --gdb (its recording replays bit-exactly to
 * the final state hash of a recording made without gdb) and on replay --gdb.
 */
@Timeout(300)
class SmpGdbTest {
    private static Path binary, symbols;

    @BeforeAll
    static void build() throws Exception {
        binary = TestKernels.build("smp").resolveSibling("smp.virt.bin");
        symbols = TestKernels.build("smp").resolveSibling("smp.virt.elf");
    }

    private static final String SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            info threads
            break *secondary
            continue
            p/x $x0
            p/x $mpidr_el1
            thread 1
            p/x $mpidr_el1
            thread 2
            stepi
            stepi
            x/i $pc
            reverse-stepi
            x/i $pc
            thread 1
            reverse-stepi
            info threads
            thread 2
            reverse-stepi
            delete
            watch *(long *)((char *)&mpidrs + 16)
            continue
            p/x $x19
            x/i $pc - 4
            delete
            break common
            set scheduler-locking on
            continue
            set scheduler-locking off
            continue
            reverse-continue
            thread 3
            p/x $x19
            info registers pc
            detach
            """;

    private static void assertTheSession(String gdb) {
        assertThat(gdb).contains(
                "* 1    Thread 1 \"CPU 0\" (CPU 0, EL1)         0x0000000040080000 in _start ()",
                "  2    Thread 2 \"CPU 1\" (CPU 1, powered off) 0x0000000000000000 in ?? ()",
                "  4    Thread 4 \"CPU 3\" (CPU 3, powered off) 0x0000000000000000 in ?? ()",
                "Thread 2 \"CPU 1\" hit Breakpoint 1, 0x000000004008022c in secondary ()",
                "$1 = 0x1\n$2 = 0x80000001\n",
                "$3 = 0x80000000\n",
                "=> 0x40080234 <secondary+8>:\tadd\tx1, x1, x19, lsl #12",
                "=> 0x40080230 <secondary+4>:\tadr\tx1, 0x40083aa0",
                // Back over CPU 0's previous instruction: CPU 1 had not run yet then.
                "  2    Thread 2 \"CPU 1\" (CPU 1, EL1) 0x000000004008022c in secondary ()",
                "No more reverse-execution history.",
                "Thread 3 \"CPU 2\" hit Hardware watchpoint 2: *(long *)((char *)&mpidrs + 16)",
                "Old value = 0\nNew value = 2147483650\n",
                "$4 = 0x2\n",
                "<common+48>:\tstr\tx0, [x1, x19, lsl #3]",
                "Remote failure reply: E.Deja runs every CPU on the machine's one schedule (a function of the seed): "
                        + "some threads cannot run while others are held; set scheduler-locking off",
                "Thread 4 \"CPU 3\" hit Breakpoint 3, 0x0000000040080244 in common ()",
                "Thread 3 \"CPU 2\" hit Breakpoint 3, 0x0000000040080244 in common ()",
                "$5 = 0x2\n",
                "pc             0x40080244          0x40080244 <common+4>",
                "[Inferior 1 (Remote target) detached]");
        assertThat(gdb).containsPattern("\\* 1    Thread 1 \"CPU 0\" \\(CPU 0, EL1\\) 0x[0-9a-f]+ in barrier \\(\\)");
        assertThat(gdb).doesNotContain("Error", "error:");
    }

    private record Session(String gdb, String out, String err, int exit) {}

    private static Session session(String... args) throws Exception {
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format(SCRIPT, port), symbols);
        int exit = run.get(120, TimeUnit.SECONDS);
        return new Session(gdb, out.toString(), err.toString(), exit);
    }

    private static List<String> runEnd(String err) {
        return err.lines().filter(l -> l.startsWith("stopped:") || l.startsWith("instructions:") || l.startsWith("virtual time:")).toList();
    }

    @Test
    void cpusAreThreadsOnALiveRun() throws Exception {
        HuntCommandTest.Cli plain = HuntCommandTest.deja("run", "--binary", binary.toString(), "--board", "virt", "--smp", "4");
        Session s = session("run", "--binary", binary.toString(), "--board", "virt", "--smp", "4", "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertTheSession(s.gdb());
        assertThat(runEnd(s.err())).hasSize(3).isEqualTo(runEnd(plain.err()));
    }

    @Test
    void cpusAreThreadsOnAReplay(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        HuntCommandTest.Cli recorded = HuntCommandTest.deja("record", "--binary", binary.toString(), "--board", "virt", "--smp", "4",
                "--out", rec.toString());
        assertThat(recorded.exit()).as(recorded.err()).isZero();
        Session s = session("replay", rec.toString(), "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertTheSession(s.gdb());
        assertThat(s.out()).containsPattern("replayed under gdb to icount ([\\d,]+) of \\1");
    }

    @Test
    void cpusAreThreadsOnARunBeingRecordedAndItsRecordingReplaysBitExactly(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        Session s = session("record", "--binary", binary.toString(), "--board", "virt", "--smp", "4", "--out", rec.toString(), "--gdb", "0");
        assertThat(s.exit()).as(s.err()).isZero();
        assertTheSession(s.gdb());
        HuntCommandTest.Cli plain = HuntCommandTest.deja("record", "--binary", binary.toString(), "--board", "virt", "--smp", "4",
                "--out", tmp.resolve("plain").toString());
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        String hash = plain.err().lines().filter(l -> l.contains("final state hash")).findFirst().orElseThrow().replaceAll(".*: ", "");
        assertThat(replay.out()).contains("bit-exact:", "288,630 instructions", "final state hash: " + hash);
    }
}
