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

    @Test
    void refusesAnOutputThatHoldsSomething(@TempDir Path tmp) throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("x"), "keep me");
        HuntCommandTest.Cli c = HuntCommandTest.deja("demo", "--out", tmp.toString());
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err()).isEqualTo("deja: --out " + tmp + ": exists and is not empty (choose a new directory)\n");
        assertThat(tmp.resolve("x")).hasContent("keep me");
    }
}
