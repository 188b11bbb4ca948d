package io.deja.analysis.diff;

import io.deja.core.trace.EventField;
import io.deja.core.trace.EventType;
import io.deja.core.trace.FieldType;
import io.deja.recorder.EventCursor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event copied out of a cursor (the cursor's accessors are only valid
 * until its next()), with its fields by name for reports.
 *
 * @param index position in the recording's event stream, from 0
 * @param cpu   the CPU it happened on
 */
public record Event(long index, EventType type, int cpu, long[] values, byte[][] bytes) {
    public static Event of(long index, EventCursor c) {
        EventType t = c.type();
        long[] v = new long[t.size()];
        byte[][] b = new byte[v.length][];
        for (int f = 0; f < v.length; f++) {
            if (t.type(f).scalar()) v[f] = c.i64(f);
            else b[f] = c.bytes(f);
        }
        return new Event(index, t, c.cpu(), v, b);
    }

    /** Whether the cursor's current event equals the other cursor's: type, CPU and every field. */
    static boolean same(EventCursor a, EventCursor b) {
        EventType t = a.type();
        if (t != b.type() || a.cpu() != b.cpu()) return false;
        for (int f = 0; f < t.size(); f++) {
            if (t.type(f).scalar()) {
                if (a.i64(f) != b.i64(f)) return false;
            } else if (!Arrays.equals(a.bytes(f), b.bytes(f))) {
                return false;
            }
        }
        return true;
    }

    public long icount() {
        return values[0];
    }

    /** The fields by name (cpu after icount), formatted as their declarations display them. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        List<EventField> fs = type.fields;
        for (int f = 0; f < fs.size(); f++) {
            EventField field = fs.get(f);
            m.put(field.name(), field.format(values[f], bytes[f], List.of()));
            if (f == 0) m.put("cpu", Integer.toString(cpu));
        }
        return m;
    }

    /** "EXIT icount=31 cpu=0 pc=0x10040 kind=1 (WFI) ..." (a checkpoint's registers are left out: reported as differences). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.name());
        for (int f = 0; f < type.size(); f++) {
            if (type.type(f) == FieldType.LONGS) continue;
            EventField field = type.fields.get(f);
            sb.append(' ').append(field.name()).append('=').append(field.format(values[f], bytes[f], List.of()));
            if (f == 0) sb.append(" cpu=").append(cpu);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && index == e.index && type == e.type && cpu == e.cpu && Arrays.equals(values, e.values)
                && Arrays.deepEquals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(values);
    }
}
