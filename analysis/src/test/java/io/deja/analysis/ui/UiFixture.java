package io.deja.analysis.ui;

import io.deja.analysis.diff.Differ;
import io.deja.analysis.stages.StageFile;
import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A recording of kernels/timer_irq.S (console lines, timer interrupts, WFI) and a UI server over it. */
final class UiFixture {
    private UiFixture() {}

    static Path recordTimer(Path dir) throws IOException {
        Path image = Kernels.virtBin("timer_irq");
        Recorder.create(dir, MachineConfig.of(Board.VIRT, Files.readAllBytes(image)), image, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(50_000_000)).run();
        return dir;
    }

    static UiServer serve(Path rec, Duration sqlLimit) throws IOException {
        return new UiServer(List.of(RunData.load(rec, StageFile.builtin())), Differ.Options.defaults(), 0, sqlLimit, 1000);
    }
}
