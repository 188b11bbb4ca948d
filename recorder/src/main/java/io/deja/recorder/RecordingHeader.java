package io.deja.recorder;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The first document of a recording: everything needed to rebuild the machine
 * and to judge the events that follow. Only {@code startTimeMillis} comes from
 * the wall clock, and it is metadata: nothing reads it back into a machine.
 *
 * @param formatVersion      {@link RecordingFormat#VERSION} of the writer
 * @param dejaVersion        the tool version that recorded
 * @param board              the board
 * @param ramSize            bytes of RAM
 * @param entry              configured entry point, or {@link MachineConfig#DEFAULT_ENTRY}
 * @param commandLine        kernel command line ("" for none)
 * @param kaslrSeed          virt: /chosen/kaslr-seed
 * @param rngSeed            virt: /chosen/rng-seed (empty for none)
 * @param images             every loaded image: the --binary or --kernel first, then the --initrd and --dtb if given
 * @param chaosSeed          the interrupt jitter seed, if chaos was on
 * @param checkpointInterval instructions between periodic checkpoints (0: only the final one)
 * @param traceLevel         the richest level recorded
 * @param traceFrom          first instruction (icount) whose insns/full-level events are recorded
 * @param traceTo            last instruction (icount, inclusive) whose insns/full-level events are recorded;
 *                           0 and Long.MAX_VALUE for a whole-run recording, a window for a re-traced one
 * @param devices            the machine's device table: an MMIO event's device field indexes it
 * @param maxInstructions    the instruction budget the run was given (-1: none); metadata
 * @param startTimeMillis    wall-clock start, epoch milliseconds; metadata only
 * @param gic                the interrupt controller the machine was built with
 * @param rtcStart           the PL031's start time, seconds since 1970 (an input: replay rebuilds the machine with it)
 * @param cpus               how many CPUs (--smp)
 * @param quantum            the scheduler's slice with several CPUs (--quantum): with the chaos seed, all replay needs
 *                           to reproduce the schedule
 */
public record RecordingHeader(int formatVersion, String dejaVersion, Board board, long ramSize, long entry,
                              String commandLine, long kaslrSeed, byte[] rngSeed, List<RecordedImage> images,
                              OptionalLong chaosSeed, long checkpointInterval, TraceLevel traceLevel,
                              long traceFrom, long traceTo, List<String> devices, long maxInstructions,
                              long startTimeMillis, GicVersion gic, long rtcStart, int cpus, long quantum) {
    public RecordingHeader {
        Objects.requireNonNull(dejaVersion, "dejaVersion");
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(traceLevel, "traceLevel");
        Objects.requireNonNull(chaosSeed, "chaosSeed");
        commandLine = commandLine == null ? "" : commandLine;
        rngSeed = rngSeed == null ? new byte[0] : rngSeed.clone();
        images = List.copyOf(images);
        devices = List.copyOf(devices);
        if (checkpointInterval < 0) throw new IllegalArgumentException("negative checkpoint interval");
        gic = gic == null ? GicVersion.V2 : gic;
    }

    /** A header of a machine with one CPU. */
    public RecordingHeader(int formatVersion, String dejaVersion, Board board, long ramSize, long entry,
                           String commandLine, long kaslrSeed, byte[] rngSeed, List<RecordedImage> images,
                           OptionalLong chaosSeed, long checkpointInterval, TraceLevel traceLevel,
                           long traceFrom, long traceTo, List<String> devices, long maxInstructions, long startTimeMillis,
                           GicVersion gic, long rtcStart) {
        this(formatVersion, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, rngSeed, images, chaosSeed,
                checkpointInterval, traceLevel, traceFrom, traceTo, devices, maxInstructions, startTimeMillis,
                gic, rtcStart, 1, MachineConfig.DEFAULT_QUANTUM);
    }

    /** A header of a GICv2 machine with the default RTC start (what every recording had before those were configurable). */
    public RecordingHeader(int formatVersion, String dejaVersion, Board board, long ramSize, long entry,
                           String commandLine, long kaslrSeed, byte[] rngSeed, List<RecordedImage> images,
                           OptionalLong chaosSeed, long checkpointInterval, TraceLevel traceLevel,
                           long traceFrom, long traceTo, List<String> devices, long maxInstructions, long startTimeMillis) {
        this(formatVersion, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, rngSeed, images, chaosSeed,
                checkpointInterval, traceLevel, traceFrom, traceTo, devices, maxInstructions, startTimeMillis,
                GicVersion.V2, MachineConfig.DEFAULT_RTC_START);
    }

    /**
     * The header of a new whole-run recording of a machine built from config,
     * stamped with the current format version and the wall clock.
     */
    public static RecordingHeader of(MachineConfig config, List<RecordedImage> images, List<String> devices,
                                     TraceLevel level, long checkpointInterval, OptionalLong chaosSeed,
                                     String dejaVersion) {
        return new RecordingHeader(RecordingFormat.VERSION, dejaVersion, config.board(), config.ramSize(), config.entry(),
                config.commandLine(), config.kaslrSeed(), config.rngSeed(), images, chaosSeed, checkpointInterval,
                level, 0, Long.MAX_VALUE, devices, -1, System.currentTimeMillis(), config.gic(), config.rtcStart(),
                config.cpus(), config.quantum());
    }

    /** The machine configuration this header describes, with image as the (already verified) bytes of images().get(0). */
    public MachineConfig toMachineConfig(byte[] image) {
        return toMachineConfig(image, null, null);
    }

    /**
     * The machine configuration this header describes, given the (already verified) bytes
     * of its images: the first one, and those in the roles {@link RecordedImage.Role#INITRD}
     * and {@link RecordedImage.Role#DTB} (null when the header has none).
     */
    public MachineConfig toMachineConfig(byte[] image, byte[] initrd, byte[] dtb) {
        return new MachineConfig(board, ramSize, image, entry, commandLine, kaslrSeed, rngSeed, gic, rtcStart, initrd, dtb, cpus, quantum);
    }

    /** The image recorded in that role, if any. */
    public java.util.Optional<RecordedImage> image(RecordedImage.Role role) {
        return images.stream().filter(i -> i.role() == role).findFirst();
    }

    @Override
    public byte[] rngSeed() {
        return rngSeed.clone();
    }

    /** Whether every instruction's insns/full-level events are recorded (not just a window). */
    public boolean wholeRun() {
        return traceFrom == 0 && traceTo == Long.MAX_VALUE;
    }

    /** Whether the insns/full-level events of instruction icount are in the recording (given the level asks for them). */
    public boolean inWindow(long icount) {
        return icount >= traceFrom && icount <= traceTo;
    }

    public RecordingHeader withTrace(TraceLevel level, long from, long to) {
        return new RecordingHeader(formatVersion, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, rngSeed,
                images, chaosSeed, checkpointInterval, level, from, to, devices, maxInstructions, startTimeMillis, gic, rtcStart, cpus, quantum);
    }

    public RecordingHeader withMaxInstructions(long n) {
        return new RecordingHeader(formatVersion, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, rngSeed,
                images, chaosSeed, checkpointInterval, traceLevel, traceFrom, traceTo, devices, n, startTimeMillis, gic, rtcStart, cpus, quantum);
    }

    public RecordingHeader withStartTime(long millis) {
        return new RecordingHeader(formatVersion, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, rngSeed,
                images, chaosSeed, checkpointInterval, traceLevel, traceFrom, traceTo, devices, maxInstructions, millis, gic, rtcStart, cpus, quantum);
    }

    public RecordingHeader withFormatVersion(int version) {
        return new RecordingHeader(version, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, rngSeed,
                images, chaosSeed, checkpointInterval, traceLevel, traceFrom, traceTo, devices, maxInstructions, startTimeMillis, gic, rtcStart, cpus, quantum);
    }

    public RecordingHeader withDejaVersion(String version) {
        return new RecordingHeader(formatVersion, version, board, ramSize, entry, commandLine, kaslrSeed, rngSeed,
                images, chaosSeed, checkpointInterval, traceLevel, traceFrom, traceTo, devices, maxInstructions, startTimeMillis, gic, rtcStart, cpus, quantum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordingHeader h && formatVersion == h.formatVersion && dejaVersion.equals(h.dejaVersion)
                && board == h.board && ramSize == h.ramSize && entry == h.entry && commandLine.equals(h.commandLine)
                && kaslrSeed == h.kaslrSeed && Arrays.equals(rngSeed, h.rngSeed) && images.equals(h.images)
                && chaosSeed.equals(h.chaosSeed) && checkpointInterval == h.checkpointInterval
                && traceLevel == h.traceLevel && traceFrom == h.traceFrom && traceTo == h.traceTo
                && devices.equals(h.devices) && maxInstructions == h.maxInstructions && startTimeMillis == h.startTimeMillis
                && gic == h.gic && rtcStart == h.rtcStart && cpus == h.cpus && quantum == h.quantum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, dejaVersion, board, ramSize, entry, commandLine, kaslrSeed, Arrays.hashCode(rngSeed),
                images, chaosSeed, checkpointInterval, traceLevel, traceFrom, traceTo, devices, maxInstructions, startTimeMillis, gic, rtcStart, cpus, quantum);
    }

    @Override
    public String toString() {
        return String.format("RecordingHeader[format=%d, deja=%s, board=%s, ram=%d MiB, entry=%s, images=%s, chaos=%s, "
                        + "checkpointEvery=%d, level=%s%s, devices=%s, gic=v%d, rtcStart=%d%s]",
                formatVersion, dejaVersion, board.cliName(), ramSize >> 20,
                entry == MachineConfig.DEFAULT_ENTRY ? "default" : String.format("0x%x", entry), images,
                chaosSeed.isPresent() ? Long.toString(chaosSeed.getAsLong()) : "none", checkpointInterval,
                traceLevel.name().toLowerCase(), wholeRun() ? "" : " [" + traceFrom + ".." + traceTo + "]", devices, gic.number(), rtcStart,
                cpus == 1 ? "" : ", cpus=" + cpus + ", quantum=" + quantum);
    }
}
