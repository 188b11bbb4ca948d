package io.deja.recorder;

import io.deja.core.trace.EventType;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A recording opened for reading (read-only: opening never changes the
 * directory). Checks, before handing out anything, that the directory is a
 * Deja recording of a format this code reads.
 *
 * Any number of cursors may be open at once, each used by one thread.
 */
public final class Recording implements AutoCloseable {
    private final Path dir;
    private final ChronicleQueue queue;
    private final RecordingHeader header;
    private final List<EventCursor> cursors = new ArrayList<>();

    private Recording(Path dir, ChronicleQueue queue, RecordingHeader header) {
        this.dir = dir;
        this.queue = queue;
        this.header = header;
    }

    /**
     * Opens the recording in dir.
     * @throws RecordingException (one line naming the file and the problem) for a missing
     *         directory, something that is not a Deja recording, foreign or corrupted files,
     *         or a format other than {@link RecordingFormat#VERSION}
     */
    public static Recording open(Path dir) {
        ChronicleQueue queue = QueueDirectory.openReadOnly(dir);
        try {
            RecordingHeader header = readHeader(dir, queue);
            return new Recording(dir, queue, header);
        } catch (RuntimeException | InternalError e) {
            queue.close();
            if (e instanceof RecordingException r) throw r;
            throw new RecordingException(dir.resolve(RecordingFormat.CYCLE_FILE) + ": corrupted (" + QueueDirectory.oneLine(e) + ")", e);
        }
    }

    private static RecordingHeader readHeader(Path dir, ChronicleQueue queue) {
        String where = dir.resolve(RecordingFormat.CYCLE_FILE).toString();
        byte[] doc;
        ExcerptTailer tailer = queue.createTailer();
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) throw new RecordingException(where + ": empty recording (no header; it was cut short before it began)");
            Bytes<?> in = dc.wire().bytes();
            doc = new byte[(int) Math.min(in.readRemaining(), 1 << 24)];
            in.read(doc);
        } finally {
            tailer.close();
        }
        if (!HeaderCodec.looksLikeHeader(doc)) throw new RecordingException(where + ": not a Deja recording (its first document is not a Deja header)");
        int version = HeaderCodec.version(doc);
        if (version < 1) throw new RecordingException(where + ": the recording header is corrupted (format version " + version + ")");
        if (version > RecordingFormat.VERSION) {
            throw new RecordingException(where + ": recorded in format version " + version + ", this Deja reads format version "
                    + RecordingFormat.VERSION + " (use a newer Deja)");
        }
        if (version < RecordingFormat.VERSION) {
            throw new RecordingException(where + ": recorded in format version " + version + ", this Deja reads format version "
                    + RecordingFormat.VERSION + " only (re-record it, or replay it with the Deja that made it)");
        }
        return HeaderCodec.decode(doc, where);
    }

    public Path directory() { return dir; }

    public RecordingHeader header() { return header; }

    /** A fresh cursor from the first event. */
    public EventCursor events() {
        return track(new BatchCursor(this, queue.createTailer(), Long.MIN_VALUE, null));
    }

    /** A cursor over the events of the given types only, from the first event whose batch reaches icount from. */
    public EventCursor events(long from, Set<EventType> types) {
        return track(new BatchCursor(this, queue.createTailer(), from, types.isEmpty() ? null : EnumSet.copyOf(types)));
    }

    private synchronized EventCursor track(EventCursor c) {
        cursors.add(c);
        return c;
    }

    /**
     * Where the recording ends, read from its last batch without scanning: the
     * icount of its last event, and whether that batch holds the END event.
     */
    public Tail tail() {
        try {
            return readTail();
        } catch (RecordingException e) {
            throw e;
        } catch (RuntimeException | InternalError e) {
            throw new RecordingException(where() + ": corrupted at its end (" + QueueDirectory.oneLine(e) + ")", e);
        }
    }

    private Tail readTail() {
        try (ExcerptTailer t = queue.createTailer()) {
            t.direction(TailerDirection.BACKWARD).toEnd();
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) return new Tail(0, false, 0);
                Bytes<?> in = dc.wire().bytes();
                if (in.readRemaining() < RecordingFormat.BATCH_PREFIX || in.readByte() != RecordingFormat.DOC_BATCH) {
                    return new Tail(0, false, 0); // only the header: no event yet
                }
                in.readInt(); // length
                in.readInt(); // crc
                in.readInt(); // count
                long mask = in.readLong();
                in.readLong(); // first
                long last = in.readLong();
                return new Tail(last, (mask & (1L << EventType.END.code)) != 0, dc.index());
            }
        }
    }

    /**
     * @param lastIcount icount of the last recorded event (0 if none)
     * @param complete   whether the recording ends with an END event (false: cut short)
     * @param lastIndex  Chronicle index of the last document
     */
    public record Tail(long lastIcount, boolean complete, long lastIndex) {}

    /** Closes the queue and every cursor still open. */
    @Override
    public void close() {
        List<EventCursor> open;
        synchronized (this) {
            open = List.copyOf(cursors);
            cursors.clear();
        }
        for (EventCursor c : open) c.close();
        queue.close();
    }

    synchronized void forget(EventCursor c) {
        cursors.remove(c);
    }

    String where() {
        return dir.resolve(RecordingFormat.CYCLE_FILE).toString();
    }
}
