package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja run and deja record with --input - on a terminal: a pseudo-terminal
 * from util-linux's script drives a deja process as a person at a keyboard
 * would (raw mode, Ctrl-A escapes, the terminal restored at the end), and the
 * recorded session replays without one. The guest is kernels/uart_rx_irq.S,
 * which prints what it received once a newline comes and powers off.
 */
class InteractiveConsoleTest {
    static final String READY = "uart_rx_irq: waiting for a line";
    static Path kernel;

    @BeforeAll
    static void buildKernel() throws Exception {
        kernel = TestKernels.build("uart_rx_irq");
    }

    @Test
    void aLineTypedAtTheTerminalReachesTheGuestAndTheTerminalIsRestored() throws Exception {
        try (Session s = Session.start("run", "--binary", kernel.toString(), "--input", "-")) {
            s.awaitOutput(READY);
            // The guest idles in WFI with nothing but input to wake it: it must wait, not spin.
            Thread.sleep(1500);
            s.type("echo $((6*7))\n");
            String out = s.finish();
            assertThat(out).contains(Terminal.BANNER);
            assertThat(out).contains("received: echo $((6*7))\n");
            assertThat(out).contains("receive interrupts: 14\n");
            assertThat(out).contains("stopped: guest powered off (PSCI SYSTEM_OFF)");
            assertThat(instructions(out)).as("instructions while idle for 1.5 s").isLessThan(10_000);
            // Raw mode typed nothing back: the only copy of the line is the guest's.
            assertThat(out.split("echo \\$\\(\\(6\\*7\\)\\)", -1)).hasSize(2);
            assertThat(s.terminalAfter()).contains(" icanon ").contains(" echo ").doesNotContain("-icanon");
        }
    }

    @Test
    void ctrlAKeysHelpReserveTheMonitorSendCtrlAAndQuit(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("quit");
        try (Session s = Session.start("record", "--binary", kernel.toString(), "--input", "-", "--out", rec.toString())) {
            s.awaitOutput(READY);
            s.type("\u0001h");
            s.awaitOutput("Ctrl-A X        quit");
            s.type("\u0001c");
            s.awaitOutput("there is no monitor");
            s.type("De\u0001x");
            String out = s.finish();
            assertThat(out).contains("stopped: cancelled");
            assertThat(out).doesNotContain("received:");
            assertThat(s.terminalAfter()).contains(" icanon ").contains(" echo ");
        }
        assertThat(replay(rec)).contains("bit-exact");
        try (Session s = Session.start("run", "--binary", kernel.toString(), "--input", "-")) {
            s.awaitOutput(READY);
            s.type("a\u0001\u0001b\u0001zc\n"); // Ctrl-A Ctrl-A is one Ctrl-A; Ctrl-A Z is dropped
            String out = s.finish();
            assertThat(out).contains("received: a\u0001bc\n").contains("receive interrupts: 5\n");
        }
    }

    @Test
    void aRecordedSessionReplaysWithoutATerminal(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("session");
        String recorded;
        try (Session s = Session.start("record", "--binary", kernel.toString(), "--input", "-", "--out", rec.toString())) {
            s.awaitOutput(READY);
            s.type("echo ");
            Thread.sleep(300); // two inputs at two instruction counts
            s.type("$((6*7))\n");
            recorded = s.finish();
        }
        assertThat(recorded).contains("received: echo $((6*7))\n").contains("stopped: guest powered off");
        assertThat(replay(rec)).contains("received: echo $((6*7))\n").contains("bit-exact");
        // The recording holds the typed bytes as two inputs, at the instruction counts they came.
        HuntCommandTest.Cli inputs = HuntCommandTest.deja("query", rec.toString(), "--format", "csv", "SELECT count(*) AS n FROM inputs");
        assertThat(inputs.exit()).as(inputs.err()).isZero();
        assertThat(inputs.out()).isEqualTo("n\n2\n");
    }

