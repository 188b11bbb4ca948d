package io.deja.analysis.perfetto;

/**
 * A timeline as groups of tracks holding slices, instants and counters, with
 * timestamps in nanoseconds of virtual time. Events of one track come in time
 * order; slices on a track nest (an end closes the innermost open slice).
 * Implementations write one file format; I/O errors are unchecked.
 */
interface TraceWriter extends AutoCloseable {
    /** A named group of tracks (a CPU, the run); uuid is unique across groups and tracks, and not 0. */
    void group(long uuid, String name);

    /** A track in a group; a counter track takes only {@link #counter} events. */
    void track(long uuid, long group, String name, boolean counter);

    void begin(long track, long ns, String name, Args args);

    void end(long track, long ns);

    /**
     * An instant. recurring: the name comes back often (an exit kind, a device), so a format
     * may store it once; false for one-off names such as a console line's text.
     */
    void instant(long track, long ns, String name, boolean recurring, Args args);

    void counter(long track, long ns, long value);

    /** Trace events written so far (track declarations not counted). */
    long events();

    @Override
    void close();
}
