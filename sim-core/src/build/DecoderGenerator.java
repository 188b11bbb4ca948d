import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * Turns src/main/decode/a64.decode into three Java sources: A64Patterns (opcode
 * numbers, the table as arrays, the decode order, the block-end flags and each
 * row's arguments), A64Fields (one extraction method per declared field) and
 * A64Dispatch (from opcode number to semantic method, each handler called
 * with the fields its row names). Run by Maven in generate-sources as a
 * single-file program: `java DecoderGenerator.java TABLE OUTDIR`. A malformed
 * line or an ambiguous overlap stops the build with the line numbers; the
 * format and the overlap rule are written down in the table's header comment.
 */
public class DecoderGenerator {
    /** One bit range of a field: the field's bits pos+len-1..pos of the word. */
    record Segment(int pos, int len) {}

    /** A named field: its segments (first one most significant), sign extension and left shift. */
    record Field(String name, List<Segment> segments, boolean signed, int shift, String where) {
        int width() {
            return segments.stream().mapToInt(Segment::len).sum();
        }
    }

    record Row(String name, String cls, String method, String pattern, int mask, int value,
               List<String> tags, List<String> args, int group, String where) {}

    record Table(Map<String, Field> fields, List<Row> rows) {}

    /**
     * The table's lines with their origin: a64.decode with each
     * {@code include FILE} line replaced by that file's lines (FILE relative
     * to the including file), so that every group of encodings can live in a
     * file of its own while fields, argument sets and the overlap check stay
     * global.
     */
    record Source(List<String> text, List<String> where) {
        static Source read(Path table) throws IOException {
            Source s = new Source(new ArrayList<>(), new ArrayList<>());
            s.append(table, new ArrayList<>());
            return s;
        }

        private void append(Path file, List<Path> including) throws IOException {
            Path real = file.toAbsolutePath().normalize();
            if (including.contains(real)) failAt(file + ":1", "included from itself (" + including + ")");
            including.add(real);
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String raw = lines.get(i);
                int hash = raw.indexOf('#');
                String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
                if (line.startsWith("include ") || line.equals("include")) {
                    String name = line.substring("include".length()).strip();
                    Path inc = file.resolveSibling(name);
                    if (name.isEmpty() || !Files.isRegularFile(inc)) failAt(file.getFileName() + ":" + (i + 1), "include: no file '" + name + "' next to " + file.getFileName());
                    append(inc, including);
                } else {
                    text.add(line);
                    where.add(file.getFileName() + ":" + (i + 1));
                }
            }
            including.remove(including.size() - 1);
        }

        String where(int i) {
            return where.get(i);
        }
    }

    /** The field a row passes when it names none: the whole word, for handlers (Cpu, int insn). */
    static final String WHOLE_WORD = "insn";
    static final Set<String> TAGS = Set.of("mem", "branch", "nogen", "sys", "endblock");
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    static final Pattern ROW_NAME = Pattern.compile("[A-Z][A-Za-z0-9_]*");
    static final Pattern SEGMENT = Pattern.compile("(\\d+):(s?)(\\d+)");
    static final Pattern SHIFT = Pattern.compile("<<(\\d+)");

    public static void main(String[] args) throws IOException {
        Path tablePath = Path.of(args[0]);
        Path out = Path.of(args[1], "io", "deja", "core", "decode");
        Table table = parse(Source.read(tablePath));
        int[] order = decodeOrder(table.rows());
        Files.createDirectories(out);
        writeIfChanged(out.resolve("A64Patterns.java"), patterns(table, order));
        writeIfChanged(out.resolve("A64Fields.java"), fields(table));
        writeIfChanged(out.resolve("A64Dispatch.java"), dispatch(table));
    }

    // ---- Parsing ----------------------------------------------------------------

    static Table parse(Source path) {
        Map<String, Field> fields = new LinkedHashMap<>();
        fields.put(WHOLE_WORD, new Field(WHOLE_WORD, List.of(new Segment(0, 32)), false, 0, "built in"));
        Map<String, List<String>> argSets = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        List<String> lines = path.text();
        int group = -1, groups = 0, groupLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) continue;
            if (line.equals("{")) {
                if (group >= 0) fail(path, i, "overlap groups do not nest (the group opened at " + path.where(groupLine) + " is still open)");
                group = groups++;
                groupLine = i;
            } else if (line.equals("}")) {
                if (group < 0) fail(path, i, "'}' without an open overlap group");
                group = -1;
            } else if (line.startsWith("%")) {
                Field f = parseField(path, i, line);
                if (fields.containsKey(f.name())) fail(path, i, "field %" + f.name() + " is declared twice");
                fields.put(f.name(), f);
            } else if (line.startsWith("&")) {
                String[] parts = line.substring(1).split("\\s+");
                if (!NAME.matcher(parts[0]).matches()) fail(path, i, "bad argument set name &" + parts[0]);
                if (argSets.containsKey(parts[0])) fail(path, i, "argument set &" + parts[0] + " is declared twice");
                List<String> members = new ArrayList<>();
                for (int p = 1; p < parts.length; p++) members.add(knownField(path, i, fields, parts[p]));
                argSets.put(parts[0], members);
            } else {
                Row r = parseRow(path, i, line, fields, argSets, group);
                String previous = names.putIfAbsent(r.name(), r.where());
                if (previous != null) fail(path, i, "duplicate name " + r.name() + " (first at " + previous + ")");
                rows.add(r);
            }
        }
        if (group >= 0) fail(path, groupLine, "overlap group not closed");
        return new Table(fields, rows);
    }

    /** {@code %name SEG [SEG...] [<<N]}, SEG = pos:len, or pos:slen on the first segment for a signed field. */
    static Field parseField(Source path, int i, String line) {
        String[] parts = line.substring(1).split("\\s+");
        String name = parts[0];
        if (!NAME.matcher(name).matches()) fail(path, i, "bad field name %" + name);
        if (SourceVersion.isKeyword(name)) fail(path, i, "field name %" + name + " is a Java keyword (it names a method of A64Fields)");
        if (name.equals(WHOLE_WORD)) fail(path, i, "%" + WHOLE_WORD + " is built in (the whole word)");
        List<Segment> segments = new ArrayList<>();
        boolean signed = false;
        int shift = 0;
        long used = 0;
        for (int p = 1; p < parts.length; p++) {
            Matcher seg = SEGMENT.matcher(parts[p]);
            Matcher sh = SHIFT.matcher(parts[p]);
            if (seg.matches()) {
                if (shift != 0) fail(path, i, "segments after the shift");
                int pos = Integer.parseInt(seg.group(1)), len = Integer.parseInt(seg.group(3));
                if (!seg.group(2).isEmpty()) {
                    if (!segments.isEmpty()) fail(path, i, "only the first (most significant) segment can be signed");
                    signed = true;
                }
                if (len < 1 || pos + len > 32) fail(path, i, "segment " + parts[p] + " is not inside bits 31..0");
                long bits = ((1L << len) - 1) << pos;
                if ((used & bits) != 0) fail(path, i, "segment " + parts[p] + " overlaps an earlier one");
                used |= bits;
                segments.add(new Segment(pos, len));
            } else if (sh.matches() && !segments.isEmpty()) {
                shift = Integer.parseInt(sh.group(1));
            } else {
                fail(path, i, "expected pos:len, pos:slen or <<N, found '" + parts[p] + "'");
            }
        }
        if (segments.isEmpty()) fail(path, i, "field %" + name + " has no bits");
        Field f = new Field(name, segments, signed, shift, path.where(i));
        if (f.width() + shift > 32) fail(path, i, "field %" + name + " does not fit in an int");
        return f;
    }

    static String knownField(Source path, int i, Map<String, Field> fields, String name) {
        if (!fields.containsKey(name)) fail(path, i, "unknown field '" + name + "' (declare it as %" + name + ")");
        return name;
    }

    /** {@code NAME Class.method PATTERN [(field|&set ...)] [@tag ...]} */
    static Row parseRow(Source path, int i, String line, Map<String, Field> fields,
                        Map<String, List<String>> argSets, int group) {
        List<String> args = new ArrayList<>();
        int open = line.indexOf('(');
        if (open >= 0) {
            int close = line.indexOf(')', open);
            if (close < 0) fail(path, i, "argument list not closed");
            for (String a : line.substring(open + 1, close).strip().split("\\s+")) {
                if (a.isEmpty()) continue;
                if (a.startsWith("&")) {
                    List<String> set = argSets.get(a.substring(1));
                    if (set == null) fail(path, i, "unknown argument set " + a);
                    args.addAll(set);
                } else {
                    args.add(knownField(path, i, fields, a));
                }
            }
            line = line.substring(0, open) + " " + line.substring(close + 1);
        } else {
            args.add(WHOLE_WORD);
        }
        String[] parts = line.strip().split("\\s+");
        if (parts.length < 3) fail(path, i, "expected NAME Class.method PATTERN [(fields)] [@tags]");
        String name = parts[0];
        if (!ROW_NAME.matcher(name).matches()) fail(path, i, "bad row name " + name + " (an upper-case letter, then letters, digits, '_')");
        String handler = parts[1];
        int dot = handler.indexOf('.');
        if (dot <= 0) fail(path, i, "handler must be Class.method: " + handler);
        StringBuilder bits = new StringBuilder();
        List<String> tags = new ArrayList<>();
        for (int p = 2; p < parts.length; p++) {
            if (parts[p].startsWith("@")) {
                String tag = parts[p].substring(1);
                if (!TAGS.contains(tag)) fail(path, i, "unknown tag @" + tag + " (known: " + String.join(", ", TAGS.stream().sorted().toList()) + ")");
                tags.add(tag);
            } else {
                if (!tags.isEmpty()) fail(path, i, "pattern bits after a tag");
                bits.append(parts[p]);
            }
        }
        if (bits.length() != 32) fail(path, i, "pattern has " + bits.length() + " bits, not 32: " + bits);
        int mask = 0, value = 0;
        for (int b = 0; b < 32; b++) {
            char ch = bits.charAt(b);
            int bit = 31 - b;
            if (ch == '0' || ch == '1') {
                mask |= 1 << bit;
                if (ch == '1') value |= 1 << bit;
            } else if (!Character.isLetter(ch)) {
                fail(path, i, "bad pattern character '" + ch + "'");
            }
        }
        for (String a : args) {
            if (a.equals(WHOLE_WORD)) continue;
            for (Segment g : fields.get(a).segments()) {
                int fixed = mask & (int) (((1L << g.len()) - 1) << g.pos());
                if (fixed != 0) {
                    fail(path, i, "field %" + a + " covers bit " + (31 - Integer.numberOfLeadingZeros(fixed))
                            + ", which the pattern fixes (a field is a constant there: wrong field, or wrong pattern?)");
                }
            }
        }
        return new Row(name, handler.substring(0, dot), handler.substring(dot + 1), bits.toString(),
                mask, value, tags, args, group, path.where(i));
    }

    // ---- Overlaps and decode order ----------------------------------------------

    /**
     * Checks every pair of rows that some word matches, and returns the order
     * in which the decoder must try them (row indices): a strictly nested
     * pattern before the one containing it, and inside an overlap group the
     * row listed first before the later ones it overlaps. Rows unrelated by
     * those two rules keep the order "more fixed bits first, then table order",
     * which cannot change a result since they never match the same word.
     */
    static int[] decodeOrder(List<Row> rows) {
        int n = rows.size();
        List<List<Integer>> after = new ArrayList<>();
        for (int i = 0; i < n; i++) after.add(new ArrayList<>());
        int[] before = new int[n];
        for (int i = 0; i < n; i++) {
            Row a = rows.get(i);
            for (int j = i + 1; j < n; j++) {
                Row b = rows.get(j);
                int common = a.mask() & b.mask();
                if (((a.value() ^ b.value()) & common) != 0) continue;
                boolean aInsideB = common == b.mask() && a.mask() != b.mask();
                boolean bInsideA = common == a.mask() && a.mask() != b.mask();
                int first, second;
                if (a.group() >= 0 && a.group() == b.group()) {
                    if (bInsideA || a.mask() == b.mask()) {
                        failAt(b.where(), b.name() + " (" + b.pattern() + ") can never match: " + a.name()
                                + " at " + a.where() + " (" + a.pattern() + ") comes first in the same overlap group and matches every word it does");
                    }
                    first = i;
                    second = j;
                } else if (aInsideB) {
                    first = i;
                    second = j;
                } else if (bInsideA) {
                    first = j;
                    second = i;
                } else {
                    failAt(b.where(), "ambiguous overlap: " + a.name() + " at " + a.where() + " (" + a.pattern() + ") and "
                            + b.name() + " at " + b.where() + " (" + b.pattern() + ") both match "
                            + String.format("0x%08x", a.value() | b.value())
                            + (a.mask() == b.mask() ? " (the same pattern twice)" : "")
                            + "; make one's fixed bits a superset of the other's, or list both in one { } overlap group");
                    continue;
                }
                after.get(first).add(second);
                before[second]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator
                .comparingInt((Integer r) -> -Integer.bitCount(rows.get(r).mask())).thenComparingInt(r -> r));
        for (int i = 0; i < n; i++) if (before[i] == 0) ready.add(i);
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int r = ready.poll();
            order[k++] = r;
            for (int s : after.get(r)) if (--before[s] == 0) ready.add(s);
        }
        if (k != n) {
            for (int i = 0; i < n; i++) {
                if (before[i] > 0) failAt(rows.get(i).where(), rows.get(i).name() + " is in a cycle of overlap rules (nested patterns listed in the opposite order in a group)");
            }
        }
        return order;
    }

    // ---- Output -----------------------------------------------------------------

    static String patterns(Table table, int[] order) {
        List<Row> rows = table.rows();
        List<String> fieldNames = new ArrayList<>(table.fields().keySet());
        StringBuilder s = new StringBuilder();
        s.append("package io.deja.core.decode;\n\n");
        s.append("/** Generated from a64.decode by DecoderGenerator. Do not edit. */\n");
        s.append("public final class A64Patterns {\n    private A64Patterns() {}\n\n");
        s.append("    /** Opcode 0: no pattern matched; the guest takes UNDEFINED. */\n");
        s.append("    public static final int UNALLOCATED = 0;\n");
        for (int i = 0; i < rows.size(); i++) {
            s.append("    public static final int ").append(rows.get(i).name()).append(" = ").append(i + 1).append(";\n");
        }
        s.append("\n    /** Number of opcodes including UNALLOCATED. */\n");
        s.append("    public static final int COUNT = ").append(rows.size() + 1).append(";\n\n");
        // The tables travel as packed strings, unpacked once at class
        // initialisation: array literals cost ~10 bytes of <clinit> bytecode
        // per element, and a class initialiser may not exceed 64 KiB.
        List<String> names = new ArrayList<>(List.of("UNALLOCATED")), patterns = new ArrayList<>(List.of("x".repeat(32)));
        List<String> tags = new ArrayList<>(List.of("nogen")), masks = new ArrayList<>(List.of("0")), values = new ArrayList<>(List.of("0"));
        List<String> ends = new ArrayList<>(List.of("0")), args = new ArrayList<>(List.of("")), classes = new ArrayList<>(List.of("")), methods = new ArrayList<>(List.of(""));
        for (Row r : rows) {
            names.add(r.name());
            patterns.add(r.pattern());
            tags.add(String.join(" ", r.tags()));
            masks.add(Integer.toHexString(r.mask()));
            values.add(Integer.toHexString(r.value()));
            ends.add(r.tags().contains("branch") || r.tags().contains("endblock") ? "1" : "0");
            List<String> numbers = new ArrayList<>();
            for (String a : r.args()) numbers.add(Integer.toString(fieldNames.indexOf(a)));
            args.add(String.join(",", numbers));
            classes.add(r.cls());
            methods.add(r.method());
        }
        List<String> orderList = new ArrayList<>();
        for (int o : order) orderList.add(Integer.toHexString(o + 1));
        s.append("    static final String[] NAME = strings(").append(packed(names)).append(");\n");
        s.append("    static final String[] PATTERN = strings(").append(packed(patterns)).append(");\n");
        s.append("    static final String[] TAGS = strings(").append(packed(tags)).append(");\n");
        s.append("    static final int[] MASK = ints(").append(packed(masks)).append(");\n");
        s.append("    static final int[] VALUE = ints(").append(packed(values)).append(");\n");
        s.append("    /** Opcodes in the order the decoder tries them (see the overlap rule in a64.decode). */\n");
        s.append("    static final int[] ORDER = ints(").append(packed(orderList)).append(");\n");
        s.append("    /** Whether the opcode ends a translated block (@branch or @endblock). */\n");
        s.append("    static final boolean[] ENDS_BLOCK = flags(").append(packed(ends)).append(");\n");
        s.append("    /** The fields (A64Fields numbers) each opcode's handler receives after the Cpu, in order. */\n");
        s.append("    static final int[][] ARGS = argumentLists(").append(packed(args)).append(");\n");
        s.append("    /** Semantic method of each opcode: class simple name (package io.deja.core.isa) and method. */\n");
        s.append("    static final String[] HANDLER_CLASS = strings(").append(packed(classes)).append(");\n");
        s.append("    static final String[] HANDLER_METHOD = strings(").append(packed(methods)).append(");\n\n");
        s.append("""
                    /** Joins the chunks and splits the result at newlines (one element per line). */
                    private static String[] strings(String... chunks) {
                        return String.join("", chunks).split("\\n", -1);
                    }

                    private static int[] ints(String... chunks) {
                        String[] hex = strings(chunks);
                        int[] a = new int[hex.length];
                        for (int i = 0; i < a.length; i++) a[i] = Integer.parseUnsignedInt(hex[i], 16);
                        return a;
                    }

                    private static boolean[] flags(String... chunks) {
                        String[] bits = strings(chunks);
                        boolean[] a = new boolean[bits.length];
                        for (int i = 0; i < a.length; i++) a[i] = bits[i].equals("1");
                        return a;
                    }

                    private static int[][] argumentLists(String... chunks) {
                        String[] lists = strings(chunks);
                        int[][] a = new int[lists.length][];
                        for (int i = 0; i < a.length; i++) {
                            a[i] = lists[i].isEmpty() ? new int[0]
                                    : java.util.Arrays.stream(lists[i].split(",")).mapToInt(Integer::parseInt).toArray();
                        }
                        return a;
                    }
                """);
        s.append("}\n");
        return s.toString();
    }

    static String fields(Table table) {
        StringBuilder s = new StringBuilder();
        s.append("package io.deja.core.decode;\n\n");
        s.append("/** Generated from the field declarations of a64.decode by DecoderGenerator. Do not edit. */\n");
        s.append("public final class A64Fields {\n    private A64Fields() {}\n\n");
        List<Field> fields = new ArrayList<>(table.fields().values());
        for (Field f : fields) {
            s.append("    /** %").append(f.name()).append(' ').append(describe(f)).append(" */\n");
            s.append("    public static int ").append(f.name()).append("(int insn) {\n");
            s.append("        return ").append(expression(f)).append(";\n    }\n\n");
        }
        s.append("    /** Field number f (as in A64Patterns.ARGS) of insn. */\n");
        s.append("    static int extract(int f, int insn) {\n        return switch (f) {\n");
        for (int i = 0; i < fields.size(); i++) {
            s.append("            case ").append(i).append(" -> ").append(fields.get(i).name()).append("(insn);\n");
        }
        s.append("            default -> throw new IllegalArgumentException(\"no field \" + f);\n        };\n    }\n\n");
        s.append("    static final String[] NAME = {");
        for (int i = 0; i < fields.size(); i++) s.append(i == 0 ? "\"" : ", \"").append(fields.get(i).name()).append('"');
        s.append("};\n}\n");
        return s.toString();
    }

    static String describe(Field f) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < f.segments().size(); i++) {
            Segment g = f.segments().get(i);
            s.append(i == 0 ? "" : " ").append(g.pos()).append(':').append(i == 0 && f.signed() ? "s" : "").append(g.len());
        }
        if (f.shift() > 0) s.append(" <<").append(f.shift());
        return s.toString();
    }

    /** Java expression of a field's value, in terms of the int {@code insn}. */
    static String expression(Field f) {
        if (f.segments().size() == 1) {
            Segment g = f.segments().get(0);
            String e;
            if (g.len() == 32) e = "insn";
            else if (f.signed()) e = "insn << " + (32 - g.pos() - g.len()) + " >> " + (32 - g.len());
            else if (g.pos() + g.len() == 32) e = "insn >>> " + g.pos();
            else e = (g.pos() == 0 ? "insn" : "(insn >>> " + g.pos() + ")") + " & 0x" + Integer.toHexString((int) ((1L << g.len()) - 1));
            return f.shift() == 0 ? e : "(" + e + ") << " + f.shift();
        }
        List<String> parts = new ArrayList<>();
        int below = f.width();
        for (Segment g : f.segments()) {
            below -= g.len();
            String bits = "((insn >>> " + g.pos() + ") & 0x" + Integer.toHexString((int) ((1L << g.len()) - 1)) + ")";
            parts.add(below == 0 ? bits : "(" + bits + " << " + below + ")");
        }
        String e = "(" + String.join(" | ", parts) + ")";
        if (f.signed()) e = "(" + e + " << " + (32 - f.width()) + " >> " + (32 - f.width()) + ")";
        return f.shift() == 0 ? e : e + " << " + f.shift();
    }

    /**
     * One small class per opcode behind one virtual call: the interpreter pays
     * a single indirect branch per instruction. (A switch over every row is
     * above HotSpot's 8000-byte limit for compiling a method, and a switch on
     * op / 128 in front of 128-case switches cost two indirect jumps, each
     * mispredicted about as often: together a third of the Linux boot's time.)
     * Each class's execute is compiled on its own with its handler inlined,
     * so no method grows with the table.
     */
    static String dispatch(Table table) {
        List<Row> rows = table.rows();
        StringBuilder s = new StringBuilder();
        s.append("package io.deja.core.decode;\n\n");
        s.append("import io.deja.core.cpu.Cpu;\nimport io.deja.core.isa.*;\n\n");
        s.append("/** Generated from a64.decode by DecoderGenerator. Do not edit. */\n");
        s.append("public final class A64Dispatch {\n    private A64Dispatch() {}\n\n");
        s.append("    /** One opcode's semantic method, called with its row's fields of the word. */\n");
        s.append("    public abstract static class Handler {\n        public abstract void execute(Cpu c, int insn);\n    }\n\n");
        s.append("    /** By opcode; UNALLOCATED (0) is UNDEFINED. */\n");
        s.append("    private static final Handler[] HANDLERS = {\n        new Unallocated(),\n");
        for (Row r : rows) s.append("        new Op_").append(r.name()).append("(),\n");
        s.append("    };\n\n");
        s.append("    /** Executes one decoded instruction; the handler sets the next PC or takes an exception. */\n");
        s.append("    public static void execute(Cpu c, int op, int insn) {\n        HANDLERS[op].execute(c, insn);\n    }\n\n");
        s.append("    private static final class Unallocated extends Handler {\n");
        s.append("        @Override public void execute(Cpu c, int insn) {\n            c.undefined();\n        }\n    }\n");
        for (Row r : rows) {
            s.append("\n    private static final class Op_").append(r.name()).append(" extends Handler {\n");
            s.append("        @Override public void execute(Cpu c, int insn) {\n");
            s.append("            ").append(r.cls()).append('.').append(r.method()).append("(c");
            if (wholeWord(r)) {
                s.append(", insn");
            } else {
                for (String a : r.args()) s.append(", A64Fields.").append(a).append("(insn)");
            }
            s.append(");\n        }\n    }\n");
        }
        s.append("}\n");
        return s.toString();
    }

    /** String literals of at most 100 elements each, newline-separated, as varargs (a constant is limited to 64 KiB). */
    static String packed(List<String> elements) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < elements.size(); i += 100) {
            List<String> part = elements.subList(i, Math.min(elements.size(), i + 100));
            String text = String.join("\\n", part) + (i + 100 < elements.size() ? "\\n" : "");
            chunks.add("\n        \"" + text + "\"");
        }
        return String.join(",", chunks);
    }

    static boolean wholeWord(Row r) {
        return r.args().equals(List.of(WHOLE_WORD));
    }

    static void writeIfChanged(Path file, String text) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) return;
        Files.writeString(file, text);
    }

    static void fail(Source table, int index, String message) {
        failAt(table.where(index), message);
    }

    static void failAt(String where, String message) {
        System.err.println(where + ": " + message);
        System.exit(1);
    }
}
