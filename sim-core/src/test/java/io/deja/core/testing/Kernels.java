package io.deja.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The seed guest kernels of kernels/ (see kernels/README.md): builds them with
 * {@code make -C kernels} once per JVM and hands out their images and golden
 * console output.
 *
 * Maven runs tests in the module directory (sim-core/), scripts/dev-test.sh in
 * the repository root, so the root is found by walking up from the working
 * directory to the first directory holding kernels/Makefile.
 */
public final class Kernels {
    private Kernels() {}

    /** Load and entry address of the "vibe" images (RAM at 0x0). */
    public static final long VIBE_LOAD = 0x10000L;
    /** Where QEMU's virt machine loads a flat -kernel image (RAM base + 0x80000). */
    public static final long VIRT_LOAD = 0x4008_0000L;
    /** arm64_hello's data block, relative to the load address. */
    public static final long HELLO_DATA = 0x1000L;

    private static Path built;

    /** Runs make (once per JVM) and returns kernels/build. */
    public static synchronized Path build() {
        if (built != null) return built;
        Path dir = kernelsDir();
        Path out = dir.resolve("build");
        try {
            Files.createDirectories(out);
            // Several JVMs (Maven forks, dev-test runs side by side) may build at once.
            try (FileChannel lockFile = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                Process p = new ProcessBuilder("make", "-s", "-C", dir.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("make -C " + dir + " failed:\n" + log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        built = out;
        return out;
    }

    /** The image linked at 0x10000 for Deja's vibe layout. */
    public static Path raw(String name) {
        return existing(build().resolve(name + ".raw"));
    }

    /** The image linked at 0x4008_0000 for QEMU's (and Deja's) virt machine. */
    public static Path virtBin(String name) {
        return existing(build().resolve(name + ".virt.bin"));
    }

    /** The expected console output, kernels/golden/NAME.txt. */
    public static String golden(String name) {
        return readGolden(name + ".txt");
    }

    /**
     * QEMU 7.2's console output: kernels/golden/NAME.qemu.txt where a kernel
     * exercises a case in which Deja follows the Arm ARM and QEMU 7.2 does not
     * (kernels/README.md lists them), else the same as {@link #golden}.
     */
    public static String qemuGolden(String name) {
        Path own = kernelsDir().resolve("golden").resolve(name + ".qemu.txt");
        return Files.exists(own) ? readGolden(name + ".qemu.txt") : golden(name);
    }

    private static String readGolden(String file) {
        try {
            return Files.readString(existing(kernelsDir().resolve("golden").resolve(file)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Offset from the load address of a label in a kernel (local labels
     * included), read from the virt ELF with nm. The images are
     * position-independent, so the offset holds for both layouts.
     */
    public static long symbolOffset(String name, String symbol) {
        Path elf = existing(build().resolve(name + ".virt.elf"));
        try {
            Process p = new ProcessBuilder("aarch64-linux-gnu-nm", elf.toString()).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (p.waitFor() != 0) throw new IllegalStateException("nm " + elf + " failed:\n" + String.join("\n", lines));
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[2].equals(symbol) && (f[1].equals("t") || f[1].equals("T"))) {
                    return Long.parseUnsignedLong(f[0], 16) - VIRT_LOAD;
                }
            }
            throw new IllegalStateException("no code symbol " + symbol + " in " + elf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Path kernelsDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("kernels/Makefile"))) return d.resolve("kernels");
        }
        throw new IllegalStateException("no kernels/Makefile in " + dir + " or any parent directory");
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) throw new IllegalStateException(p + " does not exist");
        return p;
    }
}
