package io.deja.recorder;

/**
 * A recording that cannot be read, written or replayed as asked: a missing
 * directory, something that is not a Deja recording, a foreign or corrupted
 * file, a newer format, a changed image. The message is one user-facing line
 * that names the file and the problem; the CLI prints it as it is.
 */
public final class RecordingException extends RuntimeException {
    /** For a corrupted event batch: the icount up to which the events before it are intact (-1: none, or not a damaged batch). */
    private final long intactTo;

    public RecordingException(String message) {
        this(message, -1, null);
    }

    /** A damaged batch whose preceding events, up to icount intactTo, can still be read (-1: none). */
    public RecordingException(String message, long intactTo) {
        this(message, intactTo, null);
    }

    private RecordingException(String message, long intactTo, Throwable cause) {
        super(message, cause);
        this.intactTo = intactTo;
    }

    /** Where the intact events before a damaged batch end (-1: nothing before it is intact, or the problem is not a damaged batch). */
    public long intactTo() {
        return intactTo;
    }

    public RecordingException(String message, Throwable cause) {
        this(message, -1, cause);
    }
}
