package io.deja.recorder;

import io.deja.core.trace.TraceLevel;
import io.deja.recorder.TestRecordings.Event;
import io.deja.core.trace.EventType;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whatever is wrong with a recording directory, opening or reading it ends in
 * one RecordingException naming the file and the problem: no hang, no
 * Chronicle stack trace, and the directory is left as it was.
 */
@Timeout(120)
class BrokenRecordingTest {
    @TempDir
    Path tmp;

    private Path good() throws IOException {
        Path dir = tmp.resolve("good");
        try (RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.FULL, dir))) {
            for (long i = 0; i < 100_000; i++) {
                w.insn(i, 0x1000 + 4 * (i % 50), 0xd503201f);
                w.regWrite(i, (int) (i % 31), i * 7);
            }
            w.input(100_000, 0, "MARKER-MARKER-MARKER".getBytes(StandardCharsets.US_ASCII));
            w.end(100_000, 100_000, 1);
        }
        return dir;
    }

    private static RecordingException openFails(Path dir) {
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            while (c.next()) {
                // read to the end
            }
        } catch (RecordingException e) {
            return e;
        }
        throw new AssertionError("expected a RecordingException for " + dir);
    }

    private static Snapshot snapshot(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                names.add(p.getFileName().toString());
                contents.add(Files.readAllBytes(p));
            }
        }
        return new Snapshot(names, contents);
    }

    record Snapshot(List<String> names, List<byte[]> contents) {
        boolean same(Snapshot o) {
            if (!names.equals(o.names)) return false;
            for (int i = 0; i < contents.size(); i++) if (!Arrays.equals(contents.get(i), o.contents.get(i))) return false;
            return true;
        }
    }

    @Test
    void missingDirectory() {
        assertThatThrownBy(() -> Recording.open(tmp.resolve("nope")))
                .isInstanceOf(RecordingException.class).hasMessageContaining("nope").hasMessageContaining("no such recording directory");
    }

    @Test
    void aFileInsteadOfADirectory() throws IOException {
        Path f = Files.writeString(tmp.resolve("file.txt"), "hello");
        assertThatThrownBy(() -> Recording.open(f)).isInstanceOf(RecordingException.class).hasMessageContaining("file.txt").hasMessageContaining("not a recording directory");
    }

    @Test
    void emptyOrUnrelatedDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Recording.open(dir)).isInstanceOf(RecordingException.class).hasMessageContaining("not a Deja recording");
        Files.writeString(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> Recording.open(dir)).isInstanceOf(RecordingException.class).hasMessageContaining("not a Deja recording");
        assertThat(Files.list(dir).count()).isEqualTo(1); // nothing created
    }

    @Test
    void foreignQueueFileIsNamed() throws IOException {
        Path dir = good();
        Files.writeString(dir.resolve("20240101.cq4"), "not really");
        assertThat(openFails(dir).getMessage()).contains("20240101.cq4").contains("foreign file");
    }

    @Test
    void garbageInPlaceOfTheEventsFile() throws IOException {
        Path dir = good();
        Path cq4 = dir.resolve(RecordingFormat.CYCLE_FILE);
        byte[] junk = new byte[100_000];
        new java.util.Random(1).nextBytes(junk);
        Files.write(cq4, junk);
        Snapshot before = snapshot(dir);
        assertThat(openFails(dir).getMessage()).contains(cq4.toString()).contains("not a Chronicle Queue file");
        assertThat(snapshot(dir).same(before)).isTrue();
    }

    @Test
    void emptyEventsFileAndMissingMetadata() throws IOException {
        Path dir = good();
        Files.delete(dir.resolve(RecordingFormat.METADATA_FILE));
        assertThat(openFails(dir).getMessage()).contains(RecordingFormat.METADATA_FILE).contains("missing");
        Path dir2 = tmp.resolve("good2");
        Files.createDirectories(dir2);
        Files.write(dir2.resolve(RecordingFormat.CYCLE_FILE), new byte[0]);
        Files.write(dir2.resolve(RecordingFormat.METADATA_FILE), new byte[0]);
        // a recorder killed as it created the queue: cut short, not a foreign file
        assertThat(openFails(dir2).getMessage()).isEqualTo(dir2.resolve(RecordingFormat.CYCLE_FILE)
                + ": the recording was cut short before its first event: the file is empty. " + RecordingException.NOTHING_TO_USE);
    }

    @Test
    void eventsFileCutInTheMiddle() throws IOException {
        Path dir = good();
        Path cq4 = dir.resolve(RecordingFormat.CYCLE_FILE);
        long size = Files.size(cq4);
        for (long cut : new long[] {size / 2, size / 3, 70_000, 1000}) {
            Path copy = tmp.resolve("cut" + cut);
            copyDir(dir, copy);
            try (RandomAccessFile f = new RandomAccessFile(copy.resolve(RecordingFormat.CYCLE_FILE).toFile(), "rw")) {
                f.setLength(cut);
            }
            // Either a clean prefix (cut after a complete document) or a one-line error, never anything else.
            try (Recording r = Recording.open(copy); EventCursor c = r.events()) {
                while (c.next()) {
                    // read all
                }
                assertThat(c.truncated()).isTrue();
            } catch (RecordingException e) {
                assertThat(e.getMessage()).contains(copy.toString());
            }
        }
    }

    @Test
    void corruptedBatchIsReportedByItsChecksum() throws IOException {
        Path dir = good();
        Path cq4 = dir.resolve(RecordingFormat.CYCLE_FILE);
        byte[] bytes = Files.readAllBytes(cq4);
        int at = indexOf(bytes, "MARKER-MARKER".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive();
        bytes[at + 3] ^= 0x20;
        Files.write(cq4, bytes);
        RecordingException e = openFails(dir);
        assertThat(e.getMessage()).contains(cq4.toString()).contains("corrupted").contains("checksum");
    }

    @Test
    void overwrittenBytesAnywhereGiveAOneLineError() throws IOException {
        Path dir = good();
        long size = Files.size(dir.resolve(RecordingFormat.CYCLE_FILE));
        for (long at = 0; at < size; at += size / 40 + 1) {
            Path copy = tmp.resolve("scribble" + at);
            copyDir(dir, copy);
            try (RandomAccessFile f = new RandomAccessFile(copy.resolve(RecordingFormat.CYCLE_FILE).toFile(), "rw")) {
                f.seek(at);
                f.write(new byte[] {(byte) 0xA5, 0x5A, (byte) 0xFF, 0x00, 0x13, 0x37, (byte) 0x80, 0x7F});
            }
            try (Recording r = Recording.open(copy); EventCursor c = r.events()) {
                while (c.next()) {
                    // read all
                }
            } catch (RecordingException e) {
                assertThat(e.getMessage()).as("at %d", at).contains(copy.toString()).doesNotContain("\n");
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void olderFormatIsRefusedWithBothVersions(int version) {
        // Format 1 (before the one event schema and CPU numbers) and format 2 (before FP registers
        // in traces and checkpoints) are read by no reader of this one: no shims.
        Path dir = tmp.resolve("past" + version);
        try (RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.EVENTS, dir).withFormatVersion(version))) {
            w.end(0, 0, 1);
        }
        assertThatThrownBy(() -> Recording.open(dir)).isInstanceOf(RecordingException.class)
                .hasMessageContaining(dir.resolve(RecordingFormat.CYCLE_FILE).toString())
                .hasMessageContaining("recorded in format version " + version + ", this Deja reads format version " + RecordingFormat.VERSION + " only")
                .message().doesNotContain("\n");
    }

    @Test
    void newerFormatIsRefusedWithTheVersions() {
        Path dir = tmp.resolve("future");
        try (RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.EVENTS, dir).withFormatVersion(RecordingFormat.VERSION + 1))) {
            w.end(0, 0, 1);
        }
        assertThatThrownBy(() -> Recording.open(dir)).isInstanceOf(RecordingException.class)
                .hasMessageContaining("recorded in format version " + (RecordingFormat.VERSION + 1) + ", this Deja reads format version " + RecordingFormat.VERSION);
    }

    @Test
    void aChronicleQueueThatIsNotADejaRecording() {
        Path dir = tmp.resolve("other");
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY)
                .timeProvider(() -> 0L).build(); ExcerptAppender a = q.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().write("hello").text("world");
            }
        }
        assertThatThrownBy(() -> Recording.open(dir)).isInstanceOf(RecordingException.class).hasMessageContaining("not a Deja recording");
    }

    @Test
    void aRecordingWithOnlyItsHeaderIsEmptyAndCutShort() {
        Path dir = tmp.resolve("headeronly");
        RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.EVENTS, dir));
        w.close();
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            assertThat(c.next()).isFalse();
            assertThat(c.truncated()).isTrue();
            assertThat(r.tail().complete()).isFalse();
        }
    }

    @Test
    void theWriterRefusesADirectoryHoldingARecording() throws IOException {
        Path dir = good();
        assertThatThrownBy(() -> RecordingWriter.open(dir, TestRecordings.header(TraceLevel.EVENTS, dir)))
                .isInstanceOf(RecordingException.class).hasMessageContaining("already holds a recording");
        assertThat(TestRecordings.readAll(dir)).last().extracting(Event::type).isEqualTo(EventType.END);
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    /** A second END batch appended after the end (a tool that appended to a finished recording) is an error, not more events. */
    @Test
    void anythingAfterTheEndIsAnError() throws IOException {
        Path dir = tmp.resolve("twice");
        try (RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.FULL, dir))) {
            w.insn(0, 0x1000, 0xd503201f);
            w.end(1, 1, 100);
            w.end(1, 1, 100);
        }
        assertThat(openFails(dir).getMessage()).contains("is corrupted (it comes after the END event");
    }
}
