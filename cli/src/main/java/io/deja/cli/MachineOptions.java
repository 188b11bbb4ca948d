package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.mem.Memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Turns the machine options shared by commands (--binary, --board, --entry, --mem) into a Machine. */
final class MachineOptions {
    private MachineOptions() {}

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
            if (size > Memory.MAX_RAM) {
                throw new UserError(String.format(Locale.ROOT, "--binary %s: %d bytes is larger than the largest RAM (%d MiB)",
                        name, size, Memory.MAX_RAM >> 20));
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UserError("--binary " + name + ": no such file");
        } catch (IOException e) {
            throw new UserError("--binary " + name + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
