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
 * @param role         what the machine loaded it as
 */
public record RecordedImage(String path, String relativePath, String sha256, long size, Role role) {
    /** What an image is to the machine; a recording has one BINARY or KERNEL first, then at most one of each other. */
    public enum Role {
        /** --binary: a raw program (or an Image loaded without the kernel checks). */
        BINARY("binary"),
        /** --kernel: an arm64 Linux Image. */
        KERNEL("kernel"),
        /** --initrd. */
        INITRD("initrd"),
        /** --dtb: the device tree that replaced the generated one. */
        DTB("dtb");

        public final String label;

        Role(String label) {
            this.label = label;
        }

        public static Role of(int ordinal) {
            if (ordinal < 0 || ordinal >= values().length) throw new IllegalArgumentException("unknown image role " + ordinal);
            return values()[ordinal];
        }
    }

    public RecordedImage {
        if (path == null || sha256 == null) throw new IllegalArgumentException("image path and hash are required");
        relativePath = relativePath == null ? "" : relativePath;
        role = role == null ? Role.BINARY : role;
    }

    /** An image loaded as a --binary (what every recording held before roles). */
    public RecordedImage(String path, String relativePath, String sha256, long size) {
        this(path, relativePath, sha256, size, Role.BINARY);
    }

    /** Describes bytes read from file as a --binary, for a recording written to recordingDir. */
    public static RecordedImage of(Path file, byte[] bytes, Path recordingDir) {
        return of(file, bytes, recordingDir, Role.BINARY);
    }

    /** Describes bytes read from file, loaded in that role, for a recording written to recordingDir. */
    public static RecordedImage of(Path file, byte[] bytes, Path recordingDir, Role role) {
        Path abs = file.toAbsolutePath().normalize();
        String rel = "";
        try {
            rel = recordingDir.toAbsolutePath().normalize().relativize(abs).toString();
        } catch (IllegalArgumentException differentRoot) {
            // no relative path between them: replay only tries the absolute one
        }
        return new RecordedImage(abs.toString(), rel, sha256(bytes), bytes.length, role);
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
