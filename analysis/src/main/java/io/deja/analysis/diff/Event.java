package io.deja.analysis.diff;

import io.deja.analysis.schema.Names;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.isa.SysRegs;
import io.deja.recorder.EventCursor;
import io.deja.recorder.schema.EventType;
import io.deja.recorder.schema.Field;
import io.deja.recorder.schema.FieldType;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event copied out of a cursor (the cursor's accessors are only valid
 * until its next()), with its fields by name for reports.
 *
 * @param index position in the recording's event stream, from 0
 */
public record Event(long index, EventType type, long[] values, byte[][] bytes) {
    public static Event of(long index, EventCursor c) {
        EventType t = c.type();
        long[] v = new long[t.fields.size()];
        byte[][] b = new byte[v.length][];
        for (int f = 0; f < v.length; f++) {
            if (t.fields.get(f).type() == FieldType.BYTES) b[f] = c.bytes(f);
            else v[f] = value(c, t.fields.get(f).type(), f);
        }
        return new Event(index, t, v, b);
    }

    static long value(EventCursor c, FieldType type, int f) {
        return switch (type) {
            case I64 -> c.i64(f);
            case I32 -> c.i32(f);
            case U8 -> c.u8(f);
            case BOOL -> c.bool(f) ? 1 : 0;
            case BYTES -> throw new IllegalArgumentException("BYTES field");
        };
    }

    /** Whether the cursor's current event equals the other cursor's, field by field. */
    static boolean same(EventCursor a, EventCursor b) {
        EventType t = a.type();
        if (t != b.type()) return false;
        List<Field> fields = t.fields;
        for (int f = 0; f < fields.size(); f++) {
            FieldType ft = fields.get(f).type();
            if (ft == FieldType.BYTES) {
                if (!Arrays.equals(a.bytes(f), b.bytes(f))) return false;
            } else if (value(a, ft, f) != value(b, ft, f)) {
                return false;
            }
        }
        return true;
    }

    public long icount() {
        return values[0];
    }

    /** The fields by name, formatted (addresses and values in hex, codes with their names). */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        List<Field> fs = type.fields;
        for (int f = 0; f < fs.size(); f++) {
            Field field = fs.get(f);
            m.put(field.name(), format(field, f));
        }
        return m;
    }

    private String format(Field field, int f) {
        long v = values[f];
        return switch (field.type()) {
            case BYTES -> type == EventType.INPUT ? '"' + new String(bytes[f], java.nio.charset.StandardCharsets.UTF_8) + '"'
                    : "0x" + HexFormat.of().formatHex(bytes[f]);
            case BOOL -> Boolean.toString(v != 0);
            case U8, I32 -> switch (field.name()) {
                case "kind" -> v + " (" + Names.exitKind((int) v) + ")";
                case "ec" -> "0x" + Long.toHexString(v) + " (" + ExceptionClass.name((int) v) + ")";
                case "reg" -> Names.reg((int) v);
                case "encoding" -> SysRegs.name((int) v);
                case "opcode" -> String.format("0x%08x", (int) v);
                default -> Long.toString(v);
            };
            case I64 -> field.name().equals("icount") || field.name().equals("cycles") ? Long.toString(v) : "0x" + Long.toHexString(v);
        };
    }

    /** "EXIT icount=31 pc=0x10040 kind=1 (WFI) ..." */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.name());
        for (Map.Entry<String, String> e : fields().entrySet()) {
            if (type == EventType.CHECKPOINT && e.getKey().equals("regs")) continue; // 272 bytes: reported as register differences
            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && index == e.index && type == e.type && Arrays.equals(values, e.values)
                && Arrays.deepEquals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(values);
    }
}
