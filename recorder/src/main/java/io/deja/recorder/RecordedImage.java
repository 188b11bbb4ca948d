package io.deja.recorder;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An image loaded into the recorded machine. Replay reads it again from
 * {@code path} (or, when that file is gone, from {@code relativePath} resolved
 * against the recording directory, so that a checked-in recording still finds
 * its kernel in a clone elsewhere) and refuses it unless size and SHA-256 match.
 *
 * @param path         absolute path at recording time
 * @param relativePath the same file relative to the recording directory (empty if none, e.g. another drive)
 * @param sha256       lower-case hex SHA-256 of the bytes
 * @param size         bytes
 */
public record RecordedImage(String path, String relativePath, String sha256, long size) {
    public RecordedImage {
        if (path == null || sha256 == null) throw new IllegalArgumentException("image path and hash are required");
        relativePath = relativePath == null ? "" : relativePath;
    }

    /** Describes bytes read from file, for a recording written to recordingDir. */
    public static RecordedImage of(Path file, byte[] bytes, Path recordingDir) {
        Path abs = file.toAbsolutePath().normalize();
        String rel = "";
        try {
            rel = recordingDir.toAbsolutePath().normalize().relativize(abs).toString();
        } catch (IllegalArgumentException differentRoot) {
            // no relative path between them: replay only tries the absolute one
        }
        return new RecordedImage(abs.toString(), rel, sha256(bytes), bytes.length);
    }

    /** Whether bytes are this image. */
    public boolean matches(byte[] bytes) {
        return bytes.length == size && sha256(bytes).equals(sha256);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
