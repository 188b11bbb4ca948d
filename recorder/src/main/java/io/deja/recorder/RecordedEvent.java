package io.deja.recorder;

import io.deja.core.trace.EventField;
import io.deja.core.trace.EventType;
import io.deja.core.trace.FieldType;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One event as a value (an EventCursor's current event copied out), for
 * reports, diffs and tests. values holds every field in schema order; the
 * slot of a BYTES or LONGS field is 0 and its bytes are in data.
 *
 * @param cpu the CPU it happened on
 */
public record RecordedEvent(EventType type, int cpu, long[] values, byte[] data) {
    public RecordedEvent {
        Objects.requireNonNull(type, "type");
        if (values.length != type.size()) {
            throw new IllegalArgumentException(type + " has " + Plural.count(type.size(), "field") + ", got " + Plural.count(values.length, "value"));
        }
        values = values.clone();
        data = data == null ? null : data.clone();
    }

    /** An event of CPU 0. */
    public RecordedEvent(EventType type, long[] values, byte[] data) {
        this(type, 0, values, data);
    }

    /** Copies the current event of a cursor. */
    public static RecordedEvent of(EventCursor c) {
        EventType t = c.type();
        long[] v = new long[t.size()];
        byte[] data = null;
        for (int f = 0; f < v.length; f++) {
            if (f == t.payload) data = c.bytes(f);
            else v[f] = c.i64(f);
        }
        return new RecordedEvent(t, c.cpu(), v, data);
    }

    public long icount() {
        return values[0];
    }

    /** The value of the field with this name. */
    public long get(String field) {
        return values[type.field(field)];
    }

    /** The pc field, if the type has one. */
    public boolean hasPc() {
        return type.size() > 1 && type.type(1) == FieldType.PC;
    }

    /** The same event with one field changed (tests that tamper with a recording). */
    public RecordedEvent with(String field, long value) {
        long[] v = values.clone();
        v[type.field(field)] = value;
        return new RecordedEvent(type, cpu, v, data);
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedEvent e && type == e.type && cpu == e.cpu && Arrays.equals(values, e.values) && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + cpu) * 31 + Arrays.hashCode(values) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return describe(List.of());
    }

    /**
     * "MMIO icount=1234 cpu=0 pc=0x10040 device=2 (pl011) dev_offset=0x18 ...": every field
     * by name as its declaration displays it; devices named from the recording's device table.
     */
    public String describe(List<String> devices) {
        StringBuilder s = new StringBuilder(type.name());
        for (int f = 0; f < values.length; f++) {
            EventField field = type.fields.get(f);
            s.append(' ').append(field.name()).append('=').append(field.format(values[f], f == type.payload ? data : null, devices));
            if (f == 0) s.append(" cpu=").append(cpu);
        }
        return s.toString();
    }
}
