package io.deja.cli;

import io.deja.core.trace.TraceLevel;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.core.trace.EventType;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja hunt on kernels/heisenbug.S: finds a failing chaos seed, keeps exactly
 * that run's recording (and the passing ones only when asked), is itself
 * deterministic, and reports user errors in one line.
 */
@Timeout(300)
class HuntCommandTest {
    static final String TEXT = "X9 CORRUPT";
    static Path heisenbug;

    @BeforeAll
    static void buildKernels() throws Exception {
        heisenbug = buildKernel("heisenbug");
    }

    /** The result of one CLI invocation. */
    record Cli(int exit, String out, String err) {}

    static Cli deja(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(exit, out.toString(), err.toString());
    }

    static Cli hunt(Path out, String seeds, String... more) {
        // 16 MiB of RAM is plenty for the kernel and makes each of the many machines cheaper to build.
        List<String> args = new java.util.ArrayList<>(List.of("hunt", "--binary", heisenbug.toString(), "--mem", "16M",
                "--seeds", seeds, "--until-console", TEXT, "--out", out.toString()));
        args.addAll(List.of(more));
        return deja(args.toArray(String[]::new));
    }

    static long seedOf(Cli c) {
        Matcher m = Pattern.compile("(?m)^seed (\\d+): X9 CORRUPT: x9=0x1, expected 0x[0-9a-f]+ at iteration 0x[0-9a-f]+$").matcher(c.out());
        assertThat(m.find()).as("stdout:\n" + c.out() + "\nstderr:\n" + c.err()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void findsAFailingSeedAndKeepsOnlyItsRecording(@TempDir Path tmp) {
        Path out = tmp.resolve("rec");
        Cli c = hunt(out, "1..100", "--trace", "full");
        assertThat(c.exit()).as(c.err()).isZero();
        long seed = seedOf(c);
        assertThat(c.out()).contains("recording: " + out + " (trace full, ");

        // The recording is that seed's run, complete, and its console says so.
        try (Recording r = Recording.open(out)) {
            assertThat(r.header().chaosSeed()).hasValue(seed);
            assertThat(r.header().traceLevel()).isEqualTo(TraceLevel.FULL);
            assertThat(consoleOf(r)).contains(TEXT);
        }
        assertThat(Hunter.passingDir(out)).doesNotExist();
        assertThat(list(tmp)).containsExactly(out);

        // The hunt ran the seeds unrecorded and recorded the match again: the recording must still be
        // that run, event for event, every time it is replayed.
        for (int i = 0; i < 2; i++) {
            ReplayResult replay = Replayer.replay(out, ReplayOptions.defaults());
            assertThat(replay.bitExact()).as(replay.report()).isTrue();
            assertThat(replay.truncated()).isFalse();
        }
    }

    @Test
    void theSameHuntFindsTheSameSeed(@TempDir Path tmp) {
        Cli a = hunt(tmp.resolve("a"), "1..100");
        Cli b = hunt(tmp.resolve("b"), "1..100");
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(seedOf(b)).isEqualTo(seedOf(a));
        assertThat(b.out().lines().findFirst()).isEqualTo(a.out().lines().findFirst());
    }

    @Test
    void keepPassingKeepsEachPassingRunsRecording(@TempDir Path tmp) {
        long seed = seedOf(hunt(tmp.resolve("probe"), "1..100"));
        long first = Math.max(1, seed - 2);
        Path out = tmp.resolve("rec");
        Cli c = hunt(out, first + ".." + (seed + 5), "--keep-passing");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(seedOf(c)).isEqualTo(seed);
        Path passing = Hunter.passingDir(out);
        assertThat(list(passing)).hasSize((int) (seed - first));
        for (long s = first; s < seed; s++) {
            try (Recording r = Recording.open(passing.resolve("seed-" + s))) {
                assertThat(r.header().chaosSeed()).hasValue(s);
                assertThat(consoleOf(r)).endsWith("heisenbug: ok\n");
            }
        }
        try (Recording r = Recording.open(out)) {
            assertThat(r.header().chaosSeed()).hasValue(seed);
        }
    }

    @Test
    void jsonListsEverySeedTriedWithTypedValuesAndTheSummary(@TempDir Path tmp) {
        long seed = seedOf(hunt(tmp.resolve("probe"), "1..100"));
        long first = Math.max(1, seed - 2);
        Path out = tmp.resolve("rec");
        Cli c = hunt(out, first + ".." + (seed + 5), "--keep-passing", "--format", "json");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out().lines()).as("one JSON object on one line").hasSize(1);
        Path passing = Hunter.passingDir(out);
        assertThat(c.out()).startsWith("{\"until_console\": \"X9 CORRUPT\", \"seeds\": {\"first\": " + first + ", \"last\": " + (seed + 5)
                + "}, \"trace\": \"events\", \"keep_passing\": true, \"found\": true, \"seed\": " + seed + ", \"line\": \"X9 CORRUPT: x9=0x1, ")
                .contains("\"recording\": \"" + out + "\", \"passing_recordings\": \"" + passing + "\", \"runs_tried\": " + (seed - first + 1)
                        + ", \"passed\": " + (seed - first) + ", \"seconds\": ")
                .endsWith("}]}\n");
        // every seed tried, in order: the passing ones with their kept recordings, then the match
        for (long s = first; s < seed; s++) {
            assertThat(c.out()).containsPattern(Pattern.quote("{\"seed\": " + s + ", \"matched\": false, \"line\": null, \"last_line\": \"heisenbug: ok\", "
                    + "\"stop\": \"shutdown\", \"instructions\": ") + "\\d+" + Pattern.quote(", \"recorded\": true, \"events\": ") + "\\d+"
                    + Pattern.quote(", \"recording\": \"" + passing.resolve("seed-" + s) + "\"}"));
        }
        assertThat(c.out()).containsPattern(Pattern.quote("{\"seed\": " + seed + ", \"matched\": true, \"line\": \"X9 CORRUPT: ")
                + ".*" + Pattern.quote("\"stop\": \"shutdown\", \"instructions\": ") + "\\d+" + Pattern.quote(", \"recorded\": true, \"events\": ")
                + "\\d+" + Pattern.quote(", \"recording\": \"" + out + "\"}]}"));

        // without --keep-passing the passing seeds run unrecorded: no events, no recording; no match prints found false
        Cli none = deja("hunt", "--binary", heisenbug.toString(), "--seeds", "1..2", "--until-console", "never printed",
                "--out", tmp.resolve("none").toString(), "--format", "json");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).contains("\"found\": false, \"seed\": null, \"line\": null, \"recording\": null, \"passing_recordings\": null, "
                        + "\"runs_tried\": 2, \"passed\": 2, ")
                .containsPattern(Pattern.quote("{\"seed\": 2, \"matched\": false, \"line\": null, \"last_line\": \"heisenbug: ok\", \"stop\": \"shutdown\", "
                        + "\"instructions\": ") + "\\d+" + Pattern.quote(", \"recorded\": false, \"events\": null, \"recording\": null}]}"));
        assertThat(none.err()).startsWith("deja: no seed in 1..2 made the console contain");
        assertThat(deja("hunt", "--binary", heisenbug.toString(), "--until-console", "x", "--out", tmp.resolve("f").toString(),
                "--format", "yaml").err()).isEqualTo("deja: unknown format 'yaml' (text or json)\n");
    }

