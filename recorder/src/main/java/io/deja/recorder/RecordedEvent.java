package io.deja.recorder;

import io.deja.recorder.schema.EventType;
import io.deja.recorder.schema.Field;
import io.deja.recorder.schema.FieldType;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One event as a value (an EventCursor's current event copied out), for
 * reports, diffs and tests. values holds every field in schema order; the
 * slot of a BYTES field is 0 and its bytes are in data.
 */
public record RecordedEvent(EventType type, long[] values, byte[] data) {
    public RecordedEvent {
        Objects.requireNonNull(type, "type");
        if (values.length != type.fields.size()) {
            throw new IllegalArgumentException(type + " has " + type.fields.size() + " fields, got " + values.length + " values");
        }
        values = values.clone();
        data = data == null ? null : data.clone();
    }

    /** Copies the current event of a cursor. */
    public static RecordedEvent of(EventCursor c) {
        EventType t = c.type();
        long[] v = new long[t.fields.size()];
        byte[] data = null;
        for (int f = 0; f < v.length; f++) {
            switch (t.fields.get(f).type()) {
                case BYTES -> data = c.bytes(f);
                case I64 -> v[f] = c.i64(f);
                case I32 -> v[f] = c.i32(f);
                case U8 -> v[f] = c.u8(f);
                case BOOL -> v[f] = c.bool(f) ? 1 : 0;
            }
        }
        return new RecordedEvent(t, v, data);
    }

    public long icount() {
        return values[0];
    }

    /** The value of the field with this name. */
    public long get(String field) {
        List<Field> fields = type.fields;
        for (int f = 0; f < fields.size(); f++) {
            if (fields.get(f).name().equals(field)) return values[f];
        }
        throw new IllegalArgumentException(type + " has no field " + field);
    }

    /** The pc field, if the type has one. */
    public boolean hasPc() {
        return type.fields.size() > 1 && type.fields.get(1).name().equals("pc");
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
        return o instanceof RecordedEvent e && type == e.type && Arrays.equals(values, e.values) && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(values) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return describe(List.of());
    }

    /**
     * "MMIO icount=1234 pc=0x10040 device=2 (pl011) offset=0x18 ...": every field by name,
     * addresses and register values in hex; devices named from the recording's device table.
     */
    public String describe(List<String> devices) {
        StringBuilder s = new StringBuilder(type.name());
        for (int f = 0; f < values.length; f++) {
            Field field = type.fields.get(f);
            s.append(' ').append(field.name()).append('=');
            long v = values[f];
            switch (field.type()) {
                case BYTES -> s.append(bytes(type, data));
                case BOOL -> s.append(v != 0);
                default -> {
                    if (hex(field.name())) s.append("0x").append(Long.toHexString(v));
                    else s.append(v);
                    if (field.name().equals("device") && v >= 0 && v < devices.size()) s.append(" (").append(devices.get((int) v)).append(')');
                    if (type == EventType.CONSOLE && v >= 0x20 && v < 0x7f) s.append(" '").append((char) v).append('\'');
                }
            }
        }
        return s.toString();
    }

    private static boolean hex(String name) {
        return switch (name) {
            case "pc", "address", "offset", "dev_offset", "value", "arg0", "arg2", "esr", "far", "old", "new", "opcode", "encoding",
                 "cpu_hash", "ram_hash", "device_hash" -> true;
            default -> false;
        };
    }

    private static String bytes(EventType type, byte[] data) {
        if (data == null) return "null";
        if (type == EventType.CHECKPOINT) return "(" + data.length / 8 + " registers)";
        StringBuilder s = new StringBuilder("\"");
        int n = Math.min(data.length, 64);
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xFF;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') s.append((char) b);
            else if (b == '\n') s.append("\\n");
            else s.append(String.format("\\x%02x", b));
        }
        if (data.length > n) s.append("...(").append(data.length).append(" bytes)");
        return s.append('"').toString();
    }

    /** FieldType of field f (for generic code). */
    public FieldType fieldType(int f) {
        return type.fields.get(f).type();
    }
}
