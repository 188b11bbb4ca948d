package io.deja.recorder;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.EventType;
import io.deja.core.trace.FieldType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** Helpers for recorder tests: a header without a machine, and events as comparable values. */
final class TestRecordings {
    private TestRecordings() {}

    static RecordingHeader header(TraceLevel level, Path dir) {
        byte[] image = {0x1f, 0x20, 0x03, (byte) 0xd5};
        MachineConfig config = MachineConfig.of(Board.VIBE, image).withCommandLine("console=ttyAMA0 é").withSeeds(0x1234, new byte[] {1, 2, 3});
        return RecordingHeader.of(config, List.of(RecordedImage.of(dir.resolveSibling("image.raw"), image, dir)),
                List.of("gicd", "gicc", "pl011"), level, 1_000_000, OptionalLong.of(42), "test");
    }

    /** One event: its type, its scalar fields, and its BYTES or LONGS field's bytes (or null). */
    record Event(EventType type, long[] values, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Event e && type == e.type && Arrays.equals(values, e.values) && Arrays.equals(data, e.data);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return type + Arrays.toString(values) + (data == null ? "" : " " + data.length + " bytes");
        }

        /** values: the scalar fields in schema order (the BYTES or LONGS field's slot reads as 0). */
        static Event of(EventType type, byte[] data, long... values) {
            long[] v = new long[type.fields.size()];
            for (int f = 0, i = 0; f < v.length; f++) {
                if (!isBytes(type, f)) v[f] = values[i++];
            }
            return new Event(type, v, data);
        }

        static Event read(EventCursor c) {
            EventType t = c.type();
            long[] v = new long[t.fields.size()];
            byte[] data = null;
            for (int f = 0; f < v.length; f++) {
                switch (t.type(f)) {
                    case BYTES, LONGS -> data = c.bytes(f);
                    case I64, PC -> v[f] = c.i64(f);
                    case I32 -> v[f] = c.i32(f);
                    case U8 -> v[f] = c.u8(f);
                    case BOOL -> v[f] = c.bool(f) ? 1 : 0;
                }
            }
            return new Event(t, v, data);
        }

        void writeTo(RecordingWriter w) {
            w.write(type, values, data);
        }
    }

    static List<Event> readAll(Path dir) {
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            List<Event> out = new ArrayList<>();
            while (c.next()) out.add(Event.read(c));
            return out;
        }
    }

    /** Asserts two event lists are equal, naming the first difference (lists of a million events print badly). */
    static void assertSameEvents(List<Event> actual, List<Event> expected) {
        int n = Math.min(actual.size(), expected.size());
        for (int i = 0; i < n; i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                throw new AssertionError("event " + i + " differs: expected " + expected.get(i) + ", got " + actual.get(i)
                        + (i > 0 ? " (after " + expected.get(i - 1) + ")" : ""));
            }
        }
        if (actual.size() != expected.size()) {
            throw new AssertionError("expected " + expected.size() + " events, got " + actual.size()
                    + (actual.size() > n ? ", first extra: " + actual.get(n) : ", first missing: " + expected.get(n)));
        }
    }

    static boolean isBytes(EventType t, int f) {
        return !t.type(f).scalar();
    }
}