    @Test
    void noMatchingSeedExitsOneAndLeavesNothingBehind(@TempDir Path tmp) {
        Path out = tmp.resolve("rec");
        Cli c = deja("hunt", "--binary", heisenbug.toString(), "--seeds", "1..3", "--until-console", "never printed",
                "--out", out.toString());
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.err()).startsWith("deja: no seed in 1..3 made the console contain \"never printed\" (3 runs in ");
        assertThat(c.err().lines()).hasSize(1);
        assertThat(c.out()).isEmpty();
        assertThat(list(tmp)).isEmpty();
    }

    @Test
    void userErrorsAreOneLine(@TempDir Path tmp) throws IOException {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("something"), "x");
        String[][] cases = {
                {"--seeds", "9..1"},
                {"--seeds", "many"},
                {"--trace", "everything"},
                {"--max-insns", "0"},
        };
        for (String[] extra : cases) {
            Cli c = hunt(tmp.resolve("rec"), "1..3", extra);
            assertThat(c.exit()).as(String.join(" ", extra)).isEqualTo(Main.EXIT_USAGE);
            assertThat(c.err().lines()).as(c.err()).hasSize(1);
            assertThat(c.err()).startsWith("deja: ").doesNotContain("Exception");
        }
        Cli c = hunt(full, "1..3");
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err()).isEqualTo("deja: --out " + full + ": exists and is not empty (choose a new directory)\n");
        assertThat(full.resolve("something")).hasContent("x");
        c = deja("hunt", "--binary", heisenbug.toString(), "--out", tmp.resolve("rec").toString());
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err()).contains("--until-console");
    }

    @Test
    void seedRangesParse() {
        assertThat(SeedRange.parse("1..500", "--seeds")).isEqualTo(new SeedRange(1, 500));
        assertThat(SeedRange.parse(" 7 ", "--seeds")).isEqualTo(new SeedRange(7, 7));
        assertThat(SeedRange.parse("0..0", "--seeds").count()).isEqualTo(1);
        assertThat(Hunter.matchingLine("a\nb X9 CORRUPT: c\nd\n", TEXT)).isEqualTo("b X9 CORRUPT: c");
        assertThat(Hunter.matchingLine("heisenbug: ok\n", TEXT)).isNull();
    }

    static String consoleOf(Recording r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EventCursor c = r.events()) {
            while (c.next()) {
                if (c.type() == EventType.CONSOLE) bytes.write(c.u8(1));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Builds the guest kernels with make (under the lock the sim-core tests use,
     * as several test JVMs may build at once) and returns NAME's vibe image.
     */
    static Path buildKernel(String name) throws IOException, InterruptedException {
        Path kernels = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && kernels == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("kernels/Makefile"))) kernels = d.resolve("kernels");
        }
        if (kernels == null) throw new IllegalStateException("no kernels/Makefile above " + Path.of("").toAbsolutePath());
        Path build = Files.createDirectories(kernels.resolve("build"));
        try (FileChannel lockFile = FileChannel.open(build.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            Process p = new ProcessBuilder("make", "-s", "-C", kernels.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("make -C " + kernels + " failed:\n" + log);
        }
        return build.resolve(name + ".raw");
    }
}
