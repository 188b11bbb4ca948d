package io.deja.analysis.stages;

import io.deja.analysis.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.deja.analysis.stages.StageComparison.Change.APPEARED;
import static io.deja.analysis.stages.StageComparison.Change.DISAPPEARED;
import static io.deja.analysis.stages.StageComparison.Change.FORBIDDEN_APPEARED;
import static io.deja.analysis.stages.StageComparison.Change.FORBIDDEN_GONE;
import static io.deja.analysis.stages.StageComparison.Change.FORBIDDEN_STILL_REACHED;
import static io.deja.analysis.stages.StageComparison.Change.GREW;
import static io.deja.analysis.stages.StageComparison.Change.REORDERED;
import static io.deja.analysis.stages.StageComparison.Change.SAME;
import static io.deja.analysis.stages.StageComparison.Change.SHRANK;
import static io.deja.analysis.stages.StageComparison.Change.UNREACHED;
import static org.assertj.core.api.Assertions.assertThat;

/** The stage gate: costs between stages both runs reached in order, the threshold, and what counts as a regression. */
class StageComparisonTest {
    static final StageFile FILE = StageFile.parse("""
            a console "a"
            b console "b"
            c console "c"
            d console "d"
            e console "e"
            """, "abcde");

    /** A run reaching the named stages at the given icounts ("b=200"), in that order. */
    static StageRun run(String... reached) {
        return run(FILE, reached);
    }

    static StageRun run(StageFile file, String... reached) {
        List<StageRun.Reached> rs = new ArrayList<>();
        List<StageFile.Stage> missing = new ArrayList<>(file.stages());
        long previous = 0;
        for (String r : reached) {
            String name = r.substring(0, r.indexOf('='));
            long icount = Long.parseLong(r.substring(r.indexOf('=') + 1));
            StageFile.Stage s = file.stages().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            missing.remove(s);
            rs.add(new StageRun.Reached(s, icount, new StageRun.Time(icount, icount), icount - previous, name));
            previous = icount;
        }
        return new StageRun("run", file, previous, new StageRun.Time(previous, previous), false, rs, missing);
    }

    static List<StageComparison.Change> changes(StageComparison c) {
        return c.rows().stream().map(StageComparison.Row::change).toList();
    }

    @Test
    void theThresholdIsOnEachStagesCostNotOnItsIcount() {
        StageRun a = run("a=100", "b=1000", "c=1100", "d=2000");
        // b costs 10% more (900 -> 990); c is 90 instructions later but costs the same 100; d costs 900 -> 940 (+4.4%)
        StageComparison c = StageComparison.of(a, run("a=100", "b=1090", "c=1190", "d=2130"), 5, 0);
        assertThat(changes(c)).containsExactly(SAME, GREW, SAME, SAME, UNREACHED);
        assertThat(c.rows().get(1).costPercent()).isEqualTo(10.0);
        assertThat(c.rows().get(2).delta()).isEqualTo(90);
        assertThat(c.rows().get(2).deltaPercent()).isEqualTo(90 * 100.0 / 1100);
        assertThat(c.regression()).isTrue();
        assertThat(StageFormat.verdict(c)).isEqualTo("stages: REGRESSION (B against baseline A, threshold 5%): b cost +10.0% (+90 instructions)");
        // exactly at the threshold is within it; a larger threshold lets it through; so does a floor on growth
        assertThat(StageComparison.of(a, run("a=100", "b=1045", "c=1145", "d=2045"), 5, 0).regression()).isFalse();
        assertThat(StageComparison.of(a, run("a=100", "b=1090", "c=1190", "d=2130"), 12.5, 0).regression()).isFalse();
        assertThat(StageComparison.of(a, run("a=100", "b=1090", "c=1190", "d=2130"), 5, 90).regression()).isFalse();
        assertThat(StageComparison.of(a, run("a=100", "b=1090", "c=1190", "d=2130"), 5, 89).regression()).isTrue();
        assertThat(StageFormat.verdict(StageComparison.of(a, a, 5, 0))).isEqualTo("stages: no regression (B against baseline A, threshold 5%)");
    }

    @Test
    void aStageThatGotCheaperOrFromNothingIsJudgedToo() {
        StageRun a = run("a=100", "b=100", "c=1000");
        StageComparison c = StageComparison.of(a, run("a=100", "b=150", "c=500"), 5, 0);
        // b cost 0 and now 50: growth from nothing is beyond any threshold; c costs 350 instead of 900
        assertThat(changes(c)).containsExactly(SAME, GREW, SHRANK, UNREACHED, UNREACHED);
        assertThat(c.rows().get(1).costPercent()).isNull();
        assertThat(StageFormat.verdict(c)).endsWith("b cost grew from 0 (+50 instructions)");
        assertThat(c.regressions()).extracting(StageComparison.Row::name).containsExactly("b");
    }

