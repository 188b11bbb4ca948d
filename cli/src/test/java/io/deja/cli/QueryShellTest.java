package io.deja.cli;

import io.deja.core.trace.TraceLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja query without SQL: the SQL shell, fed through standard input as a pipe
 * (statements over several lines, dot commands, errors that leave it running),
 * on a pseudo-terminal through util-linux's script (JLine's line reader), and
 * --file - for a query on standard input.
 */
@Timeout(300)
class QueryShellTest {
    @TempDir
    static Path tmp;
    static Path timer;
    private static final InputStream STDIN = System.in;

    @BeforeAll
    static void record() throws Exception {
        timer = AnalysisCommandsTest.record(HuntCommandTest.buildKernel("timer_irq"), tmp.resolve("timer"), TraceLevel.FULL, -1);
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(STDIN);
    }

    static HuntCommandTest.Cli withInput(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return HuntCommandTest.deja(args);
    }

    @Test
    void pipedStatementsRunOneByOneAndAnErrorLeavesTheShellRunning() {
        HuntCommandTest.Cli c = withInput("""
                SELECT count(*) AS ticks
                  FROM console
                 WHERE text LIKE 'tick%';
                SELEC nonsense;
                .mode csv
                SELECT 0x10 AS sixteen; SELECT 'a;b' AS text;
                .bogus
                SELECT line FROM console WHERE line = 1
                """, "query", timer.toString());
        assertThat(c.out()).isEqualTo("""
                ticks
                -----
                    5
                (1 row)
                sixteen
                16
                text
                a;b
                line
                1
                """);
        assertThat(c.err().lines().filter(l -> l.startsWith("Error: ")).toList()).containsExactly(
                "Error: Parser Error: syntax error at or near \"SELEC\"",
                "Error: unknown command .bogus (.help lists the commands)");
        assertThat(c.exit()).as("a failed statement makes the exit status 2").isEqualTo(2);
    }

    @Test
    void dotCommandsListTablesShowSchemasAndQuit() {
        HuntCommandTest.Cli c = withInput("""
                .tables
                .schema insns
                .schema u64
                .schema coverage
                .help
                .quit
                SELECT 'never run';
                """, "query", timer.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("insns", "reg_writes", "irq_latency", "coverage")
                .contains("CREATE TABLE insns(icount BIGINT")
                .contains("CREATE MACRO u64(p_v) AS")
                .contains("CREATE VIEW coverage AS")
                .contains(".schema [NAME]")
                .doesNotContain("never run");
        assertThat(c.err()).doesNotContain("Error");
    }

    @Test
    void helpNamesTheShellAndGivesExamplesWithoutCuttingSentences() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("query", "--help");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("Without SQL it opens an interactive SQL shell", "$ deja query /tmp/rec --file docs/queries/heisenbug.sql",
                "$ deja query /tmp/rec                  # the SQL shell",
                "--file=FILE       Read the query from FILE (- for standard input).");
        // picocli wraps whole paragraphs: no line of the description ends in the middle of a short line
        assertThat(c.out().lines().filter(l -> l.length() < 50 && l.matches("^[a-z].*[a-z,]$")).toList()).isEmpty();
    }

    @Test
    void fileDashReadsTheQueryFromStandardInput() {
        HuntCommandTest.Cli c = withInput("SELECT 41 + 1 AS answer", "query", timer.toString(), "--file", "-", "--format", "csv");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("answer\n42\n");
    }

    /** On a terminal: JLine reads a statement typed over two lines, prints its result, keeps it in the history, and .quit ends the session. */
    @Test
    void onATerminalTheShellEditsLinesAndKeepsHistory() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        // script's pseudo-terminal starts 0 columns wide, where JLine cannot lay out a prompt
        StringBuilder line = new StringBuilder("stty cols 120 rows 40; ");
        for (String a : InteractiveConsoleTest.Session.java(java.util.List.of("query", timer.toString(), "--no-hex"))) {
            line.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", line.toString(), "/dev/null").redirectErrorStream(true);
        pb.environment().put("XDG_STATE_HOME", state.toString());
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        java.io.ByteArrayOutputStream screen = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = p.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (screen) {
                        screen.write(buf, 0, n);
                        screen.notifyAll();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (var keyboard = p.getOutputStream()) {
            waitFor(screen, "deja> ", 1);
            keyboard.write("SELECT count(*)\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            waitFor(screen, "...> ", 1);
            keyboard.write("  AS lines FROM console;\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            waitFor(screen, "deja> ", 2);
            keyboard.write(".quit\r".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the shell ended").isTrue();
        } finally {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String text = screen.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("deja query: " + timer, "lines", "(1 row)");
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(Files.readString(state.resolve("deja/query_history"))).contains("SELECT count(*)", "AS lines FROM console;");
    }

    /** Waits until text has appeared count times on the screen. */
    private static void waitFor(java.io.ByteArrayOutputStream screen, String text, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        synchronized (screen) {
            while (screen.toString(StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(text), -1).length - 1 < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no '" + text + "' x" + count + " on the screen:\n" + screen.toString(StandardCharsets.UTF_8));
                screen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
