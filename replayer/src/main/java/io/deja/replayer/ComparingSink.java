package io.deja.replayer;

import io.deja.core.trace.CpuBoundSink;
import io.deja.core.trace.EventType;
import io.deja.core.trace.FieldType;
import io.deja.core.trace.SlotSink;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordingWriter;

import java.util.Arrays;

/**
 * Checks every event the replaying machine reports against the next recorded
 * one, and throws a {@link Divergence} at the first difference. Only events
 * the recording holds are compared: those of its level, and insns/full-level
 * ones only inside its window; within an event, the type, the CPU and every
 * field its declaration (events.schema) says replay compares. The comparison
 * is written once for every event type and reads the cursor's fields in
 * place: nothing is allocated per event unless it diverges.
 *
 * When the recording was cut short, events after its last one are not
 * compared ({@link #exhausted()}). A re-trace copies events to a second
 * recording ({@code tee}): every events-level event, and the richer ones
 * inside its window.
 */
public final class ComparingSink extends SlotSink implements CpuBoundSink.Target {
    private final EventCursor expected;
    private final RecordingHeader header;
    private final TraceLevel level;
    private final RecordingWriter tee;
    private final long teeFrom;
    private final long teeTo;
    private final TraceLevel teeLevel;

    private long compared;
    private boolean exhausted;
    /** The current recorded event is still to be compared (an opening checkpoint the recording lacks was skipped). */
    private boolean held;
    /** Set while an opening checkpoint is emitted: whether the recording holds it, whether the re-trace gets it. */
    private boolean opening, openingCompared, openingCopied;
    /** The CPU the machine's events come from. */
    private int cpu;

    /** Compares with the events of expected (a cursor of the recording whose header is header); tee: a re-trace, or null. */
    public ComparingSink(EventCursor expected, RecordingHeader header, RecordingWriter tee) {
        this.expected = expected;
        this.header = header;
        this.level = header.traceLevel();
        this.tee = tee;
        RecordingHeader t = tee == null ? null : tee.header();
        this.teeFrom = t == null ? 0 : t.traceFrom();
        this.teeTo = t == null ? -1 : t.traceTo();
        this.teeLevel = t == null ? TraceLevel.EVENTS : t.traceLevel();
    }

    /** Events compared and found equal. */
    public long compared() { return compared; }

    /** Whether a recording cut short has no more events (later events are not compared). */
    boolean exhausted() { return exhausted; }

    @Override
    public void onCpu(int c) {
        cpu = c;
        if (tee != null) tee.onCpu(c);
    }

    /**
     * Moves to the next recorded event that replay compares (a type declared
     * nocompare is passed over); false when a truncated recording has none left.
     */
    private boolean advance() {
        if (held) {
            held = false;
            return true;
        }
        if (exhausted) return false;
        while (expected.next()) {
            if (expected.type().compared) return true;
        }
        exhausted = true;
        return false;
    }

    /**
     * Has m emit an opening checkpoint (at icount 0, or where a trace window starts; see
     * RecordingFormat): compared when the recording should hold it, copied when the re-trace should.
     */
    void openingCheckpoint(io.deja.core.board.Machine m, boolean compare, boolean copy) {
        opening = true;
        openingCompared = compare;
        openingCopied = copy && tee != null;
        try {
            m.checkpoint();
        } finally {
            opening = false;
        }
    }

    @Override
    protected void event(EventType t) {
        long icount = slots[0];
        if (opening) {
            if (openingCopied) copyToTee(t);
            if (!openingCompared || !advance()) return;
            if (!(expected.type() == t && expected.icount() == icount)) {
                held = true; // no opening checkpoint recorded here
                return;
            }
        } else {
            boolean rich = t.level != TraceLevel.EVENTS;
            if (tee != null && (!rich || (teeLevel.atLeast(t.level) && icount >= teeFrom && icount <= teeTo))) copyToTee(t);
            if (!t.compared) return;
            if (rich && (!level.atLeast(t.level) || !header.inWindow(icount))) return;
            if (!advance()) return;
        }
        if (!matches(t)) throw diverge(t);
        compared++;
    }

    /** Whether the recorded event is this one: type, CPU and every compared field. */
    private boolean matches(EventType t) {
        EventCursor e = expected;
        if (e.type() != t || e.cpu() != cpu) return false;
        long[] s = slots;
        for (int f = 0, n = t.size(); f < n; f++) {
            if (!t.compares(f)) continue;
            FieldType type = t.type(f);
            if (type == FieldType.BYTES) {
                if (!e.sameBytes(f, bytes)) return false;
            } else if (type == FieldType.LONGS) {
                if (!e.sameLongs(f, longs)) return false;
            } else if (e.i64(f) != s[f]) {
                return false;
            }
        }
        return true;
    }

    private void copyToTee(EventType t) {
        SlotSink.call(tee, t, slots, payload(t));
    }

    /** The current event's BYTES or LONGS field as bytes, or null. */
    private byte[] payload(EventType t) {
        if (t.payload < 0) return null;
        return t.type(t.payload) == FieldType.BYTES ? bytes : SlotSink.bytesOf(longs);
    }

    /** The recorded event (current) against the machine's, which differ. */
    private Divergence diverge(EventType t) {
        RecordedEvent want = RecordedEvent.of(expected);
        RecordedEvent got = new RecordedEvent(t, cpu, Arrays.copyOf(slots, t.size()), payload(t));
        String note = want.type() == EventType.END ? "the recording ends here; the replay went on" : null;
        return new Divergence(want, got, Math.min(want.icount(), got.icount()), note);
    }

    // ---- The end ----------------------------------------------------------------------------------
    /**
     * The replay stopped at icount: the recording's next event must be its END there
     * (reason: recorded host stops, budget and cancel, match either; guest stops must agree).
     */
    void end(long icount, long cycles, int reason, boolean hostStop) {
        if (!advance()) {
            throw new Divergence(null, new RecordedEvent(EventType.END, new long[] {icount, cycles, reason}, null), icount,
                    "the recording has no END event");
        }
        EventCursor e = expected;
        boolean same = e.type() == EventType.END;
        int recorded = same ? e.u8(EventType.END.field("reason")) : -1;
        boolean reasonOk = recorded == reason || (hostStop && isHostStop(recorded));
        if (!same || e.cpu() != cpu || e.i64(0) != icount || e.i64(1) != cycles || !reasonOk) {
            RecordedEvent want = RecordedEvent.of(e);
            throw new Divergence(want, new RecordedEvent(EventType.END, new long[] {icount, cycles, reason}, null),
                    Math.min(want.icount(), icount), "the replay stopped here");
        }
        compared++;
    }

    static boolean isHostStop(int reason) {
        return reason == ExitKind.BUDGET.code || reason == ExitKind.CANCELLED.code;
    }

    /** After the replay stopped: a recorded event that never happened is a divergence too. */
    void expectNoMore(long icount, String why) {
        if (advance()) {
            RecordedEvent want = RecordedEvent.of(expected);
            throw new Divergence(want, null, Math.min(want.icount(), icount), why);
        }
    }
}
