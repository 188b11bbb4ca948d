package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.core.trace.EventType;

import java.util.Set;

/**
 * The recorded inputs in order, read ahead by their own cursor so the replay
 * can stop at each one's icount: console bytes (INPUT) and a debugger's writes
 * (DEBUG_WRITE), delivered in the order they were recorded, also among those
 * at one icount.
 */
final class InputSchedule implements AutoCloseable {
    /** The event types a replay delivers rather than waits for. */
    static final Set<EventType> TYPES = Set.of(EventType.INPUT, EventType.DEBUG_WRITE);

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
        cursor = recording.events(Long.MIN_VALUE, TYPES);
        has = cursor.next();
    }

    /** The inputs recorded after icount after (those at after were delivered already: a snapshot taken there has them). */
    InputSchedule(Recording recording, long after) {
        cursor = recording.events(after, TYPES);
        has = cursor.next();
        while (has && cursor.icount() <= after) has = cursor.next();
    }

    /** icount of the next input, or Long.MAX_VALUE if none is left. */
    long next() {
        return has ? cursor.icount() : Long.MAX_VALUE;
    }

    /** The next input's type (INPUT or DEBUG_WRITE); only while {@link #next()} is not Long.MAX_VALUE. */
    EventType type() {
        return cursor.type();
    }

    /** The next input's bytes (console bytes, or what a debugger wrote); moves on. */
    byte[] take() {
        byte[] data = cursor.bytes(cursor.type() == EventType.INPUT ? 2 : 4);
        has = cursor.next();
        return data;
    }

    /**
     * Delivers the next input to m as the recorder did (console bytes to the
     * UART, a debugger's write to its CPU) and moves on. Each reports its event
     * again, so a comparing replay checks it like any other (a write applied on
     * another CPU instruction than recorded differs in cpu_icount; one that
     * cannot be applied reports nothing).
     */
    void deliver(Machine m) {
        if (cursor.type() == EventType.INPUT) {
            m.sendConsoleInput(take());
            return;
        }
        int cpu = cursor.cpu(), kind = cursor.u8(2);
        long target = cursor.i64(3);
        m.debugWrite(cpu, kind, target, take());
    }

    @Override
    public void close() {
        if (cursor != null) cursor.close();
    }
}
