package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --input - from a pipe: bytes already there when the guest starts reach the
 * UART before the first instruction (not at the end of the first 100,000
 * instruction slice, which a short guest never reaches), the recording
 * replays them, and input the guest never read is reported, not dropped.
 */
class PipedInputTest {
    private record Piped(HuntCommandTest.Cli cli, String console) {}

    /** Runs deja with stdin a pipe holding input and the guest's console captured. */
    private static synchronized Piped piped(String input, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            HuntCommandTest.Cli c = HuntCommandTest.deja(args);
            System.out.flush();
            return new Piped(c, console.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
    }

    @Test
    void pipedLineReachesAGuestThatStopsLongBeforeTheFirstSliceEnds(@TempDir Path tmp) throws Exception {
        Path rx = HuntCommandTest.buildKernel("uart_rx_irq").resolveSibling("uart_rx_irq.virt.bin");
        Path rec = tmp.resolve("rec");
        Piped p = piped("Deja\n", "record", "--binary", rx.toString(), "--board", "virt", "--input", "-", "--out", rec.toString());
        assertThat(p.cli().exit()).as(p.cli().err()).isZero();
        assertThat(p.console()).contains("received: Deja\n");
        // Delivered at icount 0, the guest is done in a few thousand instructions (it used to be 100,502).
        assertThat(p.cli().err()).containsPattern("stopped: guest powered off \\(PSCI SYSTEM_OFF\\) at icount (\\d{1,3}|\\d{1,2},\\d{3})\n")
                .doesNotContain("unread");
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact");
    }

    @Test
    void inputTheGuestNeverReadIsReportedOnStderr() throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello");
        Piped p = piped("never read\n", "run", "--binary", hello.toString(), "--input", "-");
        assertThat(p.cli().exit()).as(p.cli().err()).isZero();
        assertThat(p.cli().err()).containsPattern("deja: warning: 11 bytes of console input left unread \\(the guest stopped at icount [\\d,]+ before reading them\\)");
    }

    @Test
    void anInputFileTheGuestNeverReadsIsReportedToo(@TempDir Path tmp) throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello");
        Path typed = tmp.resolve("typed.txt");
        java.nio.file.Files.writeString(typed, "hi\nmore\n");
        HuntCommandTest.Cli c = HuntCommandTest.deja("record", "--binary", hello.toString(), "--input", typed.toString(), "--out", tmp.resolve("rec").toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.err()).contains("deja: warning: 8 bytes of console input left unread");
    }
}
