package io.deja.replayer;

import io.deja.core.trace.TraceSink;

/**
 * The last {@link #SIZE} instructions executed: two primitive arrays written
 * in a circle, nothing allocated per instruction.
 */
final class InstructionRing implements TraceSink {
    static final int SIZE = 32;

    private final long[] icount = new long[SIZE];
    private final long[] pc = new long[SIZE];
    private final int[] opcode = new int[SIZE];
    private long n;

    @Override
    public void insn(long icount, long pc, int opcode) {
        int i = (int) (n++ & (SIZE - 1));
        this.icount[i] = icount;
        this.pc[i] = pc;
        this.opcode[i] = opcode;
    }

    /** One instruction, oldest first in {@link #entries()}. */
    record Entry(long icount, long pc, int opcode) {}

    Entry[] entries() {
        int count = (int) Math.min(n, SIZE);
        Entry[] out = new Entry[count];
        for (int k = 0; k < count; k++) {
            int i = (int) ((n - count + k) & (SIZE - 1));
            out[k] = new Entry(icount[i], pc[i], opcode[i]);
        }
        return out;
    }
}
