package io.deja.core.state;

import java.util.Arrays;

/** Saves a state description as a flat array of longs, read back by {@link StateReader}. */
public final class StateWriter implements StateVisitor {
    private long[] words = new long[256];
    private int size;

    public static long[] save(Stateful component) {
        StateWriter w = new StateWriter();
        component.state(w);
        return w.toArray();
    }

    public long[] toArray() {
        return Arrays.copyOf(words, size);
    }

    private void add(long v) {
        if (size == words.length) words = Arrays.copyOf(words, size * 2);
        words[size++] = v;
    }

    @Override public long u64(String name, long value) { add(value); return value; }
    @Override public int u32(String name, int value) { add(value); return value; }
    @Override public boolean bool(String name, boolean value) { add(value ? 1 : 0); return value; }

    @Override
    public void u64s(String name, long[] values) {
        add(values.length);
        for (long v : values) add(v);
    }

    @Override
    public void u32s(String name, int[] values) {
        add(values.length);
        for (int v : values) add(v);
    }

    @Override
    public void bools(String name, boolean[] values) {
        add(values.length);
        for (boolean v : values) add(v ? 1 : 0);
    }

    @Override
    public void bytes(String name, byte[] values) {
        add(values.length);
        for (byte v : values) add(v);
    }
}
