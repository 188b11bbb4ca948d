package io.deja.cli;

import java.io.IOException;
import java.nio.file.Path;

/** The guest kernels for tests outside this package: built with make if needed (under the build directory's lock). */
public final class TestKernels {
    private TestKernels() {}

    /** kernels/build/NAME.raw, built first if needed. */
    public static Path build(String name) throws IOException, InterruptedException {
        return HuntCommandTest.buildKernel(name);
    }

    /** kernels/build/NAME.vibe.elf (symbols for the raw image loaded on vibe), built first if needed. */
    public static Path vibeElf(String name) throws IOException, InterruptedException {
        return build(name).resolveSibling(name + ".vibe.elf");
    }
}
