package io.deja.analysis;

/**
 * How far a pass over a recording's events has come (an export, a timeline),
 * for a progress display on another thread. The reader publishes every
 * {@link #EVERY} events, so that the pass pays one volatile write per batch
 * of events, not per event. Display only: nothing written depends on it.
 */
public final class ReadProgress {
    /** Events between two updates (a power of two: the reader tests {@code (events & (EVERY - 1)) == 0}). */
    public static final long EVERY = 4096;

    private volatile long icount;
    private volatile long events;
    private volatile long lastIcount;

    /** The reader has read events events, the last one at icount. */
    public void at(long icount, long events) {
        this.icount = icount;
        this.events = events;
    }

    /** The recording's last icount, once the reader knows it (0 until then). */
    public void ends(long lastIcount) {
        this.lastIcount = lastIcount;
    }

    public long icount() { return icount; }

    public long events() { return events; }

    public long lastIcount() { return lastIcount; }
}
