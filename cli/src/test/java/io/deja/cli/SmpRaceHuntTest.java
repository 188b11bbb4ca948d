package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race story: deja hunt --smp 4 finds a chaos seed whose schedule makes
 * kernels/smp_race lose updates, and docs/queries/smp_race.sql names the CPU
 * that read the old value and the store it overwrote.
 */
class SmpRaceHuntTest {
    static Path race;

    @BeforeAll
    static void buildKernels() throws Exception {
        race = HuntCommandTest.buildKernel("smp_race").resolveSibling("smp_race.virt.bin");
    }

    @Test
    void aHuntOverSchedulesFindsTheLostUpdateAndTheQueryExplainsIt(@TempDir Path tmp) {
        Path out = tmp.resolve("race");
        HuntCommandTest.Cli c = HuntCommandTest.deja("hunt", "--board", "virt", "--binary", race.toString(), "--smp", "4",
                "--seeds", "1..1000", "--until-console", "LOST UPDATE", "--trace", "full", "--out", out.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).containsPattern("(?m)^seed \\d+: LOST UPDATE$");
        Path query = Path.of(System.getProperty("user.dir")).resolve("../docs/queries/smp_race.sql").normalize();
        if (!query.toFile().exists()) query = Path.of("docs/queries/smp_race.sql");
        HuntCommandTest.Cli q = HuntCommandTest.deja("query", out.toString(), "--format", "csv", "--file", query.toString());
        assertThat(q.exit()).as(q.err()).isZero();
        String[] lines = q.out().strip().split("\n");
        assertThat(lines[0]).isEqualTo("lost,cpu,icount,global,pc,insn,value,what");
        assertThat(lines.length).as(q.out()).isGreaterThanOrEqualTo(7);
        // The first lost update's six steps, in global order: the last two are the overwritten store and the stale one.
        java.util.regex.Pattern store = java.util.regex.Pattern.compile("1,(\\d),\\d+,(\\d+),\\d+,\"str x5, \\[x4\\]\",(\\d+),(.*)");
        java.util.regex.Matcher overwritten = store.matcher(lines[5]);
        java.util.regex.Matcher stale = store.matcher(lines[6]);
        assertThat(overwritten.matches()).as(lines[5]).isTrue();
        assertThat(stale.matches()).as(lines[6]).isTrue();
        assertThat(stale.group(4)).matches("CPU " + stale.group(1) + " stores its stale count: \\d+ increments lost");
        assertThat(overwritten.group(1)).as("overwritten CPU").isNotEqualTo(stale.group(1)).as("stale CPU");
        assertThat(Long.parseLong(overwritten.group(2))).isLessThan(Long.parseLong(stale.group(2)));
        assertThat(Long.parseLong(stale.group(3))).as("the stale store is below the one it overwrites")
                .isLessThan(Long.parseLong(overwritten.group(3)));
    }
}
