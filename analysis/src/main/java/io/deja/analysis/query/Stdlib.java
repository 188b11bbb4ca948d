package io.deja.analysis.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The standard library of views and macros (stdlib.sql): its statements, to
 * run in a database holding the exported tables, and their documentation.
 */
public final class Stdlib {
    private Stdlib() {}

    /** One view or macro: its signature, what it answers, an example query, and the statement that defines it. */
    public record Entry(String name, String doc, String example, String sql) {}

    private static final String SOURCE = load();
    private static final List<Entry> ENTRIES = parse(SOURCE);

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The whole source, which a database cache remembers (a changed library means a rebuilt cache). */
    public static String source() {
        return SOURCE;
    }

    /**
     * The library as one SQL file for DuckDB without Deja (docs/deja.sql, generated from
     * stdlib.sql and the table list, never edited by hand): a view per exported table
     * over TABLE.parquet in DuckDB's current directory (deja export DIR --parquet writes
     * them), then every view and macro with its documentation as comments. Run in that
     * directory: duckdb -cmd ".read PATH/docs/deja.sql".
     */
    public static String script(List<String> tables) {
        StringBuilder sb = new StringBuilder("""
                -- Deja's standard library for DuckDB without Deja.
                --
                -- Generated from analysis/src/main/resources/io/deja/analysis/stdlib.sql (and the list of
                -- exported tables) by io.deja.analysis.query.Stdlib.script; do not edit by hand. Regenerate:
                --   mvn -q -pl analysis test -Dtest=TablesDocTest -Ddeja.updateDocs=true
                --
                -- Use it in the directory of a Parquet export (deja export DIR --parquet writes
                -- DIR/arrow/TABLE.parquet):
                --   cd DIR/arrow && duckdb -cmd ".read /path/to/deja/docs/deja.sql"
                -- Tables and macros are documented in analysis/TABLES.md. DuckDB itself reads no hex
                -- literals (0x10 parses as 0 named x10): write u64('0x40080000'), as deja query
                -- would accept 0x40080000.

                """);
        for (String t : tables) {
            sb.append("CREATE VIEW ").append(t).append(" AS SELECT * FROM read_parquet('").append(t).append(".parquet');\n");
        }
        for (Entry e : ENTRIES) {
            sb.append("\n-- ").append(e.name()).append('\n');
            for (String line : wrap(e.doc(), 96)) sb.append("-- ").append(line).append('\n');
            sb.append("-- Example: ").append(e.example()).append('\n').append(e.sql()).append('\n');
        }
        return sb.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }

    /**
     * The names among tables that sql reads, directly or through the views and
     * macros of this library it uses (a word match on the text outside strings
     * and comments: coverage lists table names in strings without reading them).
     */
    public static Set<String> tablesUsedBy(String sql, List<String> tables) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(List.of(sql));
        while (!pending.isEmpty()) {
            String text = SqlText.code(pending.removeLast());
            for (String t : tables) {
                if (mentions(text, t)) found.add(t);
            }
            for (Entry e : ENTRIES) {
                String name = e.name().replaceAll("\\(.*$", "");
                if (!seen.contains(name) && mentions(text, name)) {
                    seen.add(name);
                    pending.add(e.sql());
                }
            }
        }
        return found;
    }

    private static boolean mentions(String text, String word) {
        return Pattern.compile("\\b" + Pattern.quote(word.toLowerCase(Locale.ROOT)) + "\\b").matcher(text.toLowerCase(Locale.ROOT)).find();
    }

    private static String load() {
        try (InputStream in = Stdlib.class.getResourceAsStream("/io/deja/analysis/stdlib.sql")) {
            if (in == null) throw new IllegalStateException("stdlib.sql is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> parse(String source) {
        List<Entry> out = new ArrayList<>();
        String name = null, example = null;
        StringBuilder doc = new StringBuilder(), sql = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            if (sql.isEmpty()) {
                if (line.startsWith("-- @name ")) {
                    name = line.substring(9).strip();
                    doc.setLength(0);
                    example = null;
                } else if (line.startsWith("-- @doc ")) {
                    if (!doc.isEmpty()) doc.append(' ');
                    doc.append(line.substring(8).strip());
                } else if (line.startsWith("-- @example ")) {
                    example = line.substring(12).strip();
                } else if (name != null && !line.isBlank() && !line.startsWith("--")) {
                    sql.append(line).append('\n');
                }
            } else {
                sql.append(line).append('\n');
            }
            if (!sql.isEmpty() && line.stripTrailing().endsWith(";")) {
                if (example == null || doc.isEmpty()) throw new IllegalStateException("stdlib entry " + name + " lacks @doc or @example");
                out.add(new Entry(name, doc.toString(), example, sql.toString().strip()));
                sql.setLength(0);
                name = null;
            }
        }
        if (!sql.isEmpty()) throw new IllegalStateException("stdlib.sql: statement of " + name + " does not end with ';'");
        return List.copyOf(out);
    }
}
