package io.deja.core.state;

import io.deja.core.mem.Ram;

/** Hashes a state description (checkpoints: equal hashes at equal icount prove a bit-exact replay). */
public final class StateHash implements StateVisitor {
    private long h;

    public static long of(Stateful component) {
        StateHash hash = new StateHash();
        component.state(hash);
        return hash.value();
    }

    public long value() {
        return Ram.mix(h);
    }

    private void add(long v) {
        h = Ram.mix(h ^ v) + 0x9E37_79B9_7F4A_7C15L;
    }

    @Override public long u64(String name, long value) { add(value); return value; }
    @Override public int u32(String name, int value) { add(value & 0xFFFF_FFFFL); return value; }
    @Override public boolean bool(String name, boolean value) { add(value ? 1 : 0); return value; }

    @Override
    public void u64s(String name, long[] values) {
        add(values.length);
        for (long v : values) add(v);
    }

    @Override
    public void u32s(String name, int[] values) {
        add(values.length);
        for (int v : values) add(v & 0xFFFF_FFFFL);
    }

    @Override
    public void bools(String name, boolean[] values) {
        add(values.length);
        for (boolean v : values) add(v ? 1 : 0);
    }

    @Override
    public void bytes(String name, byte[] values) {
        add(values.length);
        for (int i = 0; i < values.length; i += 8) {
            long word = 0;
            for (int j = i; j < Math.min(i + 8, values.length); j++) word |= (values[j] & 0xFFL) << (8 * (j - i));
            add(word);
        }
    }
}
