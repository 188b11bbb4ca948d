package io.deja.core.vm;

import io.deja.core.mem.RamSnapshot;

/**
 * A machine's state at one instruction boundary, taken by
 * {@link VirtualMachine#snapshot()}: the state every component describes
 * (CPU, TLB, timer, chaos generator, in-process devices, and for a board its
 * own), and RAM as a delta against the previous snapshot. Opaque and
 * immutable; valid only for the machine that took it.
 */
public final class Snapshot {
    final long[] state;
    final RamSnapshot ram;
    final long instructions;
    /** Trace bookkeeping, not state (it must not enter the hashes): the last instruction reported. */
    final long traceLastInsn;

    Snapshot(long[] state, RamSnapshot ram, long instructions, long traceLastInsn) {
        this.state = state;
        this.ram = ram;
        this.instructions = instructions;
        this.traceLastInsn = traceLastInsn;
    }

    /** Instructions retired when it was taken. */
    public long instructions() {
        return instructions;
    }

    /** Bytes this snapshot holds of its own: its state words and the RAM pages written since the previous one. */
    public long ownBytes() {
        return 8L * state.length + ram.ownBytes();
    }

    /** RAM pages it stores itself. */
    public int ramPages() {
        return ram.pageCount();
    }
}
