package io.deja.cli;

import io.deja.recorder.RecordingFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that reads a recording, on a damaged one: (a) the events
 * file cut short, (b) a byte flipped in its middle, (c) no header (Chronicle's
 * metadata file gone, the Deja header's magic damaged, the file cut inside
 * the header) and (d) the recorded image gone. Each command either works on
 * what is intact and says the recording is cut short, or prints one line
 * naming the file and the problem (and what can still be used) with exit
 * status 2, or 1 where it finds a difference; never a stack trace.
 */
class DamagedRecordingTest {
    @TempDir
    static Path tmp;
    static Path good;

    @BeforeAll
    static void record() throws Exception {
        Path hello = HuntCommandTest.buildKernel("arm64_hello");
        // The image from a copy that can be removed afterwards: (d).
        Path image = Files.copy(hello, tmp.resolve("moved.raw"));
        good = tmp.resolve("good");
        HuntCommandTest.Cli c = HuntCommandTest.deja("record", "-q", "--binary", image.toString(), "--trace", "full",
                "--max-insns", "400000", "--out", good.toString());
        assertThat(c.exit()).as(c.err()).isEqualTo(Main.EXIT_BUDGET);
    }

    private static Path copy(String name) throws IOException {
        Path to = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> s = Files.list(good)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    private static Path events(Path dir) {
        return dir.resolve(RecordingFormat.CYCLE_FILE);
    }

    private static void cut(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    private static HuntCommandTest.Cli deja(String... args) {
        HuntCommandTest.Cli c = HuntCommandTest.deja(args);
        assertThat(c.err()).as("deja %s", String.join(" ", args)).doesNotContain("internal error").doesNotContain("\tat ")
                .doesNotContain("Exception");
        // messages are plain sentences: no parenthesis inside another
        for (String line : (c.err() + c.out()).lines().filter(l -> l.contains("cut short") || l.startsWith("deja: ")).toList()) {
            assertThat(nested(line)).as("nested parentheses in: %s", line).isFalse();
        }
        return c;
    }

    /** Whether a parenthesis opens inside another. */
    static boolean nested(String line) {
        int depth = 0;
        for (char ch : line.toCharArray()) {
            if (ch == '(' && ++depth > 1) return true;
            if (ch == ')' && depth > 0) depth--;
        }
        return false;
    }

    /** Exit status 2 and one line on standard error that contains what. */
    private static void oneLine(HuntCommandTest.Cli c, String what, String command) {
        assertThat(c.exit()).as("%s: %s", command, c.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err().strip().lines().count()).as("%s: one line: %s", command, c.err()).isEqualTo(1);
        assertThat(c.err()).as(command).startsWith("deja: ").contains(what);
    }

    /** The commands that read a recording, each refusing dir with one line containing what. */
    private static void everyCommandRefuses(Path dir, String what, boolean image) throws IOException {
        String d = dir.toString();
        Path out = Files.createDirectories(tmp.resolve("out-" + dir.getFileName()));
        List<String[]> commands = new ArrayList<>(List.of(
                new String[] {"replay", d},
                new String[] {"replay", d, "--at", "1000"},
                new String[] {"query", d, "SELECT count(*) FROM insns"},
                new String[] {"export", d, "--out", out.resolve("arrow").toString()},
                new String[] {"export", d, "--perfetto", out.resolve("t.json").toString()},
                new String[] {"diff", good.toString(), d},
                new String[] {"stages", d},
                new String[] {"report", d, "--out", out.resolve("r.html").toString()},
                new String[] {"replay", d, "--gdb", "127.0.0.1:0"}));
        // deja ui serves until Ctrl-C once the recording has loaded: only a refusal can be run here.
        if (image) commands.add(new String[] {"ui", d});
        for (String[] args : commands) oneLine(deja(args), what, String.join(" ", args));
    }

    @Test
    void aTruncatedEventsFileIsReadUpToItsLastCompleteBatchAndEveryCommandSaysSo() throws Exception {
        Path dir = copy("truncated");
        cut(events(dir), (long) (Files.size(events(dir)) * 0.6));
        HuntCommandTest.Cli replay = deja("replay", dir.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).containsPattern("recording cut short after icount [\\d,]+: the file ends at byte [\\d,]+, inside a document")
                .contains("its complete part replayed bit-exactly");
        HuntCommandTest.Cli query = deja("query", dir.toString(), "SELECT count(*) AS n FROM insns");
        assertThat(query.exit()).as(query.err()).isZero();
        assertThat(query.err()).containsPattern("deja: note: this recording was cut short: the tables hold its complete part, up to icount [\\d,]+");
        HuntCommandTest.Cli export = deja("export", dir.toString(), "--out", tmp.resolve("truncated-arrow").toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).containsPattern("the recording was cut short: its complete part, to icount [\\d,]+, was exported");
        HuntCommandTest.Cli stages = deja("stages", dir.toString());
        assertThat(stages.exit()).as(stages.err()).isZero();
        assertThat(stages.out()).contains("cut short");
        // The cut recording is a shorter run: a difference, found.
        HuntCommandTest.Cli diff = deja("diff", good.toString(), dir.toString());
        assertThat(diff.exit()).as(diff.out() + diff.err()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(diff.out()).contains("cut short");
        HuntCommandTest.Cli report = deja("report", dir.toString(), "--out", tmp.resolve("truncated.html").toString());
        assertThat(report.exit()).as(report.err()).isZero();
    }

    @Test
    void aFlippedByteIsOneLineThatSaysHowFarTheEventsAreIntactAndWhereToLook() throws Exception {
        Path dir = copy("flipped");
        byte[] b = Files.readAllBytes(events(dir));
        b[b.length / 2] ^= 0x55;
        Files.write(events(dir), b);
        HuntCommandTest.Cli replay = deja("replay", dir.toString());
        oneLine(replay, "is corrupted (checksum mismatch); the events before it, to icount ", "replay");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("to icount ([\\d,]+), are intact \\(deja replay " + java.util.regex.Pattern.quote(dir.toString())
                + " --at (\\d+) shows the machine there\\)").matcher(replay.err());
        assertThat(m.find()).as(replay.err()).isTrue();
        assertThat(m.group(1).replace(",", "")).isEqualTo(m.group(2));
        HuntCommandTest.Cli there = deja("replay", dir.toString(), "--at", m.group(2));
        assertThat(there.exit()).as(there.err()).isZero();
        assertThat(there.out()).contains("at icount " + m.group(1) + " of 400,000");
        for (String[] args : List.of(new String[] {"query", dir.toString(), "SELECT count(*) FROM insns"},
                new String[] {"export", dir.toString(), "--out", tmp.resolve("flipped-arrow").toString()},
                new String[] {"diff", good.toString(), dir.toString()})) {
            oneLine(deja(args), "event batch", String.join(" ", args));
        }
        // Commands that read a few event types skip other batches unread: they work unless the damaged batch is one they need.
        for (String[] args : List.of(new String[] {"stages", dir.toString()},
                new String[] {"report", dir.toString(), "--out", tmp.resolve("flipped.html").toString()},
                new String[] {"export", dir.toString(), "--perfetto", tmp.resolve("flipped.json").toString()})) {
            HuntCommandTest.Cli c = deja(args);
            if (c.exit() != 0) oneLine(c, "event batch", String.join(" ", args));
        }
    }

    @Test
    void withoutAHeaderEveryCommandIsOneLineNamingTheFile() throws Exception {
        Path noMetadata = copy("no-metadata");
        Files.delete(noMetadata.resolve(RecordingFormat.METADATA_FILE));
        everyCommandRefuses(noMetadata, noMetadata.resolve(RecordingFormat.METADATA_FILE) + ": missing", true);

        Path badMagic = copy("bad-magic");
        byte[] b = Files.readAllBytes(events(badMagic));
        int at = indexOf(b, "DEJA-REC".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        b[at] ^= 0x20;
        Files.write(events(badMagic), b);
        everyCommandRefuses(badMagic, events(badMagic) + ": not a Deja recording", true);

        // Cut where the header document starts (Chronicle's 4-byte length, then 'H', then the magic), and inside it.
        Path beforeHeader = copy("before-header");
        cut(events(beforeHeader), at - 5);
        everyCommandRefuses(beforeHeader, events(beforeHeader) + ": the recording was cut short before its first event: "
                + "the file ends before the recording's header. Nothing in it can be used: record the run again", true);
        Path insideHeader = copy("inside-header");
        cut(events(insideHeader), at + 4);
        everyCommandRefuses(insideHeader, events(insideHeader) + ": the recording was cut short before its first event: the file ends at byte ", true);
    }

    @Test
    void anEventsFileCutBeforeItsFirstEventSaysSoAndWhatToDo() throws Exception {
        // a recorder killed as it started: the file created, Chronicle's header not (or only partly) written
        Path empty = copy("empty");
        Files.write(events(empty), new byte[0]);
        everyCommandRefuses(empty, events(empty) + ": the recording was cut short before its first event: the file is empty. "
                + "Nothing in it can be used: record the run again, or copy it again if this copy was taken while it was recording.", true);
        Path three = copy("three-bytes");
        cut(events(three), 3);
        everyCommandRefuses(three, events(three) + ": the recording was cut short before its first event: the file ends at byte 3, "
                + "inside Chronicle's own header. Nothing in it can be used", true);
        Path zeros = copy("zeros");
        Files.write(events(zeros), new byte[4096]);
        everyCommandRefuses(zeros, events(zeros) + ": the recording was cut short before its first event: the file holds only zeros "
                + "where Chronicle's header belongs. Nothing in it can be used", true);

        // the Deja header complete and nothing after it: replay has nothing to run; stages and diff read an empty run
        Path headerOnly = copy("header-only");
        byte[] b = Files.readAllBytes(events(headerOnly));
        int at = indexOf(b, "DEJA-REC".getBytes(StandardCharsets.US_ASCII));
        int doc = at - 5;
        int length = java.nio.ByteBuffer.wrap(b, doc, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0x3FFF_FFFF;
        cut(events(headerOnly), doc + 4 + length);
        HuntCommandTest.Cli replay = deja("replay", headerOnly.toString());
        oneLine(replay, headerOnly + ": the recording was cut short before its first event, after its header. Nothing in it can be used: "
                + "record the run again", "replay");
        HuntCommandTest.Cli stages = deja("stages", headerOnly.toString());
        assertThat(stages.exit()).as(stages.err()).isZero();
        assertThat(stages.out()).contains(": 0 instructions, 0.000000 s virtual, cut short; ");
    }

    @Test
    void cutShortMessagesAreOneSentenceWithoutNestedParentheses() {
        assertThat(nested("a (b (c)) d")).isTrue();
        assertThat(nested("a (b) (c) d")).isFalse();
    }

    @Test
    void withoutItsImageReplayIsOneLineAndTheCommandsThatDoNotRunItWork() throws Exception {
        Path dir = copy("no-image");
        Path image = tmp.resolve("moved.raw");
        byte[] saved = Files.readAllBytes(image);
        Files.delete(image);
        try {
            for (String[] args : List.of(new String[] {"replay", dir.toString()}, new String[] {"replay", dir.toString(), "--at", "1000"},
                    new String[] {"replay", dir.toString(), "--gdb", "127.0.0.1:0"})) {
                oneLine(deja(args), image + ": recorded image not found", String.join(" ", args));
                assertThat(HuntCommandTest.deja(args).err()).contains("give its new place with --binary; query, export, stages, diff, ui and report read the recording without it");
            }
            assertThat(deja("query", dir.toString(), "SELECT count(*) FROM insns").exit()).isZero();
            assertThat(deja("export", dir.toString(), "--out", tmp.resolve("no-image-arrow").toString()).exit()).isZero();
            assertThat(deja("stages", dir.toString()).exit()).isZero();
            assertThat(deja("report", dir.toString(), "--out", tmp.resolve("no-image.html").toString()).exit()).isZero();
            HuntCommandTest.Cli diff = deja("diff", good.toString(), dir.toString());
            assertThat(diff.exit()).as(diff.out() + diff.err()).isZero();
        } finally {
            Files.write(image, saved);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
