package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** deja bench --recording, --seek and --fp refuse, in one line, to run without the kernels they measure. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void recordingBenchWithoutTheKernelsSaysWhichOneIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--recording", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("arm64_simple.raw") + ": not built (run make -C kernels)");
    }

    @Test
    void seekBenchWithoutTheKernelSaysItIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--seek", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("bench_int.raw") + ": not built (run make -C kernels)");
    }

    @Test
    void fpBenchWithoutItsKernelSaysItIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--fp", "--no-qemu", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("bench_fp.raw") + ": not built (run make -C kernels)");
    }
}
