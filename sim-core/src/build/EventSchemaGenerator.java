import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns src/main/schema/events.schema (the one declaration of every event)
 * into the Java sources of io.deja.core.trace that follow from it: TraceSink,
 * EventType, EventCodes, SlotSink, EncodingSink and CpuBoundSink. Run by Maven in
 * generate-sources as a single-file program:
 * `java EventSchemaGenerator.java SCHEMA OUTDIR`. A malformed line stops the
 * build with its line number.
 */
public class EventSchemaGenerator {
    record Code(int code, String name, String constant) {}

    record Codes(String name, String doc, List<Code> entries) {
        String javaName() { return name.toUpperCase(Locale.ROOT); }
    }

    record Constant(String name, int value, String doc) {}

    record Field(String name, String type, String display, String codes, String param, String nameColumn, boolean compared, String doc) {}

    record Event(String name, int code, String table, String level, String method, String doc, boolean compared, List<Field> fields) {
        Field payload() {
            for (Field f : fields) if (f.type.equals("bytes") || f.type.equals("longs")) return f;
            return null;
        }
    }

    static final Set<String> TYPES = Set.of("u8", "i32", "i64", "pc", "bool", "bytes", "longs");
    static final Set<String> DISPLAYS = Set.of("count", "dec", "hex", "opcode", "char", "reg", "vreg", "codes", "ec", "sysreg", "device", "text", "registers");
    static final Set<String> NAMED = Set.of("codes", "ec", "sysreg", "device", "text");
    static final Set<String> LEVELS = Set.of("events", "insns", "full");

