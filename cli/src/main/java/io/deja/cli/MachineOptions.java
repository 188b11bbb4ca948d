package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.mem.Ram;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Turns the machine options shared by commands (--binary, --board, --entry, --mem, --gic, --rtc-start) into a Machine. */
final class MachineOptions {
    private MachineOptions() {}

    /** The options that describe a machine, declared once for run, record and hunt (a picocli mixin). */
    static final class Mixin {
        @Option(names = "--binary", required = true, paramLabel = "FILE",
                description = "Raw binary (or arm64 Linux Image on virt) to load.")
        String binary;

        @Option(names = "--board", paramLabel = "BOARD", defaultValue = "vibe",
                description = "vibe (RAM at 0, entry --entry, default) or virt (QEMU's virt map, RAM at 0x40000000, binary at 0x40080000 with x0 = device tree).")
        String board;

        @Option(names = "--entry", paramLabel = "ADDR", description = "Load and entry address (vibe default 0x10000; virt default 0x40080000).")
        String entry;

        @Option(names = "--mem", paramLabel = "SIZE", description = "RAM size, e.g. 128M (default: 128M).")
        String mem;

        @Option(names = "--cmdline", paramLabel = "TEXT", description = "Kernel command line (virt: /chosen/bootargs).")
        String cmdline;

        @Option(names = "--gic", paramLabel = "VERSION", defaultValue = "2",
                description = "Interrupt controller: 2 (GICv2, default) or 3 (GICv3: distributor, redistributor, ICC_* system registers; as QEMU's -M virt,gic-version=3,its=off).")
        String gic;

        @Option(names = "--rtc-start", paramLabel = "TIME",
                description = "The PL031 RTC's time at the first instruction (virt): an ISO-8601 UTC instant such as 2026-01-01T00:00:00Z, "
                        + "or seconds since 1970. It then advances with virtual time, never the host clock. Default: 2026-01-01T00:00:00Z. Recorded, so replays reproduce it.")
        String rtcStart;

        MachineConfig config() {
            MachineConfig config = MachineOptions.config(board, binary, entry, mem, cmdline).withGic(gic(gic));
            if (rtcStart == null) return config;
            if (config.layout().find(io.deja.core.board.BoardDevice.Model.PL031) == null) {
                throw new UserError("--rtc-start: the " + config.board().cliName() + " board has no RTC (the PL031 is on --board virt)");
            }
            return config.withRtcStart(rtcStart(rtcStart));
        }

        Path binaryPath() {
            return Path.of(binary);
        }
    }

    static MachineConfig config(String boardName, String binary, String entry, String mem, String cmdline) {
        Board board = board(boardName);
        byte[] image = readImage(binary);
        MachineConfig config = MachineConfig.of(board, image);
        if (mem != null) config = config.withRamSize(Sizes.parseSize(mem, "--mem"));
        if (entry != null) {
            long address = Sizes.parseAddress(entry, "--entry");
            // All ones is MachineConfig's "board default" marker, and outside RAM on every board anyway.
            if (address == MachineConfig.DEFAULT_ENTRY) {
                throw new UserError(String.format("entry point 0x%x is outside RAM [0x%x, 0x%x)",
                        address, board.ramBase(), board.ramBase() + config.ramSize()));
            }
            config = config.withEntry(address);
        }
        if (cmdline != null) config = config.withCommandLine(cmdline);
        return config;
    }

    static Machine build(MachineConfig config) {
        return build(config, System.out);
    }

    /** The machine for config, its console going to console. */
    static Machine build(MachineConfig config, java.io.OutputStream console) {
        try {
            return new Machine(config, console);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static GicVersion gic(String value) {
        return switch (value.trim()) {
            case "2", "v2" -> GicVersion.V2;
            case "3", "v3" -> GicVersion.V3;
            default -> throw new UserError("--gic: unknown GIC version '" + value + "' (choose 2 or 3)");
        };
    }

    /** Seconds since 1970 from an ISO-8601 instant or a plain number, within the PL031's 32-bit counter. */
    static long rtcStart(String value) {
        String v = value.trim();
        long seconds;
        if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
            try {
                seconds = Long.parseLong(v);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
        } else {
            try {
                Instant t = Instant.parse(v);
                if (t.getNano() != 0) throw new UserError("--rtc-start " + value + ": the RTC counts whole seconds (drop the fraction)");
                seconds = t.getEpochSecond();
            } catch (DateTimeParseException e) {
                throw new UserError("--rtc-start: '" + value + "' is neither an ISO-8601 UTC time (2026-01-01T00:00:00Z) nor seconds since 1970");
            }
        }
        if (seconds < 0 || seconds > MachineConfig.MAX_RTC_START) {
            throw new UserError("--rtc-start " + value + ": outside the PL031's range, 1970-01-01T00:00:00Z to "
                    + Instant.ofEpochSecond(MachineConfig.MAX_RTC_START) + " (0 to " + MachineConfig.MAX_RTC_START + " seconds)");
        }
        return seconds;
    }

    static Board board(String name) {
        for (Board b : Board.values()) {
            if (b.name().equalsIgnoreCase(name)) return b;
        }
        throw new UserError("--board: unknown board '" + name + "' (choose vibe or virt)");
    }

    static byte[] readImage(String name) {
        Path path = Path.of(name);
        try {
            if (Files.isDirectory(path)) throw new UserError("--binary " + name + ": is a directory, not an image");
            // A device or a FIFO (/dev/zero, a pipe) has no size to check: say what it is, not "empty".
            if (Files.exists(path) && !Files.isRegularFile(path)) throw new UserError("--binary " + name + ": is not a regular file");
            long size = Files.size(path);
            if (size == 0) throw new UserError("--binary " + name + ": the file is empty");
            if (size > Ram.MAX_SIZE) {
                throw new UserError(String.format(Locale.ROOT, "--binary %s: %d bytes is larger than the largest RAM (%d MiB)",
                        name, size, Ram.MAX_SIZE >> 20));
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UserError("--binary " + name + ": no such file");
        } catch (IOException e) {
            throw new UserError("--binary " + name + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
