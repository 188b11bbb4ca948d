package io.deja.replayer;

import io.deja.recorder.RecordedEvent;

/**
 * The first difference between the recording and the replay: what the
 * recording says happened next, and what the machine did. Thrown from inside
 * the machine's trace calls to stop the replay at once (no stack trace: it is
 * control flow, reported as data).
 *
 * @see Replayer
 */
public final class Divergence extends RuntimeException {
    private final RecordedEvent expected;
    private final RecordedEvent actual;
    private final long icount;
    private final String note;

    /**
     * @param expected the recorded event (null: the recording has no more events)
     * @param actual   the replay's event (null: the replay produced none where the recording has one)
     * @param icount   where it happened
     * @param note     why, when the events alone do not say
     */
    Divergence(RecordedEvent expected, RecordedEvent actual, long icount, String note) {
        super("divergence at icount " + icount, null, false, false);
        this.expected = expected;
        this.actual = actual;
        this.icount = icount;
        this.note = note;
    }

    public RecordedEvent expected() { return expected; }
    public RecordedEvent actual() { return actual; }
    public long icount() { return icount; }
    public String note() { return note; }
}
