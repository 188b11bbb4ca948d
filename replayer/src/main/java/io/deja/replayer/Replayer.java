package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.core.vm.ExitKind;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordingWriter;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Replays a recording and proves it bit-exact, or reports where it is not.
 *
 * The machine is rebuilt from the header (the image re-read and checked
 * against its SHA-256), given the recorded chaos seed and checkpoint
 * interval, and run to where the recording ends with every recorded input
 * delivered at its icount and the opening checkpoints (icount 0, and the start
 * of a trace window) emitted where the recorder emitted them. A
 * {@link ComparingSink} checks each event as it happens; the final checkpoint
 * and the END event are compared last. A recording cut short replays up to
 * its last event.
 */
public final class Replayer {
    private Replayer() {}

    /**
     * @throws RecordingException for a recording that cannot be replayed at all (unreadable,
     *         newer format, image missing or changed); a divergence is a result, not an exception
     * @throws ReplayCancelled when the machine given to {@link ReplayOptions.Started} is cancelled before the end
     */
    public static ReplayResult replay(Path dir, ReplayOptions options) {
        try (Recording recording = Recording.open(dir)) {
            RecordingHeader h = recording.header();
            ImageResolver.Images images = ImageResolver.loadAll(h, dir, options.image());
            Machine m = build(h, images, options.console());
            checkDevices(m, h, dir);
            Recording.Tail tail = recording.tail();
            if (tail.batches() == 0) throw new RecordingException(recording.directory() + ": " + tail.cutShort() + ". " + RecordingException.NOTHING_TO_USE);
            long end = tail.complete() ? tail.lastIcount() : tail.lastIcount() + 1;
            ReplayOptions.Retrace retrace = options.retrace();
            if (retrace != null && retrace.from() > tail.lastIcount()) {
                throw new RecordingException(String.format("--from %d: the recording ends at icount %d", retrace.from(), tail.lastIcount()));
            }
            if (options.started() != null) options.started().replaying(m, end);
            LevelPlan plan = new LevelPlan().add(h.traceLevel(), h.traceFrom(), h.traceTo());
            RecordingWriter tee = null;
            if (retrace != null) {
                plan.add(retrace.level(), retrace.from(), retrace.to());
                TraceLevel level = retrace.level().atLeast(h.traceLevel()) ? retrace.level() : h.traceLevel();
                tee = RecordingWriter.open(retrace.out(), h.withTrace(level, retrace.from(), retrace.to()));
            }
            try (RecordingWriter teeWriter = tee;
                 EventCursor expected = recording.events();
                 InputSchedule inputs = new InputSchedule(recording)) {
                ComparingSink sink = new ComparingSink(expected, h, teeWriter);
                m.setCheckpointInterval(h.checkpointInterval());
                h.chaosSeed().ifPresent(m::setChaos);
                long teeFrom = retrace == null ? 0 : retrace.from();
                long[] marks = java.util.stream.LongStream.of(0, h.traceFrom(), teeFrom).distinct().sorted().toArray();
                Drive drive = new Drive(m, inputs, plan, sink, marks,
                        icount -> sink.openingCheckpoint(m, icount == 0 || icount == h.traceFrom(), icount == 0 || icount == teeFrom));
                try {
                    ExitKind stop = drive.runTo(end, sink::exhausted);
                    // Only the host stops a replay so (a recorded cancel ends at its icount, which runTo reaches first).
                    if (stop == ExitKind.CANCELLED) throw new ReplayCancelled(m.instructions());
                    if (tail.complete()) {
                        m.checkpoint();
                        int code = stop.code;
                        sink.end(m.instructions(), m.vcpu().cycles(), code, ComparingSink.isHostStop(code));
                        if (teeWriter != null) teeWriter.end(m.instructions(), m.vcpu().cycles(), code);
                    } else {
                        // The run ended on its own before the cut: the recorder's final checkpoint may be in the
                        // complete part (it ends a batch; the END after it was lost).
                        if (!sink.exhausted() && m.instructions() < end) m.checkpoint();
                        if (!sink.exhausted()) {
                            sink.expectNoMore(m.instructions(), "the replay stopped here (" + stop + ") and produced no more events");
                        }
                    }
                } catch (io.deja.replayer.Divergence d) {
                    m.setTrace(TraceSink.NONE, TraceLevel.EVENTS);
                    String report = DivergenceReport.build(recording, images, d, sink.compared());
                    return new ReplayResult(h, false, !tail.complete(), sink.compared(), m.instructions(), tail.lastIcount(),
                            m.stateHashes(), d, report, teeWriter == null ? -1 : teeWriter.events(), tail.cutShort());
                }
                m.setTrace(TraceSink.NONE, TraceLevel.EVENTS);
                return new ReplayResult(h, true, !tail.complete(), sink.compared(), m.instructions(), tail.lastIcount(),
                        m.stateHashes(), null, null, teeWriter == null ? -1 : teeWriter.events(), tail.cutShort());
            }
        }
    }

    /** A machine built from the header must have the recorded devices (MMIO events name them by number). */
    static void checkDevices(Machine m, RecordingHeader h, Path dir) {
        if (!m.deviceNames().equals(h.devices())) {
            throw new RecordingException(dir + ": recorded with devices " + h.devices() + ", this Deja builds " + m.deviceNames()
                    + " for the " + h.board().cliName() + " board");
        }
    }

    /** The machine the header describes, its console to out (null: discarded). */
    static Machine build(RecordingHeader h, ImageResolver.Images images, OutputStream out) {
        try {
            return new Machine(h.toMachineConfig(images.image(), images.initrd(), images.dtb()), out == null ? OutputStream.nullOutputStream() : out);
        } catch (IllegalArgumentException e) {
            throw new RecordingException("the recorded machine cannot be built: " + e.getMessage(), e);
        }
    }
}
