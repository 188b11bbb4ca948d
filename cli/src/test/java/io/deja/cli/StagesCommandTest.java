package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja stages and the stage gate of deja diff on kernels/stages.S and its
 * variants (stages_slow: a longer busy loop; stages_swap: the EL0 trip before
 * the timer), with kernels/stages.stages: output, formats, errors and exit statuses;
 * forbidden stages on kernels/linux_panic, which prints Linux's panic lines.
 */
@Timeout(300)
class StagesCommandTest {
    @TempDir
    static Path tmp;
    static Path stages, stagesAgain, slow, swap, hello, panic, file;

    @BeforeAll
    static void record() throws Exception {
        stages = record("stages", "stages");
        stagesAgain = record("stages", "stages-again");
        slow = record("stages_slow", "slow");
        swap = record("stages_swap", "swap");
        hello = record("uart_hello", "hello");
        panic = record("linux_panic", "panic");
        file = HuntCommandTest.buildKernel("stages").getParent().getParent().resolve("stages.stages");
    }

    static Path record(String kernel, String name) throws IOException, InterruptedException {
        Path image = HuntCommandTest.buildKernel(kernel);
        Path dir = tmp.resolve(name);
        Recorder.create(dir, MachineConfig.of(Board.VIBE, Files.readAllBytes(image)), image, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS)).run();
        return dir;
    }

    static HuntCommandTest.Cli deja(String... args) {
        return HuntCommandTest.deja(args);
    }

    @Test
    void aPerfettoTimelineDrawsEachStageFromWhereItWasReachedToTheNextOne() throws IOException {
        Path json = tmp.resolve("stages.json");
        HuntCommandTest.Cli c = deja("export", stages.toString(), "--perfetto", json.toString(), "--stages", file.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        String trace = Files.readString(json);
        // one slice per stage reached, named as in the stage file, on the stages track (power-off and
        // end are reached at the last instruction: no length, nothing to draw)
        for (String name : List.of("boot", "work", "tick", "timer", "el0-svc", "user", "done")) {
            assertThat(trace).contains("\"name\":\"" + name + "\"");
        }
        HuntCommandTest.Cli stray = deja("export", stages.toString(), "--stages", file.toString());
        assertThat(stray.exit()).isEqualTo(2);
        assertThat(stray.err()).contains("--perfetto");
    }

    @Test
    void stagesListsEachStageWithItsIcountTimeAndCost() {
        HuntCommandTest.Cli c = deja("stages", stages.toString(), "--stages", file.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        // the 1 ms timer's WFI sleep (62,500 cycles less the instructions since it was armed) shows from the tick on
        assertThat(c.out()).isEqualTo(stages + ": 20,661 instructions, 0.001330 s virtual; stages from " + file + "\n" + """
                  stage               icount    virtual time   since previous  what
                  boot                    20      0.000000 s               20  stages: boot
                  work                20,111      0.000322 s           20,091  stages: work done
                  tick                20,250      0.001324 s              139  IRQ INTID 27 at pc 0x1010c from EL1
                  timer               20,279      0.001324 s               29  stages: timer ticked
                  el0-svc             20,416      0.001327 s              137  SVC (EC 0x15) at pc 0x10194 from EL0 to EL1
                  user                20,436      0.001327 s               20  stages: user returned
                  done                20,579      0.001329 s              143  stages: done
                  power-off           20,661      0.001330 s               82  shutdown exit at pc 0x1090c
                  end                 20,661      0.001330 s                0  run ended: shutdown
                """);
        HuntCommandTest.Cli json = deja("stages", stages.toString(), "--stages", file.toString(), "--format", "json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).startsWith("{\"recording\": \"" + stages + "\", \"stage_file\": \"" + file + "\", \"instructions\": 20661, ")
                .contains("{\"name\": \"work\", \"reached\": true, \"milestone\": \"console \\\"stages: work done\\\"\", \"icount\": 20111, ");
    }

    @Test
    void theBuiltInStagesFindTheConsoleAndTheEnd() {
        HuntCommandTest.Cli c = deja("stages", hello.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("stages from built-in linux", "  first-output ", "  power-off ", "  end ",
                "  booting ", "not reached (console \"Booting Linux\")");
    }

    @Test
    void aStageThatCostsMoreThanTheThresholdFailsTheDiff() {
        HuntCommandTest.Cli c = deja("diff", stages.toString(), slow.toString(), "--stages", file.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(1);
        assertThat(c.out()).contains("boot stages (A is the baseline; stages from " + file,
                "  work                20,111           40,111         +20,000    +99.4%           20,091           40,091    +99.5%  GREW\n",
                "  tick                20,250           40,250         +20,000    +98.8%              139              139     +0.0%  ok\n")
                .endsWith("stages: REGRESSION (B against baseline A, threshold 5%): work cost +99.5% (+20,000 instructions)\n");
        HuntCommandTest.Cli loose = deja("diff", stages.toString(), slow.toString(), "--stages", file.toString(), "--threshold", "100%");
        assertThat(loose.exit()).as(loose.out()).isZero();
        assertThat(loose.out()).endsWith("stages: no regression (B against baseline A, threshold 100%)\n");
        HuntCommandTest.Cli floor = deja("diff", stages.toString(), slow.toString(), "--stages", file.toString(), "--min-growth", "20k");
        assertThat(floor.exit()).isZero();
        HuntCommandTest.Cli faster = deja("diff", slow.toString(), stages.toString(), "--stages", file.toString());
        assertThat(faster.exit()).as("B faster than A is no regression").isZero();
        assertThat(faster.out()).contains("-49.9%  shrank\n");
        HuntCommandTest.Cli json = deja("diff", stages.toString(), slow.toString(), "--stages", file.toString(), "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.out()).contains("\"failed\": true", "\"stages\": {\"baseline\": \"a\"", "\"regression\": true",
                "{\"name\": \"work\", \"icount_a\": 20111, \"icount_b\": 40111, \"delta\": 20000, ");
    }

    @Test
    void reorderedAndMissingStagesFailTheDiffAndNewOnesDoNot() {
        HuntCommandTest.Cli swapped = deja("diff", stages.toString(), swap.toString(), "--stages", file.toString());
        assertThat(swapped.exit()).as(swapped.out()).isEqualTo(1);
        assertThat(swapped.out()).contains("REORDERED").containsPattern("stages: REGRESSION .*reordered");
        HuntCommandTest.Cli missing = deja("diff", stages.toString(), hello.toString(), "--stages", file.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("DISAPPEARED").containsPattern("stages: REGRESSION .*boot disappeared, work disappeared");
        // uart_hello reaches only the power-off and the end: the stages B adds are reported, and only the power-off's cost fails
        HuntCommandTest.Cli appeared = deja("diff", hello.toString(), stages.toString(), "--stages", file.toString());
        assertThat(appeared.exit()).as(appeared.out()).isEqualTo(1);
        assertThat(appeared.out()).contains("  appeared\n")
                .endsWith("stages: REGRESSION (B against baseline A, threshold 5%): power-off cost +8544.8% (+20,422 instructions)\n");
        HuntCommandTest.Cli loose = deja("diff", hello.toString(), stages.toString(), "--stages", file.toString(), "--threshold", "10000");
        assertThat(loose.exit()).as(loose.out()).isZero();
        assertThat(loose.out()).endsWith("stages: no regression (B against baseline A, threshold 10000%)\n");
    }

    @Test
    void twoRecordingsOfOneRunPassEitherWay() {
        HuntCommandTest.Cli plain = deja("diff", stages.toString(), stagesAgain.toString());
        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).startsWith("equivalent").doesNotContain("boot stages");
        HuntCommandTest.Cli staged = deja("diff", stages.toString(), stagesAgain.toString(), "--stages", file.toString());
        assertThat(staged.exit()).isZero();
        assertThat(staged.out()).contains("boot stages").endsWith("stages: no regression (B against baseline A, threshold 5%)\n");
        assertThat(deja("diff", stages.toString(), slow.toString()).exit()).as("no stages: the streams differ").isEqualTo(1);
    }

    @Test
    void badStageFilesAndOptionsAreOneLineAndExitTwo() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.stages"), "# mine\nboot console \"stages: boot\"\nwork consol \"x\"\n");
        for (String command : new String[] {"stages", "diff"}) {
            HuntCommandTest.Cli c = command.equals("stages") ? deja("stages", stages.toString(), "--stages", bad.toString())
                    : deja("diff", stages.toString(), slow.toString(), "--stages", bad.toString());
            assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
            assertThat(c.out()).isEmpty();
            assertThat(c.err()).isEqualTo("deja: " + bad + ":3: unknown milestone 'consol' (console, console-byte, interrupt, exception, exit, end)\n");
        }
        assertThat(deja("stages", stages.toString(), "--stages", tmp.resolve("none").toString()).err())
                .isEqualTo("deja: " + tmp.resolve("none") + ": no such stage file\n");
        HuntCommandTest.Cli threshold = deja("diff", stages.toString(), slow.toString(), "--threshold", "five");
        assertThat(threshold.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(threshold.err()).isEqualTo("deja: --threshold five: not a percentage (examples: 5, 5%, 2.5%)\n");
        assertThat(deja("diff", stages.toString(), slow.toString(), "--threshold", "-1%").err())
                .isEqualTo("deja: --threshold -1%: must be a percentage of 0 or more (examples: 5, 5%, 2.5%)\n");
        assertThat(deja("stages", tmp.resolve("nothing").toString()).err()).contains("no such recording directory");
        assertThat(deja("stages", stages.toString(), "--format", "xml").err()).isEqualTo("deja: unknown format 'xml' (text or json)\n");
    }

    /** A stage file for both stages.S and linux_panic.S: their first output and end, and a kernel panic forbidden. */
    static Path guarded() throws IOException {
        return Files.writeString(tmp.resolve("guarded.stages"), """
                first-output  console-byte
                panic         never console "Kernel panic - not syncing"
                power-off     exit shutdown
                end           end
                """);
    }

    @Test
    void aRunThatReachedAForbiddenStageFailsDejaStages() throws IOException {
        Path f = guarded();
        HuntCommandTest.Cli bad = deja("stages", panic.toString(), "--stages", f.toString());
        assertThat(bad.exit()).as(bad.out() + bad.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(bad.out()).containsPattern("\n  panic +[0-9,]+ .* FORBIDDEN: Kernel panic - not syncing: deja test: x19 reached 1000\n")
                .contains("  power-off  ", "not reached (exit shutdown)")
                .containsPattern("\nstages: FAILED: 1 forbidden stage reached: panic at icount [0-9,]+ "
                        + "\\(Kernel panic - not syncing: deja test: x19 reached 1000\\)\n$");
        HuntCommandTest.Cli json = deja("stages", panic.toString(), "--stages", f.toString(), "--format", "json");
        assertThat(json.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(json.out()).contains("{\"name\": \"panic\", \"reached\": true, \"milestone\": \"console \\\"Kernel panic - not syncing\\\"\", ",
                "\"forbidden\": true}").endsWith("\"failed\": true, \"forbidden_reached\": [\"panic\"]}\n");

        HuntCommandTest.Cli good = deja("stages", stages.toString(), "--stages", f.toString());
        assertThat(good.exit()).as(good.out() + good.err()).isZero();
        assertThat(good.out()).doesNotContain("  panic ").endsWith("stages: no forbidden stage reached (1 looked for: panic)\n");
        // the built-in Linux file forbids a panic too
        HuntCommandTest.Cli builtin = deja("stages", panic.toString());
        assertThat(builtin.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(builtin.out()).doesNotContain("  warning ").containsPattern("stages: FAILED: 1 forbidden stage reached: panic at ");
    }

    @Test
    void aForbiddenStageInBFailsTheDiffAndOneGoneIsAnImprovement() throws IOException {
        Path f = guarded();
        HuntCommandTest.Cli worse = deja("diff", stages.toString(), panic.toString(), "--stages", f.toString(), "--min-growth", "1M");
        assertThat(worse.exit()).as(worse.out() + worse.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(worse.out()).containsPattern("\n  panic  +-  +[0-9,]+  .*  APPEARED \\(FORBIDDEN\\)\n")
                .contains("  power-off ").contains("DISAPPEARED")
                .endsWith("stages: REGRESSION (B against baseline A, threshold 5%): panic appeared (forbidden), power-off disappeared\n");
        HuntCommandTest.Cli again = deja("diff", panic.toString(), panic.toString(), "--stages", f.toString());
        assertThat(again.exit()).as("a forbidden stage in B fails even when A reached it").isEqualTo(Main.EXIT_FAILURE);
        assertThat(again.out()).contains("STILL REACHED (FORBIDDEN)")
                .endsWith("stages: REGRESSION (B against baseline A, threshold 5%): panic still reached (forbidden)\n");
        HuntCommandTest.Cli better = deja("diff", panic.toString(), stages.toString(), "--stages", f.toString(), "--min-growth", "1M");
        assertThat(better.exit()).as(better.out()).isZero();
        assertThat(better.out()).containsPattern("\n  panic  +[0-9,]+  +-  .*  gone \\(forbidden\\)\n")
                .endsWith("stages: no regression (B against baseline A, threshold 5%); improved: panic gone (forbidden)\n");
        HuntCommandTest.Cli json = deja("diff", stages.toString(), panic.toString(), "--stages", f.toString(), "--min-growth", "1M", "--format", "json");
        assertThat(json.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(json.out()).contains("\"failed\": true", "\"change\": \"forbidden_appeared\", \"regression\": true, \"forbidden\": true");
        // the built-in file finds the panic line: the stage table is shown without --stages
        HuntCommandTest.Cli builtin = deja("diff", hello.toString(), panic.toString());
        assertThat(builtin.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(builtin.out()).contains("boot stages (A is the baseline; stages from built-in linux", "panic appeared (forbidden)");
    }

    @Test
    void helpNamesTheFormatAndTheExitStatuses() {
        HuntCommandTest.Cli diff = deja("diff", "--help");
        assertThat(diff.exit()).isZero();
        // formatted by picocli (a raw, unformatted description would keep "%%")
        assertThat(diff.out()).contains("(default 5%; '2.5' or '2.5%')", "docs/stages.md", "Exit status with a stage table: 0 when no stage");
        HuntCommandTest.Cli stages = deja("stages", "--help");
        assertThat(stages.exit()).isZero();
        assertThat(stages.out()).startsWith(CommandHelp.summary("stages") + "\nUsage: deja stages ").contains("docs/stages.md", "--stages=FILE",
                "'NAME never MILESTONE' is forbidden", "1 when the run reached a forbidden stage");
    }
}
