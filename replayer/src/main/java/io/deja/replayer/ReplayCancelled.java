package io.deja.replayer;

/**
 * A replay stopped by the host ({@link io.deja.core.board.Machine#cancel()}
 * from another thread) before its end: nothing was proven either way, and no
 * divergence report is built (that would replay the run once more).
 */
public final class ReplayCancelled extends RuntimeException {
    private final long icount;

    public ReplayCancelled(long icount) {
        super("replay cancelled at icount " + icount, null, false, false);
        this.icount = icount;
    }

    /** Instructions replayed when it stopped. */
    public long icount() {
        return icount;
    }
}
