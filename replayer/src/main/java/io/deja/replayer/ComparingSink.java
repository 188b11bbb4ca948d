package io.deja.replayer;

import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordingWriter;
import io.deja.recorder.schema.EventType;

import java.util.Arrays;

/**
 * Checks every event the replaying machine reports against the next recorded
 * one, and throws a {@link Divergence} at the first difference. Only events
 * the recording holds are compared: those of its level, and insns/full-level
 * ones only inside its window. The comparisons read the cursor's fields in
 * place: nothing is allocated per event unless it diverges.
 *
 * When the recording was cut short, events after its last one are not
 * compared ({@link #exhausted()}). A re-trace copies events to a second
 * recording ({@code tee}): every events-level event, and the richer ones
 * inside its window.
 */
final class ComparingSink implements TraceSink {
    private final EventCursor expected;
    private final RecordingHeader header;
    private final boolean insns;
    private final boolean full;
    private final RecordingWriter tee;
    private final long teeFrom;
    private final long teeTo;
    private final boolean teeInsns;
    private final boolean teeFull;

    private long compared;
    private boolean exhausted;
    /** The current recorded event is still to be compared (an opening checkpoint the recording lacks was skipped). */
    private boolean held;
    /** Set while an opening checkpoint is emitted: whether the recording holds it, whether the re-trace gets it. */
    private boolean opening, openingCompared, openingCopied;

    ComparingSink(EventCursor expected, RecordingHeader header, RecordingWriter tee) {
        this.expected = expected;
        this.header = header;
        this.insns = header.traceLevel().atLeast(TraceLevel.INSNS);
        this.full = header.traceLevel().atLeast(TraceLevel.FULL);
        this.tee = tee;
        RecordingHeader t = tee == null ? null : tee.header();
        this.teeFrom = t == null ? 0 : t.traceFrom();
        this.teeTo = t == null ? -1 : t.traceTo();
        this.teeInsns = t != null && t.traceLevel().atLeast(TraceLevel.INSNS);
        this.teeFull = t != null && t.traceLevel().atLeast(TraceLevel.FULL);
    }

    /** Events compared and found equal. */
    long compared() { return compared; }

    /** Whether a recording cut short has no more events (later events are not compared). */
    boolean exhausted() { return exhausted; }

    /** Moves to the next recorded event; false when a truncated recording has none left. */
    private boolean advance() {
        if (held) {
            held = false;
            return true;
        }
        if (exhausted) return false;
        if (expected.next()) return true;
        exhausted = true;
        return false;
    }

    /** The recorded event (current) against the machine's, which differ. */
    private Divergence diverge(EventType type, long[] actual, byte[] data) {
        RecordedEvent want = RecordedEvent.of(expected);
        RecordedEvent got = new RecordedEvent(type, actual, data);
        String note = want.type() == EventType.END ? "the recording ends here; the replay went on" : null;
        return new Divergence(want, got, Math.min(want.icount(), got.icount()), note);
    }

    private boolean same(EventType t) {
        return expected.type() == t;
    }

