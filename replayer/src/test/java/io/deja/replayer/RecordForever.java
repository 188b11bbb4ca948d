package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;

import java.nio.file.Path;

/**
 * A child JVM for {@link CutShortTest}: records an endless kernel until it is
 * killed. Prints "recording" once the recording exists.
 * Arguments: recording directory, kernel name, trace level.
 */
public final class RecordForever {
    private RecordForever() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Recorder.Options o = Recorder.Options.defaults(TraceLevel.valueOf(args[2])).withCheckpointInterval(50_000);
        Path image = TestKernels.image(args[1], Board.VIBE);
        Recorder r = Recorder.create(dir, TestKernels.config(image, Board.VIBE), image, System.err, o);
        System.out.println("recording");
        System.out.flush();
        r.run();
    }
}
