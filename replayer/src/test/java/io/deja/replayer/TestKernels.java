package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Records the kernels of kernels/build for replay tests. */
final class TestKernels {
    private TestKernels() {}

    /** Every kernel built in kernels/build (by name, without extension). */
    static List<String> all() {
        try (Stream<Path> s = Files.list(Kernels.build())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".raw"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path image(String kernel, Board board) {
        return board == Board.VIBE ? Kernels.raw(kernel) : Kernels.virtBin(kernel);
    }

    static MachineConfig config(Path image, Board board) {
        try {
            return MachineConfig.of(board, Files.readAllBytes(image));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Recorder.Result record(Path dir, String kernel, Board board, Recorder.Options options) {
        Path image = image(kernel, board);
        return Recorder.create(dir, config(image, board), image, OutputStream.nullOutputStream(), options).run();
    }

    static Recorder.Result record(Path dir, String kernel, Board board, TraceLevel level, long budget) {
        return record(dir, kernel, board, Recorder.Options.defaults(level).withMaxInstructions(budget));
    }

    static List<RecordedEvent> events(Path dir) {
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            List<RecordedEvent> out = new ArrayList<>();
            while (c.next()) out.add(RecordedEvent.of(c));
            return out;
        }
    }
}
