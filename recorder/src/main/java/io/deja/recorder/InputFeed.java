package io.deja.recorder;

/**
 * Console input that arrives while a recording runs (a terminal, a pipe).
 * The recorder polls it between slices of the run and delivers what it got
 * at that instruction count, which the recording keeps: the bytes may arrive
 * at any wall-clock moment, the replay delivers them at the same icount.
 */
public interface InputFeed {
    /** Bytes available now (never blocks), or null if none. */
    byte[] poll();

    /** Whether more bytes may still come (the recorder runs in short slices while this holds). */
    boolean open();

    InputFeed NONE = new InputFeed() {
        @Override public byte[] poll() { return null; }
        @Override public boolean open() { return false; }
    };
}
