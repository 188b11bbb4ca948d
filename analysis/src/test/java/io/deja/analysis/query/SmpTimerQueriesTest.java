package io.deja.analysis.query;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query library's per-CPU clock and interrupt views on a real recording of a
 * several-CPU kernel that takes interrupts: kernels/smp_timer on four CPUs (its QEMU
 * golden says every CPU took 10 ticks of INTID 27, each with the timer condition met).
 * smp_timer_gic3 is the same kernel on a GICv3.
 * CPU n's timer has a period of n + 1 ms with absolute deadlines placed five before
 * virtual second 1 and five after it; CPUs 0 and 2 have four deadlines in common, so
 * with a quantum of 100 their handlers interleave. The CPUs sleep apart, so each CPU's
 * icount maps to its own virtual time.
 */
class SmpTimerQueriesTest {
    static final int CPUS = 4, TICKS = 10;
    static final long HZ = 62_500_000L, MS = HZ / 1000;

    @TempDir
    static Path tmp;
    static Database db, gic3;
    static String console, gic3Console;

    @BeforeAll
    static void record() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        db = recorded("smp_timer", GicVersion.V2, out);
        console = out.toString(StandardCharsets.UTF_8);
        out.reset();
        gic3 = recorded("smp_timer_gic3", GicVersion.V3, out);
        gic3Console = out.toString(StandardCharsets.UTF_8);
    }

    /** The kernel recorded at level full on four CPUs with a quantum of 100, exported and opened. */
    static Database recorded(String kernel, GicVersion gic, ByteArrayOutputStream out) throws IOException {
        Path rec = tmp.resolve(kernel);
        Path image = Kernels.virtBin(kernel);
        MachineConfig config = MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(CPUS).withQuantum(100).withGic(gic);
        Recorder.create(rec, config, image, out, Recorder.Options.defaults(TraceLevel.FULL)).run();
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        return Database.open(arrow);
    }

    @AfterAll
    static void close() {
        db.close();
        gic3.close();
    }

    static List<List<String>> q(String sql) {
        return Query.run(db, sql).rows().stream().map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList();
    }

    @Test
    void theRecordingsAreTheKernelsGoldenRuns() {
        assertThat(console).isEqualTo(Kernels.golden("smp_timer"));
        assertThat(gic3Console).isEqualTo(Kernels.golden("smp_timer_gic3"));
    }

    /**
     * On a GICv3 each CPU ends its interrupts with an ICC_EOIR1_EL1 write (a sysreg_writes row of its
     * own); the acknowledgement is an ICC_IAR1_EL1 read, an MRS the recording does not hold.
     */
    @Test
    void irqLatencyOnAGicv3MatchesEachCpusEndOfInterrupt() {
        List<List<String>> perCpu = new ArrayList<>();
        for (int cpu = 0; cpu < CPUS; cpu++) perCpu.add(List.of(Integer.toString(cpu), Integer.toString(TICKS), "0", Integer.toString(TICKS)));
        assertThat(Query.run(gic3, "SELECT cpu, count(*), count(ack_icount), count(DISTINCT eoi_icount) FROM irq_latency GROUP BY cpu ORDER BY cpu")
                .rows().stream().map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList()).containsExactlyElementsOf(perCpu);
        assertThat(Query.run(gic3, "SELECT count(*) FROM irq_latency l JOIN sysreg_writes w ON w.cpu = l.cpu AND w.icount = l.eoi_icount"
                + " JOIN insns i ON i.cpu = w.cpu AND i.icount = w.icount WHERE i.disasm = 'msr icc_eoir1_el1, x19' AND w.new = 27")
                .rows().get(0)[0].toString()).isEqualTo(Integer.toString(CPUS * TICKS));
    }

    /**
     * Every interrupt is acknowledged (GICC_IAR read returning 27) and ended (GICC_EOIR) by the
     * CPU that took it, each by its own handler: no two interrupts share an acknowledgement, and
     * the acknowledgement irq_latency names is a read of the same CPU's interface at that CPU's icount.
     */
    @Test
    void irqLatencyMatchesEachCpusTicksWithItsOwnAcknowledgements() {
        List<List<String>> perCpu = new ArrayList<>();
        for (int cpu = 0; cpu < CPUS; cpu++) perCpu.add(List.of(Integer.toString(cpu), "27", Integer.toString(TICKS), Integer.toString(TICKS)));
        assertThat(q("SELECT cpu, intid, count(DISTINCT ack_icount), count(DISTINCT eoi_icount) FROM irq_latency GROUP BY ALL ORDER BY cpu"))
                .containsExactlyElementsOf(perCpu);
        assertThat(q("SELECT count(*) FROM irq_latency l JOIN mmio m ON m.cpu = l.cpu AND m.icount = l.ack_icount"
                + " WHERE m.device_name = 'gic-cpu' AND m.dev_offset = 12 AND NOT m.write AND m.value = 27"))
                .containsExactly(List.of(Integer.toString(CPUS * TICKS)));
        // The same handler on every CPU: the IAR read and the EOIR write are the same instructions after the vector.
        assertThat(q("SELECT DISTINCT ack_latency, latency > ack_latency FROM irq_latency")).hasSize(1);
        assertThat(q("SELECT DISTINCT handler_pc FROM irq_latency")).hasSize(1);
    }

    /** CPUs 0 and 2 have four deadlines in common (1 s - 4.5 ms + 0, 3, 6 and 9 ms): four pairs of interrupts at one time. */
    @Test
    void cpusZeroAndTwoHandleTicksAtTheSameTime() {
        assertThat(q("SELECT count(*) FROM interrupts a JOIN interrupts b ON a.cpu = 0 AND b.cpu = 2"
                + " AND abs(cycles_at(a.icount, cpu := 0) - cycles_at(b.icount, cpu := 2)) < 100")).containsExactly(List.of("4"));
    }

    /**
     * The interrupt is taken when the CPU's counter has reached the deadline its timer was given
     * (CNTV_CVAL_EL0, the Arm ARM's condition CNTVCT_EL0 - CVAL >= 0), and the CPU slept in WFI
     * until then, so it comes within the two instructions that follow the WFI: on each CPU's own
     * clock. On CPU 0's clock CPU 3's icounts are hundreds of ticks off.
     */
    @Test
    void eachInterruptComesAtItsCpusDeadlineOnThatCpusClock() {
        String deadline = "(SELECT arg_max(w.new, w.icount) FROM sysreg_writes w WHERE w.cpu = i.cpu AND w.icount < i.icount"
                + " AND w.name = 'CNTV_CVAL_EL0')";
        assertThat(q("SELECT i.cpu, count(*) FROM interrupts i WHERE cycles_at(i.icount, cpu := i.cpu) - " + deadline
                + " BETWEEN 0 AND 2 GROUP BY i.cpu ORDER BY i.cpu")).containsExactly(
                List.of("0", "10"), List.of("1", "10"), List.of("2", "10"), List.of("3", "10"));
        // The first deadline: virtual second 1 less 4.5 periods of n + 1 ms.
        for (int cpu = 0; cpu < CPUS; cpu++) {
            long period = (cpu + 1) * MS;
            long first = HZ - 5 * period + period / 2;
            assertThat(q("SELECT round(vtime(i.icount, cpu := " + cpu + ") * " + HZ + ") - " + first
                    + " BETWEEN 0 AND 2 FROM interrupts i WHERE i.cpu = " + cpu + " ORDER BY i.icount LIMIT 1"))
                    .as("CPU %d", cpu).containsExactly(List.of("true"));
        }
        assertThat(q("SELECT min(cycles_at(i.icount, cpu := 3) - cycles_at(i.icount)) > 1000 FROM interrupts i WHERE i.cpu = 3"))
                .containsExactly(List.of("true"));
    }

    /** Five ticks before virtual second 1 and five after it, on every CPU's own clock. */
    @Test
    void irqRateCountsEachCpusTicksInItsOwnSeconds() {
        List<List<String>> expected = new ArrayList<>();
        for (int cpu = 0; cpu < CPUS; cpu++) {
            expected.add(List.of(Integer.toString(cpu), "0", "27", "5"));
            expected.add(List.of(Integer.toString(cpu), "1", "27", "5"));
        }
        assertThat(q("SELECT cpu, second, intid, interrupts FROM irq_rate ORDER BY cpu, second")).containsExactlyElementsOf(expected);
    }

    /** vclock has each CPU's anchors (its slices and WFI exits), never a checkpoint's, whose icount is the machine's. */
    @Test
    void vclockAnchorsAreEachCpusOwn() {
        assertThat(q("SELECT DISTINCT cpu FROM vclock ORDER BY cpu")).containsExactly(List.of("0"), List.of("1"), List.of("2"), List.of("3"));
        assertThat(q("SELECT count(*) FROM vclock k JOIN checkpoints c ON c.icount = k.icount AND c.cpu = k.cpu"
                + " WHERE k.icount > 0 AND c.cycles - c.icount = k.idle_cycles")).containsExactly(List.of("0"));
    }

    /** CPU 0 prints after every CPU is done: after virtual second 1 on its clock; delta counts every CPU's instructions. */
    @Test
    void consoleLinesAreOnTheWritingCpusClock() {
        assertThat(q("SELECT line, cpu, seconds > 1 FROM console_lines WHERE line IN (1, 2)"))
                .containsExactly(List.of("1", "0", "false"), List.of("2", "0", "true"));
        assertThat(q("SELECT count(*) FROM console_lines l JOIN console_lines p ON p.line = l.line - 1"
                + " WHERE l.delta = global_icount(l.cpu, l.icount) - global_icount(p.cpu, p.icount)"))
                .containsExactly(List.of("5"));
        assertThat(q("SELECT sum(delta) > max(icount) - min(icount) FROM console_lines")).containsExactly(List.of("true"));
    }

    /** Each secondary CPU's X19 is first its number (`mov x19, x0`, the CPU_ON context) at its icount 0. */
    @Test
    void regChangesKeepsOneCpusWrites() {
        for (int cpu = 1; cpu < CPUS; cpu++) {
            assertThat(q("SELECT icount, new, cpu FROM reg_changes('X19', cpu := " + cpu + ") ORDER BY icount LIMIT 1"))
                    .as("CPU %d", cpu).containsExactly(List.of("0", Integer.toString(cpu), Integer.toString(cpu)));
        }
        assertThat(q("SELECT count(DISTINCT cpu) FROM reg_changes('X19')")).containsExactly(List.of(Integer.toString(CPUS)));
    }
}
