package io.deja.cli;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.Quiet;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.analysis.query.ResultFormat;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** deja query: SQL over a recording, in DuckDB. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {
            "Runs SQL over a recording's tables in DuckDB (exporting them first when they are missing or older"
                + " than the recording) and prints the result of the last statement. The data is read-only.",
            "Tables and the standard library (reg_history, first_write, who_wrote, culprit, exit_stats,"
                + " irq_latency, console, exception_stats, irq_rate, mmio_stats, console_lines, syscalls,"
                + " page_faults, coverage, ...) are documented in analysis/TABLES.md. Hex literals work"
                + " (WHERE pc = 0x11a00).",
            "A table that the recording's trace level leaves empty gets a note on stderr naming the level it"
                + " needs; SELECT * FROM coverage says which icounts a re-traced window holds.",
            "Without SQL it opens an interactive SQL shell (.help lists its commands); when standard input is"
                + " not a terminal, the shell reads its statements from it."
        })
public final class QueryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The recording directory.")
    Path dir;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SQL", description = "The query (or use --file; neither: the SQL shell).")
    String sql;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the query from FILE (- for standard input).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default), csv or json.")
    String format;

    @Option(names = "--hex", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Table format: show unsigned columns (addresses, values, opcodes) in hex (default; --no-hex for decimal).")
    boolean hex;

    @Option(names = "--no-cache", description = "Load the tables into memory for this query instead of building (or using) the database"
            + " cached in DIR/arrow/deja.duckdb: quicker for a single query on a large recording.")
    boolean noCache;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Quiet.slf4j();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text = queryText();
        boolean shell = text == null;
        try {
            ResultFormat f = ResultFormat.parse(format);
            Path arrow = Query.defaultExportDir(dir);
            if (!Files.isDirectory(dir)) throw new UserError(dir + ": no such recording directory");
            Exporter.Result exported = Query.ensureExported(dir, arrow);
            if (exported != null) {
                err.printf(Locale.ROOT, "deja: exported %s to %s (%s in %.2f s)%n", dir, arrow, Plural.count(exported.totalRows(), "row"),
                        exported.nanos() / 1e9);
                err.flush();
            }
            if (shell) return shell(arrow, f, stdout, err);
            QueryResult r;
            java.util.List<String> notes;
            try (Database db = noCache ? Database.inMemory(arrow) : Database.open(arrow)) {
                r = Query.run(db, text);
                notes = Query.coverageNotes(db, text, dir.toString());
            }
            f.print(r, stdout, hex);
            for (String note : notes) err.println("deja: note: " + note);
            err.flush();
            return 0;
        } catch (RecordingException | AnalysisException e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage(), Main.EXIT_FAILURE);
        }
    }

    /**
     * The SQL shell: interactive when standard input and output are a terminal, otherwise
     * statements read from standard input (exit status 2 if any of them failed).
     */
    private int shell(Path arrow, ResultFormat f, PrintWriter stdout, PrintWriter err) {
        try (Database db = noCache ? Database.inMemory(arrow) : Database.open(arrow)) {
            SqlShell shell = new SqlShell(db, dir.toString(), f, hex, stdout, err);
            java.io.Console console = System.console();
            if (console != null && console.isTerminal()) {
                shell.runInteractive();
                return 0;
            }
            shell.run(new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)));
            return shell.errors() == 0 ? 0 : Main.EXIT_USAGE;
        } catch (IOException e) {
            throw new UserError("the SQL shell: " + e.getMessage(), Main.EXIT_FAILURE);
        }
    }

    /** The SQL to run: the argument, or the file's contents (standard input for -); null for the shell. */
    private String queryText() {
        if (sql != null && file != null) throw new UserError("give the query as an argument or with --file, not both");
        if (sql == null && file == null) return null;
        if (sql != null) return sql;
        try {
            if (file.toString().equals("-")) return new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
