package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
import io.deja.core.board.LinuxImage;
import io.deja.core.board.LinuxLoader;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.mem.Ram;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordedImage;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns the machine options shared by commands (--binary or --kernel, --initrd, --dtb, --append, --board, --entry, --mem, --gic, --rtc-start, --entropy-seed) into a Machine. */
final class MachineOptions {
    private MachineOptions() {}

    /** The options that describe a machine, declared once for run, record and hunt (a picocli mixin). */
    static final class Mixin {
        @Option(names = "--binary", paramLabel = "FILE",
                description = "Raw binary (or arm64 Linux Image on virt) to load. Give this or --kernel.")
        String binary;

        @Option(names = "--kernel", paramLabel = "FILE",
                description = "arm64 Linux Image (or a gzip of one, as Debian's vmlinuz) to boot on the virt board (implied), placed as QEMU's -kernel, with --initrd, --append and --dtb.")
        String kernel;

        @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk (with --kernel), placed as QEMU's -initrd and named in /chosen.")
        String initrd;

        @Option(names = "--dtb", paramLabel = "FILE",
                description = "Device tree blob to load instead of the generated one (with --kernel); /chosen bootargs, the initrd range and the memory node are set in it, as QEMU does.")
        String dtb;

        @Option(names = "--dump-dtb", paramLabel = "FILE",
                description = "Write the device tree the guest gets to FILE (for dtc -I dtb -O dts); deja run then exits without running, as QEMU's dumpdtb.")
        String dumpDtb;

        @Option(names = "--entropy-seed", paramLabel = "N",
                description = "Draw /chosen/kaslr-seed and rng-seed (32 bytes) from N (virt). Default with --kernel: " + LinuxLoader.DEFAULT_ENTROPY_SEED
                        + ", so runs are identical unless another is asked for; --binary gets no seeds unless asked. Recorded, so replays reproduce them.")
        Long entropySeed;

        @Option(names = "--board", paramLabel = "BOARD",
                description = "vibe (RAM at 0, entry --entry, default for --binary) or virt (QEMU's virt map, RAM at 0x40000000, binary at 0x40080000 with x0 = device tree; implied by --kernel).")
        String board;

        @Option(names = "--entry", paramLabel = "ADDR", description = "Load and entry address (vibe default 0x10000; virt default 0x40080000).")
        String entry;

        @Option(names = "--mem", paramLabel = "SIZE", description = "RAM size, e.g. 128M (default: 128M).")
        String mem;

        @Option(names = {"--append", "--cmdline"}, paramLabel = "TEXT",
                description = "Kernel command line (virt: /chosen/bootargs; at most 2047 bytes, Linux's COMMAND_LINE_SIZE).")
        String cmdline;

        @Option(names = "--gic", paramLabel = "VERSION", defaultValue = "2",
                description = "Interrupt controller: 2 (GICv2, default) or 3 (GICv3: distributor, one redistributor per CPU, ICC_* system registers; as QEMU's -M virt,gic-version=3,its=off).")
        String gic;

        @Option(names = "--rtc-start", paramLabel = "TIME",
                description = "The PL031 RTC's time at the first instruction (virt): an ISO-8601 UTC instant such as 2026-01-01T00:00:00Z, "
                        + "or seconds since 1970. It then advances with virtual time, never the host clock. Default: 2026-01-01T00:00:00Z. Recorded, so replays reproduce it.")
        String rtcStart;

        @Option(names = "--smp", paramLabel = "N", defaultValue = "1",
                description = "Number of CPUs (1-" + MachineConfig.MAX_CPUS + ", virt, GICv2 or GICv3), as QEMU's -smp N: CPU 0 boots, the others start powered off "
                        + "until PSCI CPU_ON. They run in turn on one host thread (see --quantum); --chaos-seed also varies their order and slices. Recorded.")
        int smp;

