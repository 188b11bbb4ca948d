package io.deja.gdb;

import io.deja.core.board.Machine;

/**
 * One write from gdb, as the machine takes it and a recording holds it (a
 * DEBUG_WRITE event): before the instruction at icount (the machine's count,
 * all CPUs'), to CPU cpu; kind is one of TraceSink's DEBUG_* codes, target the
 * register number, system register encoding or physical address, data the
 * value (little-endian) or the bytes.
 */
public record DebugWrite(long icount, int cpu, int kind, long target, byte[] data) {
    public DebugWrite {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Applies it to m, which stands at icount (reported to m's trace sink: a recorder records it); false if m refuses it. */
    public boolean applyTo(Machine m) {
        if (m.instructions() != icount) throw new IllegalStateException("a write at icount " + icount + " applied at " + m.instructions());
        return m.debugWrite(cpu, kind, target, data);
    }
}
