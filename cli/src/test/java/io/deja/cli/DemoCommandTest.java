package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja demo, the README's first command: hunts the heisenbug, replays it
 * bit-exactly and explains it with docs/queries/heisenbug.sql, naming the
 * handler instruction that clobbered X9 and the loop instruction that read it.
 */
@Timeout(300)
class DemoCommandTest {
    @BeforeAll
    static void buildKernels() throws Exception {
        HuntCommandTest.buildKernel("heisenbug");
        HuntCommandTest.buildKernel("smp_race");
    }

    @Test
    void huntsReplaysAndNamesTheCulprit(@TempDir Path tmp) {
        Path out = tmp.resolve("demo");
        HuntCommandTest.Cli c = HuntCommandTest.deja("demo", "--out", out.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isZero();
        String o = c.out();
        assertThat(o).contains("  heisenbug: ok\n");                          // no chaos: it passes
        assertThat(o).containsPattern("seed \\d+: X9 CORRUPT: x9=0x1, expected 0x[0-9a-f]+");
        assertThat(o).containsPattern("bit-exact");
        // The query's row and the explanation name the handler's write and the loop's read.
        assertThat(o).containsPattern("In the handler, `movz w9, #0x1` at 0x[0-9a-f]+ \\(icount [0-9,]+\\) overwrote X9");
        assertThat(o).containsPattern("Back in the loop, `cmp x9, x19, lsl #4` at 0x[0-9a-f]+ \\(icount [0-9,]+\\) read X9 = 0x1");
        assertThat(o).contains("(1 row)");
        assertThat(out.resolve("arrow")).isDirectory();
    }

    /**
     * deja demo --race: the lost update of smp_race on four CPUs, told in the
     * query's six steps; the increments it says were lost are the ones
     * missing from the counter the guest itself printed.
     */
    @Test
    void raceHuntsReplaysAndTellsWhichCpusOverlapped(@TempDir Path tmp) {
        Path out = tmp.resolve("race");
        HuntCommandTest.Cli c = HuntCommandTest.deja("demo", "--race", "--out", out.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isZero();
        String o = c.out();
        assertThat(o).contains("  no update lost\n");                         // no chaos: it passes
        java.util.regex.Matcher seed = java.util.regex.Pattern
                .compile("seed \\d+: LOST UPDATE \\(counter=0x([0-9a-f]+), 4,000 expected\\)").matcher(o);
        assertThat(seed.find()).as(o).isTrue();
        long counter = Long.parseLong(seed.group(1), 16);
        assertThat(o).contains("--smp 4 --seeds 1..200 --until-console \"LOST UPDATE\"");
        assertThat(o).containsPattern("bit-exact: [0-9,]+ events");
        assertThat(o).containsPattern("(?m)^ +1 +\\d +\\d+ +\\d+ +0x[0-9a-f]+ +ldaxr w2, \\[x1\\] +0 +CPU \\d sees the lock free$");
        assertThat(o).containsPattern("(?m)^ +1 +(\\d) .* str w2, \\[x1\\] +1 +CPU \\d sets the lock CPU (?!\\1)\\d holds$");
        java.util.regex.Matcher stale = java.util.regex.Pattern
                .compile("(?m)^ +1 +(\\d) .* str x5, \\[x4\\] +(\\d+) +CPU \\1 stores its stale count: (\\d+) increments lost$").matcher(o);
        assertThat(stale.find()).as(o).isTrue();
        long lostTotal = 0;
        java.util.regex.Matcher each = java.util.regex.Pattern.compile("(?m)stores its stale count: (\\d+) increments lost$").matcher(o);
        while (each.find()) lostTotal += Long.parseLong(each.group(1));
        assertThat(counter).as("the guest's counter is 4,000 less every increment the query says was lost").isEqualTo(4000 - lostTotal);
        assertThat(o).containsPattern("CPU \\d came back and stored [0-9,]+ at global [0-9,]+: [0-9,]+ increments were lost");
        assertThat(out.resolve("arrow")).isDirectory();
    }

    @Test
    void refusesAnOutputThatHoldsSomething(@TempDir Path tmp) throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("x"), "keep me");
        HuntCommandTest.Cli c = HuntCommandTest.deja("demo", "--out", tmp.toString());
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err()).isEqualTo("deja: --out " + tmp + ": exists and is not empty (choose a new directory)\n");
        assertThat(tmp.resolve("x")).hasContent("keep me");
    }
}
