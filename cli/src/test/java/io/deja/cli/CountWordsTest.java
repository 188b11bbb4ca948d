package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts of one are printed in the singular by every command (they share
 * io.deja.recorder.Plural): a run of one instruction, a query of one row, a
 * stage gate whose floor is one instruction, the UI's replay proof.
 */
class CountWordsTest {
    @TempDir
    static Path tmp;
    static Path one;

    @BeforeAll
    static void record() throws Exception {
        Path image = HuntCommandTest.buildKernel("uart_hello");
        one = tmp.resolve("one");
        HuntCommandTest.Cli c = HuntCommandTest.deja("record", "-q", "--binary", image.toString(), "--max-insns", "1", "--out", one.toString());
        assertThat(c.exit()).as(c.err()).isEqualTo(Main.EXIT_BUDGET);
    }

    @Test
    void oneInstructionOneRowOneStageAreSingular() throws Exception {
        HuntCommandTest.Cli replay = HuntCommandTest.deja("replay", one.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).containsPattern("bit-exact: [0-9,]+ events and 1 instruction match the recording");

        HuntCommandTest.Cli stages = HuntCommandTest.deja("stages", one.toString());
        assertThat(stages.out()).startsWith(one + ": 1 instruction, ");

        HuntCommandTest.Cli diff = HuntCommandTest.deja("diff", one.toString(), one.toString(), "--stages",
                HuntCommandTest.buildKernel("stages").getParent().getParent().resolve("stages.stages").toString(), "--min-growth", "1");
        assertThat(diff.exit()).as(diff.out() + diff.err()).isZero();
        assertThat(diff.out()).contains("(" , " events, 1 instruction)").contains("threshold 5% and 1 instruction):");

        HuntCommandTest.Cli query = HuntCommandTest.deja("query", one.toString(), "SELECT count(*) AS n FROM insns");
        assertThat(query.exit()).as(query.err()).isZero();
        assertThat(query.out()).endsWith("(1 row)\n");
        assertThat(query.err()).containsPattern("\\(1 row in [0-9.]+ s\\)|\\([0-9,]+ rows in");

        // the web UI's and the report's summary say it the same way
        io.deja.analysis.ui.RunData ui = io.deja.analysis.ui.RunData.load(one, io.deja.analysis.stages.StageFile.builtin());
        assertThat(ui.replay()).containsPattern("bit-exact: [0-9,]+ events and 1 instruction match the recording");
    }
}