    @Test
    void sigtermEndsTheRecordingCleanlyAndRestoresTheTerminal(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("term");
        try (Session s = Session.start("record", "--binary", kernel.toString(), "--input", "-", "--out", rec.toString())) {
            s.awaitOutput(READY);
            s.type("Dej");
            Thread.sleep(300);
            ProcessHandle deja = s.process.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                    .findFirst().orElseThrow();
            deja.destroy(); // SIGTERM
            String out = s.finish();
            assertThat(out).contains("stopped: cancelled");
            assertThat(s.terminalAfter()).contains(" icanon ").contains(" echo ").doesNotContain("-icanon");
        }
        assertThat(replay(rec)).contains("bit-exact");
    }

    /** deja replay DIR --console with standard input from /dev/null: its output, after checking it exits 0. */
    static String replay(Path rec) throws Exception {
        Process replay = new ProcessBuilder(Session.java(List.of("replay", rec.toString(), "--console")))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true).start();
        String replayed = new String(replay.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(replay.waitFor()).as(replayed).isZero();
        return replayed;
    }

    static long instructions(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("instructions: ([0-9,]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    /** One deja process on a pseudo-terminal (script -qfec), its output collected, followed by stty -a. */
    static final class Session implements AutoCloseable {
        static final String STTY_MARK = "--- stty after deja ---";
        private final Process process;
        private final OutputStream keyboard;
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        private final Thread reader;

        private Session(Process process) {
            this.process = process;
            keyboard = process.getOutputStream();
            reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (screen) {
                            screen.write(buf, 0, n);
                            screen.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Session start(String... dejaArgs) throws IOException {
            StringBuilder line = new StringBuilder();
            for (String a : java(List.of(dejaArgs))) line.append(quote(a)).append(' ');
            line.append("; echo '").append(STTY_MARK).append("'; stty -a");
            return new Session(new ProcessBuilder("script", "-qfec", line.toString(), "/dev/null").redirectErrorStream(true).start());
        }

        /** The command line of a deja process on this test's classes. */
        static List<String> java(List<String> dejaArgs) {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
            cmd.add("@" + repoRoot().resolve("jvm.flags"));
            cmd.add("-Xss8m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(dejaArgs);
            return cmd;
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }

        private static Path repoRoot() {
            for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("jvm.flags"))) return d;
            }
            throw new IllegalStateException("no jvm.flags above " + Path.of("").toAbsolutePath());
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
            }
        }

        void awaitOutput(String text) throws InterruptedException {
            awaitOutput(text, 60);
        }

        /** Waits up to seconds (host time) for text on the terminal. */
        void awaitOutput(String text, int seconds) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (screen) {
                while (!screen().contains(text)) {
                    long left = until - System.nanoTime();
                    if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                        throw new AssertionError("no '" + text + "' on the terminal:\n" + screen());
                    }
                    TimeUnit.NANOSECONDS.timedWait(screen, Math.min(left, 100_000_000));
                }
            }
        }

        void type(String keys) throws IOException {
            keyboard.write(keys.getBytes(StandardCharsets.ISO_8859_1));
            keyboard.flush();
        }

        /** Waits for the session to end; what the terminal showed of deja (without the stty part). */
        String finish() throws Exception {
            return finish(60);
        }

        /** As {@link #finish()}, waiting up to seconds for the end. */
        String finish(int seconds) throws Exception {
            awaitOutput(STTY_MARK, seconds);
            if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("script did not end:\n" + screen());
            reader.join(5000);
            String all = screen();
            return all.substring(0, all.indexOf(STTY_MARK));
        }

        /** stty -a after deja ended, on the same terminal. */
        String terminalAfter() {
            String all = screen();
            return all.substring(all.indexOf(STTY_MARK)).replace('\n', ' ') + " ";
        }

        @Override
        public void close() throws IOException {
            keyboard.close();
            process.destroyForcibly();
        }
    }
}
