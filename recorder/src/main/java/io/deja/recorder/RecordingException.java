package io.deja.recorder;

/**
 * A recording that cannot be read, written or replayed as asked: a missing
 * directory, something that is not a Deja recording, a foreign or corrupted
 * file, a newer format, a changed image. The message is one user-facing line
 * that names the file and the problem; the CLI prints it as it is.
 */
public final class RecordingException extends RuntimeException {
    public RecordingException(String message) {
        super(message);
    }

    public RecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
