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

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }
}