    @Test
    void aDisappearedStageIsARegressionAndItsNeighbourIsCostedFromTheStageBothReached() {
        StageRun a = run("a=100", "b=200", "c=300");
        StageComparison c = StageComparison.of(a, run("a=100", "c=300"), 5, 0);
        assertThat(changes(c)).containsExactly(SAME, DISAPPEARED, SAME, UNREACHED, UNREACHED);
        assertThat(c.rows().get(2).costA()).isEqualTo(200);
        assertThat(c.rows().get(2).costB()).isEqualTo(200);
        assertThat(c.regression()).isTrue();
    }

    @Test
    void anAppearedStageIsShownWhereBReachedItAndIsNoRegression() {
        StageComparison c = StageComparison.of(run("a=100", "c=300"), run("a=100", "d=150", "b=200", "c=300"), 5, 0);
        assertThat(c.rows()).extracting(StageComparison.Row::name).containsExactly("a", "d", "b", "c", "e");
        assertThat(changes(c)).containsExactly(SAME, APPEARED, APPEARED, SAME, UNREACHED);
        assertThat(c.regression()).isFalse();
    }

    @Test
    void stagesReachedInAnotherOrderAreRegressions() {
        StageRun a = run("a=100", "b=200", "c=300", "d=400");
        StageComparison c = StageComparison.of(a, run("a=100", "c=250", "b=300", "d=400"), 5, 0);
        // the longest run in the same order is a, c, d (a, b, d would do as well: ties drop A's stage), so b is the one reordered,
        // and c and d are costed from a and c on both sides: c 200 -> 150, d 100 -> 150
        assertThat(changes(c)).containsExactly(SAME, REORDERED, SHRANK, GREW, UNREACHED);
        assertThat(c.rows().get(1).costA()).isNull();
        assertThat(c.rows().get(3).costA()).isEqualTo(100);
        assertThat(c.rows().get(3).costB()).isEqualTo(150);
        assertThat(StageFormat.verdict(c)).isEqualTo("stages: REGRESSION (B against baseline A, threshold 5%): b reordered, d cost +50.0% (+50 instructions)");
        assertThat(StageComparison.commonSubsequence(List.of("a", "b", "c"), List.of("c", "a", "b"))).containsExactly("a", "b");
    }

    @Test
    void textAndJsonNameTheBaselineAndEveryRow() {
        StageComparison c = StageComparison.of(run("a=100", "b=1000"), run("a=100", "b=1090", "c=1200"), 2.5, 0);
        String text = StageFormat.text(c);
        assertThat(text).startsWith("boot stages (A is the baseline; stages from abcde; cost = instructions since the previous stage both "
                + "reached in the same order; threshold 2.5%):\n")
                .contains("  b                1,000            1,090             +90     +9.0%              900              990    +10.0%  GREW\n")
                .contains("  c                    -            1,200               -         -                -                -         -  appeared\n")
                .endsWith("stages: REGRESSION (B against baseline A, threshold 2.5%): b cost +10.0% (+90 instructions)\n");
        Json j = new Json();
        StageFormat.json(j, c);
        assertThat(j.toString()).startsWith("{\"baseline\": \"a\", \"stage_file\": \"abcde\", \"threshold_percent\": 2.5, \"min_growth\": 0, "
                        + "\"regression\": true, \"rows\": [{\"name\": \"a\", \"icount_a\": 100, \"icount_b\": 100, \"delta\": 0, "
                        + "\"delta_percent\": 0.0000, \"cost_a\": 100, \"cost_b\": 100, \"cost_percent\": 0.0000, \"change\": \"same\", \"regression\": false, "
                        + "\"forbidden\": false, \"cpu_a\": 0, \"cpu_icount_a\": 100, \"cpu_b\": 0, \"cpu_icount_b\": 100}")
                .contains("{\"name\": \"b\", \"icount_a\": 1000, \"icount_b\": 1090, \"delta\": 90, \"delta_percent\": 9.0000, \"cost_a\": 900, "
                        + "\"cost_b\": 990, \"cost_percent\": 10.0000, \"change\": \"grew\", \"regression\": true, \"forbidden\": false, ")
                .contains("], \"improvements\": [], \"a\": {")
                .contains("\"a\": {\"recording\": \"run\"", "\"b\": {\"recording\": \"run\"");
    }

    static final StageFile GUARDED = StageFile.parse("""
            a     console "a"
            oops  never console "Oops"
            b     console "b"
            panic never console "Kernel panic"
            c     console "c"
            """, "guarded");

