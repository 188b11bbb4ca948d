package io.deja.analysis.query;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standard library's macros over per-CPU state take cpu := n (issue 13), on a
 * full-level recording of kernels/smp_race on four CPUs: every CPU counts its own
 * icounts from 0, so without the CPU a register or an instruction at an icount is
 * four different things. smp_race's CPUs 1-3 start at `mov x19, x0` (x19 = the
 * CPU's number, never written again) at their icount 0.
 */
class SmpStdlibTest {
    @TempDir
    static Path tmp;
    static Database db;

    @BeforeAll
    static void record() throws IOException {
        Path rec = tmp.resolve("race");
        Path image = Kernels.virtBin("smp_race");
        MachineConfig config = MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(4);
        Recorder.create(rec, config, image, new ByteArrayOutputStream(), Recorder.Options.defaults(TraceLevel.FULL).withChaos(3)).run();
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        db = Database.open(arrow);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static List<List<String>> q(String sql) {
        return Query.run(db, sql).rows().stream().map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList();
    }

    /**
     * Each CPU acknowledges its own interrupts (timer PPIs, SGIs): irq_latency pairs an
     * interrupt with the next GICC_IAR read and EOI of the CPU that took it. A synthetic
     * two-CPU trace, where the clash is certain (SmpTimerQueriesTest pins the same on a
     * recording of kernels/smp_timer): CPU 1 takes the timer at
     * its icount 2 and acknowledges it at 20; CPU 0 takes it at 10 and acknowledges it at 13,
     * which by icount alone is CPU 1's nearest acknowledgement.
     */
    @Test
    void irqLatencyMatchesEachInterruptWithItsOwnCpusAcknowledgement() {
        Path rec = tmp.resolve("two-cpu-irqs");
        int timer = io.deja.analysis.SyntheticTrace.TIMER, gicCpu = io.deja.analysis.SyntheticTrace.GIC_CPU;
        try (io.deja.recorder.RecordingWriter w = io.deja.recorder.RecordingWriter.open(rec,
                io.deja.analysis.SyntheticTrace.header(TraceLevel.EVENTS, java.util.OptionalLong.empty()))) {
            w.onCpu(1);
            w.interrupt(2, 0x10008, timer, false, 1);
            w.onCpu(0);
            w.interrupt(10, 0x10020, timer, false, 1);
            w.mmio(13, 0x880, gicCpu, 0x0c, 4, false, timer);
            w.mmio(15, 0x888, gicCpu, 0x10, 4, true, timer);
            w.onCpu(1);
            w.mmio(20, 0x880, gicCpu, 0x0c, 4, false, timer);
            w.mmio(22, 0x888, gicCpu, 0x10, 4, true, timer);
            w.onCpu(0);
            w.end(30, 30, io.deja.core.vm.ExitKind.SHUTDOWN.code);
        }
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        try (Database two = Database.open(arrow)) {
            assertThat(Query.run(two, "SELECT cpu, icount, ack_icount, eoi_icount, ack_latency, latency FROM irq_latency ORDER BY cpu")
                    .rows().stream().map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList())
                    .containsExactly(List.of("0", "10", "13", "15", "3", "5"), List.of("1", "2", "20", "22", "18", "20"));
        }
    }

    /**
     * vreg_changes and reg_changes take cpu := n: on a synthetic two-CPU trace both CPUs write V3
     * at their own icount 4, and CPU 1 writes its top half again at 6 (no change to D3).
     */
    @Test
    void vregChangesAndRegChangesKeepOneCpusWrites() {
        Path rec = tmp.resolve("two-cpu-vregs");
        long one = io.deja.analysis.SyntheticTrace.D_ONE, inf = io.deja.analysis.SyntheticTrace.D_INF;
        try (io.deja.recorder.RecordingWriter w = io.deja.recorder.RecordingWriter.open(rec,
                io.deja.analysis.SyntheticTrace.header(TraceLevel.FULL, java.util.OptionalLong.empty()))) {
            w.onCpu(0);
            w.vregWrite(4, 3, one, 0);
            w.onCpu(1);
            w.vregWrite(4, 3, inf, 0);
            w.regWrite(5, 9, 0x99);
            w.vregWrite(6, 3, inf, 7);
            w.onCpu(0);
            w.end(30, 30, io.deja.core.vm.ExitKind.SHUTDOWN.code);
        }
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        try (Database two = Database.open(arrow)) {
            java.util.function.Function<String, List<List<String>>> on = sql -> Query.run(two, sql).rows().stream()
                    .map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList();
            assertThat(on.apply("SELECT icount, cpu FROM vreg_changes('V3', cpu := 1) ORDER BY icount"))
                    .containsExactly(List.of("4", "1"), List.of("6", "1"));
            assertThat(on.apply("SELECT icount, reg_name, new, cpu FROM vreg_changes('D3', cpu := 1)"))
                    .containsExactly(List.of("4", "D3", Long.toUnsignedString(inf), "1"));
            assertThat(on.apply("SELECT icount, new, cpu FROM reg_changes('D3', cpu := 0)"))
                    .containsExactly(List.of("4", Long.toUnsignedString(one), "0"));
            assertThat(on.apply("SELECT count(*) FROM vreg_changes('V3')")).containsExactly(List.of("3"));
            assertThat(on.apply("SELECT icount, new, cpu FROM reg_changes('X9', cpu := 1)")).containsExactly(List.of("5", "153", "1"));
            assertThat(on.apply("SELECT * FROM reg_changes('X9', cpu := 0)")).isEmpty();
        }
    }

    @Test
    void regAtReadsTheGivenCpusRegisterAtItsOwnIcount() {
        for (int cpu = 1; cpu <= 3; cpu++) {
            assertThat(q("SELECT icount, disasm, value FROM reg_at('X19', 100, cpu := " + cpu + ")")).as("CPU %d", cpu)
                    .containsExactly(List.of("0", "mov x19, x0", Integer.toString(cpu)));
        }
    }

    /** Without cpu the write is still joined with its own CPU's instruction: one row, not one per CPU at that icount. */
    @Test
    void firstWriteTakesACpuAndJoinsTheWritersInstruction() {
        assertThat(q("SELECT icount, disasm, new FROM first_write('X19', 2)")).containsExactly(List.of("0", "mov x19, x0", "2"));
        assertThat(q("SELECT icount, disasm FROM first_write('X19', 2, cpu := 2)")).containsExactly(List.of("0", "mov x19, x0"));
        assertThat(q("SELECT * FROM first_write('X19', 2, cpu := 3)")).isEmpty();
    }

    @Test
    void insnsAroundKeepsOneCpuWithCpu() {
        List<List<String>> two = q("SELECT icount, disasm, writes FROM insns_around(1, 1, cpu := 2)");
        assertThat(two).hasSize(3);
        assertThat(two.get(0).subList(0, 2)).containsExactly("0", "mov x19, x0");
        assertThat(two.get(0).get(2)).contains("X19=0x2"); // CPU 2's own write, not another CPU's at the same icount
        assertThat(q("SELECT count(*) FROM insns_around(1, 1)")).containsExactly(List.of("12"));
    }

    @Test
    void firstReadAfterLooksAtTheGivenCpu() {
        assertThat(q("SELECT icount, disasm FROM first_read_after('X19', 0, cpu := 3)")).containsExactly(List.of("2", "add x1, x1, x19, lsl #12"));
    }

    /** The lock word: every CPU stores to it 2,000 times (the buggy `str` and the releasing `stlr`). */
    @Test
    void whoWroteKeepsOneCpusStoresAndTheirOwnInstructions() {
        String lock = q("SELECT m.address FROM mem_writes m JOIN insns i ON i.icount = m.icount AND i.cpu = m.cpu"
                + " WHERE i.disasm = 'stlr wzr, [x1]' LIMIT 1").get(0).get(0);
        assertThat(q("SELECT disasm, count(*) FROM who_wrote('" + lock + "', cpu := 2) GROUP BY disasm ORDER BY disasm"))
                .containsExactly(List.of("stlr wzr, [x1]", "1000"), List.of("str w2, [x1]", "1000"));
        assertThat(q("SELECT count(*) FROM who_wrote('" + lock + "')")).containsExactly(List.of("8000"));
    }

    /** culprit with cpu := n runs over that CPU alone; smp_race takes no interrupts, so no handler let a value escape. */
    @Test
    void culpritTakesACpu() {
        assertThat(q("SELECT * FROM culprit('X19', 2, cpu := 2)")).isEmpty();
    }
}
