package io.deja.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line a new user meets: every command's --help has a whole-sentence
 * summary and pasteable examples, -V works everywhere, completion is generated,
 * and QEMU's spellings either work or say what to type.
 */
class CommandLineTest {
    static final List<String> COMMANDS = List.of("run", "record", "replay", "bench", "hunt", "demo", "export", "query", "diff", "stages", "ui", "report", "help", "completion");

    @Test
    void everyCommandsHelpHasAWholeSentenceSummaryAndExamples() {
        HuntCommandTest.Cli top = deja("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Examples:", "$ deja demo");
        // The one exit-status table (Main.exitStatus, the README's "Commands") is in the help too.
        assertThat(top.out().replaceAll("\\s+", " ")).contains("Exit status: 0 success, 1 failure found, 2 bad usage or input, 3 budget used up, 130 interrupted.");
        for (String c : COMMANDS) {
            HuntCommandTest.Cli h = deja(c, "--help");
            assertThat(h.exit()).as(c).isZero();
            String summary = CommandHelp.summary(c);
            assertThat(summary).as(c).endsWith(".");
            assertThat(h.out().replaceAll("\\s+", " ")).as(c).startsWith(summary + " Usage: deja " + c);
            assertThat(h.out()).as(c).containsPattern("Examples:\n  \\$ .*deja ");
            // deja --help lists the whole summary beside the command's name, not a wrapped paragraph's first line.
            assertThat(top.out().replaceAll("\\s+", " ")).as(c).contains(" " + c + " " + summary);
        }
    }

    @Test
    void descriptionsAreWholeParagraphsAndExamplesComeOnce() {
        picocli.CommandLine root = new picocli.CommandLine(new Main());
        CommandHelp.apply(root);
        List<String> cut = new java.util.ArrayList<>();
        for (String c : COMMANDS) {
            // picocli starts each description string on a new line and wraps it at the usage width: a string
            // that fits is a line wrapped by hand, a longer one must be a whole paragraph, or it shows as a
            // line cut short with the sentence going on below it.
            var usage = root.getSubcommands().get(c).getCommandSpec().usageMessage();
            for (String paragraph : usage.description()) {
                if (paragraph.length() > usage.width() && !paragraph.strip().matches(".*[.:)!?]")) cut.add(c + ": " + paragraph);
            }
            String help = deja(c, "--help").out();
            assertThat(help.split("Examples:", -1)).as("%s --help: one Examples section", c).hasSize(2);
        }
        assertThat(cut).as("paragraphs cut mid-sentence").isEmpty();
    }

    @Test
    void versionWorksOnEveryCommand() {
        String version = deja("--version").out();
        assertThat(version).startsWith("deja ");
        for (String c : COMMANDS) {
            HuntCommandTest.Cli v = deja(c, "-V");
            assertThat(v.exit()).as(c).isZero();
            assertThat(v.out()).as(c).isEqualTo(version);
        }
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        HuntCommandTest.Cli c = deja("completion");
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("complete -F _complete_deja", "run", "record", "--chaos-seed", "--max-insns");
    }

    @Test
    void qemuSpellingsWorkWhereTheyMeanTheSame() throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello").resolveSibling("uart_hello.virt.bin");
        HuntCommandTest.Cli q = deja("run", "-M", "virt,gic-version=3", "-m", "64", "-nographic", "--binary", hello.toString());
        HuntCommandTest.Cli d = deja("run", "--board", "virt", "--gic", "3", "--mem", "64M", "--binary", hello.toString());
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(mask(q.err())).isEqualTo(mask(d.err()));
        // -kernel is --kernel: the error is about the file, not "missing --binary" or an unknown option.
        assertThat(deja("run", "-kernel", "/nonexistent/Image").err()).isEqualTo("deja: --kernel /nonexistent/Image: no such file\n");
        assertThat(deja("record", "-kernel", "/nonexistent/Image", "-append", "console=ttyAMA0", "--out", "/tmp/x").err())
                .isEqualTo("deja: --kernel /nonexistent/Image: no such file\n");
        // The value of a Deja option is left alone, even when it reads like a QEMU option.
        assertThat(QemuSpellings.rewrite(new String[] {"run", "--append", "-d", "-m", "64"}, new picocli.CommandLine(new Main()).getCommandSpec()))
                .containsExactly("run", "--append", "-d", "--mem", "64M");
        assertThat(QemuSpellings.qemuSize("512")).isEqualTo("512M");
        assertThat(QemuSpellings.qemuSize("1G")).isEqualTo("1G");
    }

    @Test
    void qemuSpellingsThatMeanSomethingElseSayWhatToType() {
        HuntCommandTest.Cli d = deja("run", "-d", "in_asm", "--binary", "x");
        assertThat(d.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(d.err()).startsWith("deja: -d: QEMU's logging has no Deja flag").contains("deja record --trace");
        assertThat(deja("run", "-S", "--binary", "x").err()).contains("-S: did you mean --gdb PORT?");
        assertThat(deja("run", "-s", "-S", "--binary", "/nonexistent").err()).isEqualTo("deja: --binary /nonexistent: no such file\n");
        assertThat(deja("run", "-cpu", "cortex-a57", "--binary", "x").err()).contains("drop -cpu");
        assertThat(deja("run", "-M", "virt,highmem=off", "--binary", "x").err()).contains("no machine property 'highmem=off'");
        // A misspelt option gets picocli's nearest option, and a long option typed with one dash its two-dash form.
        assertThat(deja("run", "--binray", "x").err()).contains("did you mean --binary?");
        assertThat(deja("replay", "-trace", "full", "x").err()).contains("did you mean --trace?");
    }

    /** Standard error of a run without the host-time line. */
    private static String mask(String err) {
        return err.replaceAll("host time: .*", "host time: ...");
    }
}
