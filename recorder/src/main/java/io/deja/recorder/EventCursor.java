package io.deja.recorder;

import io.deja.core.trace.EventType;

/**
 * Reads the events of a recording in order. After {@link #next()} returned
 * true, the accessors give the current event's fields by their index in
 * {@code type().fields} (see {@link EventType}); they do not allocate, except
 * {@link #bytes(int)}.
 *
 * Field values are as the machine reported them: {@code i64} for I64 and PC
 * fields (and, widened, for any integer field: BOOL as 0 or 1), {@code i32} for
 * I32, {@code u8} for U8 (0-255), {@code bool} for BOOL, {@code bytes} for
 * BYTES and LONGS (their little-endian bytes).
 */
public interface EventCursor extends AutoCloseable {
    /** Moves to the next event; false at the end (or at the last complete document of a recording cut short). */
    boolean next();

    EventType type();

    long i64(int field);

    int i32(int field);

    int u8(int field);

    boolean bool(int field);

    /** A fresh copy of a BYTES field (of a LONGS field: its little-endian bytes). */
    byte[] bytes(int field);

    /** Whether a BYTES field holds exactly data (no copy). */
    boolean sameBytes(int field, byte[] data);

    /** Whether a LONGS field holds exactly values (no copy). */
    boolean sameLongs(int field, long[] values);

    /** The number of the CPU the current event happened on. */
    int cpu();

    /** The current event's icount (field 0 of every type). */
    default long icount() {
        return i64(0);
    }

    /** After next() returned false: true if the recording has no END event (it was cut short). */
    boolean truncated();

    @Override
    void close();
}
