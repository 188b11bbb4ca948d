package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingException;
import io.deja.recorder.RecordingHeader;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A recording's machine rebuilt to run forward under a host's control (a
 * debugger): the machine the header describes, with its chaos seed, and the
 * recorded inputs, which the host delivers with {@link #deliverDue()} at each
 * instruction boundary it stops at and runs no further than the next one's
 * icount. Nothing is compared with the recording: that is {@link Replayer}'s job.
 */
public final class RecordedMachine implements AutoCloseable {
    private final Recording recording;
    private final RecordingHeader header;
    private final Machine machine;
    private final InputSchedule inputs;
    private final long end;

    private RecordedMachine(Recording recording, RecordingHeader header, Machine machine, InputSchedule inputs, long end) {
        this.recording = recording;
        this.header = header;
        this.machine = machine;
        this.inputs = inputs;
        this.end = end;
    }

    /**
     * @param image   the image to use instead of the recorded path (null: the recorded one); its SHA-256 must match
     * @param console where the guest's console goes (null: discarded)
     * @throws RecordingException if the recording cannot be replayed (unreadable, other format, image missing or changed)
     */
    public static RecordedMachine open(Path dir, Path image, OutputStream console) {
        Recording recording = Recording.open(dir);
        try {
            RecordingHeader h = recording.header();
            byte[] bytes = ImageResolver.load(h, dir, image);
            Machine m = Replayer.build(h, bytes, console);
            if (!m.deviceNames().equals(h.devices())) {
                throw new RecordingException(dir + ": recorded with devices " + h.devices() + ", this Deja builds " + m.deviceNames());
            }
            h.chaosSeed().ifPresent(m::setChaos);
            Recording.Tail tail = recording.tail();
            long end = tail.complete() ? tail.lastIcount() : tail.lastIcount() + 1;
            return new RecordedMachine(recording, h, m, new InputSchedule(recording), end);
        } catch (RuntimeException e) {
            recording.close();
            throw e;
        }
    }

    public RecordingHeader header() {
        return header;
    }

    public Machine machine() {
        return machine;
    }

    /** The icount where the recording ends. */
    public long end() {
        return end;
    }

    /**
     * Delivers the inputs recorded at the current icount (call at every stop
     * before running on); returns the icount of the next input (Long.MAX_VALUE: none).
     */
    public long deliverDue() {
        long now = machine.instructions();
        while (inputs.next() == now && !machine.isStopped()) machine.sendConsoleInput(inputs.take());
        if (inputs.next() < now && !machine.isStopped()) {
            throw new IllegalStateException("input recorded at icount " + inputs.next() + " was passed (now " + now + ")");
        }
        return inputs.next();
    }

    @Override
    public void close() {
        inputs.close();
        recording.close();
    }
}
