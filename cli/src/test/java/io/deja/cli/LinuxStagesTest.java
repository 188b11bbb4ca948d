package io.deja.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in stages on the real Linux guest (scripts/linux-guest.sh): the
 * first 120 M instructions of the Debian kernel's boot reach its first
 * console lines; with "quiet" on the command line those stages disappear
 * and the diff fails. Slow (two runs of 120 M instructions): run with -Pslow.
 */
@Tag("slow")
@Timeout(900)
class LinuxStagesTest {
    static Path linuxGuest() throws IOException, InterruptedException {
        Path root = HuntCommandTest.buildKernel("uart_hello").getParent().getParent().getParent();
        Process p = new ProcessBuilder(root.resolve("scripts/linux-guest.sh").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("scripts/linux-guest.sh").isZero();
        return Path.of(dir);
    }

    static HuntCommandTest.Cli record(Path image, Path out, String cmdline) {
        HuntCommandTest.Cli c = HuntCommandTest.deja("record", "--binary", image.toString(), "--board", "virt", "--mem", "512M",
                "--cmdline", cmdline, "--max-insns", "120M", "--out", out.toString());
        assertThat(c.exit()).as("the budget stops the boot: " + c.err()).isEqualTo(Main.EXIT_BUDGET);
        return c;
    }

    @Test
    void theDebianKernelsFirstLinesAreStagesAndQuietLosesThem(@TempDir Path tmp) throws Exception {
        Path image = linuxGuest().resolve("Image");
        assertThat(image).isRegularFile();
        record(image, tmp.resolve("a"), "console=ttyAMA0");
        record(image, tmp.resolve("quiet"), "console=ttyAMA0 quiet");

        HuntCommandTest.Cli stages = HuntCommandTest.deja("stages", tmp.resolve("a").toString());
        assertThat(stages.exit()).as(stages.err()).isZero();
        assertThat(stages.out()).containsPattern("\\n  first-tick +[0-9,]+ ").containsPattern("\\n  first-output +[0-9,]+ ")
                .contains("Booting Linux on physical CPU 0x0000000000", "Root IRQ handler: gic_handle_irq",
                        "arch_timer: cp15 timer(s) running at 62.50MHz (virt).", "run ended: budget",
                        "not reached (console \"Run /init as init process\")");

        HuntCommandTest.Cli diff = HuntCommandTest.deja("diff", tmp.resolve("a").toString(), tmp.resolve("quiet").toString());
        assertThat(diff.exit()).as(diff.out()).isEqualTo(1);
        assertThat(diff.out()).contains("command_line  A: console=ttyAMA0", "boot stages (A is the baseline; stages from built-in linux")
                .contains("first-output disappeared, booting disappeared, gic disappeared, arch-timer disappeared");
        HuntCommandTest.Cli same = HuntCommandTest.deja("diff", tmp.resolve("a").toString(), tmp.resolve("a").toString());
        assertThat(same.exit()).isZero();
        assertThat(same.out()).startsWith("equivalent").endsWith("stages: no regression (B against baseline A, threshold 5%)\n");
    }
}
