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
 * A guest kernel panic under gdb, with the real client: kernels/linux_panic
 * prints Linux's panic lines, PanicWatch stops the machine for good at the
 * end line, and gdb is shown the panic line (an O packet) and a SIGABRT stop
 * there; it can read the state, go back to a breakpoint before the panic,
 * and continuing from the panic says the run ended (X06: terminated with
 * SIGABRT), after which deja run prints the panic as the run's end.
 */
class PanicGdbTest {
    private static Path raw, elf;

    @BeforeAll
    static void build() throws Exception {
        raw = TestKernels.build("linux_panic");
        elf = TestKernels.vibeElf("linux_panic");
    }

    private static final String SCRIPT = """
            set pagination off
            set confirm off
            target remote 127.0.0.1:%d
            continue
            p $x19
            monitor events
            break bad_thing
            reverse-continue
            p $x19
            monitor icount
            delete
            continue
            continue
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

    private static final String LINE = "Kernel panic - not syncing: deja test: x19 reached 1000";

    private static void assertTheSession(Session s) {
        assertThat(s.gdb()).containsPattern("deja: the guest kernel panicked at icount \\d+: " + LINE + "\n");
        assertThat(s.gdb()).contains(
                "received signal SIGABRT, Aborted.",
                "$1 = 1000",
                "the run stopped for good at icount",
                "Breakpoint 1, 0x",
                " in bad_thing ()",
                "$2 = 1000",
                "terminated with signal SIGABRT, Aborted.");
        // The second continue re-runs to the panic from the breakpoint: the same stop again.
        assertThat(s.gdb().split("received signal SIGABRT", -1)).hasSize(3);
        assertThat(s.gdb()).doesNotContain("Remote failure");
        assertThat(s.exit()).as(s.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(s.err()).contains("stopped: guest kernel panic: " + LINE);
    }

    @Test
    void aPanicUnderRunGdbIsASigabrtStopThatGdbCanGoBackFrom() throws Exception {
        HuntCommandTest.Cli plain = HuntCommandTest.deja("run", "--binary", raw.toString());
        assertThat(plain.err()).contains("stopped: guest kernel panic: " + LINE);
        Session s = session("run", "--binary", raw.toString(), "--gdb", "0");
        assertTheSession(s);
    }

    /** The same on a recording of the panicked run: the replay stops at the panic, the recorded END says why. */
    @Test
    void aPanicInARecordingIsTheSameStopUnderReplayGdb(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec");
        HuntCommandTest.Cli recorded = HuntCommandTest.deja("record", "--binary", raw.toString(), "--out", rec.toString());
        assertThat(recorded.err()).contains("stopped: guest kernel panic");
        RunGdbTest.SharedText out = new RunGdbTest.SharedText(), err = new RunGdbTest.SharedText();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(new String[] {"replay", rec.toString(), "--gdb", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        int port = RunGdbTest.awaitPort(err, run);
        String gdb = RunGdbTest.gdb(String.format("""
                set pagination off
                set confirm off
                target remote 127.0.0.1:%d
                continue
                monitor events 3
                break bad_thing
                reverse-continue
                p $x19
                detach
                """, port), elf);
        assertThat(run.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(gdb).containsPattern("deja: the guest kernel panicked at icount \\d+: " + LINE + "\n");
        assertThat(gdb).contains("received signal SIGABRT, Aborted.", "reason=103 (panic)", " in bad_thing ()", "$1 = 1000");
        assertThat(gdb).doesNotContain("Remote failure");
    }
}
