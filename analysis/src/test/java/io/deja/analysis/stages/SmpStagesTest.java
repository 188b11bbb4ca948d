package io.deja.analysis.stages;

import io.deja.analysis.diff.DiffReport;
import io.deja.analysis.diff.Differ;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stages of kernels/smp_stages on two CPUs (kernels/smp_stages.stages):
 * lines printed by CPU 0 and CPU 1, where CPU 0's own instruction count is
 * below CPU 1's at lines it prints later. Stages come in the order the
 * console shows them (QEMU's golden), each placed at the machine's icount,
 * which the INSN events of an insns-level recording count independently of
 * the slices: an instruction's global icount is the number of INSN events,
 * of any CPU, before it.
 */
class SmpStagesTest {
    @TempDir
    static Path tmp;
    static Path a, b;
    static String consoleA, consoleB;
    static StageFile file;

    @BeforeAll
    static void record() throws IOException {
        file = StageFile.load(Kernels.build().getParent().resolve("smp_stages.stages"));
        a = tmp.resolve("a");
        b = tmp.resolve("b");
        consoleA = record(a, null);
        consoleB = record(b, 7L);
    }

    static String record(Path dir, Long chaosSeed) throws IOException {
        Path image = Kernels.virtBin("smp_stages");
        MachineConfig config = MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(2);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Recorder.Options options = Recorder.Options.defaults(TraceLevel.INSNS);
        if (chaosSeed != null) options = options.withChaos(chaosSeed);
        Recorder.create(dir, config, image, console, options).run();
        return console.toString(StandardCharsets.UTF_8);
    }

    private static final List<String> CONSOLE_ORDER = List.of("boot", "cpu1-up", "cpu1-work", "cpu1-seen", "cpu1-off", "done", "power-off", "end");

    @Test
    void stagesOfBothCpusComeInConsoleOrderAtTheMachinesIcount() {
        assertThat(consoleA).isEqualTo(Kernels.golden("smp_stages"));
        StageRun r = StageTracker.of(a, file);
        assertThat(r.cpus()).isEqualTo(2);
        assertThat(r.missing()).isEmpty();
        assertThat(r.reached()).extracting(StageRun.Reached::name).containsExactlyElementsOf(CONSOLE_ORDER);
        assertThat(r.reached()).extracting(StageRun.Reached::cpu).containsExactly(0, 1, 1, 0, 0, 0, 0, StageRun.Reached.MACHINE);

        Map<Long, Long> global = globalIcounts(a);
        long total = global.size();
        for (StageRun.Reached s : r.reached()) {
            if (s.stage().milestone().console()) {
                // a line's first byte is written by the instruction at the CPU's own icount
                assertThat(s.icount()).as(s.name()).isEqualTo(global.get(key(s.cpu(), s.cpuIcount())));
            } else {
                // the power-off and the end: after the last instruction of either CPU
                assertThat(s.icount()).as(s.name()).isEqualTo(total);
            }
            assertThat(s.sincePrevious()).as(s.name()).isNotNegative();
        }
        // CPU 0 waited asleep: by its own count it printed "saw cpu 1 finish" before CPU 1's "work done"
        assertThat(r.find("cpu1-seen").cpuIcount()).isLessThan(r.find("cpu1-work").cpuIcount());
        assertThat(r.instructions()).isEqualTo(total);

        long previous = 0;
        for (StageRun.Reached s : r.reached()) {
            assertThat(s.time().min()).as(s.name()).isGreaterThanOrEqualTo(previous);
            previous = s.time().min();
        }
        assertThat(r.end().min()).isEqualTo(previous);
        assertThat(StageFormat.text(r)).contains("global icount  cpu").containsPattern("(?m)^  cpu1-work  .*  1  .*smp_stages: cpu 1 work done$");
    }

    @Test
    void diffOfTwoSchedulesLinesTheStagesUp() {
        assertThat(consoleB).isEqualTo(consoleA);
        DiffReport d = Differ.diff(a, b, new Differ.Options(file, true, 1000, 0));
        StageComparison c = d.stages();
        assertThat(c).isNotNull();
        assertThat(c.rows()).extracting(StageComparison.Row::name).containsExactlyElementsOf(CONSOLE_ORDER);
        assertThat(c.rows()).extracting(StageComparison.Row::change).doesNotContain(StageComparison.Change.REORDERED,
                StageComparison.Change.DISAPPEARED, StageComparison.Change.APPEARED);
        assertThat(c.rows()).allMatch(row -> row.costA() >= 0 && row.costB() >= 0);
        assertThat(c.regression()).isFalse();
        // each side names the CPU that reached the stage and that CPU's own icount, as deja stages does
        StageRun sa = c.a(), sb = c.b();
        for (StageComparison.Row row : c.rows()) {
            assertThat(row.cpuA()).as(row.name()).isEqualTo(sa.find(row.name()).cpu());
            assertThat(row.cpuIcountA()).as(row.name()).isEqualTo(sa.find(row.name()).cpuIcount());
            assertThat(row.cpuB()).as(row.name()).isEqualTo(sb.find(row.name()).cpu());
            assertThat(row.cpuIcountB()).as(row.name()).isEqualTo(sb.find(row.name()).cpuIcount());
        }
        StageComparison.Row work = c.rows().get(2);
        assertThat(work.cpuA()).isEqualTo(1);
        String text = StageFormat.text(c);
        assertThat(text).contains("  stage      A global icount  A cpu     A cpu icount  B global icount  B cpu     B cpu icount           delta    delta%  "
                        + "         A cost           B cost     cost%  change\n")
                .contains(String.format(java.util.Locale.ROOT, "  cpu1-work  %,15d      1  %,15d  %,15d      1  %,15d  ", work.icountA(), work.cpuIcountA(),
                        work.icountB(), work.cpuIcountB()))
                .containsPattern("(?m)^  end  +[0-9,]+    all                -  +[0-9,]+    all                -  ");
    }

    private static long key(int cpu, long icount) {
        return ((long) cpu << 48) | icount;
    }

    /** For every instruction (its CPU and own icount), the INSN events of all CPUs before it. */
    private static Map<Long, Long> globalIcounts(Path dir) {
        Map<Long, Long> m = new HashMap<>();
        try (Recording rec = Recording.open(dir); EventCursor c = rec.events()) {
            while (c.next()) if (c.type() == EventType.INSN) m.put(key(c.cpu(), c.icount()), (long) m.size());
        }
        return m;
    }
}
