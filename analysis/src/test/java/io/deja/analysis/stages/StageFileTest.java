package io.deja.analysis.stages;

import io.deja.analysis.AnalysisException;
import io.deja.core.vm.ExitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stage file format (docs/stages.md): every milestone, comments, and one clear line per mistake. */
class StageFileTest {
    @Test
    void everyMilestoneParsesAndPrintsBackAsWritten() {
        StageFile f = StageFile.parse("""
                # a comment, then a blank line

                out      console-byte
                boot     console "Booting \\"Linux\\" C:\\\\"   # comment after the text
                gic      console /GICv3: [0-9]+ SPIs|a\\/b/
                tick     interrupt 27
                irq      interrupt
                svc      exception from-el 0 ec 0x15
                any-exc  exception
                el1      exception to-el 1
                off      exit shutdown
                mmio     exit MMIO_read
                end      end
                budget   end budget
                """, "t.stages");
        assertThat(f.stages()).extracting(StageFile.Stage::name)
                .containsExactly("out", "boot", "gic", "tick", "irq", "svc", "any-exc", "el1", "off", "mmio", "end", "budget");
        assertThat(f.stages()).extracting(s -> s.milestone().toString()).containsExactly(
                "console-byte", "console \"Booting \\\"Linux\\\" C:\\\\\"", "console /GICv3: [0-9]+ SPIs|a\\/b/", "interrupt 27",
                "interrupt", "exception from-el 0 ec 0x15", "exception", "exception to-el 1", "exit shutdown", "exit mmio-read",
                "end", "end budget");
        assertThat(f.stages().get(1).milestone()).isEqualTo(new Milestone.ConsoleText("Booting \"Linux\" C:\\"));
        assertThat(f.stages().get(3).line()).isEqualTo(6);
        assertThat(f.stages().get(8).milestone()).isEqualTo(new Milestone.Exit(ExitKind.SHUTDOWN.code));
        Milestone.ConsoleRegex gic = (Milestone.ConsoleRegex) f.stages().get(2).milestone();
        assertThat(gic.matches("[    0.000000] GICv3: 224 SPIs implemented")).isTrue();
        assertThat(gic.matches("x a/b y")).isTrue();
        assertThat(f.hasConsoleStages()).isTrue();
        assertThat(StageFile.parse("a end", "x").hasConsoleStages()).isFalse();
    }

    @Test
    void aStageWrittenNeverIsForbiddenAndPrintsBackAsWritten() {
        StageFile f = StageFile.parse("""
                boot      console "boot"
                panic     never console "Kernel panic"   # a failure when reached
                never     never end budget
                trap      never  exception from-el 0 ec 0x15
                """, "t.stages");
        assertThat(f.stages()).extracting(StageFile.Stage::name).containsExactly("boot", "panic", "never", "trap");
        assertThat(f.stages()).extracting(StageFile.Stage::forbidden).containsExactly(false, true, true, true);
        assertThat(f.stages()).extracting(StageFile.Stage::spelling).containsExactly("console \"boot\"", "never console \"Kernel panic\"",
                "never end budget", "never exception from-el 0 ec 0x15");
        assertThat(f.stages().get(1).milestone()).isEqualTo(new Milestone.ConsoleText("Kernel panic"));
        assertThat(f.hasForbiddenStages()).isTrue();
        assertThat(StageFile.parse("a console-byte\nb end\n", "t").hasForbiddenStages()).isFalse();
        // the file's text of each stage, parsed again, is the same stage
        for (StageFile.Stage s : f.stages()) {
            assertThat(StageFile.parse(s.name() + " " + s.spelling(), "again").stages().getFirst()).isEqualTo(s.withLine(1));
        }
    }

    @Test
    void theBuiltInFileNamesTheLinuxBoot() {
        StageFile f = StageFile.builtin();
        assertThat(f.source()).isEqualTo(StageFile.BUILTIN);
        assertThat(f.stages()).extracting(StageFile.Stage::name).containsExactly("first-output", "booting", "gic", "arch-timer",
                "first-tick", "free-init-mem", "run-init", "first-el0-trap", "init-start", "init-done", "power-off", "end",
                "panic", "oops", "bug", "warning", "call-trace", "soft-lockup", "rcu-stall", "hung-task");
        assertThat(f.stages()).filteredOn(StageFile.Stage::forbidden).extracting(StageFile.Stage::name)
                .containsExactly("panic", "oops", "bug", "warning", "call-trace", "soft-lockup", "rcu-stall", "hung-task");
        Milestone.ConsoleRegex gic = (Milestone.ConsoleRegex) f.stages().get(2).milestone();
        // the lines of QEMU's console with GICv2 and GICv3, and of a GICv2 kernel entered at EL2
        assertThat(gic.matches("[    0.000000] Root IRQ handler: gic_handle_irq")).isTrue();
        assertThat(gic.matches("[    0.000000] GICv3: 224 SPIs implemented")).isTrue();
        assertThat(gic.matches("[    0.000000] GIC: Using split EOI/Deactivate mode")).isTrue();
        assertThat(gic.matches("[    0.000000] GICv2m: range[mem 0x08020000-0x08020fff], SPI[80:143]")).isFalse();
    }

