package io.deja.cli;

import io.deja.core.vm.ExitKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/**
 * The deja command. User errors (bad options, unreadable images, invalid
 * machine configurations) print one line and exit non-zero; only unexpected
 * internal failures print a stack trace, and only with DEJA_DEBUG=1.
 */
@Command(name = "deja",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Cycle-deterministic AArch64 full-system emulator.",
        footerHeading = "%nExamples:%n",
        footer = {"  $ deja demo", "  $ deja run --binary kernels/build/uart_hello.raw", "  $ deja record --binary kernels/build/heisenbug.raw --out /tmp/rec",
                "  $ deja replay /tmp/rec", "See deja COMMAND --help for each command's options and examples; the README's \"Commands\" for more.",
                "Exit status: 0 success, 1 failure found, 2 bad usage or input, 3 budget used up, 130 interrupted."},
        subcommands = {RunCommand.class, RecordCommand.class, ReplayCommand.class, BenchCommand.class, HuntCommand.class, DemoCommand.class,
                ExportCommand.class, QueryCommand.class, DiffCommand.class, StagesCommand.class, UiCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /**
     * Exit statuses, one table for every command (the README's "Exit status"):
     * 0 success (for run and record: the guest powered off, reset or turned
     * its CPU off), 1 a failure the command found (a guest panic or debug
     * stop, a replay divergence, a difference or regression in diff, no
     * failing seed in hunt, a missed bench target) or a host failure, 2 bad
     * usage or input, 3 the instruction budget ran out before the guest
     * ended, 130 interrupted (Ctrl-C, Ctrl-A X).
     */
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_BUDGET = 3;
    public static final int EXIT_INTERRUPTED = 130;

    /** The exit status of a run or recording that stopped for stop (see the table above). */
    static int exitStatus(ExitKind stop) {
        return switch (stop) {
            case SHUTDOWN, RESET, CPU_OFF -> 0;
            case BUDGET -> EXIT_BUDGET;
            case CANCELLED -> EXIT_INTERRUPTED;
            default -> EXIT_FAILURE;
        };
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: deja run --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. Used by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        CommandHelp.apply(cl); // before the streams are set: the completion command must get them too
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("deja: " + ex.getMessage() + didYouMean(ex));
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UserError || ex instanceof IllegalArgumentException) {
                err.println("deja: " + ex.getMessage());
                return ex instanceof UserError u ? u.exitCode() : EXIT_USAGE;
            }
            err.println("deja: internal error: " + ex);
            if ("1".equals(System.getenv("DEJA_DEBUG"))) ex.printStackTrace(err);
            else err.println("deja: set DEJA_DEBUG=1 for the stack trace, and please report it");
            return EXIT_FAILURE;
        });
        try {
            args = QemuSpellings.rewrite(args, cl.getCommandSpec());
        } catch (UserError e) {
            err.println("deja: " + e.getMessage());
            return e.exitCode();
        }
        return cl.execute(args);
    }

    /** " (did you mean --kernel?)" for an unknown option that is a known one with a dash missing or a near spelling. */
    static String didYouMean(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) return "";
        var options = ex.getCommandLine().getCommandSpec().optionsMap();
        for (String arg : u.getUnmatched()) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.startsWith("-") && !name.startsWith("--") && name.length() > 2 && options.containsKey("-" + name)) {
                return " (did you mean -" + name + "?)";
            }
        }
        List<String> suggestions = u.getSuggestions();
        return suggestions.isEmpty() ? "" : " (did you mean " + suggestions.get(0) + "?)";
    }
}
