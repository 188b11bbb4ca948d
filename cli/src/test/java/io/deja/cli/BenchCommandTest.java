package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** deja bench --recording refuses, in one line, to run without the kernels it measures. */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void recordingBenchWithoutTheKernelsSaysWhichOneIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--recording", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("arm64_simple.raw") + ": not built (run make -C kernels)");
    }
}
