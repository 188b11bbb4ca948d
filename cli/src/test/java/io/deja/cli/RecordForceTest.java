package io.deja.cli;

import io.deja.recorder.Recording;
import io.deja.recorder.RecordingFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * record --force into a directory that already holds a recording: the
 * recording is replaced and the files derived from it (the Arrow export and
 * its database, the UI's index, the seek index) go with it; a directory that
 * holds anything else is refused and left untouched.
 */
class RecordForceTest {
    @TempDir
    Path tmp;
    static Path hello;

    @BeforeAll
    static void build() throws Exception {
        hello = HuntCommandTest.buildKernel("uart_hello");
    }

    private static HuntCommandTest.Cli record(Path out, String... more) {
        String[] args = new String[] {"record", "--binary", hello.toString(), "--out", out.toString()};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return HuntCommandTest.deja(all);
    }

    /** The derived files of a recording as deja leaves them: arrow/ with the database, ui/ with the index, seek.index. */
    private static void derive(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("arrow"));
        Files.writeString(dir.resolve("arrow/events.arrow"), "old export");
        Files.writeString(dir.resolve("arrow/deja.duckdb"), "old database");
        Files.createDirectories(dir.resolve("ui"));
        Files.writeString(dir.resolve("ui/timeline.idx"), "old index");
        Files.writeString(dir.resolve("seek.index"), "old seek index");
    }

    @Test
    void forceReplacesTheRecordingAndRemovesWhatWasDerivedFromIt() throws IOException {
        Path dir = tmp.resolve("rec");
        HuntCommandTest.Cli first = record(dir);
        assertThat(first.exit()).as(first.err()).isZero();
        derive(dir);

        HuntCommandTest.Cli refused = record(dir);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("already holds a recording (use --force to replace it)");

        HuntCommandTest.Cli forced = record(dir, "--force", "--max-insns", "50");
        assertThat(forced.exit()).as(forced.err()).isEqualTo(Main.EXIT_BUDGET);
        assertThat(dir.resolve("arrow")).doesNotExist();
        assertThat(dir.resolve("ui")).doesNotExist();
        assertThat(dir.resolve("seek.index")).doesNotExist();
        try (Recording r = Recording.open(dir)) {
            assertThat(r.tail().lastIcount()).as("the new recording, cut at its budget").isEqualTo(50);
        }
    }

    @Test
    void forceRefusesADirectoryHoldingMoreThanARecordingAndTouchesNothing() throws IOException {
        Path dir = tmp.resolve("rec");
        HuntCommandTest.Cli first = record(dir);
        assertThat(first.exit()).as(first.err()).isZero();
        derive(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        long size = Files.size(dir.resolve(RecordingFormat.CYCLE_FILE));

        HuntCommandTest.Cli forced = record(dir, "--force");
        assertThat(forced.exit()).isEqualTo(2);
        assertThat(forced.err()).contains("holds more than a recording and the files derived from it (notes.txt)");
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
        assertThat(dir.resolve("arrow/deja.duckdb")).hasContent("old database");
        assertThat(dir.resolve("ui/timeline.idx")).hasContent("old index");
        assertThat(Files.size(dir.resolve(RecordingFormat.CYCLE_FILE))).isEqualTo(size);
    }

    @Test
    void forceRefusesADirectoryThatIsNotARecording() throws IOException {
        Path dir = tmp.resolve("derived-only");
        derive(dir);
        HuntCommandTest.Cli forced = record(dir, "--force");
        assertThat(forced.exit()).isEqualTo(2);
        assertThat(forced.err()).contains("exists and is not empty (choose a new directory)");
        assertThat(dir.resolve("arrow/deja.duckdb")).hasContent("old database");
        assertThat(dir.resolve("seek.index")).exists();
    }
}
