package io.deja.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;

/**
 * What every command's --help shows besides its options: a one-sentence
 * summary (the line `deja --help` lists, which used to be the first line of a
 * wrapped paragraph, cut mid-sentence) and examples a user can paste, plus
 * -V/--version on every subcommand and the completion script.
 * Declared here for all commands at once; a command that declares its own
 * header or footer in its annotation keeps it.
 */
final class CommandHelp {
    private CommandHelp() {}

    private record Help(String summary, String... examples) {}

    private static final Map<String, Help> HELP = Map.ofEntries(
            Map.entry("run", new Help("Runs a guest and prints exit statistics.",
                    "deja run --binary kernels/build/uart_hello.raw",
                    "deja run --binary kernels/build/timer_irq.virt.bin --board virt --dump-regs",
                    "deja run --kernel Image --initrd initrd.cpio.gz --append \"console=ttyAMA0\" --mem 512M")),
            Map.entry("record", new Help("Runs a guest and records everything that happens into a directory.",
                    "deja record --binary kernels/build/heisenbug.raw --chaos-seed 33 --trace full --out /tmp/rec",
                    "echo hello | deja record --binary kernels/build/uart_rx_irq.virt.bin --board virt --input - --out /tmp/rx")),
            Map.entry("replay", new Help("Replays a recording and proves it bit-exact, or shows where it diverges.",
                    "deja replay /tmp/rec",
                    "deja replay /tmp/rec --at 101161 --dump-regs --disasm 4",
                    "deja replay /tmp/rec --trace full --from 101100 --to 101200 --out /tmp/window")),
            Map.entry("bench", new Help("Measures Deja beside QEMU: guest MIPS, recording, seeking, snapshots, Linux boot.",
                    "deja bench",
                    "deja bench --no-qemu --runs 1",
                    "deja bench --recording",
                    "deja bench --linux --smp 4",
                    "deja bench --snapshots --runs 1 --format json")),
            Map.entry("hunt", new Help("Records runs with seeded interrupt jitter until one fails, and keeps that one.",
                    "deja hunt --binary kernels/build/heisenbug.raw --seeds 1..500 --until-console \"X9 CORRUPT\" --out /tmp/bug")),
            Map.entry("demo", new Help("Hunts, replays and explains a heisenbug, or with --race a race between CPUs.",
                    "deja demo",
                    "deja demo --race")),
            Map.entry("export", new Help("Writes a recording's tables as Arrow (and Parquet) files, or as a Perfetto timeline.",
                    "deja export /tmp/rec --parquet",
                    "deja export /tmp/rec --perfetto /tmp/rec.perfetto-trace")),
            Map.entry("query", new Help("Answers SQL over a recording's tables (DuckDB).",
                    "deja query /tmp/rec \"SELECT * FROM exit_stats\"",
                    "deja query /tmp/rec \"SELECT * FROM first_write('X9', 1)\"",
                    "deja query /tmp/rec --file docs/queries/heisenbug.sql",
                    "deja query /tmp/rec                  # the SQL shell")),
            Map.entry("diff", new Help("Compares two recordings: settings, first divergence, console, counts (by kind and by CPU) and boot stages.",
                    "deja diff /tmp/seed1 /tmp/seed33",
                    "deja diff /tmp/boot-main /tmp/boot-branch --threshold 2%")),
            Map.entry("stages", new Help("Lists the boot stages a recording reached; fails on a forbidden one.",
                    "deja stages /tmp/boot",
                    "deja stages /tmp/rec --stages kernels/stages.stages --format json")),
            Map.entry("ui", new Help("Shows one recording, or two and their diff, as a local web page.",
                    "deja ui /tmp/rec --open",
                    "deja ui /tmp/boot-main /tmp/boot-branch --port 8080")),
            Map.entry("report", new Help("Writes a recording's summary, timeline and console as one self-contained HTML file.",
                    "deja report /tmp/rec --out /tmp/rec.html",
                    "deja report /tmp/boot --replay --out boot.html")),
            Map.entry("help", new Help("Shows the help of deja, or of one command (as COMMAND --help does).",
                    "deja help",
                    "deja help query")),
            Map.entry("completion", new Help("Prints a bash (and zsh) completion script for deja.",
                    "source <(deja completion)",
                    "deja completion > ~/.local/share/bash-completion/completions/deja")));

    /** Adds the completion command and applies summaries, examples and the version to every command under root. */
    static void apply(CommandLine root) {
        if (!root.getSubcommands().containsKey("completion")) {
            CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
            completion.getCommandSpec().name("completion").usageMessage().hidden(false)
                    .description("Bash runs the script's function when Tab is pressed after deja; zsh reads it after"
                            + " 'autoload -U bashcompinit && bashcompinit'. Put deja on the PATH first (see the README).");
            root.addSubcommand("completion", completion);
        }
        for (CommandLine sub : root.getSubcommands().values()) apply(sub.getCommandSpec());
    }

    private static void apply(CommandSpec spec) {
        if (spec.versionProvider() == null) spec.versionProvider(new Version());
        // picocli's help command has -h only, and a header of its own in another voice.
        boolean picocliHelp = spec.userObject() instanceof CommandLine.HelpCommand;
        if (picocliHelp && !spec.optionsMap().containsKey("-V")) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-V", "--version").versionHelp(true)
                    .description("Print version information and exit.").build());
        }
        Help help = HELP.get(spec.name());
        if (help == null) return;
        var usage = spec.usageMessage();
        if (usage.header().length == 0 || picocliHelp) usage.header(help.summary());
        if (usage.footer().length == 0 && help.examples().length > 0) {
            String[] lines = new String[help.examples().length];
            for (int i = 0; i < lines.length; i++) lines[i] = "  $ " + help.examples()[i].replace("%", "%%");
            usage.footerHeading("%nExamples:%n").footer(lines);
        }
    }

    /** The summary of a command (for tests): what `deja --help` lists beside its name. */
    static String summary(String command) {
        Help h = HELP.get(command);
        return h == null ? null : h.summary();
    }
}
