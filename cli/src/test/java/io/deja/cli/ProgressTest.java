package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line: on a terminal's stderr only, redrawn in place, cleared at the end, silenced by --quiet. */
class ProgressTest {
    @Test
    void theLineShowsIcountRateAndElapsedTimeAndADashForARateTooShortToMeasure() {
        assertThat(Progress.line(250_000_000, 0, 2.5)).isEqualTo("icount 250,000,000   100.0 MIPS   elapsed 2.5 s");
        assertThat(Progress.line(1_000, 0, 0.01)).isEqualTo("icount 1,000   — MIPS   elapsed 0.0 s");
        // A replay knows where it ends: a bar.
        assertThat(Progress.line(250_000_000, 1_000_000_000, 2.5))
                .isEqualTo("[#######                       ]  25%   icount 250,000,000 of 1,000,000,000   100.0 MIPS   elapsed 2.5 s");
    }

    @Test
    void recordCountsEventsExportCountsEventsReadAndHuntCountsSeeds() {
        assertThat(Progress.recordLine(250_000_000, 1_234_567, 2.5)).isEqualTo("icount 250,000,000   100.0 MIPS   elapsed 2.5 s   events 1,234,567");
        assertThat(Progress.readLine("tables", 250_000_000, 1_000_000_000, 3_000_000, 2.0))
                .isEqualTo("[#######                       ]  25%   tables   icount 250,000,000 of 1,000,000,000   events 3,000,000   1.5 M events/s   elapsed 2.0 s");
        // Before the reader knows where the recording ends: no bar.
        assertThat(Progress.readLine("timeline", 0, 0, 0, 0.01)).isEqualTo("timeline   icount 0   events 0   — events/s   elapsed 0.0 s");
        assertThat(Progress.huntLine(107, 6, 500, 1_500_000, 3.0))
                .isEqualTo("[                              ]   1%   seed 107 (6 of 500 tried)   icount 1,500,000   elapsed 3.0 s");
    }

    @Test
    void exportAndHuntStayQuietWithQuietOrWithoutATerminal(@TempDir Path tmp) throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello");
        Path rec = tmp.resolve("rec");
        assertThat(HuntCommandTest.deja("record", "--quiet", "--binary", hello.toString(), "--out", rec.toString()).exit()).isZero();
        HuntCommandTest.Cli export = HuntCommandTest.deja("export", rec.toString(), "--quiet", "--out", tmp.resolve("arrow").toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.err()).isEmpty();
        HuntCommandTest.Cli timeline = HuntCommandTest.deja("export", rec.toString(), "--perfetto", tmp.resolve("t.json").toString());
        assertThat(timeline.exit()).as(timeline.err()).isZero();
        assertThat(timeline.err()).isEmpty();
        HuntCommandTest.Cli hunt = HuntCommandTest.deja("hunt", "-q", "--binary", hello.toString(), "--seeds", "1..2",
                "--until-console", "Hello", "--out", tmp.resolve("hunt").toString());
        assertThat(hunt.exit()).as(hunt.err()).isZero();
        assertThat(hunt.err()).doesNotContain("\033");
    }

    @Test
    synchronized void drawsOnlyWhenStderrIsATerminalAndStdoutIsNotAndClearsItsLine() throws Exception {
        long saved = Progress.firstDrawMillis;
        Progress.firstDrawMillis = 0;
        try {
            System.setProperty("deja.stderr.tty", "1");
            StringWriter text = new StringWriter();
            PrintWriter err = new PrintWriter(text);
            AtomicLong icount = new AtomicLong(42);
            try (Progress p = Progress.start(err, false, true, icount::get)) {
                for (int i = 0; i < 100 && !text.toString().contains("icount 42"); i++) Thread.sleep(50);
            }
            assertThat(text.toString()).startsWith("\r\033[Kicount 42   — MIPS   elapsed ").endsWith("\r\033[K");

            StringWriter quiet = new StringWriter();
            try (Progress p = Progress.start(new PrintWriter(quiet), true, true, icount::get)) {
                Thread.sleep(200);
            }
            assertThat(quiet.toString()).isEmpty();

            System.setProperty("deja.stdout.tty", "1");
            StringWriter console = new StringWriter();
            try (Progress p = Progress.start(new PrintWriter(console), false, true, icount::get)) {
                Thread.sleep(200);
            }
            assertThat(console.toString()).as("the guest's console is on the terminal too").isEmpty();
            // A replay's stdout is its verdict at the end, not a console: the bar shows, once the replay says where it ends.
            StringWriter replay = new StringWriter();
            try (Progress p = Progress.start(new PrintWriter(replay), false, false, null)) {
                Thread.sleep(100);
                p.follow(() -> 500, 1000);
                for (int i = 0; i < 100 && !replay.toString().contains("50%"); i++) Thread.sleep(50);
            }
            assertThat(replay.toString()).startsWith("\r\033[K[###############               ]  50%   icount 500 of 1,000");
            // An export: the events read so far, published by the reader as it goes.
            io.deja.analysis.ReadProgress read = new io.deja.analysis.ReadProgress();
            read.ends(1000);
            read.at(250, 8192);
            StringWriter export = new StringWriter();
            try (Progress p = Progress.startLine(new PrintWriter(export), false, false,
                    s -> Progress.readLine("tables", read.icount(), read.lastIcount(), read.events(), s))) {
                for (int i = 0; i < 100 && !export.toString().contains("events 8,192"); i++) Thread.sleep(50);
            }
            assertThat(export.toString()).startsWith("\r\033[K[#######                       ]  25%   tables   icount 250 of 1,000   events 8,192");

            System.clearProperty("deja.stdout.tty");
            Path hello = HuntCommandTest.buildKernel("uart_hello");
            HuntCommandTest.Cli q = HuntCommandTest.deja("run", "--quiet", "--binary", hello.toString());
            assertThat(q.exit()).isZero();
            assertThat(q.err()).doesNotContain("icount").doesNotContain("\033");
        } finally {
            Progress.firstDrawMillis = saved;
            System.clearProperty("deja.stderr.tty");
            System.clearProperty("deja.stdout.tty");
        }
    }
}
