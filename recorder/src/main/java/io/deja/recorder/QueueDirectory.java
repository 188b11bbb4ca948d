package io.deja.recorder;

import io.deja.core.trace.TraceLevel;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens the Chronicle Queue of a recording directory, after checking with
 * plain file reads that it is one: Chronicle itself may wait, create files or
 * fail with an internal message on a directory that is not a queue, and a
 * reader must do none of that. Readers open the queue read-only.
 */
final class QueueDirectory {
    private QueueDirectory() {}

    static {
        // Chronicle logs through SLF4J; with no binding SLF4J prints a three-line warning on
        // every command. Deja reports Chronicle's failures itself, so silence that (unless set).
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    /** Bytes 4.. of a .cq4 file: Chronicle's binary header "header: !SCQStore". */
    private static final byte[] CYCLE_SIGNATURE = signature("SCQStore");
    /** Bytes 4.. of metadata.cq4t: "header: !STStore". */
    private static final byte[] METADATA_SIGNATURE = signature("STStore");

    private static byte[] signature(String type) {
        byte[] header = "header".getBytes(StandardCharsets.US_ASCII);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        byte[] s = new byte[2 + header.length + 2 + t.length];
        s[0] = (byte) 0xB9; // field name of length 6
        s[1] = (byte) header.length;
        System.arraycopy(header, 0, s, 2, header.length);
        s[2 + header.length] = (byte) 0xB6; // type prefix
        s[3 + header.length] = (byte) t.length;
        System.arraycopy(t, 0, s, 4 + header.length, t.length);
        return s;
    }

    /** The queue builder every recording uses: the clock fixed at the epoch keeps it in one cycle file. */
    private static SingleChronicleQueueBuilder builder(Path dir) {
        return SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(RollCycles.FAST_DAILY)
                .timeProvider(() -> 0L)
                // Two seconds is plenty for a header to appear on a local file; the default (10 s) reads as a hang.
                .timeoutMS(2_000);
    }

    /** A new, empty queue for a recording (dir is created; it must not already hold a queue). */
    static ChronicleQueue create(Path dir, TraceLevel level) {
        try {
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve(RecordingFormat.CYCLE_FILE)) || Files.exists(dir.resolve(RecordingFormat.METADATA_FILE))) {
                throw new RecordingException(dir + ": already holds a recording (choose an empty directory)");
            }
        } catch (IOException e) {
            throw new RecordingException(dir + ": cannot create the recording directory (" + e.getMessage() + ")", e);
        }
        // Chronicle grows the file a block at a time: small blocks keep an events-level recording small on disk.
        long block = level == TraceLevel.EVENTS ? 4L << 20 : 64L << 20;
        return builder(dir).blockSize(block).build();
    }

    /** Checks that dir looks like a recording, then opens its queue read-only. */
    static ChronicleQueue openReadOnly(Path dir) {
        check(dir);
        try {
            return builder(dir).readOnly(true).build();
        } catch (RuntimeException | InternalError e) {
            throw new RecordingException(dir + ": cannot be read as a Chronicle Queue (" + oneLine(e) + ")", e);
        }
    }

    static void check(Path dir) {
        if (!Files.exists(dir)) throw new RecordingException(dir + ": no such recording directory");
        if (!Files.isDirectory(dir)) throw new RecordingException(dir + ": is a file, not a recording directory");
        List<Path> queueFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".cq4") || n.endsWith(".cq4t");
            }).forEach(queueFiles::add);
        } catch (IOException e) {
            throw new RecordingException(dir + ": cannot list the directory (" + e.getMessage() + ")", e);
        }
        Path cycle = dir.resolve(RecordingFormat.CYCLE_FILE);
        Path metadata = dir.resolve(RecordingFormat.METADATA_FILE);
        if (queueFiles.isEmpty()) {
            throw new RecordingException(dir + ": not a Deja recording (no " + RecordingFormat.CYCLE_FILE + " in it)");
        }
        for (Path p : queueFiles) {
            if (!p.equals(cycle) && !p.equals(metadata)) {
                throw new RecordingException(p + ": foreign file in a recording directory (a recording holds only "
                        + RecordingFormat.CYCLE_FILE + " and " + RecordingFormat.METADATA_FILE + ")");
            }
        }
        if (!Files.isRegularFile(cycle)) throw new RecordingException(cycle + ": missing (the recording's events file)");
        if (!Files.isRegularFile(metadata)) throw new RecordingException(metadata + ": missing (Chronicle's metadata file)");
        checkSignature(cycle, CYCLE_SIGNATURE, true);
        checkSignature(metadata, METADATA_SIGNATURE, false);
    }

    /**
     * Checks Chronicle's header at the start of a queue file. A file that
     * ends inside it, or holds only zeros there (Chronicle maps the file before
     * it writes the header), was cut short as the recorder started: said so
     * rather than "not a queue file", which would send the user after a
     * foreign file.
     */
    private static void checkSignature(Path file, byte[] signature, boolean events) {
        byte[] head = new byte[4 + signature.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new RecordingException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        String why = null;
        if (n == 0) {
            why = "the file is empty";
        } else if (allZero(head, n)) {
            why = "the file holds only zeros where Chronicle's header belongs";
        } else if (n < head.length && (n <= 4 || Arrays.equals(head, 4, n, signature, 0, n - 4))) {
            why = String.format(java.util.Locale.ROOT, "the file ends at byte %,d, inside Chronicle's own header", n);
        }
        if (why != null) {
            if (events) throw RecordingException.cutBeforeFirstEvent(file, why);
            throw new RecordingException(file + ": Chronicle's metadata file was cut short as the recording was created: " + why + ". "
                    + RecordingException.NOTHING_TO_USE);
        }
        if (n < head.length || !Arrays.equals(head, 4, head.length, signature, 0, signature.length)) {
            throw new RecordingException(file + ": not a Chronicle Queue file; it is foreign or corrupted");
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) if (b[i] != 0) return false;
        return true;
    }

    /**
     * Cuts the zeros Chronicle preallocated after the last document of a
     * closed queue (up to a block, 4-64 MiB, sparse on disk but not in a copy
     * or a git repository). Keeps one zero page after the data, where a reader
     * looks for the next document's header. Only for a queue no one has open.
     */
    static void shrink(Path dir) {
        Path file = dir.resolve(RecordingFormat.CYCLE_FILE);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            long size = ch.size();
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(1 << 20);
            long end = size;
            long lastData = -1;
            while (end > 0 && lastData < 0) {
                long start = Math.max(0, end - chunk.capacity());
                chunk.clear().limit((int) (end - start));
                while (chunk.hasRemaining() && ch.read(chunk, start + chunk.position()) >= 0) {
                    // fill the chunk
                }
                for (int i = chunk.position() - 1; i >= 0; i--) {
                    if (chunk.get(i) != 0) {
                        lastData = start + i;
                        break;
                    }
                }
                end = start;
            }
            long page = 4096;
            long keep = ((lastData + 1 + page - 1) / page) * page + page;
            if (keep < size) ch.truncate(keep);
        } catch (IOException e) {
            // Only a matter of disk space: the recording is complete either way.
        }
    }

    /**
     * The first line of a library's message, without the Java class names
     * Chronicle wraps around it (they mean nothing to a user).
     */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = "no detail";
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.replaceAll("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ?", "").strip();
    }
}
