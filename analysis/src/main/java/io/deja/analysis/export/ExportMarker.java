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
 * are then redone by query), the identity of the recording it was made from
 * (so that an export of one recording is never taken for another's), and the
 * rows per table.
 */
public final class ExportMarker {
    private ExportMarker() {}

    public static final String FILE = "export.done";
    /** Version of the exported tables' layout. */
    public static final int LAYOUT = 2; // 2: exceptions.pc is the instruction, elr the return address, ec UINTEGER
    private static final String PREFIX = "deja-export layout ";

    private static final String RECORDING = "recording ";

    static void write(Path dir, Exporter.Result r, String recordingIdentity) {
        StringBuilder sb = new StringBuilder(PREFIX).append(LAYOUT).append('\n');
        sb.append(RECORDING).append(recordingIdentity).append('\n');
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
        return completed(dir, null);
    }

    /**
     * As {@link #completed(Path)}, and null too when recordingIdentity is given
     * and the export was made from another recording.
     */
    public static FileTime completed(Path dir, String recordingIdentity) {
        Path f = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(f)) return null;
            java.util.List<String> lines = Files.readAllLines(f);
            if (lines.isEmpty() || !lines.get(0).equals(PREFIX + LAYOUT)) return null;
            if (recordingIdentity != null && (lines.size() < 2 || !lines.get(1).equals(RECORDING + recordingIdentity))) return null;
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            return null;
        }
    }

    /** The recording's identity (see {@link io.deja.recorder.RecordingIdentity}). */
    public static String identity(Path recordingDir) {
        try {
            return io.deja.recorder.RecordingIdentity.of(recordingDir);
        } catch (io.deja.recorder.RecordingException e) {
            throw new io.deja.analysis.AnalysisException(e.getMessage(), e);
        }
    }
}
