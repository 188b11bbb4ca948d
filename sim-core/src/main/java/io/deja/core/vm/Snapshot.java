package io.deja.core.vm;

import io.deja.core.mem.RamSnapshot;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A machine's state at one instruction boundary, taken by
 * {@link VirtualMachine#snapshot()}: the state every component describes
 * (CPU, TLB, timer, chaos generator, in-process devices, and for a board its
 * own), and RAM as a delta against the previous snapshot. Opaque and
 * immutable; valid only for the machine that took it, or (read back from a
 * file with its ancestors) for a machine built from the same configuration.
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

    /**
     * Writes what this snapshot holds of its own (its state words and the RAM
     * pages written since its parent); a chain written parent first is read back
     * by {@link #readFrom} in the same order.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(instructions);
        out.writeLong(traceLastInsn);
        out.writeInt(state.length);
        for (long w : state) out.writeLong(w);
        ram.writeTo(out);
    }

    /**
     * Reads a snapshot written by {@link #writeTo} whose parent (the snapshot
     * written before it, null for the first of a chain) was read already. The
     * state words are checked against the machine's shape when restored.
     * @param ramPages pages of the RAM of the machine it is for
     * @throws IOException if the bytes cannot be a snapshot of such a machine
     */
    public static Snapshot readFrom(DataInput in, Snapshot parent, int ramPages) throws IOException {
        long instructions = in.readLong();
        long traceLastInsn = in.readLong();
        if (instructions < 0 || (parent != null && instructions < parent.instructions)) {
            throw new IOException("snapshot at icount " + instructions + " after one at " + (parent == null ? 0 : parent.instructions));
        }
        int words = in.readInt();
        if (words < 0 || words > MAX_STATE_WORDS) throw new IOException("snapshot state of " + words + " words");
        long[] state = new long[words];
        for (int i = 0; i < words; i++) state[i] = in.readLong();
        RamSnapshot ram = RamSnapshot.readFrom(in, parent == null ? null : parent.ram, ramPages);
        return new Snapshot(state, ram, instructions, traceLastInsn);
    }

    /** Far more state words than any machine describes: a bound for reading untrusted files. */
    private static final int MAX_STATE_WORDS = 1 << 24;
}
