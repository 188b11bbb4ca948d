package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.analysis.query.ResultFormat;
import io.deja.analysis.query.SqlText;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The interactive SQL shell of `deja query DIR`, in the manner of DuckDB's:
 * statements end with ';' and may span lines, lines starting with '.' are
 * shell commands (.tables, .schema, .mode, .help, .quit), an error prints one
 * line and the shell carries on. On a terminal it reads lines with JLine
 * (editing, history kept in {@link #historyFile()}, completion of table and
 * macro names); otherwise it reads the same statements from standard input.
 */
final class SqlShell {
    static final String PROMPT = "deja> ";
    static final String CONTINUATION = "  ...> ";

    private final Database db;
    private final String recording;
    private final PrintWriter out, err;
    private final boolean hex;
    private ResultFormat format;
    private int errors;

    SqlShell(Database db, String recording, ResultFormat format, boolean hex, PrintWriter out, PrintWriter err) {
        this.db = db;
        this.recording = recording;
        this.format = format;
        this.hex = hex;
        this.out = out;
        this.err = err;
    }

    /** How many statements or commands failed so far. */
    int errors() {
        return errors;
    }

    /** Reads statements and commands from in until its end or .quit (standard input that is not a terminal). */
    void run(BufferedReader in) throws IOException {
        StringBuilder pending = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (pending.isEmpty() && line.strip().startsWith(".")) {
                if (!command(line.strip())) return;
                continue;
            }
            pending.append(line).append('\n');
            if (SqlText.complete(pending.toString())) {
                execute(pending.toString());
                pending.setLength(0);
            }
        }
        if (!SqlText.code(pending.toString()).isBlank()) execute(pending.toString()); // a last statement without ';'
    }

    /** The interactive loop on the terminal: one statement (or command) per accepted, possibly multi-line, entry. */
    void runInteractive() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Path history = historyFile();
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("deja query")
                    .parser(new StatementParser())
                    .completer(new StringsCompleter(names()))
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL, not a history reference
                    .build();
            out.println("deja query: " + recording + ". End statements with ';'; .help lists the commands, .quit (or Ctrl-D) leaves.");
            out.flush();
            while (true) {
                String entry;
                try {
                    entry = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C drops the statement being typed, as in DuckDB
                } catch (EndOfFileException e) {
                    return;
                }
                String s = entry.strip();
                if (s.isEmpty()) continue;
                if (s.startsWith(".")) {
                    if (!command(s)) return;
                } else {
                    execute(entry);
                }
            }
        }
    }

    /**
     * Where the shell's history is kept: $XDG_STATE_HOME/deja/query_history, or
     * ~/.local/state/deja/query_history (the XDG default); the directory is created.
     */
    static Path historyFile() throws IOException {
        String state = System.getenv("XDG_STATE_HOME");
        Path dir = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        dir = dir.resolve("deja");
        Files.createDirectories(dir);
        return dir.resolve("query_history");
    }

    /** Runs each statement of sql, printing each result (as deja query prints one) or its error on one line. */
    void execute(String sql) {
        for (String statement : SqlText.statements(sql)) {
            try {
                QueryResult r = Query.run(db, statement);
                if (!r.columns().isEmpty()) format.print(r, out, hex);
                out.flush();
                for (String note : Query.coverageNotes(db, statement, recording)) err.println("deja: note: " + note);
            } catch (AnalysisException e) {
                out.flush();
                err.println("Error: " + e.getMessage());
                errors++;
            }
            err.flush();
        }
    }

    /** A dot command; false when it ends the shell. */
    boolean command(String line) {
        String[] words = line.split("\\s+");
        String name = words[0].toLowerCase(Locale.ROOT);
        switch (name) {
            case ".quit", ".exit" -> {
                return false;
            }
            case ".help" -> out.print("""
                    .tables            the tables and views (the standard library's views too)
                    .schema [NAME]     the CREATE statement of a table, view or macro (all tables without NAME)
                    .mode [MODE]       show or set the output: table (also box, duckbox), csv or json
                    .help              this list
                    .quit, .exit       leave (Ctrl-D too)
                    Statements end with ';' and may span lines. Hex literals work (WHERE pc = 0x11a00).
                    Tables and macros: analysis/TABLES.md; SELECT * FROM coverage says what a window holds.
                    """);
            case ".tables" -> tables();
            case ".schema" -> schema(words.length > 1 ? words[1] : null);
            case ".mode" -> {
                if (words.length == 1) {
                    out.println(format.name().toLowerCase(Locale.ROOT));
                } else {
                    String m = words[1].toLowerCase(Locale.ROOT);
                    try {
                        format = ResultFormat.parse(m.equals("box") || m.equals("duckbox") ? "table" : m);
                    } catch (AnalysisException e) {
                        error(e.getMessage());
                    }
                }
            }
            default -> error("unknown command " + words[0] + " (.help lists the commands)");
        }
        out.flush();
        return true;
    }

    private void error(String message) {
        out.flush();
        err.println("Error: " + message);
        err.flush();
        errors++;
    }

    private void tables() {
        List<String> names = column("SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'"
                + " UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY 1");
        int width = names.stream().mapToInt(String::length).max().orElse(0) + 2;
        int perLine = Math.max(1, 100 / Math.max(1, width));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            boolean last = i % perLine == perLine - 1 || i == names.size() - 1;
            sb.append(last ? n : n + " ".repeat(width - n.length()));
            if (last) {
                out.println(sb);
                sb.setLength(0);
            }
        }
    }

    private void schema(String name) {
        String quoted = name == null ? null : "'" + name.replace("'", "''") + "'";
        List<String> sql = name == null
                ? column("SELECT sql FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main' ORDER BY table_name")
                : column("SELECT sql FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = " + quoted
                        + " UNION ALL SELECT sql FROM duckdb_views() WHERE schema_name = 'main' AND view_name = " + quoted
                        + " UNION ALL SELECT 'CREATE MACRO ' || function_name || '(' || array_to_string(parameters, ', ') || ') AS '"
                        + " || CASE WHEN function_type = 'table_macro' THEN 'TABLE ' ELSE '' END || macro_definition"
                        + " FROM duckdb_functions() WHERE schema_name = 'main' AND function_type IN ('macro', 'table_macro')"
                        + " AND function_name = " + quoted);
        if (sql.isEmpty() && name != null) {
            error("no table, view or macro named " + name + " (.tables lists them)");
            return;
        }
        for (String s : sql) out.println(s.strip().endsWith(";") ? s.strip() : s.strip() + ";");
    }

    private List<String> column(String sql) {
        List<String> out = new ArrayList<>();
        for (Object[] row : Query.run(db, sql).rows()) out.add(String.valueOf(row[0]));
        return out;
    }

    /** What completion offers: the shell's commands, tables, views and macros. */
    private List<String> names() {
        List<String> names = new ArrayList<>(List.of(".tables", ".schema", ".mode", ".help", ".quit", ".exit"));
        names.addAll(column("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
                + " UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'"
                + " UNION SELECT function_name FROM duckdb_functions() WHERE schema_name = 'main'"
                + " AND function_type IN ('macro', 'table_macro') ORDER BY 1"));
        return names;
    }

    /** Accepts an entry when it is a dot command or its SQL ends with ';'; otherwise the reader asks for another line. */
    private static final class StatementParser extends DefaultParser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith(".") && !SqlText.complete(line)) {
                    throw new EOFError(-1, -1, "the statement continues until ';'");
                }
                return super.parse("", 0, context); // SQL is not split into shell words: quotes in it need not match
            }
            return super.parse(line, cursor, context);
        }
    }
}
