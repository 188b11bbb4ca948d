package io.deja.analysis.diff;

import io.deja.analysis.SyntheticTrace;
import io.deja.analysis.stages.StageComparison;
import io.deja.analysis.stages.StageFile;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** diff of identical, differently timed and cut-short recordings. */
class DifferTest {
    @TempDir
    Path tmp;

    @Test
    void twoRecordingsOfTheSameRunAreEquivalent() {
        SyntheticTrace.write(tmp.resolve("a"));
        SyntheticTrace.write(tmp.resolve("b"));
        DiffReport r = Differ.diff(tmp.resolve("a"), tmp.resolve("b"));
        assertThat(r.equivalent()).isTrue();
        assertThat(r.header()).isEmpty();
        assertThat(r.console()).allMatch(s -> s.delta() == 0L);
        assertThat(r.counts()).allMatch(c -> c.delta() == 0);
        assertThat(DiffFormat.text(r)).startsWith("equivalent");
    }

    @Test
    void aLaterInterruptIsTheFirstDivergence() {
        SyntheticTrace.write(tmp.resolve("a"), 45, true);
        SyntheticTrace.write(tmp.resolve("b"), 47, true);
        DiffReport r = Differ.diff(tmp.resolve("a"), tmp.resolve("b"));
        assertThat(r.equivalent()).isFalse();
        DiffReport.Divergence d = r.divergence();
        assertThat(d.icount()).isEqualTo(45);
        assertThat(d.a().type()).isEqualTo(EventType.INTERRUPT);
        assertThat(d.a().fields()).containsEntry("icount", "45").containsEntry("intid", "27");
        assertThat(d.b().fields()).containsEntry("icount", "47");
        assertThat(d.checkpointA()).isEqualTo(SyntheticTrace.END_ICOUNT);
        assertThat(d.registers()).isEmpty();
        String text = DiffFormat.text(r);
        assertThat(text).contains("first divergence: event #", "at icount 45",
                "A: INTERRUPT icount=45 cpu=0 pc=0x10050 intid=27 fiq=false from_el=1");
    }

    @Test
    void aCutShortRecordingDivergesWhereItEnds() {
        SyntheticTrace.write(tmp.resolve("a"), 45, true);
        SyntheticTrace.write(tmp.resolve("b"), 45, false);
        DiffReport r = Differ.diff(tmp.resolve("a"), tmp.resolve("b"));
        assertThat(r.divergence().a().type()).isEqualTo(EventType.END);
        assertThat(r.divergence().b()).isNull();
        assertThat(r.b().truncated()).isTrue();
        assertThat(DiffFormat.text(r)).contains("B: (recording ends)", "cut short");
    }

    @Test
    void differentChaosSeedsShowInTheHeader() {
        SyntheticTrace.write(tmp.resolve("a"));
        io.deja.recorder.RecordingHeader h = SyntheticTrace.header(io.deja.core.trace.TraceLevel.FULL, java.util.OptionalLong.of(8));
        try (io.deja.recorder.RecordingWriter w = io.deja.recorder.RecordingWriter.open(tmp.resolve("b"), h)) {
            w.console(0, 'x');
        }
        DiffReport r = Differ.diff(tmp.resolve("a"), tmp.resolve("b"));
        assertThat(r.header()).containsExactly(new DiffReport.HeaderDifference("chaos_seed", "7", "8"));
        assertThat(r.counts()).contains(new DiffReport.CountRow("exits", "WFI", 1, 0));
        assertThat(r.console()).extracting(DiffReport.ConsoleRow::textB).contains("x");
    }

