package io.deja.replayer;

import io.deja.core.trace.TraceLevel;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * How to replay.
 *
 * @param console where the guest's console output goes (the replay's own copy; null: discarded)
 * @param image   read the image from here instead of the recorded path (still checked against its SHA-256)
 * @param retrace also write a new recording at a richer level for a window of instructions (null: none)
 * @param started told the machine and the icount the replay runs to once it starts (a progress display; null: none)
 */
public record ReplayOptions(OutputStream console, Path image, Retrace retrace, Started started) {
    /** The replay has started: machine runs to icount end on the replaying thread (read its icount for display only). */
    public interface Started {
        void replaying(io.deja.core.board.Machine machine, long end);
    }

    public ReplayOptions(OutputStream console, Path image, Retrace retrace) {
        this(console, image, retrace, null);
    }

    /**
     * @param level the level of the new recording
     * @param from  first instruction (icount) traced at that level
     * @param to    last instruction (icount, inclusive) traced at that level
     * @param out   directory of the new recording
     */
    public record Retrace(TraceLevel level, long from, long to, Path out) {
        public Retrace {
            if (from < 0) throw new IllegalArgumentException("--from: must not be negative");
            if (to < from) throw new IllegalArgumentException("--to: must not be before --from");
        }
    }

    public static ReplayOptions defaults() {
        return new ReplayOptions(null, null, null);
    }

    public ReplayOptions withConsole(OutputStream out) {
        return new ReplayOptions(out, image, retrace, started);
    }

    public ReplayOptions withImage(Path p) {
        return new ReplayOptions(console, p, retrace, started);
    }

    public ReplayOptions withRetrace(Retrace r) {
        return new ReplayOptions(console, image, r, started);
    }

    public ReplayOptions withStarted(Started s) {
        return new ReplayOptions(console, image, retrace, s);
    }
}
