package io.deja.recorder;

import io.deja.core.trace.EventType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the documents of a recording's queue file really end, found by walking
 * Chronicle's document headers with plain file reads before Chronicle maps the
 * file. Chronicle trusts each header's length: a file cut inside a document
 * (a partial copy, a full disk, a truncation) makes it read past the end of the
 * file, which faults or yields zeros. With the scan, readers stop at the last
 * complete document and say where the file was cut, and the tail of a
 * recording is read from that document without Chronicle's index (which a cut
 * file may have lost).
 *
 * <p>A document header is a little-endian int: bit 31 "not complete" (a writer
 * was still writing it: kill -9), bit 30 metadata (Chronicle's own index and
 * header documents), bits 29..0 the length; documents are 4-byte aligned and
 * a zero header marks the end of the data.
 */
final class QueueFileScan {
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;

    /** Bytes in the file. */
    final long fileLength;
    /** Offset just after the last complete document (where readers must stop). */
    final long validEnd;
    /** Offset of a document whose header promises bytes past the end of the file, or -1. */
    final long cutAt;
    /** The length that document's header promised (its body), when cutAt >= 0. */
    final long cutLength;
    /** Whether a writer left an unfinished document (kill -9 while writing): Chronicle stops there too. */
    final boolean unfinished;
    /** Complete data documents: the Deja header, then one per event batch. */
    final int dataDocuments;
    /** The last complete event batch's prefix fields; lastIcount 0 and complete false when there is none. */
    final long lastIcount;
    final boolean complete;

    private QueueFileScan(long fileLength, long validEnd, long cutAt, long cutLength, boolean unfinished,
                          int dataDocuments, long lastIcount, boolean complete) {
        this.fileLength = fileLength;
        this.validEnd = validEnd;
        this.cutAt = cutAt;
        this.cutLength = cutLength;
        this.unfinished = unfinished;
        this.dataDocuments = dataDocuments;
        this.lastIcount = lastIcount;
        this.complete = complete;
    }

    static QueueFileScan of(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer prefix = ByteBuffer.allocate(RecordingFormat.BATCH_PREFIX).order(ByteOrder.LITTLE_ENDIAN);
            long off = 0, validEnd = 0, cutAt = -1, cutLength = 0, lastIcount = 0;
            boolean unfinished = false, complete = false;
            int data = 0;
            while (off + 4 <= size) {
                head.clear();
                readFully(ch, head, off);
                int h = head.getInt(0);
                if (h == 0) break;
                if ((h & NOT_COMPLETE) != 0) {
                    unfinished = true;
                    break;
                }
                long length = h & LENGTH_MASK;
                long next = (off + 4 + length + 3) & ~3L;
                if (off + 4 + length > size) {
                    cutAt = off;
                    cutLength = length;
                    break;
                }
                if ((h & META_DATA) == 0) {
                    data++;
                    if (length >= RecordingFormat.BATCH_PREFIX) {
                        prefix.clear();
                        readFully(ch, prefix, off + 4);
                        if (prefix.get(0) == RecordingFormat.DOC_BATCH) {
                            long mask = prefix.getLong(13);
                            lastIcount = prefix.getLong(29);
                            complete = (mask & (1L << EventType.END.code)) != 0;
                        }
                    }
                }
                validEnd = off + 4 + length;
                off = next;
            }
            return new QueueFileScan(size, validEnd, cutAt, cutLength, unfinished, data, lastIcount, complete);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new IOException("unexpected end of file at " + (at + b.position()));
        }
    }

    /** Whether the file ends inside a document (not merely after its last one). */
    boolean cut() {
        return cutAt >= 0;
    }

    /** Why the recording ends where it does, in the user's terms (for a recording without END): a clause, with no parentheses. */
    String cutDescription() {
        if (cut()) {
            return String.format(java.util.Locale.ROOT, "the file ends at byte %,d, inside a document of %s that starts at byte %,d, "
                    + "so the file was truncated or partly copied, or that document's length field is damaged", fileLength, Plural.count(cutLength + 4, "byte"),
                    cutAt);
        }
        if (unfinished) return "a document was still being written when the recorder stopped, as when it is killed";
        return "it has no END event, so the recorder was stopped before the run ended";
    }
}
