package io.deja.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Linux guest of the boot tests: the directory scripts/linux-guest.sh
 * prepares (Debian's Image and the scripted initramfs), made once per test
 * JVM. Without it (no network for apt-get download) a test fails in CI
 * (CI=true) and is skipped elsewhere.
 */
final class LinuxGuest {
    private static Path dir;
    private static String why;

    private LinuxGuest() {}

    /** The guest's directory (Image, initrd.cpio.gz), or the calling test fails (CI) or is skipped. */
    static synchronized Path dir() {
        if (dir == null && why == null) prepare();
        if (dir != null) return dir;
        if ("true".equals(System.getenv("CI"))) fail(why);
        assumeTrue(false, why);
        return null;
    }

    private static void prepare() {
        Path root = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && root == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/linux-guest.sh"))) root = d;
        }
        if (root == null) {
            why = "no scripts/linux-guest.sh above " + Path.of("").toAbsolutePath();
            return;
        }
        try {
            Process p = new ProcessBuilder("bash", root.resolve("scripts/linux-guest.sh").toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(20, TimeUnit.MINUTES) && p.exitValue() == 0 && Files.isRegularFile(Path.of(out, "Image"))) {
                dir = Path.of(out);
            } else {
                why = "scripts/linux-guest.sh could not prepare the Linux guest (it needs apt-get download from Debian once): " + log.strip();
            }
        } catch (IOException e) {
            why = "scripts/linux-guest.sh could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted while preparing the Linux guest";
        }
    }
}
