package io.deja.analysis.kernels;

import io.deja.analysis.diff.DiffReport;
import io.deja.analysis.diff.Differ;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.ResultFormat;
import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Export, query and diff of recordings of the real guest kernels (kernels/, built by make). */
class RealKernelTest {
    @TempDir
    Path tmp;

    static String record(Path dir, String kernel, TraceLevel level, Long chaos) throws IOException {
        Path image = Kernels.virtBin(kernel);
        MachineConfig config = MachineConfig.of(Board.VIRT, Files.readAllBytes(image));
        Recorder.Options o = Recorder.Options.defaults(level).withMaxInstructions(50_000_000);
        if (chaos != null) o = o.withChaos(chaos);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Recorder.create(dir, config, image, console, o).run();
        return console.toString(StandardCharsets.UTF_8);
    }

    static List<List<String>> q(Database db, String sql) {
        return Query.run(db, sql).rows().stream().map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList();
    }

    @Test
    void timerIrqExportsEveryTableConsistently() throws IOException {
        Path rec = tmp.resolve("timer");
        record(rec, "timer_irq", TraceLevel.FULL, null);
        Exporter.Result r = Exporter.export(rec, Query.defaultExportDir(rec));
        assertThat(r.rows().get("insns")).isPositive();
        try (Database db = Database.open(Query.defaultExportDir(rec))) {
            List<String> golden = Kernels.golden("timer_irq").lines().toList();
            assertThat(q(db, "SELECT text FROM console ORDER BY line").stream().map(List::getFirst).toList()).isEqualTo(golden);
            // one insns row per instruction, each disassembled
            assertThat(q(db, "SELECT count(*) = (SELECT instructions FROM runs), count(*) FILTER (WHERE disasm LIKE '.inst%') FROM insns"))
                    .containsExactly(List.of("true", "0"));
            // old is the previous write's new, register by register
            assertThat(q(db, """
                    SELECT count(*) FROM (SELECT old, lag(new) OVER (PARTITION BY reg ORDER BY icount) AS prev FROM reg_writes)
                    WHERE prev IS NOT NULL AND old IS DISTINCT FROM prev""")).containsExactly(List.of("0"));
            // the opening checkpoint (icount 0) supplies every register: no write lacks the value it replaced
            assertThat(q(db, "SELECT count(*) FILTER (WHERE icount = 0) FROM checkpoints")).containsExactly(List.of("1"));
            assertThat(q(db, "SELECT count(*) > 100, count(*) FILTER (WHERE old IS NULL) FROM reg_writes"))
                    .containsExactly(List.of("true", "0"));
            // every reg_writes and mem_writes row has the pc of its instruction
            assertThat(q(db, "SELECT count(*) FROM reg_writes w JOIN insns i USING (icount) WHERE w.pc <> i.pc")).containsExactly(List.of("0"));
            assertThat(q(db, "SELECT count(*) FROM mem_writes WHERE pc IS NULL")).containsExactly(List.of("0"));
            // five ticks, each acknowledged and ended by the handler
            assertThat(q(db, "SELECT count(*), count(latency), min(ack_latency) > 0 FROM irq_latency")).containsExactly(List.of("5", "5", "true"));
            assertThat(q(db, "SELECT exits FROM exit_stats WHERE kind_name = 'WFI'")).containsExactly(List.of("5"));
            assertThat(q(db, "SELECT end_reason, truncated FROM runs")).containsExactly(List.of("shutdown", "false"));
        }
    }

    @Test
    void aReTracedWindowKnowsWhatEachRegisterWriteReplaced() throws IOException {
        Path full = tmp.resolve("full");
        Path cheap = tmp.resolve("cheap");
        Path window = tmp.resolve("window");
        record(full, "timer_irq", TraceLevel.FULL, null);
        record(cheap, "timer_irq", TraceLevel.EVENTS, null);
        long from = 600, to = 1_400; // inside the run, away from its opening checkpoint
        var r = io.deja.replayer.Replayer.replay(cheap, io.deja.replayer.ReplayOptions.defaults()
                .withRetrace(new io.deja.replayer.ReplayOptions.Retrace(TraceLevel.FULL, from, to, window)));
        assertThat(r.bitExact()).isTrue();
        Exporter.export(full, tmp.resolve("full-arrow"));
        Exporter.export(window, tmp.resolve("window-arrow"));
        String rows = "SELECT icount, reg, old, new FROM reg_writes WHERE icount BETWEEN " + from + " AND " + to + " ORDER BY icount, reg";
        List<List<String>> expected, got;
        try (Database db = Database.open(tmp.resolve("full-arrow"))) {
            expected = q(db, rows);
        }
        try (Database db = Database.open(tmp.resolve("window-arrow"))) {
            got = q(db, rows);
            assertThat(q(db, "SELECT count(*) FROM reg_writes WHERE icount NOT BETWEEN " + from + " AND " + to)).containsExactly(List.of("0"));
        }
        // the checkpoint opening the window gives the first write of each register its true old value
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void theHeisenbugsCulpritIsTheHandlersMovIntoW9() throws IOException {
        Path rec = null;
        for (long seed = 1; seed <= 300 && rec == null; seed++) {
            Path dir = tmp.resolve("seed-" + seed);
            if (record(dir, "heisenbug", TraceLevel.FULL, seed).contains("X9 CORRUPT")) rec = dir;
        }
        assertThat(rec).as("a chaos seed in 1..300 that corrupts X9").isNotNull();
        Query.ensureExported(rec, Query.defaultExportDir(rec));
        long handler = Kernels.VIRT_LOAD + Kernels.symbolOffset("heisenbug", "irq_handler");
        try (Database db = Database.open(Query.defaultExportDir(rec))) {
            List<List<String>> rows = q(db, "SELECT role, pc, disasm FROM culprit('X9', 1)");
            assertThat(rows).extracting(List::getFirst).containsExactly("interrupt", "write", "read");
            long writePc = Long.parseLong(rows.get(1).get(1));
            assertThat(writePc).isBetween(handler, handler + 0x80);
            assertThat(rows.get(1).get(2)).isEqualTo("movz w9, #0x1");
            assertThat(rows.get(2).get(2)).startsWith("cmp x9");
            assertThat(rows.get(0).get(1)).as("the interrupted instruction is the one that later reads X9").isEqualTo(rows.get(2).get(1));
        }
    }

    @Test
    void twoChaosSeedsDivergeAtAnInterruptAndTheSameSeedIsEquivalent() throws IOException {
        record(tmp.resolve("a"), "timer_irq", TraceLevel.EVENTS, 1L);
        record(tmp.resolve("b"), "timer_irq", TraceLevel.EVENTS, 1L);
        record(tmp.resolve("c"), "timer_irq", TraceLevel.EVENTS, 2L);
        assertThat(Differ.diff(tmp.resolve("a"), tmp.resolve("b")).equivalent()).isTrue();
        DiffReport r = Differ.diff(tmp.resolve("a"), tmp.resolve("c"));
        assertThat(r.equivalent()).isFalse();
        assertThat(r.header()).extracting(DiffReport.HeaderDifference::field).contains("chaos_seed");
        assertThat(r.console()).extracting(DiffReport.ConsoleRow::textA).contains("tick 1", "done");
        assertThat(r.counts()).filteredOn(c -> c.table().equals("interrupts")).allMatch(c -> c.delta() == 0);
    }
}
