package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ./deja launcher rebuilds the CLI (Maven) and the guest kernels (make)
 * when a source is newer than what was built; neither may read the standard
 * input, which belongs to the guest ({@code echo ls | ./deja run --input -}).
 * Neither may the training run of the JVM's ahead-of-time cache, which follows
 * each build. Run on a scratch checkout holding the real launcher, with a
 * Maven, a make recipe and a java that stand in for the real ones: the first
 * two and the training java swallow whatever standard input they are given,
 * the java that runs the CLI prints what reaches it. A link on the PATH finds
 * the checkout through the link.
 */
class LauncherTest {
    private static Path script(Path file, String body) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private record Launch(int exit, String out, String err, String builds) {}

    private static Launch launch(Path tmp, Path checkout, String stdin) throws Exception {
        return launchVia(tmp, checkout.resolve("deja"), stdin);
    }

    private static Launch launchVia(Path tmp, Path launcher, String stdin) throws Exception {
        Path out = tmp.resolve("out"), err = tmp.resolve("err"), in = tmp.resolve("in");
        Files.writeString(in, stdin);
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "run", "--input", "-")
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("DEJA_JAVA_HOME", tmp.resolve("jdk").toString());
        pb.environment().put("BUILDS", tmp.resolve("builds").toString());
        int exit = pb.start().waitFor();
        Path builds = tmp.resolve("builds");
        return new Launch(exit, Files.readString(out), Files.readString(err),
                Files.exists(builds) ? Files.readString(builds) : "");
    }

    @Test
    void pipedInputReachesTheCliAfterTheLauncherRebuiltIt(@TempDir Path tmp) throws Exception {
        Path root = ReadmeTranscriptTest.root();
        Path checkout = tmp.resolve("checkout");
        Files.createDirectories(checkout.resolve("cli/src"));
        Files.copy(root.resolve("deja"), checkout.resolve("deja"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(root.resolve("jvm.flags"), checkout.resolve("jvm.flags"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Path source = Files.writeString(checkout.resolve("cli/src/Main.java"), "class Main {}\n");
        Files.writeString(Files.createDirectories(checkout.resolve("kernels")).resolve("Makefile"),
                "build/stamp:\n\tmkdir -p build; cat >/dev/null; touch build/stamp; echo make >>\"$$BUILDS\"\n");
        script(tmp.resolve("bin/mvn"), "cat >/dev/null\nmkdir -p cli/target && : >cli/target/deja-cli.jar\necho mvn >>\"$BUILDS\"\n");
        // The training run writes its cache file where -XX:AOTCacheOutput says.
        script(tmp.resolve("jdk/bin/java"), """
                for a; do
                  case $a in -XX:AOTCacheOutput=*) cat >/dev/null; echo aot >>"$BUILDS"; echo cache >"${a#-XX:AOTCacheOutput=}"; exit 3;; esac
                done
                exec cat
                """);
        String building = "deja: building the CLI (first run, or sources changed)...\n", training = "deja: training the JVM's ahead-of-time cache (once per build)...\n";

        Launch first = launch(tmp, checkout, "ls\n");
        assertThat(first.builds()).as(first.err()).isEqualTo("mvn\nmake\naot\n");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("ls\n");
        assertThat(first.err()).isEqualTo(building + training);
        assertThat(checkout.resolve("cli/target/deja.aot")).hasContent("cache");

        // A source edited after the build: the launcher builds again, and the input still goes through.
        Files.setLastModifiedTime(checkout.resolve("cli/target/deja-cli.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(30)));
        Launch edited = launch(tmp, checkout, "echo still here\n");
        assertThat(edited.builds()).isEqualTo("mvn\nmake\naot\nmvn\naot\n");
        assertThat(edited.out()).isEqualTo("echo still here\n");
        assertThat(edited.err()).isEqualTo(building + training);

        Launch builtAlready = launch(tmp, checkout, "uname\n");
        assertThat(builtAlready.builds()).isEqualTo("mvn\nmake\naot\nmvn\naot\n");
        assertThat(builtAlready.out()).isEqualTo("uname\n");
        assertThat(builtAlready.err()).isEmpty();

        // As the README puts deja on the PATH: a link elsewhere runs the checkout's CLI.
        Path link = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("local/bin")).resolve("deja"), checkout.resolve("deja"));
        Launch linked = launchVia(tmp, link, "pwd\n");
        assertThat(linked.exit()).as(linked.err()).isZero();
        assertThat(linked.out()).isEqualTo("pwd\n");
        assertThat(linked.builds()).isEqualTo("mvn\nmake\naot\nmvn\naot\n");
    }
}
