package io.deja.analysis.diff;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.EventType;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * diff of two four-CPU recordings of kernels/smp_race with different chaos
 * seeds (different schedules): the CPUs side by side, and a first divergence
 * that names its CPU, that CPU's icount and the machine's.
 */
class SmpDiffTest {
    @TempDir
    static Path tmp;
    static Path a, b;
    static String consoleA, consoleB;

    @BeforeAll
    static void record() throws IOException {
        a = tmp.resolve("seed1");
        b = tmp.resolve("seed3");
        consoleA = record(a, 1);
        consoleB = record(b, 3);
    }

    /** Records smp_race on four CPUs at insns level (an INSN event per instruction, each with its CPU). */
    static String record(Path dir, long seed) throws IOException {
        Path image = Kernels.virtBin("smp_race");
        MachineConfig config = MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(4);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Recorder.create(dir, config, image, console, Recorder.Options.defaults(TraceLevel.INSNS).withChaos(seed)).run();
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachCpusCountsStandSideBySide() {
        assertThat(consoleA).contains("no update lost");
        assertThat(consoleB).contains("LOST UPDATE");
        DiffReport r = Differ.diff(a, b);
        assertThat(r.header()).containsExactly(new DiffReport.HeaderDifference("chaos_seed", "1", "3"));
        assertThat(r.cpus()).hasSize(4 * RunSummary.CPU_KINDS.length);
        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(row(r, cpu, "instructions").a()).as("CPU %d in A", cpu).isEqualTo(insns(a, cpu));
            assertThat(row(r, cpu, "instructions").b()).as("CPU %d in B", cpu).isEqualTo(insns(b, cpu));
            assertThat(row(r, cpu, "slices").a()).isPositive();
        }
        // CPU 0 alone makes the HVCs (PSCI CPU_ON, SYSTEM_OFF) and the console's MMIO exits.
        assertThat(row(r, 0, "exits").a()).isGreaterThan(row(r, 1, "exits").a());
        assertThat(row(r, 1, "exceptions").a()).isZero();
        String text = DiffFormat.text(r);
        assertThat(text).contains("\nby CPU (A, B):\n");
        assertThat(text).containsPattern("(?m)^  cpu 2 +" + insns(a, 2) + " +" + insns(b, 2) + " ");
        String json = DiffFormat.json(r);
        assertThat(json).contains("\"cpus\": [{\"cpu\": 0, \"kind\": \"instructions\", \"a\": " + insns(a, 0));
    }

    @Test
    void theFirstDivergenceNamesItsCpuAndBothIcounts() {
        DiffReport r = Differ.diff(a, b);
        DiffReport.Divergence d = r.divergence();
        assertThat(d).isNotNull();
        assertThat(d.globalA()).isNotNull();
        assertThat(d.globalB()).isNotNull();
        assertThat(d.icount()).isEqualTo(Math.min(d.globalA(), d.globalB()));
        // The schedules part first: a SLICE event, whose total is the machine's icount at its start.
        for (Event e : new Event[] {d.a(), d.b()}) {
            if (e.type() == EventType.SLICE) {
                assertThat(Long.parseLong(e.fields().get("total"))).isEqualTo(e == d.a() ? d.globalA() : d.globalB());
            }
        }
        // Every event before the divergence is the same on both sides, so the global icounts agree with a
        // count of the INSN events before it, whatever CPU they were on.
        assertThat(d.globalA()).isEqualTo(insnsBefore(a, d.index()));
        String text = DiffFormat.text(r);
        assertThat(text).containsPattern("first divergence: event #" + d.index() + " at global icount [0-9,]+ \\(A: CPU "
                + d.a().cpu() + " at its icount [0-9,]+, global [0-9,]+; B: CPU " + d.b().cpu() + " at its icount [0-9,]+, global [0-9,]+\\)");
        String json = DiffFormat.json(r);
        assertThat(json).contains("\"cpu_a\": " + d.a().cpu() + ", \"cpu_icount_a\": " + d.a().icount() + ", \"global_a\": " + d.globalA());
        assertThat(json).contains("\"cpu_b\": " + d.b().cpu() + ", \"cpu_icount_b\": " + d.b().icount() + ", \"global_b\": " + d.globalB());
    }

    @Test
    void oneCpuRunsHaveNoCpuSection() {
        Path one = tmp.resolve("one");
        Path other = tmp.resolve("other");
        io.deja.analysis.SyntheticTrace.write(one, 45, true);
        io.deja.analysis.SyntheticTrace.write(other, 47, true);
        DiffReport r = Differ.diff(one, other);
        assertThat(r.cpus()).isEmpty();
        assertThat(DiffFormat.text(r)).doesNotContain("by CPU").contains("at icount 45");
        assertThat(DiffFormat.json(r)).contains("\"cpus\": []");
    }

    private static DiffReport.CpuCountRow row(DiffReport r, int cpu, String kind) {
        return r.cpus().stream().filter(c -> c.cpu() == cpu && c.kind().equals(kind)).findFirst().orElseThrow();
    }

    /** The INSN events of one CPU: the instructions it retired. */
    private static long insns(Path dir, int cpu) {
        long n = 0;
        try (Recording rec = Recording.open(dir); EventCursor c = rec.events()) {
            while (c.next()) if (c.type() == EventType.INSN && c.cpu() == cpu) n++;
        }
        return n;
    }

    /** The INSN events among the first count events: instructions retired by all CPUs before them. */
    private static long insnsBefore(Path dir, long count) {
        long n = 0, i = 0;
        try (Recording rec = Recording.open(dir); EventCursor c = rec.events()) {
            while (i++ < count && c.next()) if (c.type() == EventType.INSN) n++;
        }
        return n;
    }

}
