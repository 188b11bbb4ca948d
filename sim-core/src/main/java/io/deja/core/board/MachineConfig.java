package io.deja.core.board;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything a {@link Machine} is built from; with the tool version, what a
 * recording's header must hold to rebuild the same machine. Checked when the
 * machine is built (see {@link Machine}).
 *
 * @param board       the board
 * @param ramSize     bytes of RAM
 * @param image       the raw binary (or arm64 Linux Image) to load
 * @param entry       load and entry address, or {@link #DEFAULT_ENTRY} for the board's
 *                    default (virt: 0x4008_0000 or the Image header's; vibe: 0x10000)
 * @param commandLine the kernel command line (virt: /chosen/bootargs; empty for none)
 * @param kaslrSeed   virt: /chosen/kaslr-seed (0 asks Linux not to randomise)
 * @param rngSeed     virt: /chosen/rng-seed (empty for none)
 */
public record MachineConfig(Board board, long ramSize, byte[] image, long entry, String commandLine,
                            long kaslrSeed, byte[] rngSeed) {
    public static final long DEFAULT_ENTRY = -1;

    public MachineConfig {
        Objects.requireNonNull(board, "board");
        if (image == null) throw new IllegalArgumentException("no image given");
        commandLine = commandLine == null ? "" : commandLine;
        rngSeed = rngSeed == null ? new byte[0] : rngSeed.clone();
    }

    /** The board's defaults: its default RAM size and entry point, no command line, no seeds. */
    public static MachineConfig of(Board board, byte[] image) {
        return new MachineConfig(board, board.defaultRamSize(), image, DEFAULT_ENTRY, "", 0, new byte[0]);
    }

    public MachineConfig withRamSize(long bytes) {
        return new MachineConfig(board, bytes, image, entry, commandLine, kaslrSeed, rngSeed);
    }

    public MachineConfig withEntry(long address) {
        return new MachineConfig(board, ramSize, image, address, commandLine, kaslrSeed, rngSeed);
    }

    public MachineConfig withCommandLine(String line) {
        return new MachineConfig(board, ramSize, image, entry, line, kaslrSeed, rngSeed);
    }

    public MachineConfig withSeeds(long kaslr, byte[] rng) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslr, rng);
    }

    public boolean hasExplicitEntry() {
        return entry != DEFAULT_ENTRY;
    }

    /** The image bytes (shared, not copied: do not modify). */
    @Override
    public byte[] image() {
        return image;
    }

    @Override
    public byte[] rngSeed() {
        return rngSeed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineConfig c && board == c.board && ramSize == c.ramSize && entry == c.entry
                && kaslrSeed == c.kaslrSeed && commandLine.equals(c.commandLine)
                && Arrays.equals(image, c.image) && Arrays.equals(rngSeed, c.rngSeed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(board, ramSize, entry, kaslrSeed, commandLine, Arrays.hashCode(image), Arrays.hashCode(rngSeed));
    }

    @Override
    public String toString() {
        return String.format("MachineConfig[board=%s, ram=%d MiB, image=%d bytes, entry=%s, commandLine=\"%s\", kaslrSeed=0x%x, rngSeed=%d bytes]",
                board.cliName(), ramSize >> 20, image.length, hasExplicitEntry() ? String.format("0x%x", entry) : "default",
                commandLine, kaslrSeed, rngSeed.length);
    }
}
