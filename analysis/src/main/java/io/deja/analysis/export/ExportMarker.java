package io.deja.analysis.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * export.done in an export directory: written after every table, so its
 * presence means the export is complete. It names the layout version of the
 * tables (bump {@link #LAYOUT} when a table's columns change: older exports
 * are then redone by query) and the rows per table.
 */
public final class ExportMarker {
    private ExportMarker() {}

    public static final String FILE = "export.done";
    /** Version of the exported tables' layout. */
    public static final int LAYOUT = 1;
    private static final String PREFIX = "deja-export layout ";

    static void write(Path dir, Exporter.Result r) {
        StringBuilder sb = new StringBuilder(PREFIX).append(LAYOUT).append('\n');
        for (Map.Entry<String, Long> e : r.rows().entrySet()) sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        try {
            Files.writeString(dir.resolve(FILE), sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** When the export in dir was completed, or null when it is missing, incomplete, or of another layout. */
    public static FileTime completed(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(f)) return null;
            String first = Files.readAllLines(f).stream().findFirst().orElse("");
            if (!first.equals(PREFIX + LAYOUT)) return null;
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return null;
        }
    }
}
