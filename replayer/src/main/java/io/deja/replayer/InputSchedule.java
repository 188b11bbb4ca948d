package io.deja.replayer;

import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.core.trace.EventType;

import java.util.Set;

/** The recorded inputs in order, read ahead by their own cursor so the replay can stop at each one's icount. */
final class InputSchedule implements AutoCloseable {
    /** Null for a live run's timeline: its only inputs were delivered before the first instruction. */
    private final EventCursor cursor;
    private boolean has;

    private InputSchedule() {
        cursor = null;
    }

    /** No inputs after icount 0. */
    static InputSchedule none() {
        return new InputSchedule();
    }

    InputSchedule(Recording recording) {
        cursor = recording.events(Long.MIN_VALUE, Set.of(EventType.INPUT));
        has = cursor.next();
    }

    /** The inputs recorded after icount after (those at after were delivered already: a snapshot taken there has them). */
    InputSchedule(Recording recording, long after) {
        cursor = recording.events(after, Set.of(EventType.INPUT));
        has = cursor.next();
        while (has && cursor.icount() <= after) has = cursor.next();
    }

    /** icount of the next input, or Long.MAX_VALUE if none is left. */
    long next() {
        return has ? cursor.icount() : Long.MAX_VALUE;
    }

    /** The next input's bytes; moves on. */
    byte[] take() {
        byte[] data = cursor.bytes(2);
        has = cursor.next();
        return data;
    }

    @Override
    public void close() {
        if (cursor != null) cursor.close();
    }
}
