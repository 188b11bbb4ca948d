package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** deja export, query and diff as a user runs them: output, formats, errors and exit codes. */
@Timeout(300)
class AnalysisCommandsTest {
    @TempDir
    static Path tmp;
    static Path timer, timerAgain, timerChaos;

    @BeforeAll
    static void record() throws Exception {
        Path image = HuntCommandTest.buildKernel("timer_irq");
        timer = record(image, tmp.resolve("timer"), TraceLevel.FULL, -1);
        timerAgain = record(image, tmp.resolve("timer-again"), TraceLevel.FULL, -1);
        timerChaos = record(image, tmp.resolve("timer-chaos"), TraceLevel.FULL, 5);
    }

    static Path record(Path image, Path dir, TraceLevel level, long seed) throws IOException {
        MachineConfig config = MachineConfig.of(Board.VIBE, Files.readAllBytes(image));
        Recorder.Options o = Recorder.Options.defaults(level);
        if (seed >= 0) o = o.withChaos(seed);
        Recorder.create(dir, config, image, new ByteArrayOutputStream(), o).run();
        return dir;
    }

    static HuntCommandTest.Cli deja(String... args) {
        return HuntCommandTest.deja(args);
    }

    @Test
    void exportWritesEveryTableAndSaysSo() {
        Path out = tmp.resolve("export-out");
        HuntCommandTest.Cli c = deja("export", timer.toString(), "--out", out.toString(), "--parquet");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).startsWith("exported " + timer + " to " + out + ": ").contains("  insns ", "  reg_writes ", "parquet");
        assertThat(out.resolve("insns.arrow")).isRegularFile();
        assertThat(out.resolve("insns.parquet")).isRegularFile();
    }

    @Test
    void exportPerfettoWritesATimelineInTheFormatItsNameSays() throws IOException {
        Path proto = tmp.resolve("t.perfetto-trace"), json = tmp.resolve("t.json");
        HuntCommandTest.Cli c = deja("export", timer.toString(), "--perfetto", proto.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).startsWith("timeline of " + timer + " written to " + proto + " (Perfetto protobuf): ").contains("ui.perfetto.dev");
        assertThat(java.nio.file.Files.readAllBytes(proto)[0]).as("a Trace starts with its first packet, field 1").isEqualTo((byte) 0x0A);
        HuntCommandTest.Cli j = deja("export", timer.toString(), "--perfetto", json.toString(), "--from", "300", "--to", "400");
        assertThat(j.exit()).as(j.err()).isZero();
        assertThat(j.out()).contains("(Chrome trace JSON)", "chrome://tracing");
        assertThat(java.nio.file.Files.readString(json)).startsWith("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[").contains("\"IRQ 27\"");
        HuntCommandTest.Cli bad = deja("export", timer.toString(), "--perfetto", json.toString(), "--from", "400", "--to", "300");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("the window is empty");
        HuntCommandTest.Cli stray = deja("export", timer.toString(), "--to", "300");
        assertThat(stray.exit()).isEqualTo(2);
        assertThat(stray.err()).contains("--perfetto");
    }

    @Test
    void queryExportsWhenNeededAndPrintsATable() {
        HuntCommandTest.Cli c = deja("query", timer.toString(), "SELECT text FROM console('tick%')");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("""
                text
                ------
                tick 1
                tick 2
                tick 3
                tick 4
                tick 5
                (5 rows)
                """);
    }

    @Test
    void aQueryOnATableTheTraceLevelLeavesEmptySaysWhichLevelItNeeds() throws Exception {
        Path events = record(HuntCommandTest.buildKernel("timer_irq"), tmp.resolve("timer-events"), TraceLevel.EVENTS, -1);
        HuntCommandTest.Cli c = deja("query", events.toString(), "SELECT count(*) AS n FROM insns");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("0\n(1 row)");
        assertThat(c.err()).contains("deja: note: insns is empty: this recording was made at trace level events, and it needs level insns",
                "deja replay " + events + " --trace insns");
        HuntCommandTest.Cli full = deja("query", timer.toString(), "SELECT count(*) AS n FROM insns");
        assertThat(full.err()).doesNotContain("note");
    }

    @Test
    void queryFormatsAndFile() throws IOException {
        Path sql = tmp.resolve("q.sql");
        Files.writeString(sql, "SELECT line, text FROM console WHERE line <= 2 ORDER BY line");
        HuntCommandTest.Cli csv = deja("query", timer.toString(), "--file", sql.toString(), "--format", "csv");
        assertThat(csv.exit()).as(csv.err()).isZero();
        assertThat(csv.out()).startsWith("line,text\n1,").contains("\n2,tick 1\n");
        HuntCommandTest.Cli json = deja("query", timer.toString(), "--file", sql.toString(), "--format", "json");
        assertThat(json.out()).startsWith("[\n  {\"line\": 1, \"text\": ").contains("{\"line\": 2, \"text\": \"tick 1\"}");
    }

    @Test
    void wrongSqlIsOneLineAndNonZero() {
        HuntCommandTest.Cli c = deja("query", timer.toString(), "SELECT nope FROM insns");
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.out()).isEmpty();
        assertThat(c.err()).startsWith("deja: Binder Error: Referenced column \"nope\" not found").endsWith("\n");
        assertThat(c.err().strip()).doesNotContain("\n");
        assertThat(deja("query", timer.toString(), "SELECT 1", "--format", "xml").err()).isEqualTo("deja: unknown format 'xml' (table, csv or json)\n");
        assertThat(deja("query", tmp.resolve("nothing").toString(), "SELECT 1").err()).contains("no such recording directory");
    }

    @Test
    void diffExitCodesSayWhetherTheRunsDiffer() {
        HuntCommandTest.Cli same = deja("diff", timer.toString(), timerAgain.toString());
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).startsWith("equivalent");
        HuntCommandTest.Cli differ = deja("diff", timer.toString(), timerChaos.toString());
        assertThat(differ.exit()).isEqualTo(1);
        assertThat(differ.out()).contains("first divergence: event #", "chaos_seed", "console lines side by side", "tick 5")
                .as("the built-in Linux stages describe neither run").doesNotContain("boot stages");
        HuntCommandTest.Cli json = deja("diff", timer.toString(), timerChaos.toString(), "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.out()).startsWith("{\"equivalent\": false");
        HuntCommandTest.Cli bad = deja("diff", timer.toString(), tmp.resolve("nothing").toString());
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).contains("no such recording directory");
    }
}
