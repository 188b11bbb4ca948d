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
        assertThat(lines[0]).startsWith("stale_cpu,read_icount,read_global,read_pc,value_read");
        assertThat(lines.length).as(q.out()).isGreaterThan(1);
        String[] row = lines[1].split(",");
        assertThat(row[0]).as("stale CPU").isNotEqualTo(row[9]).as("overwritten CPU");
    }
}
