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
 * @param gic         the interrupt controller (GICv2 unless asked)
 * @param rtcStart    virt: the PL031's counter at virtual time 0, seconds since 1970 (0 to 2^32 - 1);
 *                    an input from outside the guest, {@link #DEFAULT_RTC_START} unless asked
 * @param initrd      virt: the initial ramdisk, placed as QEMU's -initrd and named in /chosen (empty for none)
 * @param dtb         virt: a device tree blob that replaces the generated one (QEMU's -dtb; empty to generate);
 *                    /chosen and the memory node are still set from this configuration, as QEMU does
 * @param cpus        virt: the number of CPUs (1 to {@link #MAX_CPUS}; QEMU's -smp); CPU 0 boots, the others start
 *                    powered off until PSCI CPU_ON
 * @param quantum     with several CPUs: the instructions a CPU runs before the scheduler moves to the next one
 *                    (the slice; chaos varies it); part of the machine because the schedule depends on it
 */
public record MachineConfig(Board board, long ramSize, byte[] image, long entry, String commandLine,
                            long kaslrSeed, byte[] rngSeed, GicVersion gic, long rtcStart, byte[] initrd, byte[] dtb,
                            int cpus, long quantum) {
    public static final long DEFAULT_ENTRY = -1;
    /** QEMU's virt with GICv2 takes at most 8 CPUs (one cluster, GICv2's 8 CPU interfaces); Deja keeps that limit with GICv3. */
    public static final int MAX_CPUS = 8;
    /** The default slice: long enough that switching costs nothing measurable, short next to a timer tick (4 ms = 250 k). */
    public static final long DEFAULT_QUANTUM = 10_000;
    /** 2026-01-01T00:00:00Z: a fixed default, so that runs stay identical unless a start time is given. */
    public static final long DEFAULT_RTC_START = 1_767_225_600L;
    public static final long MAX_RTC_START = 0xFFFF_FFFFL;

    public MachineConfig {
        Objects.requireNonNull(board, "board");
        if (image == null) throw new IllegalArgumentException("no image given");
        commandLine = commandLine == null ? "" : commandLine;
        rngSeed = rngSeed == null ? new byte[0] : rngSeed.clone();
        gic = gic == null ? GicVersion.V2 : gic;
        initrd = initrd == null ? new byte[0] : initrd;
        dtb = dtb == null ? new byte[0] : dtb;
        if (board != Board.VIRT && (initrd.length > 0 || dtb.length > 0)) {
            throw new IllegalArgumentException("an initrd or a device tree needs the virt board (" + board.cliName() + " has no device tree)");
        }
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("--smp " + cpus + " is outside 1.." + MAX_CPUS);
        if (cpus > 1 && board != Board.VIRT) throw new IllegalArgumentException("several CPUs need the virt board (PSCI, a device tree)");
        if (quantum < 1) throw new IllegalArgumentException("quantum " + quantum + " is not a positive number of instructions");
        if (rtcStart < 0 || rtcStart > MAX_RTC_START) {
            throw new IllegalArgumentException("RTC start " + rtcStart + " is outside the PL031's range (0 to " + MAX_RTC_START
                    + " seconds since 1970, up to 2106-02-07T06:28:15Z)");
        }
    }

    /** One CPU. */
    public MachineConfig(Board board, long ramSize, byte[] image, long entry, String commandLine,
                         long kaslrSeed, byte[] rngSeed, GicVersion gic, long rtcStart, byte[] initrd, byte[] dtb) {
        this(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, 1, DEFAULT_QUANTUM);
    }

    /** A configuration without initrd and with a generated device tree. */
    public MachineConfig(Board board, long ramSize, byte[] image, long entry, String commandLine,
                         long kaslrSeed, byte[] rngSeed, GicVersion gic, long rtcStart) {
        this(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, null, null);
    }

    /** A configuration with GICv2 and the default RTC start. */
    public MachineConfig(Board board, long ramSize, byte[] image, long entry, String commandLine, long kaslrSeed, byte[] rngSeed) {
        this(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, GicVersion.V2, DEFAULT_RTC_START);
    }

    /** The board's defaults: its default RAM size and entry point, no command line, no seeds. */
    public static MachineConfig of(Board board, byte[] image) {
        return new MachineConfig(board, board.defaultRamSize(), image, DEFAULT_ENTRY, "", 0, new byte[0]);
    }

    public MachineConfig withImage(byte[] bytes) {
        return new MachineConfig(board, ramSize, bytes, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, cpus, quantum);
    }

    public MachineConfig withRamSize(long bytes) {
        return new MachineConfig(board, bytes, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, cpus, quantum);
    }

    public MachineConfig withEntry(long address) {
        return new MachineConfig(board, ramSize, image, address, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, cpus, quantum);
    }

    public MachineConfig withCommandLine(String line) {
        return new MachineConfig(board, ramSize, image, entry, line, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, cpus, quantum);
    }

    public MachineConfig withSeeds(long kaslr, byte[] rng) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslr, rng, gic, rtcStart, initrd, dtb, cpus, quantum);
    }

    public MachineConfig withGic(GicVersion version) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, version, rtcStart, initrd, dtb, cpus, quantum);
    }

    /** @param seconds the RTC's start, seconds since 1970 */
    public MachineConfig withRtcStart(long seconds) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, seconds, initrd, dtb, cpus, quantum);
    }

    /** @param bytes the initial ramdisk (empty for none) */
    public MachineConfig withInitrd(byte[] bytes) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, bytes, dtb, cpus, quantum);
    }

    /** @param blob a device tree to load instead of the generated one (empty to generate) */
    public MachineConfig withDtb(byte[] blob) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, blob, cpus, quantum);
    }

    /** @param n CPUs (1 to {@link #MAX_CPUS}) */
    public MachineConfig withCpus(int n) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, n, quantum);
    }

    /** @param instructions the scheduler's slice with several CPUs */
    public MachineConfig withQuantum(long instructions) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, cpus, instructions);
    }

    /** The devices of this machine. */
    public BoardLayout layout() {
        return BoardLayout.of(board, gic, cpus);
    }

    public boolean hasExplicitEntry() {
        return entry != DEFAULT_ENTRY;
    }

    /** The image bytes (shared, not copied: do not modify). */
    @Override
    public byte[] image() {
        return image;
    }

    /** The initrd bytes (shared, not copied: do not modify). */
    @Override
    public byte[] initrd() {
        return initrd;
    }

    /** The replacement device tree (shared, not copied: do not modify), empty when the tree is generated. */
    @Override
    public byte[] dtb() {
        return dtb;
    }

    @Override
    public byte[] rngSeed() {
        return rngSeed.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineConfig c && board == c.board && ramSize == c.ramSize && entry == c.entry
                && kaslrSeed == c.kaslrSeed && commandLine.equals(c.commandLine) && gic == c.gic && rtcStart == c.rtcStart
                && Arrays.equals(image, c.image) && Arrays.equals(rngSeed, c.rngSeed)
                && Arrays.equals(initrd, c.initrd) && Arrays.equals(dtb, c.dtb) && cpus == c.cpus && quantum == c.quantum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(board, ramSize, entry, kaslrSeed, commandLine, Arrays.hashCode(image), Arrays.hashCode(rngSeed), gic, rtcStart, Arrays.hashCode(initrd), Arrays.hashCode(dtb), cpus, quantum);
    }

    @Override
    public String toString() {
        return String.format("MachineConfig[board=%s, ram=%d MiB, image=%d bytes, entry=%s, commandLine=\"%s\", kaslrSeed=0x%x, rngSeed=%d bytes, gic=v%d, rtcStart=%d, initrd=%d bytes, dtb=%s%s]",
                board.cliName(), ramSize >> 20, image.length, hasExplicitEntry() ? String.format("0x%x", entry) : "default",
                commandLine, kaslrSeed, rngSeed.length, gic.number(), rtcStart, initrd.length,
                dtb.length == 0 ? "generated" : dtb.length + " bytes given",
                cpus == 1 ? "" : ", cpus=" + cpus + ", quantum=" + quantum);
    }
}
