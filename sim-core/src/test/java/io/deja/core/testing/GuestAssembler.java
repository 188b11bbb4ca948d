package io.deja.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assembles AArch64 source with Debian's binutils (aarch64-linux-gnu-as/ld/objcopy)
 * into a flat binary linked at a given address. Results are cached per (source, address).
 */
public final class GuestAssembler {
    private GuestAssembler() {}

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    public static byte[] assemble(String source, long address) {
        return CACHE.computeIfAbsent(address + "\n" + source, k -> build(source, address));
    }

    private static byte[] build(String source, long address) {
        try {
            Path dir = Files.createTempDirectory("deja-asm");
            try {
                Files.writeString(dir.resolve("t.S"), ".global _start\n_start:\n" + source + "\n");
                run(dir, "aarch64-linux-gnu-as", "-o", "t.o", "t.S");
                run(dir, "aarch64-linux-gnu-ld", "-Ttext=0x" + Long.toHexString(address), "-e", "_start", "-o", "t.elf", "t.o");
                run(dir, "aarch64-linux-gnu-objcopy", "-O", "binary", "t.elf", "t.bin");
                return Files.readAllBytes(dir.resolve("t.bin"));
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
