package io.deja.analysis;

/**
 * A problem the user can fix (bad SQL, an unwritable export directory, two
 * recordings that cannot be compared): its message is one line, printed as
 * it is, never with a stack trace.
 */
public final class AnalysisException extends RuntimeException {
    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