        @Option(names = "--quantum", paramLabel = "N",
                description = "With --smp: instructions a CPU runs before the next one runs (default " + MachineConfig.DEFAULT_QUANTUM + "). Recorded.")
        Long quantum;

        MachineConfig config() {
            MachineConfig c = baseConfig();
            if (smp < 1 || smp > MachineConfig.MAX_CPUS) throw new UserError("--smp " + smp + ": give 1 to " + MachineConfig.MAX_CPUS + " CPUs");
            if (quantum != null && quantum < 1) throw new UserError("--quantum " + quantum + ": give a positive number of instructions");
            if (smp == 1 && quantum == null) return c;
            if (smp > 1 && c.board() != Board.VIRT) throw new UserError("--smp " + smp + ": several CPUs need the virt board (--board virt or --kernel)");
            return c.withCpus(smp).withQuantum(quantum == null ? MachineConfig.DEFAULT_QUANTUM : quantum);
        }

        private MachineConfig baseConfig() {
            if (binary == null && kernel == null) throw new UserError("no guest: give --kernel FILE (an arm64 Linux Image) or --binary FILE (a raw program)");
            if (binary != null && kernel != null) {
                throw new UserError("--kernel and --binary: give one (--kernel boots a Linux Image on virt; --binary loads a raw program)");
            }
            if (kernel == null) {
                // As QEMU: -initrd and -dtb only with -kernel. A command line is allowed with --binary on virt
                // (QEMU's -append with a raw -kernel), since a --binary on virt is what QEMU's -kernel loads.
                if (initrd != null) throw new UserError("--initrd: needs --kernel (as QEMU's -initrd needs -kernel)");
                if (dtb != null) throw new UserError("--dtb: needs --kernel (as QEMU's -dtb needs -kernel)");
            } else if (board != null && board(board) != Board.VIRT) {
                throw new UserError("--kernel boots Linux on the virt board: --board " + board + " is refused");
            }
            String boardName = kernel != null ? Board.VIRT.cliName() : board == null ? Board.VIBE.cliName() : board;
            if (board(boardName) != Board.VIRT) {
                String what = cmdline != null ? "--append" : dumpDtb != null ? "--dump-dtb" : entropySeed != null ? "--entropy-seed" : null;
                if (what != null) throw new UserError(what + ": the " + boardName + " board has no device tree (use --board virt)");
            }
            MachineConfig config = MachineOptions.config(boardName, kernel != null ? kernel : binary, kernel != null ? "--kernel" : "--binary",
                    entry, mem, cmdline).withGic(gic(gic));
            if (kernel != null) {
                kernelFile = config.image();
                try {
                    config = config.withImage(LinuxImage.gunzipIfCompressed(kernelFile));
                    LinuxImage.parse(config.image());
                } catch (IllegalArgumentException e) {
                    throw new UserError("--kernel " + kernel + ": " + e.getMessage()
                            + (config.image() != kernelFile ? " (after gunzip)" : ""));
                }
            }
            if (initrd != null) {
                byte[] bytes = readFile("--initrd", initrd);
                if (bytes.length == 0) throw new UserError("--initrd " + initrd + ": the file is empty");
                config = config.withInitrd(bytes);
            }
            if (dtb != null) {
                try {
                    config = config.withDtb(LinuxLoader.checkDeviceTree(readFile("--dtb", dtb)));
                } catch (IllegalArgumentException e) {
                    throw new UserError("--dtb " + dtb + ": " + e.getMessage());
                }
            }
            if (kernel != null || entropySeed != null) {
                long seed = entropySeed == null ? LinuxLoader.DEFAULT_ENTROPY_SEED : entropySeed;
                config = config.withSeeds(LinuxLoader.kaslrSeed(seed), LinuxLoader.rngSeed(seed));
            }
            try {
                LinuxLoader.checkCommandLine(config.commandLine());
            } catch (IllegalArgumentException e) {
                throw new UserError("--append: " + e.getMessage());
            }
            if (rtcStart == null) return config;
            if (config.layout().find(io.deja.core.board.BoardDevice.Model.PL031) == null) {
                throw new UserError("--rtc-start: the " + config.board().cliName() + " board has no RTC (the PL031 is on --board virt)");
            }
            return config.withRtcStart(rtcStart(rtcStart));
        }

