package io.deja.recorder;

import io.deja.core.trace.EventType;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
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
    /** Where the file's complete documents end (read before Chronicle maps it). */
    private final QueueFileScan scan;
    private final List<EventCursor> cursors = new ArrayList<>();

    private Recording(Path dir, ChronicleQueue queue, RecordingHeader header, QueueFileScan scan) {
        this.dir = dir;
        this.queue = queue;
        this.header = header;
        this.scan = scan;
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
            QueueFileScan scan = scan(dir);
            RecordingHeader header = readHeader(dir, queue);
            return new Recording(dir, queue, header, scan);
        } catch (RuntimeException | InternalError e) {
            queue.close();
            if (e instanceof RecordingException r) throw r;
            throw new RecordingException(dir.resolve(RecordingFormat.CYCLE_FILE) + ": damaged: Chronicle Queue cannot read its own "
                    + "metadata at the start of the file, so the events cannot be located (" + QueueDirectory.oneLine(e) + ")", e);
        }
    }

    /**
     * Walks the queue file before Chronicle maps it, so that a file cut
     * before its Deja header is complete is reported as such (Chronicle would
     * fail on it with an internal error) and readers know where to stop.
     */
    private static QueueFileScan scan(Path dir) {
        Path file = dir.resolve(RecordingFormat.CYCLE_FILE);
        QueueFileScan scan;
        try {
            scan = QueueFileScan.of(file);
        } catch (java.io.IOException e) {
            throw new RecordingException(file + ": unreadable (" + QueueDirectory.oneLine(e) + ")", e);
        }
        if (scan.dataDocuments == 0 && (scan.cut() || scan.unfinished)) {
            throw RecordingException.cutBeforeFirstEvent(file, scan.cutDescription());
        }
        return scan;
    }

    private static RecordingHeader readHeader(Path dir, ChronicleQueue queue) {
        String where = dir.resolve(RecordingFormat.CYCLE_FILE).toString();
        byte[] doc;
        ExcerptTailer tailer = queue.createTailer();
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) throw RecordingException.cutBeforeFirstEvent(where, "the file ends before the recording's header");
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
        String why = scan.complete ? "" : scan.dataDocuments <= 1 ? "the recording was cut short before its first event"
                + (scan.cut() || scan.unfinished ? ": " + scan.cutDescription() : ", after its header") : scan.cutDescription();
        return new Tail(scan.lastIcount, scan.complete, scan.dataDocuments - 1, why);
    }

    /** Complete event batches in the file (a reader stops after them). */
    int completeBatches() {
        return scan.dataDocuments - 1;
    }

    /**
     * @param lastIcount icount of the last event of the last complete batch (0 if none)
     * @param complete   whether the recording ends with an END event (false: cut short)
     * @param batches    complete event batches (0: no event survived)
     * @param cutShort   for a recording without END, why it ends where it does; empty otherwise
     */
    public record Tail(long lastIcount, boolean complete, int batches, String cutShort) {}

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
