package io.deja.core.difftest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Disassembly for mismatch reports, by binutils' objdump on the harness image. */
final class Disassembler {
    private final Map<Long, String> text = new HashMap<>();

    private Disassembler() {}

    /** Disassembles image loaded at base; on any failure the reports just lack the text. */
    static Disassembler of(byte[] image, long base) {
        Disassembler d = new Disassembler();
        try {
            Path dir = Files.createTempDirectory("deja-objdump");
            Path bin = dir.resolve("h.bin");
            try {
                Files.write(bin, image);
                Process p = new ProcessBuilder("aarch64-linux-gnu-objdump", "-D", "-b", "binary", "-m", "aarch64",
                        "--adjust-vma=0x" + Long.toHexString(base), bin.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                for (String line : out.split("\n")) {
                    // "    40080000:\td28000a1 \tmov\tx1, #0x5"
                    int colon = line.indexOf(":\t");
                    if (colon < 0) continue;
                    String[] parts = line.substring(colon + 2).split("\t", 2);
                    if (parts.length < 2) continue;
                    try {
                        long addr = Long.parseUnsignedLong(line.substring(0, colon).trim(), 16);
                        d.text.put(addr, parts[1].replace('\t', ' ').replaceAll("\\s*//.*$", "").strip());
                    } catch (NumberFormatException ignored) {
                        // a heading line
                    }
                }
            } finally {
                Files.deleteIfExists(bin);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            // reports without disassembly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return d;
    }

    String at(long address) {
        return text.getOrDefault(address, "?");
    }
}