        /** The --kernel file's bytes as read (gzip-compressed or not), once config() has read it. */
        private byte[] kernelFile;

        /** The --binary or --kernel file. */
        Path binaryPath() {
            return Path.of(kernel != null ? kernel : binary);
        }

        /** The images of config as a recording in dir describes them: kernel or binary, then initrd and dtb if given. */
        List<RecordedImage> recordedImages(MachineConfig config, Path dir) {
            List<RecordedImage> images = new ArrayList<>();
            // The file as given (a gzip'd kernel too): replay checks that file, then inflates it again.
            images.add(kernel != null ? RecordedImage.of(binaryPath(), kernelFile == null ? config.image() : kernelFile, dir, RecordedImage.Role.KERNEL)
                    : RecordedImage.of(binaryPath(), config.image(), dir, RecordedImage.Role.BINARY));
            if (initrd != null) images.add(RecordedImage.of(Path.of(initrd), config.initrd(), dir, RecordedImage.Role.INITRD));
            // The file's bytes, not the blob cut to its totalsize: replay checks the file.
            if (dtb != null) images.add(RecordedImage.of(Path.of(dtb), readFile("--dtb", dtb), dir, RecordedImage.Role.DTB));
            return images;
        }

        /** Writes the machine's device tree to --dump-dtb if asked; returns whether it did. */
        boolean dumpDeviceTree(Machine machine, java.io.PrintWriter err) {
            if (dumpDtb == null) return false;
            try {
                Files.write(Path.of(dumpDtb), machine.deviceTree());
            } catch (IOException e) {
                throw new UserError("--dump-dtb " + dumpDtb + ": cannot write it (" + e.getMessage() + ")");
            }
            err.printf("device tree (%d %s, at 0x%x%s) written to %s%n", machine.deviceTree().length, Plural.noun(machine.deviceTree().length, "byte"),
                    machine.dtbAddress(),
                    machine.initrdAddress() == 0 ? "" : String.format(", initrd at 0x%x", machine.initrdAddress()), dumpDtb);
            err.flush();
            return true;
        }
    }

    static MachineConfig config(String boardName, String binary, String entry, String mem, String cmdline) {
        return config(boardName, binary, "--binary", entry, mem, cmdline);
    }

    static MachineConfig config(String boardName, String binary, String option, String entry, String mem, String cmdline) {
        Board board = board(boardName);
        byte[] image = readImage(option, binary);
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
        return readImage("--binary", name);
    }

    static byte[] readImage(String option, String name) {
        byte[] bytes = readFile(option, name);
        if (bytes.length == 0) throw new UserError(option + " " + name + ": the file is empty");
        return bytes;
    }

    /** A file given to an option, at most as large as the largest RAM. */
    static byte[] readFile(String option, String name) {
        Path path = Path.of(name);
        try {
            if (Files.isDirectory(path)) throw new UserError(option + " " + name + ": is a directory, not a file");
            // A device or a FIFO (/dev/zero, a pipe) has no size to check: say what it is, not "empty".
            if (Files.exists(path) && !Files.isRegularFile(path)) throw new UserError(option + " " + name + ": is not a regular file");
            long size = Files.size(path);
            if (size > Ram.MAX_SIZE) {
                throw new UserError(String.format(Locale.ROOT, "%s %s: %d %s is larger than the largest RAM (%d MiB)",
                        option, name, size, Plural.noun(size, "byte"), Ram.MAX_SIZE >> 20));
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UserError(option + " " + name + ": no such file");
        } catch (IOException e) {
            throw new UserError(option + " " + name + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