    /** Which forbidden stages of the built-in file a console line reaches. */
    private static List<String> forbiddenIn(String line) {
        List<String> hit = new ArrayList<>();
        for (StageFile.Stage s : StageFile.builtin().stages()) {
            if (!s.forbidden()) continue;
            boolean match = switch (s.milestone()) {
                case Milestone.ConsoleText t -> t.matches(line);
                case Milestone.ConsoleRegex r -> r.matches(line);
                default -> false;
            };
            if (match) hit.add(s.name());
        }
        return hit;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [   13.191240] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100                      | panic
            [    2.020000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008         | oops
            [    2.020100] Internal error: Oops: 0000000096000005 [#1] SMP                                              | oops
            [    3.000000] kernel BUG at mm/slub.c:379!                                                                 | bug
            [    3.000000] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580             | bug
            [    4.000000] WARNING: CPU: 0 PID: 1 at kernel/workqueue.c:3066 __flush_work+0x2c8/0x2e0                  | warning
            [    4.000100] Call trace:                                                                                  | call-trace
            [   48.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [swapper/0:1]                              | bug soft-lockup
            [   21.000000] rcu: INFO: rcu_preempt self-detected stall on CPU                                            | rcu-stall
            [   21.000000] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:                                          | rcu-stall
            [  242.000000] INFO: task kworker/0:1:12 blocked for more than 120 seconds.                                 | hung-task
            """)
    void theBuiltInForbiddenStagesCatchLinuxsFailureLines(String line, String stages) {
        assertThat(forbiddenIn(line.strip())).containsExactly(stages.strip().split(" "));
    }

    @Test
    void aCleanBootReachesNoForbiddenStage() {
        // lines of the Debian guest's clean boot on QEMU 7.2 that mention tracing, errors or debugging
        for (String line : List.of("[    0.000000] ftrace: allocating 44279 entries in 173 pages", "[    0.000000] trace event string verifier disabled",
                "[    0.000000] rcu: Hierarchical RCU implementation.", "[    0.000000] rcu: RCU calculated value of scheduler-enlistment delay is 25 jiffies.",
                "[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]", "[    0.411132] hw-breakpoint: found 6 breakpoint and 4 watchpoint registers.",
                "[    2.419283] Run /init as init process", "Err:          0", "IPI2:         0       CPU stop interrupts", "DEJA-INIT: done")) {
            assertThat(forbiddenIn(line)).as(line).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            boot consol "x"                | t.stages:2: unknown milestone 'consol' (console, console-byte, interrupt, exception, exit, end)
            -boot console "x"              | t.stages:2: stage name '-boot' is not a name (letters, digits, '_', '.', '-'; starting with a letter or digit)
            boot                           | t.stages:2: stage 'boot' has no milestone (console, console-byte, interrupt, exception, exit, end)
            boot console "Booting          | t.stages:2: unterminated text: no closing " in "Booting
            boot console /a(b/             | t.stages:2: bad regular expression /a(b/: Unclosed group near index 3
            boot console /abc              | t.stages:2: unterminated regular expression: no closing / in /abc
            boot console ""                | t.stages:2: empty console text (it would match any line)
            boot console "a\\d"            | t.stages:2: unknown escape '\\d' in console text (only \\" and \\\\; use /REGEX/ for patterns)
            boot console Booting           | t.stages:2: console needs "TEXT" (a substring of the line) or /REGEX/, not 'Booting'
            boot console "x" y             | t.stages:2: unexpected 'y' after console
            tick interrupt x27             | t.stages:2: 'x27' is not a number (INTID)
            svc exception from-el 4        | t.stages:2: 4 is out of range for an exception level (0..3)
            svc exception el 0             | t.stages:2: exception takes from-el N, to-el N and ec N, not 'el'
            svc exception ec 64            | t.stages:2: 64 is out of range for an exception class (ESR_EL1.EC) (0..63)
            first end                      | t.stages:2: stage 'first' is named twice
            boot never                     | t.stages:2: stage 'boot' has no milestone after never (console, console-byte, interrupt, exception, exit, end)
            boot never never end           | t.stages:2: stage 'boot': never twice
            boot never consol "x"          | t.stages:2: unknown milestone 'consol' (console, console-byte, interrupt, exception, exit, end)
            """)
    void aMistakeIsOneLineNamingFileAndLine(String line, String message) {
        assertThatThrownBy(() -> StageFile.parse("first console-byte\n" + line + "\nlast end\n", "t.stages"))
                .isInstanceOf(AnalysisException.class).hasMessage(message);
    }

    @Test
    void anExitKindIsNamedAsTheSchemaNamesIt() {
        // the list follows io.deja.core.vm.ExitKind: these are the kinds every Deja has
        assertThatThrownBy(() -> StageFile.parse("off exit\n", "t.stages"))
                .hasMessageStartingWith("t.stages:1: exit needs a kind (wfi, wfe, mmio-read, mmio-write, hvc, smc, brk, hlt, budget, cancelled, shutdown, ")
                .hasMessageEndingWith(")");
        assertThatThrownBy(() -> StageFile.parse("off exit poweroff\n", "t.stages"))
                .hasMessageStartingWith("t.stages:1: unknown exit kind 'poweroff' (wfi, wfe, ")
                .hasMessageContaining(", cpu-off");
        assertThat(StageFile.parse("off exit 100\n", "t").stages().getFirst().milestone()).isEqualTo(new Milestone.Exit(100));
    }

    @Test
    void anEmptyOrMissingFileIsRefused(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> StageFile.parse("# only a comment\n\n", "e.stages"))
                .hasMessage("e.stages: no stages (one a line: NAME MILESTONE; see docs/stages.md)");
        assertThatThrownBy(() -> StageFile.load(tmp.resolve("none.stages"))).hasMessage(tmp.resolve("none.stages") + ": no such stage file");
        Path f = Files.writeString(tmp.resolve("ok.stages"), "a console-byte\r\nb end\r\n");
        assertThat(StageFile.load(f).stages()).hasSize(2);
        assertThat(StageFile.load(f).source()).isEqualTo(f.toString());
    }
}
