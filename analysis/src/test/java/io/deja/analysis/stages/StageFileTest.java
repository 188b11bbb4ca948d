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
    void theBuiltInFileNamesTheLinuxBoot() {
        StageFile f = StageFile.builtin();
        assertThat(f.source()).isEqualTo(StageFile.BUILTIN);
        assertThat(f.stages()).extracting(StageFile.Stage::name).containsExactly("first-output", "booting", "gic", "arch-timer",
                "first-tick", "free-init-mem", "run-init", "first-el0-trap", "init-start", "init-done", "power-off", "end");
        Milestone.ConsoleRegex gic = (Milestone.ConsoleRegex) f.stages().get(2).milestone();
        // the lines of QEMU's console with GICv2 and GICv3, and of a GICv2 kernel entered at EL2
        assertThat(gic.matches("[    0.000000] Root IRQ handler: gic_handle_irq")).isTrue();
        assertThat(gic.matches("[    0.000000] GICv3: 224 SPIs implemented")).isTrue();
        assertThat(gic.matches("[    0.000000] GIC: Using split EOI/Deactivate mode")).isTrue();
        assertThat(gic.matches("[    0.000000] GICv2m: range[mem 0x08020000-0x08020fff], SPI[80:143]")).isFalse();
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
