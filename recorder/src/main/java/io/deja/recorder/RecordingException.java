package io.deja.recorder;

/**
 * A recording that cannot be read, written or replayed as asked: a missing
 * directory, something that is not a Deja recording, a foreign or corrupted
 * file, a newer format, a changed image. The message is one user-facing line
 * that names the file and the problem; the CLI prints it as it is.
 */
public final class RecordingException extends RuntimeException {
    /** What to do with a recording cut short before its first event: nothing in it can be salvaged. */
    public static final String NOTHING_TO_USE = "Nothing in it can be used: record the run again, or copy it again if this copy was taken while it was recording.";

    /**
     * A recording cut short before its first event (a recorder killed as it
     * started, a copy taken too early): file, and why, as a clause.
     */
    public static RecordingException cutBeforeFirstEvent(Object file, String why) {
        return new RecordingException(file + ": the recording was cut short before its first event: " + why + ". " + NOTHING_TO_USE);
    }

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