    @Test
    void consoleLinesAreAlignedOnTheirText() {
        List<RunSummary.Line> a = List.of(new RunSummary.Line(1, 10, "boot"), new RunSummary.Line(2, 20, "tick"),
                new RunSummary.Line(3, 30, "done"));
        List<RunSummary.Line> b = List.of(new RunSummary.Line(1, 10, "boot"), new RunSummary.Line(2, 25, "oops"),
                new RunSummary.Line(3, 40, "done"));
        List<DiffReport.ConsoleRow> rows = ConsoleAlignment.align(a, b);
        assertThat(rows).extracting(DiffReport.ConsoleRow::delta).containsExactly(0L, null, null, 10L);
        assertThat(rows.get(1).textA()).isEqualTo("tick");
        assertThat(rows.get(2).textB()).isEqualTo("oops");
    }

    @Test
    void jsonHasEveryPart() {
        SyntheticTrace.write(tmp.resolve("a"), 45, true);
        SyntheticTrace.write(tmp.resolve("b"), 47, true);
        String json = DiffFormat.json(Differ.diff(tmp.resolve("a"), tmp.resolve("b")));
        assertThat(json).startsWith("{\"equivalent\": false, \"failed\": true, \"a\": {\"dir\": ")
                .contains("\"divergence\": {\"index\": ", "\"icount\": 45, \"a\": {\"type\": \"INTERRUPT\", \"icount\": \"45\"",
                        "\"console\": [{\"line_a\": 1, \"icount_a\": 12, \"line_b\": 1, \"icount_b\": 12, \"delta\": 0, \"text\": \"boot\"}",
                        "{\"table\": \"exits\", \"kind\": \"WFI\", \"a\": 1, \"b\": 1, \"delta\": 0}");
    }

    @Test
    void withoutALineOfTheStageFileTheEventsDecideAndWithOneTheStages() {
        SyntheticTrace.write(tmp.resolve("a"), 45, true);
        SyntheticTrace.write(tmp.resolve("b"), 47, true);
        DiffReport plain = Differ.diff(tmp.resolve("a"), tmp.resolve("b"));
        assertThat(plain.stages()).as("the built-in Linux stages describe neither run").isNull();
        assertThat(plain.failed()).isTrue();

        StageFile file = StageFile.parse("boot console \"boot\"\ncorrupt console \"X9 CORRUPT\"\nend end\n", "syn");
        DiffReport staged = Differ.diff(tmp.resolve("a"), tmp.resolve("b"), new Differ.Options(file, false, 5, 0));
        assertThat(staged.stages()).isNotNull();
        assertThat(staged.stages().rows()).extracting(StageComparison.Row::change).containsOnly(StageComparison.Change.SAME);
        assertThat(staged.equivalent()).isFalse();
        assertThat(staged.failed()).as("a later interrupt changed no stage").isFalse();
        assertThat(DiffFormat.text(staged)).endsWith("stages: no regression (B against baseline A, threshold 5%)\n");
        assertThat(DiffFormat.json(staged)).contains("\"failed\": false", "\"stages\": {\"baseline\": \"a\", \"stage_file\": \"syn\"");

        StageFile events = StageFile.parse("tick interrupt 27\n", "ticks");
        assertThat(Differ.diff(tmp.resolve("a"), tmp.resolve("b"), new Differ.Options(events, false, 5, 0)).stages())
                .as("no console stage: only --stages shows them").isNull();
        assertThat(Differ.diff(tmp.resolve("a"), tmp.resolve("b"), new Differ.Options(events, true, 5, 0)).stages()).isNotNull();
    }

    @Test
    void printkTimestampsDoNotKeepLinesApart() {
        List<RunSummary.Line> a = List.of(new RunSummary.Line(1, 10, "[    0.000000] Booting Linux"),
                new RunSummary.Line(2, 20, "[    1.250000] Run /init as init process"));
        List<RunSummary.Line> b = List.of(new RunSummary.Line(1, 10, "[    0.000000] Booting Linux"),
                new RunSummary.Line(2, 30, "[    1.500000] Run /init as init process"));
        assertThat(ConsoleAlignment.align(a, b)).extracting(DiffReport.ConsoleRow::delta).containsExactly(0L, 10L);
    }
}
