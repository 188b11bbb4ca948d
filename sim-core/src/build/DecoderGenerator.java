import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns src/main/decode/a64.decode into two Java sources:
 * A64Patterns (opcode numbers and the table as arrays) and A64Dispatch (the
 * switch from opcode number to semantic method). Run by Maven in
 * generate-sources as a single-file program: `java DecoderGenerator.java TABLE OUTDIR`.
 * Any malformed line stops the build with the line number.
 */
public class DecoderGenerator {
    record Row(String name, String cls, String method, String pattern, int mask, int value, String tags, int line) {}

    public static void main(String[] args) throws IOException {
        Path table = Path.of(args[0]);
        Path out = Path.of(args[1], "io", "deja", "core", "decode");
        List<Row> rows = parse(table);
        Files.createDirectories(out);
        writeIfChanged(out.resolve("A64Patterns.java"), patterns(rows));
        writeIfChanged(out.resolve("A64Dispatch.java"), dispatch(rows));
    }

    static List<Row> parse(Path table) throws IOException {
        List<Row> rows = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<String> lines = Files.readAllLines(table);
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) continue;
            String[] parts = line.split("\\s+");
            if (parts.length < 3) fail(table, i, "expected NAME Class.method PATTERN [@tags]");
            String name = parts[0];
            String handler = parts[1];
            int dot = handler.indexOf('.');
            if (dot <= 0) fail(table, i, "handler must be Class.method: " + handler);
            StringBuilder bits = new StringBuilder();
            StringBuilder tags = new StringBuilder();
            for (int p = 2; p < parts.length; p++) {
                if (parts[p].startsWith("@")) {
                    if (tags.length() > 0) tags.append(' ');
                    tags.append(parts[p].substring(1));
                } else {
                    if (tags.length() > 0) fail(table, i, "pattern bits after a tag");
                    bits.append(parts[p]);
                }
            }
            if (bits.length() != 32) fail(table, i, "pattern has " + bits.length() + " bits, not 32: " + bits);
            int mask = 0, value = 0;
            for (int b = 0; b < 32; b++) {
                char ch = bits.charAt(b);
                int bit = 31 - b;
                if (ch == '0' || ch == '1') {
                    mask |= 1 << bit;
                    if (ch == '1') value |= 1 << bit;
                } else if (!Character.isLetter(ch)) {
                    fail(table, i, "bad pattern character '" + ch + "'");
                }
            }
            if (!names.add(name)) fail(table, i, "duplicate name " + name);
            rows.add(new Row(name, handler.substring(0, dot), handler.substring(dot + 1), bits.toString(),
                    mask, value, tags.toString(), i + 1));
        }
        return rows;
    }

    static String patterns(List<Row> rows) {
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
        s.append("    static final String[] NAME = {\"UNALLOCATED\"");
        for (Row r : rows) s.append(",\n        \"").append(r.name()).append('"');
        s.append("};\n    static final String[] PATTERN = {\"");
        s.append("x".repeat(32)).append('"');
        for (Row r : rows) s.append(",\n        \"").append(r.pattern()).append('"');
        s.append("};\n    static final String[] TAGS = {\"nogen\"");
        for (Row r : rows) s.append(",\n        \"").append(r.tags()).append('"');
        s.append("};\n    static final int[] MASK = {0");
        for (Row r : rows) s.append(", 0x").append(Integer.toHexString(r.mask()));
        s.append("};\n    static final int[] VALUE = {0");
        for (Row r : rows) s.append(", 0x").append(Integer.toHexString(r.value()));
        s.append("};\n    /** Semantic method of each opcode: class simple name (package io.deja.core.isa) and method. */\n");
        s.append("    static final String[] HANDLER_CLASS = {\"\"");
        for (Row r : rows) s.append(",\n        \"").append(r.cls()).append('"');
        s.append("};\n    static final String[] HANDLER_METHOD = {\"\"");
        for (Row r : rows) s.append(",\n        \"").append(r.method()).append('"');
        s.append("};\n    static final int[] LINE = {0");
        for (Row r : rows) s.append(", ").append(r.line());
        s.append("};\n}\n");
        return s.toString();
    }

    static String dispatch(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append("package io.deja.core.decode;\n\n");
        s.append("import io.deja.core.cpu.Cpu;\nimport io.deja.core.isa.*;\n\n");
        s.append("/** Generated from a64.decode by DecoderGenerator. Do not edit. */\n");
        s.append("public final class A64Dispatch {\n    private A64Dispatch() {}\n\n");
        s.append("    /** Executes one decoded instruction; the handler sets the next PC or takes an exception. */\n");
        s.append("    public static void execute(Cpu c, int op, int insn) {\n");
        s.append("        switch (op) {\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            s.append("            case ").append(i + 1).append(" -> ").append(r.cls()).append('.').append(r.method())
             .append("(c, insn); // ").append(r.name()).append('\n');
        }
        s.append("            default -> c.undefined();\n");
        s.append("        }\n    }\n}\n");
        return s.toString();
    }

    static void writeIfChanged(Path file, String text) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) return;
        Files.writeString(file, text);
    }

    static void fail(Path table, int index, String message) {
        System.err.println(table + ":" + (index + 1) + ": " + message);
        System.exit(1);
    }
}
