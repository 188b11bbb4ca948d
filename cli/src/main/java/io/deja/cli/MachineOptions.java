package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.mem.Ram;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns the machine options shared by commands (--binary, --board, --entry, --mem) into a Machine. */
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

        MachineConfig config() {
            return MachineOptions.config(board, binary, entry, mem, cmdline);
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
        if (entry != null) config = config.withEntry(Sizes.parseAddress(entry, "--entry"));
        if (cmdline != null) config = config.withCommandLine(cmdline);
        return config;
    }

    static Machine build(MachineConfig config) {
        try {
            return new Machine(config);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
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
