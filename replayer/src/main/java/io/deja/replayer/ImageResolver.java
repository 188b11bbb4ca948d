package io.deja.replayer;

import io.deja.core.board.LinuxImage;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingHeader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the recorded images again and proves they are the same bytes: the
 * path recorded, then the same file relative to the recording directory (a
 * checked-in recording in a clone elsewhere), or an explicit override. A file
 * that exists but differs is refused, by name, rather than skipped: replaying
 * against other code would report a meaningless divergence.
 */
final class ImageResolver {
    private ImageResolver() {}

    /** The verified bytes of every image a machine is built from (initrd and dtb null when not recorded). */
    record Images(byte[] image, byte[] initrd, byte[] dtb) {}

    /**
     * The header's images, verified: the first (from override if given), the
     * initrd and the device tree. A kernel recorded gzip-compressed (its hash
     * is the compressed file's) is returned inflated, as the recording loaded it.
     */
    static Images loadAll(RecordingHeader header, Path recordingDir, Path override) {
        byte[] image = load(header, recordingDir, override);
        if (header.images().get(0).role() == RecordedImage.Role.KERNEL) {
            try {
                image = LinuxImage.gunzipIfCompressed(image);
            } catch (IllegalArgumentException e) {
                throw new RecordingException(recordingDir + ": the recorded kernel: " + e.getMessage());
            }
        }
        byte[] initrd = header.image(RecordedImage.Role.INITRD).map(i -> load(i, recordingDir, null)).orElse(null);
        byte[] dtb = header.image(RecordedImage.Role.DTB).map(i -> load(i, recordingDir, null)).orElse(null);
        return new Images(image, initrd, dtb);
    }

    /** The bytes of the header's first image, verified. */
    static byte[] load(RecordingHeader header, Path recordingDir, Path override) {
        if (header.images().isEmpty()) throw new RecordingException(recordingDir + ": the recording names no image");
        return load(header.images().get(0), recordingDir, override);
    }

    private static byte[] load(RecordedImage image, Path recordingDir, Path override) {
        return locate(image, recordingDir, override).bytes();
    }

    /**
     * The header's images as a new recording in newDir names them: the same
     * files (where this replay found them) and hashes, their relative paths
     * from newDir. A recording of a branch of this one is built from them.
     */
    static List<RecordedImage> rebased(RecordingHeader header, Path recordingDir, Path override, Path newDir) {
        List<RecordedImage> out = new ArrayList<>();
        for (int i = 0; i < header.images().size(); i++) {
            RecordedImage image = header.images().get(i);
            Found f = locate(image, recordingDir, i == 0 ? override : null);
            out.add(RecordedImage.of(f.path(), f.bytes(), newDir, image.role()));
        }
        return out;
    }

    private record Found(Path path, byte[] bytes) {}

    private static Found locate(RecordedImage image, Path recordingDir, Path override) {
        String role = image.role() == RecordedImage.Role.BINARY ? "image" : image.role().label;
        List<Path> candidates = new ArrayList<>();
        if (override != null) {
            candidates.add(override);
        } else {
            candidates.add(Path.of(image.path()));
            if (!image.relativePath().isEmpty()) candidates.add(recordingDir.resolve(image.relativePath()).normalize());
        }
        RecordingException mismatch = null;
        for (Path p : candidates) {
            if (!Files.isRegularFile(p)) continue;
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new RecordingException(p + ": cannot read the recorded " + role + " (" + e.getMessage() + ")", e);
            }
            if (image.matches(bytes)) return new Found(p, bytes);
            if (mismatch == null) {
                String now = RecordedImage.sha256(bytes), then = image.sha256();
                int shown = distinguishingLength(now, then);
                mismatch = new RecordingException(p + ": " + role + " changed since it was recorded (SHA-256 "
                        + abbreviate(now, shown) + ", " + Plural.count(bytes.length, "byte") + "; recorded "
                        + abbreviate(then, shown) + ", " + Plural.count(image.size(), "byte") + ")");
            }
        }
        if (mismatch != null) throw mismatch;
        throw new RecordingException(candidates.get(0) + ": recorded " + role + " not found"
                + (candidates.size() > 1 ? " (nor at " + candidates.get(1) + ")" : "")
                + (override == null && image.role() != RecordedImage.Role.INITRD && image.role() != RecordedImage.Role.DTB
                        ? "; give its new place with --binary" : "")
                + "; query, export, stages, diff, ui and report read the recording without it");
    }

    /** How many leading characters of two hashes to show so that they visibly differ: 16, or 8 past the first difference. */
    static int distinguishingLength(String a, String b) {
        int first = 0;
        while (first < Math.min(a.length(), b.length()) && a.charAt(first) == b.charAt(first)) first++;
        return Math.min(Math.max(16, first + 8), Math.max(a.length(), b.length()));
    }

    private static String abbreviate(String hash, int length) {
        return length >= hash.length() ? hash : hash.substring(0, length) + "...";
    }
}
