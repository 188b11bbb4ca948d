package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interactive busybox shell of the Linux guest (deja.shell on the command
 * line), typed into through a pseudo-terminal as a person would, recorded, and
 * replayed without a terminal: the session's every typed byte is an input of
 * the recording.
 */
class LinuxShellTest {
    @Test
    void aShellSessionOnTheLinuxGuestIsRecordedAndReplaysWithoutATerminal(@TempDir Path tmp) throws Exception {
        Path guest = LinuxGuest.dir();
        Path rec = tmp.resolve("shell");
        String screen;
        try (InteractiveConsoleTest.Session s = InteractiveConsoleTest.Session.start("record",
                "--kernel", guest.resolve("Image").toString(), "--initrd", guest.resolve("initrd.cpio.gz").toString(),
                "--append", "console=ttyAMA0 rdinit=/init deja.shell", "--mem", "512M", "--input", "-", "--out", rec.toString())) {
            s.awaitOutput("DEJA-INIT: shell", 600);
            s.awaitOutput("# ", 120);
            s.type("echo $((6*7)) $(uname -m)\n");
            s.awaitOutput("42 aarch64", 120);
            s.type("exit\n");
            screen = s.finish(600);
        }
        assertThat(screen).contains("reboot: Power down", "stopped: guest powered off (PSCI SYSTEM_OFF)");
        String replayed = InteractiveConsoleTest.replay(rec);
        assertThat(replayed).contains("bit-exact", "42 aarch64", "reboot: Power down");
    }
}
