package io.deja.core.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lists a state description by name (array elements as name[i], nested
 * components as prefix.name): for debugger register views, divergence
 * reports and tests that compare two machines.
 */
public final class StateDump implements StateVisitor {
    private final Map<String, Long> values = new LinkedHashMap<>();
    private String prefix = "";

    public static Map<String, Long> of(Stateful component) {
        StateDump d = new StateDump();
        component.state(d);
        return d.values;
    }

    @Override public long u64(String name, long value) { values.put(prefix + name, value); return value; }
    @Override public int u32(String name, int value) { values.put(prefix + name, value & 0xFFFF_FFFFL); return value; }
    @Override public boolean bool(String name, boolean value) { values.put(prefix + name, value ? 1L : 0L); return value; }

    @Override
    public void u64s(String name, long[] v) {
        for (int i = 0; i < v.length; i++) values.put(prefix + name + "[" + i + "]", v[i]);
    }

    @Override
    public void u32s(String name, int[] v) {
        for (int i = 0; i < v.length; i++) values.put(prefix + name + "[" + i + "]", v[i] & 0xFFFF_FFFFL);
    }

    @Override
    public void bytes(String name, byte[] v) {
        for (int i = 0; i < v.length; i++) values.put(prefix + name + "[" + i + "]", v[i] & 0xFFL);
    }

    @Override
    public void bools(String name, boolean[] v) {
        for (int i = 0; i < v.length; i++) values.put(prefix + name + "[" + i + "]", v[i] ? 1L : 0L);
    }

    @Override
    public void child(String name, Stateful component) {
        String outer = prefix;
        prefix = outer + name + ".";
        component.state(this);
        prefix = outer;
    }
}
