package io.deja.replayer;

import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingWriter;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Copies a recording event by event, changing (or dropping) one of them: what a tampering test replays. */
final class Tampering {
    private Tampering() {}

    /**
     * @param index  which event (0 = the first after the header)
     * @param change the new event, or null to drop it
     * @return the original event at index
     */
    static RecordedEvent copyWith(Path from, Path to, long index, UnaryOperator<RecordedEvent> change) {
        RecordedEvent original = null;
        try (Recording r = Recording.open(from); EventCursor c = r.events(); RecordingWriter w = RecordingWriter.open(to, r.header())) {
            long i = 0;
            while (c.next()) {
                if (i++ == index) {
                    original = RecordedEvent.of(c);
                    RecordedEvent changed = change.apply(original);
                    if (changed != null) w.write(changed.type(), changed.values(), changed.data());
                } else {
                    w.copy(c);
                }
            }
        }
        if (original == null) throw new IllegalArgumentException("no event " + index + " in " + from);
        return original;
    }

    /** The event with field f set to value. */
    static RecordedEvent with(RecordedEvent e, String field, long value) {
        long[] v = e.values();
        for (int f = 0; f < v.length; f++) {
            if (e.type().fields.get(f).name().equals(field)) v[f] = value;
        }
        return new RecordedEvent(e.type(), v, e.data());
    }
}
