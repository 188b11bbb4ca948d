package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordingWriter;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A recording cut short (copied mid-write, or its writer killed with kill -9) replays its prefix bit-exactly. */
@Timeout(300)
class CutShortTest {
    @TempDir
    Path tmp;

    @Test
    void aCopyTakenWhileRecordingReplaysUpToItsLastBatch() throws IOException {
        Path image = TestKernels.image("timer_irq", Board.VIRT);
        Machine m = new Machine(TestKernels.config(image, Board.VIRT), java.io.OutputStream.nullOutputStream());
        Path dir = tmp.resolve("live");
        RecordingHeader h = RecordingHeader.of(m.config(), List.of(RecordedImage.of(image, m.config().image(), dir)),
                m.deviceNames(), TraceLevel.FULL, 100, OptionalLong.empty(), "test");
        Path copy = tmp.resolve("copy");
        try (RecordingWriter w = RecordingWriter.open(dir, h)) {
            m.setTrace(w, TraceLevel.FULL);
            m.setCheckpointInterval(100);
            m.run(450);
            w.sync(); // the batches up to the checkpoint at 400 are in the file
            copyDir(dir, copy);
            m.run(1_000_000);
        }
        ReplayResult r = Replayer.replay(copy, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();
        assertThat(r.truncated()).isTrue();
        assertThat(r.endIcount()).isEqualTo(400);
        try (Recording rec = Recording.open(copy); EventCursor c = rec.events()) {
            long last = -1;
            while (c.next()) {
                assertThat(c.type()).isNotEqualTo(EventType.END);
                last = c.icount();
            }
            assertThat(c.truncated()).isTrue();
            assertThat(last).isEqualTo(400);
        }
    }

    @Test
    void killDashNineWhileRecordingLeavesAReplayablePrefix() throws Exception {
        for (TraceLevel level : new TraceLevel[] {TraceLevel.EVENTS, TraceLevel.FULL}) {
            Path dir = tmp.resolve("killed-" + level);
            assertThat(RecordForever.recordThenKill(dir, "arm64_hello", level, 5)).isEqualTo(137);

            long events;
            try (Recording rec = Recording.open(dir); EventCursor c = rec.events()) {
                long n = 0;
                while (c.next()) n++;
                assertThat(c.truncated()).isTrue();
                events = n;
            }
            assertThat(events).isPositive();
            ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
            assertThat(r.report()).isNull();
            assertThat(r.bitExact()).isTrue();
            assertThat(r.truncated()).isTrue();
            assertThat(r.events()).isEqualTo(events);
            assertThat(r.instructions()).isGreaterThanOrEqualTo(r.endIcount());
        }
    }

    /**
     * Wherever a file is cut (inside Chronicle's metadata, the Deja header, a
     * batch, the END batch), it either replays every complete batch
     * bit-exactly and says where it was cut, or, when no batch survived, says
     * that it was cut short before its first event. Never a divergence,
     * a checksum error or a library fault.
     */
    @Test
    void everyCutReplaysItsCompleteBatchesAndSaysWhereItEnds() throws IOException {
        Path dir = tmp.resolve("whole");
        TestKernels.record(dir, "timer_irq", Board.VIBE, io.deja.recorder.Recorder.Options.defaults(TraceLevel.EVENTS).withCheckpointInterval(100));
        Path cq4 = dir.resolve(io.deja.recorder.RecordingFormat.CYCLE_FILE);
        byte[] whole = Files.readAllBytes(cq4);
        int dataEnd = whole.length;
        while (dataEnd > 0 && whole[dataEnd - 1] == 0) dataEnd--;
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>(List.of(8, 100, 300, 33_000, 40_000));
        for (int at = dataEnd - 4000; at < dataEnd + 8; at += 97) cuts.add(Math.max(1, at));
        for (int at = dataEnd - 60; at < dataEnd + 4; at += 3) cuts.add(at);
        long longestPrefix = -1;
        for (int cut : cuts) {
            Path copy = tmp.resolve("cut" + cut);
            copyDir(dir, copy);
            Files.write(copy.resolve(io.deja.recorder.RecordingFormat.CYCLE_FILE), java.util.Arrays.copyOf(whole, cut));
            ReplayResult r;
            try {
                r = Replayer.replay(copy, ReplayOptions.defaults());
            } catch (io.deja.recorder.RecordingException e) {
                assertThat(e.getMessage()).as("cut at %d", cut).contains("the recording was cut short before its first event").doesNotContain("((");
                continue;
            }
            assertThat(r.report()).as("cut at %d", cut).isNull();
            assertThat(r.bitExact()).isTrue();
            if (cut >= dataEnd) {
                assertThat(r.truncated()).as("cut at %d, after the last document", cut).isFalse();
                continue;
            }
            assertThat(r.truncated()).as("cut at %d", cut).isTrue();
            // Inside a document: where the file ends; exactly between two documents: only that END is missing.
            assertThat(r.cutShort()).as("cut at %d", cut).satisfiesAnyOf(
                    why -> assertThat(why).contains("the file ends at byte " + String.format("%,d", cut)),
                    why -> assertThat(why).startsWith("it has no END event"));
            longestPrefix = Math.max(longestPrefix, r.endIcount());
        }
        assertThat(longestPrefix).as("a cut inside the END batch keeps the run up to its last checkpoint").isPositive();
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }
}