    @Test
    void aForbiddenStageBReachesIsARegressionAndOneItNoLongerReachesAnImprovement() {
        StageRun clean = run(GUARDED, "a=100", "b=200", "c=300");
        StageComparison appeared = StageComparison.of(clean, run(GUARDED, "a=100", "oops=150", "b=200", "c=300"), 5, 0);
        assertThat(appeared.rows()).extracting(StageComparison.Row::name).containsExactly("a", "oops", "b", "c", "panic");
        assertThat(changes(appeared)).containsExactly(SAME, FORBIDDEN_APPEARED, SAME, SAME, UNREACHED);
        assertThat(appeared.rows()).extracting(StageComparison.Row::forbidden).containsExactly(false, true, false, false, true);
        // a forbidden stage has no cost and b is costed from a on both sides
        assertThat(appeared.rows().get(1).costB()).isNull();
        assertThat(appeared.rows().get(2).costB()).isEqualTo(100);
        assertThat(StageFormat.verdict(appeared)).isEqualTo("stages: REGRESSION (B against baseline A, threshold 5%): oops appeared (forbidden)");
        assertThat(StageFormat.text(appeared)).contains("  oops                 -              150               -         -                -                -         -  APPEARED (FORBIDDEN)\n")
                .as("a forbidden stage neither run reached is not a row of the text table (the JSON keeps it)").doesNotContain("  panic ");
        Json appearedJson = new Json();
        StageFormat.json(appearedJson, appeared);
        assertThat(appearedJson.toString()).contains("\"name\": \"panic\"");

        // B reaching it too, even where A did, is still a failure: a forbidden stage in B and an order of its own do not matter
        StageComparison still = StageComparison.of(run(GUARDED, "a=100", "panic=500"), run(GUARDED, "panic=50", "a=100", "b=200"), 5, 0);
        assertThat(changes(still)).containsExactly(SAME, APPEARED, FORBIDDEN_STILL_REACHED, UNREACHED, UNREACHED);
        assertThat(still.regressions()).extracting(StageComparison.Row::name).containsExactly("panic");

        StageComparison gone = StageComparison.of(run(GUARDED, "a=100", "oops=150", "b=200", "panic=250"), clean, 5, 0);
        assertThat(changes(gone)).containsExactly(SAME, FORBIDDEN_GONE, SAME, APPEARED, FORBIDDEN_GONE);
        assertThat(gone.regression()).isFalse();
        assertThat(gone.improvements()).extracting(StageComparison.Row::name).containsExactly("oops", "panic");
        assertThat(StageFormat.verdict(gone)).isEqualTo("stages: no regression (B against baseline A, threshold 5%); "
                + "improved: oops gone (forbidden), panic gone (forbidden)");
        Json j = new Json();
        StageFormat.json(j, gone);
        assertThat(j.toString()).contains("\"change\": \"forbidden_gone\", \"regression\": false, \"forbidden\": true", "\"improvements\": [\"oops\", \"panic\"]");
    }

    @Test
    void oneRunThatReachedAForbiddenStageFailsAndSaysWhere() {
        StageRun bad = run(GUARDED, "a=100", "oops=150", "b=200");
        assertThat(bad.failed()).isTrue();
        assertThat(StageFormat.verdict(bad)).isEqualTo("stages: FAILED: 1 forbidden stage reached: oops at icount 150 (oops)");
        assertThat(StageFormat.text(bad)).contains("  oops               150      0.000002 s               50  FORBIDDEN: oops\n")
                .as("a forbidden stage not reached is the good case: the verdict names it, the table does not").doesNotContain("  panic ");
        assertThat(StageFormat.json(bad)).endsWith("], \"failed\": true, \"forbidden_reached\": [\"oops\"]}\n").contains(
                "\"detail\": \"oops\", \"forbidden\": true}", "{\"name\": \"c\", \"reached\": false, \"milestone\": \"console \\\"c\\\"\", \"forbidden\": false}");
        StageRun good = run(GUARDED, "a=100", "b=200", "c=300");
        assertThat(good.failed()).isFalse();
        assertThat(StageFormat.text(good)).endsWith("stages: no forbidden stage reached (2 looked for: oops, panic)\n");
        assertThat(StageFormat.verdict(run(GUARDED, "panic=10", "oops=20"))).isEqualTo(
                "stages: FAILED: 2 forbidden stages reached: panic at icount 10 (panic), oops at icount 20 (oops)");
        assertThat(StageFormat.text(run("a=100"))).as("a file without forbidden stages has no verdict").doesNotContain("stages:");
    }
}