    static String icountDoc;
    static final Map<String, Codes> codes = new LinkedHashMap<>();
    static final List<Constant> constants = new ArrayList<>();
    static final List<Event> events = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path schema = Path.of(args[0]);
        Path out = Path.of(args[1], "io", "deja", "core", "trace");
        parse(schema);
        Files.createDirectories(out);
        writeIfChanged(out.resolve("TraceSink.java"), traceSink());
        writeIfChanged(out.resolve("EventType.java"), eventType());
        writeIfChanged(out.resolve("EventCodes.java"), eventCodes());
        writeIfChanged(out.resolve("SlotSink.java"), slotSink());
        writeIfChanged(out.resolve("EncodingSink.java"), encodingSink());
        writeIfChanged(out.resolve("CpuBoundSink.java"), cpuBoundSink());
    }

    // ---- Parsing ----------------------------------------------------------------------------------
    static void parse(Path schema) throws IOException {
        List<String> lines = Files.readAllLines(schema);
        Codes currentCodes = null;
        Event currentEvent = null;
        Set<Integer> eventCodes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> t = tokens(lines.get(i), schema, i);
            if (t.isEmpty()) continue;
            String kw = t.get(0);
            switch (kw) {
                case "icount" -> {
                    need(t, 2, schema, i, "icount \"doc\"");
                    icountDoc = t.get(1);
                    currentCodes = null;
                    currentEvent = null;
                }
                case "codes" -> {
                    need(t, 3, schema, i, "codes NAME \"doc\"");
                    currentCodes = new Codes(t.get(1), t.get(2), new ArrayList<>());
                    if (codes.put(currentCodes.name, currentCodes) != null) fail(schema, i, "codes " + t.get(1) + " declared twice");
                    currentEvent = null;
                }
                case "constant" -> {
                    need(t, 4, schema, i, "constant NAME VALUE \"doc\"");
                    constants.add(new Constant(t.get(1), integer(t.get(2), schema, i), t.get(3)));
                    currentCodes = null;
                    currentEvent = null;
                }
                case "event" -> {
                    if (t.size() != 7 && !(t.size() == 8 && t.get(7).equals("nocompare"))) {
                        fail(schema, i, "expected event NAME CODE TABLE LEVEL METHOD \"doc\" [nocompare]");
                    }
                    int code = integer(t.get(2), schema, i);
                    if (code < 1 || code > 63) fail(schema, i, "event code " + code + " outside 1-63 (a batch's mask has a bit per code)");
                    if (!eventCodes.add(code)) fail(schema, i, "event code " + code + " used twice");
                    if (!names.add(t.get(1))) fail(schema, i, "event " + t.get(1) + " declared twice");
                    if (!LEVELS.contains(t.get(4))) fail(schema, i, "level must be one of " + LEVELS + ": " + t.get(4));
                    currentEvent = new Event(t.get(1), code, t.get(3), t.get(4), t.get(5), t.get(6), t.size() == 7, new ArrayList<>());
                    currentEvent.fields.add(new Field("icount", "i64", "count", null, "icount", null, true, null));
                    events.add(currentEvent);
                    currentCodes = null;
                }
                case "field" -> {
                    if (currentEvent == null) fail(schema, i, "a field outside an event");
                    currentEvent.fields.add(field(t, schema, i));
                    if (currentEvent.fields.stream().filter(f -> f.type.equals("bytes") || f.type.equals("longs")).count() > 1) {
                        fail(schema, i, "an event has at most one bytes or longs field");
                    }
                }
                default -> {
                    if (currentCodes == null || !Character.isDigit(kw.charAt(0))) fail(schema, i, "unknown line: " + kw);
                    if (t.size() < 2 || t.size() > 3) fail(schema, i, "expected CODE NAME [CONSTANT]");
                    currentCodes.entries.add(new Code(integer(kw, schema, i), t.get(1), t.size() == 3 ? t.get(2) : null));
                }
            }
        }
        if (icountDoc == null) fail(schema, 0, "no `icount \"doc\"` line");
        if (events.isEmpty()) fail(schema, 0, "no events");
    }

    static Field field(List<String> t, Path schema, int i) {
        if (t.size() < 4) fail(schema, i, "expected field NAME TYPE [DISPLAY] [param=JAVA] [as=COLUMN] [nocompare] \"doc\"");
        String name = t.get(1);
        String type = t.get(2);
        if (!TYPES.contains(type)) fail(schema, i, "type must be one of " + TYPES + ": " + type);
        String display = switch (type) {
            case "u8", "i32" -> "dec";
            case "bool" -> "dec";
            case "bytes" -> "hex";
            case "longs" -> "registers";
            default -> "hex";
        };
        String codeTable = null, param = camel(name), as = null;
        boolean compared = true;
        for (int k = 3; k < t.size() - 1; k++) {
            String m = t.get(k);
            if (m.startsWith("param=")) param = m.substring(6);
            else if (m.startsWith("as=")) as = m.substring(3);
            else if (m.equals("nocompare")) compared = false;
            else if (m.startsWith("codes=")) {
                display = "codes";
                codeTable = m.substring(6);
                if (!codes.containsKey(codeTable)) fail(schema, i, "no codes " + codeTable + " declared above");
            } else if (DISPLAYS.contains(m) && !m.equals("codes")) display = m;
            else fail(schema, i, "unknown field modifier " + m);
        }
        String nameColumn = NAMED.contains(display) ? (as != null ? as : name + "_name") : null;
        if (as != null && nameColumn == null) fail(schema, i, "as= names a derived column, which only a naming display has");
        return new Field(name, type, display, codeTable, param, nameColumn, compared, t.get(t.size() - 1));
    }

    static List<String> tokens(String line, Path schema, int i) {
        List<String> out = new ArrayList<>();
        int p = 0;
        while (p < line.length()) {
            char c = line.charAt(p);
            if (c == '#') break;
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '"') {
                int q = line.indexOf('"', p + 1);
                if (q < 0) fail(schema, i, "unterminated string");
                out.add(line.substring(p + 1, q));
                p = q + 1;
            } else {
                int q = p;
                while (q < line.length() && !Character.isWhitespace(line.charAt(q))) q++;
                out.add(line.substring(p, q));
                p = q;
            }
        }
        return out;
    }

    static void need(List<String> t, int n, Path schema, int i, String form) {
        if (t.size() != n) fail(schema, i, "expected " + form);
    }

    static int integer(String s, Path schema, int i) {
        try {
            return Integer.decode(s);
        } catch (NumberFormatException e) {
            fail(schema, i, "not a number: " + s);
            return 0;
        }
    }

    static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (c == '_') up = true;
            else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    static void fail(Path schema, int line, String why) {
        System.err.println(schema + ":" + (line + 1) + ": " + why);
        System.exit(1);
    }

    // ---- Generation -------------------------------------------------------------------------------
    static final String HEADER = """
            // Generated by sim-core/src/build/EventSchemaGenerator.java from sim-core/src/main/schema/events.schema.
            // Do not edit: change the schema.
            package io.deja.core.trace;

            """;

    static String javaType(Field f) {
        return switch (f.type) {
            case "u8", "i32" -> "int";
            case "i64", "pc" -> "long";
            case "bool" -> "boolean";
            case "bytes" -> "byte[]";
            default -> "long[]";
        };
    }

    static String params(Event e) {
        List<String> p = new ArrayList<>();
        for (Field f : e.fields) p.add(javaType(f) + " " + f.param);
        return String.join(", ", p);
    }

    static String args(Event e) {
        List<String> p = new ArrayList<>();
        for (Field f : e.fields) p.add(f.param);
        return String.join(", ", p);
    }

    static String javadoc(String indent, String text) {
        return indent + "/** " + text.replace("*/", "*&#47;") + " */\n";
    }

    static String traceSink() {
        StringBuilder s = new StringBuilder(HEADER);
        s.append("""
                /**
                 * Where the machine reports what happens in a run. The recorder writes these
                 * calls to a recording, the replayer compares them with one. Every method
                 * takes primitives (and, for a few rare events, an array) only: the
                 * per-instruction ones are called from the hot path. {@link #NONE} ignores
                 * everything and is what an untraced machine uses.
                 *
                 * <p>icount is the number of instructions retired before the event: for insn,
                 * regWrite, vregWrite and memWrite it is the index of the instruction that
                 * caused them, so those four join on icount. The CPU an event happened on is not an
                 * argument: each CPU reports to a sink bound to its number ({@link CpuBoundSink}).
                 */
                public interface TraceSink {
                """);
        for (Event e : events) {
            s.append("    /**\n     * ").append(e.doc).append(" (").append(e.name).append(", table ").append(e.table)
                    .append(", level ").append(e.level).append(")\n");
            for (Field f : e.fields) {
                s.append("     * @param ").append(f.param).append(' ').append(f.doc == null ? icountDoc : f.doc).append('\n');
            }
            s.append("     */\n    default void ").append(e.method).append('(').append(params(e)).append(") {}\n\n");
        }
        for (Codes c : codes.values()) {
            for (Code k : c.entries) {
                if (k.constant == null) continue;
                s.append(javadoc("    ", c.name + " code of " + k.name + ": " + c.doc)).append("    int ").append(k.constant)
                        .append(" = ").append(k.code).append(";\n");
            }
        }
        for (Constant c : constants) {
            s.append(javadoc("    ", c.doc)).append("    int ").append(c.name).append(" = ").append(c.value).append(";\n");
        }
        s.append("\n    TraceSink NONE = new TraceSink() {};\n}\n");
        return s.toString();
    }

    static String eventType() {
        StringBuilder s = new StringBuilder(HEADER);
        s.append("""
                import java.util.List;

                /**
                 * Every event a run reports, as events.schema declares it: its code in the
                 * file, the exported table, the trace level that records it, the TraceSink
                 * method, whether replay compares it, and its fields in order (field 0 is
                 * always icount). Codes are part of the recording format: never renumber.
                 */
                public enum EventType {
                """);
        for (int k = 0; k < events.size(); k++) {
            Event e = events.get(k);
            s.append("    ").append(e.name).append('(').append(e.code).append(", ").append(str(e.table)).append(", TraceLevel.")
                    .append(e.level.toUpperCase(Locale.ROOT)).append(", ").append(str(e.method)).append(", ").append(e.compared)
                    .append(",\n            ").append(str(e.doc)).append(",\n");
            for (int f = 0; f < e.fields.size(); f++) {
                Field x = e.fields.get(f);
                s.append("            new EventField(").append(str(x.name)).append(", FieldType.").append(x.type.toUpperCase(Locale.ROOT))
                        .append(", Display.").append(x.display.toUpperCase(Locale.ROOT)).append(", ")
                        .append(x.codes == null ? "null" : "EventCodes." + x.codes.toUpperCase(Locale.ROOT)).append(", ")
                        .append(str(x.param)).append(", ").append(x.nameColumn == null ? "null" : str(x.nameColumn)).append(", ")
                        .append(x.compared).append(", ").append(str(x.doc == null ? icountDoc : x.doc)).append(')')
                        .append(f + 1 < e.fields.size() ? ",\n" : ")");
            }
            s.append(k + 1 < events.size() ? ",\n" : ";\n");
        }
        int max = events.stream().mapToInt(e -> e.fields.size()).max().orElse(0);
        s.append("""

                    /** The most fields an event has (slots to allocate for any event). */
                    public static final int MAX_FIELDS = %d;

                    /** Code in the file (1-63). */
                    public final int code;
                    /** The exported table. */
                    public final String table;
                    /** The trace level that records it. */
                    public final TraceLevel level;
                    /** The TraceSink method that reports it. */
                    public final String method;
                    /** Whether replay compares it (its fields say which of them). */
                    public final boolean compared;
                    public final String doc;
                    /** Its fields in order; field 0 is icount. */
                    public final List<EventField> fields;
                    private final FieldType[] types;
                    private final boolean[] comparedFields;
                    /** Index of its BYTES or LONGS field, or -1. */
                    public final int payload;

                    EventType(int code, String table, TraceLevel level, String method, boolean compared, String doc, EventField... fields) {
                        this.code = code;
                        this.table = table;
                        this.level = level;
                        this.method = method;
                        this.compared = compared;
                        this.doc = doc;
                        this.fields = List.of(fields);
                        this.types = new FieldType[fields.length];
                        this.comparedFields = new boolean[fields.length];
                        int p = -1;
                        for (int f = 0; f < fields.length; f++) {
                            types[f] = fields[f].type();
                            comparedFields[f] = compared && fields[f].compared();
                            if (!types[f].scalar()) p = f;
                        }
                        this.payload = p;
                    }

                    private static final EventType[] BY_CODE = new EventType[64];

                    static {
                        for (EventType t : values()) BY_CODE[t.code] = t;
                    }

                    /** The type with this code, or null if the code is unknown (a corrupted or newer recording). */
                    public static EventType byCode(int code) {
                        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
                    }

                    /** The type of field f (no list access: for per-event loops). */
                    public FieldType type(int f) {
                        return types[f];
                    }

                    /** Whether replay compares field f. */
                    public boolean compares(int f) {
                        return comparedFields[f];
                    }

                    /** Number of fields, icount included. */
                    public int size() {
                        return types.length;
                    }

                    /** Index of the named field; IllegalArgumentException if it has none. */
                    public int field(String name) {
                        for (int f = 0; f < fields.size(); f++) {
                            if (fields.get(f).name().equals(name)) return f;
                        }
                        throw new IllegalArgumentException(this + " has no field " + name);
                    }
                }
                """.formatted(max));
        return s.toString();
    }

    static String eventCodes() {
        StringBuilder s = new StringBuilder(HEADER);
        s.append("/** The code tables of events.schema: explicit codes stored in recordings. */\npublic final class EventCodes {\n")
                .append("    private EventCodes() {}\n");
        for (Codes c : codes.values()) {
            List<String> nums = new ArrayList<>(), names = new ArrayList<>();
            for (Code k : c.entries) {
                nums.add(Integer.toString(k.code));
                names.add(str(k.name));
            }
            s.append('\n').append(javadoc("    ", c.doc)).append("    public static final CodeTable ").append(c.javaName())
                    .append(" = new CodeTable(").append(str(c.name)).append(", ").append(str(c.doc)).append(",\n            new int[] {")
                    .append(String.join(", ", nums)).append("},\n            new String[] {").append(String.join(", ", names)).append("});\n");
        }
        s.append("\n    /** Every table. */\n    public static final java.util.List<CodeTable> ALL = java.util.List.of(")
                .append(String.join(", ", codes.values().stream().map(Codes::javaName).toList())).append(");\n}\n");
        return s.toString();
    }

    static String slot(Field f, String arg) {
        return switch (f.type) {
            case "u8" -> arg + " & 0xFF";
            case "bool" -> arg + " ? 1 : 0";
            default -> arg;
        };
    }

    static String slotSink() {
        StringBuilder s = new StringBuilder(HEADER);
        s.append("""
                /**
                 * A TraceSink written once for every event: each method stores its arguments
                 * in {@link #slots} (by field index: u8 masked to 0-255, bool as 0 or 1, i32
                 * sign-extended) and its byte[] or long[] argument in {@link #bytes} or
                 * {@link #longs}, then calls {@link #event(EventType)}. Nothing is allocated
                 * per event. Subclasses may override a method to handle that event
                 * themselves (the recorder's compact forms of the per-instruction events).
                 */
                public abstract class SlotSink implements TraceSink {
                    /** The current event's fields, by index (icount first). */
                    protected final long[] slots = new long[EventType.MAX_FIELDS];
                    /** The current event's BYTES field, if it has one (not copied). */
                    protected byte[] bytes;
                    /** The current event's LONGS field, if it has one (not copied). */
                    protected long[] longs;

                    /** Handles the event whose fields are in slots (and bytes or longs). */
                    protected abstract void event(EventType type);

                """);
        for (Event e : events) {
            s.append("    @Override\n    public void ").append(e.method).append('(').append(params(e)).append(") {\n")
                    .append("        long[] s = slots;\n");
            for (int f = 0; f < e.fields.size(); f++) {
                Field x = e.fields.get(f);
                switch (x.type) {
                    case "bytes" -> s.append("        bytes = ").append(x.param).append(";\n        s[").append(f).append("] = 0;\n");
                    case "longs" -> s.append("        longs = ").append(x.param).append(";\n        s[").append(f).append("] = 0;\n");
                    default -> s.append("        s[").append(f).append("] = ").append(slot(x, x.param)).append(";\n");
                }
            }
            s.append("        event(EventType.").append(e.name).append(");\n    }\n\n");
        }
        s.append("""
                    /**
                     * Calls the TraceSink method of type on sink, with the field values v
                     * (as slots holds them) and data, the bytes of its BYTES or LONGS field
                     * (little-endian longs for LONGS). For copying recorded events.
                     */
                    public static void call(TraceSink sink, EventType type, long[] v, byte[] data) {
                        switch (type) {
                """);
        for (Event e : events) {
            List<String> a = new ArrayList<>();
            for (int f = 0; f < e.fields.size(); f++) {
                Field x = e.fields.get(f);
                a.add(switch (x.type) {
                    case "u8", "i32" -> "(int) v[" + f + "]";
                    case "bool" -> "v[" + f + "] != 0";
                    case "bytes" -> "data";
                    case "longs" -> "longsOf(data)";
                    default -> "v[" + f + "]";
                });
            }
            s.append("            case ").append(e.name).append(" -> sink.").append(e.method).append('(').append(String.join(", ", a)).append(");\n");
        }
        s.append("""
                        }
                    }

                    /** Little-endian bytes as longs (a trailing partial long is dropped). */
                    public static long[] longsOf(byte[] b) {
                        long[] r = new long[b.length / 8];
                        for (int i = 0; i < r.length; i++) {
                            long v = 0;
                            for (int k = 7; k >= 0; k--) v = v << 8 | (b[8 * i + k] & 0xFF);
                            r[i] = v;
                        }
                        return r;
                    }

                    /** Longs as little-endian bytes. */
                    public static byte[] bytesOf(long[] v) {
                        byte[] b = new byte[v.length * 8];
                        for (int i = 0; i < v.length; i++) {
                            for (int k = 0; k < 8; k++) b[8 * i + k] = (byte) (v[i] >>> (8 * k));
                        }
                        return b;
                    }
                }
                """);
        return s.toString();
    }

    static String encodingSink() {
        StringBuilder s = new StringBuilder(HEADER);
        s.append("""
                /**
                 * A TraceSink that encodes every event field by field in declared order,
                 * through primitive puts its subclass implements (the recorder's encoder):
                 * straight-line code per event, no per-field loop, nothing allocated.
                 * An event is reserve (if it carries bytes), begin, one put per field
                 * after icount, finish.
                 */
                public abstract class EncodingSink implements TraceSink {
                    /** Room for an event carrying n bytes of data, before its begin. */
                    protected abstract void reserve(int n);

                    /** Starts an event of type at icount. */
                    protected abstract void begin(EventType type, long icount);

                    /** A U8 field (0-255) or a BOOL (0 or 1). */
                    protected abstract void putU8(int value);

                    /** An I32 (sign-extended) or I64 field. */
                    protected abstract void putVarint(long value);

                    /** A PC field. */
                    protected abstract void putPc(long pc);

                    /** A BYTES field. */
                    protected abstract void putBytes(byte[] value);

                    /** A LONGS field. */
                    protected abstract void putLongs(long[] value);

                    /** Ends the event begun last. */
                    protected abstract void finish(EventType type);

                """);
        for (Event e : events) {
            s.append("    @Override\n    public void ").append(e.method).append('(').append(params(e)).append(") {\n");
            Field payload = e.payload();
            if (payload != null) {
                s.append("        reserve(").append(payload.param).append(payload.type.equals("bytes") ? ".length" : ".length * 8").append(");\n");
            }
            s.append("        begin(EventType.").append(e.name).append(", icount);\n");
            for (Field f : e.fields.subList(1, e.fields.size())) {
                s.append("        ").append(switch (f.type) {
                    case "u8" -> "putU8(" + f.param + ")";
                    case "bool" -> "putU8(" + f.param + " ? 1 : 0)";
                    case "pc" -> "putPc(" + f.param + ")";
                    case "bytes" -> "putBytes(" + f.param + ")";
                    case "longs" -> "putLongs(" + f.param + ")";
                    default -> "putVarint(" + f.param + ")";
                }).append(";\n");
            }
            s.append("        finish(EventType.").append(e.name).append(");\n    }\n\n");
        }
        s.setLength(s.length() - 1);
        s.append("}\n");
        return s.toString();
    }

    static String cpuBoundSink() {
        StringBuilder s = new StringBuilder(HEADER);
        s.append("""
                /**
                 * The sink one CPU reports to: every event is handed to the shared target
                 * after telling it which CPU it comes from. A machine with one CPU may give
                 * it the target itself (whose CPU is 0 until told otherwise).
                 */
                public final class CpuBoundSink implements TraceSink {
                    /** A sink shared by several CPUs: told the CPU number before each event. */
                    public interface Target extends TraceSink {
                        /** The events that follow, until the next call, happened on this CPU. */
                        void onCpu(int cpu);
                    }

                    private final Target target;
                    private final int cpu;

                    public CpuBoundSink(Target target, int cpu) {
                        if (cpu < 0) throw new IllegalArgumentException("CPU number " + cpu);
                        this.target = target;
                        this.cpu = cpu;
                    }

                    public int cpu() {
                        return cpu;
                    }

                """);
        for (Event e : events) {
            s.append("    @Override\n    public void ").append(e.method).append('(').append(params(e)).append(") {\n")
                    .append("        target.onCpu(cpu);\n        target.").append(e.method).append('(').append(args(e)).append(");\n    }\n\n");
        }
        s.setLength(s.length() - 1);
        s.append("}\n");
        return s.toString();
    }

    static String str(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static void writeIfChanged(Path p, String content) throws IOException {
        if (Files.exists(p) && Files.readString(p).equals(content)) return;
        Files.writeString(p, content);
    }
}