    /**
     * Has m emit an opening checkpoint (at icount 0, or where a trace window starts; see
     * RecordingFormat): compared when the recording should hold it, copied when the re-trace should.
     * A recording made before Deja opened its recordings with a checkpoint has none: the
     * replay then goes on with the recorded event it met, unmatched, still to be compared.
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

    private boolean inTee(long icount) {
        return icount >= teeFrom && icount <= teeTo;
    }

    // ---- Events level ---------------------------------------------------------------------------
    @Override
    public void exit(long icount, long pc, int kind, long arg0, long arg1, long arg2) {
        if (tee != null) tee.exit(icount, pc, kind, arg0, arg1, arg2);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.EXIT) || e.i64(0) != icount || e.i64(1) != pc || e.u8(2) != (kind & 0xFF)
                || e.i64(3) != arg0 || e.i64(4) != arg1 || e.i64(5) != arg2) {
            throw diverge(EventType.EXIT, new long[] {icount, pc, kind & 0xFF, arg0, arg1, arg2}, null);
        }
        compared++;
    }

    @Override
    public void interrupt(long icount, long pc, int intid, boolean fiq, int fromEl) {
        if (tee != null) tee.interrupt(icount, pc, intid, fiq, fromEl);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.INTERRUPT) || e.i64(0) != icount || e.i64(1) != pc || e.i32(2) != intid
                || e.bool(3) != fiq || e.u8(4) != (fromEl & 0xFF)) {
            throw diverge(EventType.INTERRUPT, new long[] {icount, pc, intid, fiq ? 1 : 0, fromEl & 0xFF}, null);
        }
        compared++;
    }

    @Override
    public void exception(long icount, long pc, int ec, long esr, long far, int fromEl, int toEl) {
        if (tee != null) tee.exception(icount, pc, ec, esr, far, fromEl, toEl);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.EXCEPTION) || e.i64(0) != icount || e.i64(1) != pc || e.u8(2) != (ec & 0xFF)
                || e.i64(3) != esr || e.i64(4) != far || e.u8(5) != (fromEl & 0xFF) || e.u8(6) != (toEl & 0xFF)) {
            throw diverge(EventType.EXCEPTION, new long[] {icount, pc, ec & 0xFF, esr, far, fromEl & 0xFF, toEl & 0xFF}, null);
        }
        compared++;
    }

    @Override
    public void mmio(long icount, long pc, int device, long offset, int size, boolean write, long value) {
        if (tee != null) tee.mmio(icount, pc, device, offset, size, write, value);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.MMIO) || e.i64(0) != icount || e.i64(1) != pc || e.u8(2) != (device & 0xFF)
                || e.i64(3) != offset || e.u8(4) != (size & 0xFF) || e.bool(5) != write || e.i64(6) != value) {
            throw diverge(EventType.MMIO, new long[] {icount, pc, device & 0xFF, offset, size & 0xFF, write ? 1 : 0, value}, null);
        }
        compared++;
    }

    @Override
    public void sysregWrite(long icount, long pc, int encoding, long oldValue, long newValue) {
        if (tee != null) tee.sysregWrite(icount, pc, encoding, oldValue, newValue);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.SYSREG_WRITE) || e.i64(0) != icount || e.i64(1) != pc || e.i32(2) != encoding
                || e.i64(3) != oldValue || e.i64(4) != newValue) {
            throw diverge(EventType.SYSREG_WRITE, new long[] {icount, pc, encoding, oldValue, newValue}, null);
        }
        compared++;
    }

    @Override
    public void input(long icount, int source, byte[] data) {
        if (tee != null) tee.input(icount, source, data);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.INPUT) || e.i64(0) != icount || e.u8(1) != (source & 0xFF) || !Arrays.equals(e.bytes(2), data)) {
            throw diverge(EventType.INPUT, new long[] {icount, source & 0xFF, 0}, data);
        }
        compared++;
    }

    @Override
    public void console(long icount, int value) {
        if (tee != null) tee.console(icount, value);
        if (!advance()) return;
        EventCursor e = expected;
        if (!same(EventType.CONSOLE) || e.i64(0) != icount || e.u8(1) != (value & 0xFF)) {
            throw diverge(EventType.CONSOLE, new long[] {icount, value & 0xFF}, null);
        }
        compared++;
    }

    @Override
    public void checkpoint(long icount, long cycles, long cpuHash, long ramHash, long deviceHash, long[] regs) {
        if (opening ? openingCopied : tee != null) tee.checkpoint(icount, cycles, cpuHash, ramHash, deviceHash, regs);
        if (opening && !openingCompared) return;
        if (!advance()) return;
        EventCursor e = expected;
        if (opening && !(same(EventType.CHECKPOINT) && e.i64(0) == icount)) {
            held = true; // no opening checkpoint recorded here (an older recording)
            return;
        }
        byte[] actualRegs = Registers.toBytes(regs);
        if (!same(EventType.CHECKPOINT) || e.i64(0) != icount || e.i64(1) != cycles || e.i64(2) != cpuHash
                || e.i64(3) != ramHash || e.i64(4) != deviceHash || !Arrays.equals(e.bytes(5), actualRegs)) {
            throw diverge(EventType.CHECKPOINT, new long[] {icount, cycles, cpuHash, ramHash, deviceHash, 0}, actualRegs);
        }
        compared++;
    }

    // ---- Instructions, registers, stores (compared only when recorded) -----------------------------
    @Override
    public void insn(long icount, long pc, int opcode) {
        if (teeInsns && inTee(icount)) tee.insn(icount, pc, opcode);
        if (!insns || !header.inWindow(icount) || !advance()) return;
        EventCursor e = expected;
        if (!same(EventType.INSN) || e.i64(0) != icount || e.i64(1) != pc || e.i32(2) != opcode) {
            throw diverge(EventType.INSN, new long[] {icount, pc, opcode}, null);
        }
        compared++;
    }

    @Override
    public void regWrite(long icount, int reg, long value) {
        if (teeFull && inTee(icount)) tee.regWrite(icount, reg, value);
        if (!full || !header.inWindow(icount) || !advance()) return;
        EventCursor e = expected;
        if (!same(EventType.REG_WRITE) || e.i64(0) != icount || e.u8(1) != (reg & 0xFF) || e.i64(2) != value) {
            throw diverge(EventType.REG_WRITE, new long[] {icount, reg & 0xFF, value}, null);
        }
        compared++;
    }

    @Override
    public void memWrite(long icount, long address, int size, long value) {
        if (teeFull && inTee(icount)) tee.memWrite(icount, address, size, value);
        if (!full || !header.inWindow(icount) || !advance()) return;
        EventCursor e = expected;
        if (!same(EventType.MEM_WRITE) || e.i64(0) != icount || e.i64(1) != address || e.u8(2) != (size & 0xFF) || e.i64(3) != value) {
            throw diverge(EventType.MEM_WRITE, new long[] {icount, address, size & 0xFF, value}, null);
        }
        compared++;
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
        boolean reasonOk = e.u8(2) == reason || (hostStop && isHostStop(e.u8(2)));
        if (!same(EventType.END) || e.i64(0) != icount || e.i64(1) != cycles || !reasonOk) {
            RecordedEvent want = RecordedEvent.of(e);
            throw new Divergence(want, new RecordedEvent(EventType.END, new long[] {icount, cycles, reason}, null),
                    Math.min(want.icount(), icount), "the replay stopped here");
        }
        compared++;
    }

    static boolean isHostStop(int reason) {
        return reason == io.deja.core.board.StopReason.BUDGET_EXHAUSTED.ordinal()
                || reason == io.deja.core.board.StopReason.CANCELLED.ordinal();
    }

    /** After the replay stopped: a recorded event that never happened is a divergence too. */
    void expectNoMore(long icount, String why) {
        if (advance()) {
            RecordedEvent want = RecordedEvent.of(expected);
            throw new Divergence(want, null, Math.min(want.icount(), icount), why);
        }
    }
}
