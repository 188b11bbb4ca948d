package io.deja.analysis.perfetto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Perfetto's protobuf trace format, encoded by hand (the schema is
 * protos/perfetto/trace/ in the Perfetto repository): a Trace is a sequence
 * of TracePacket (field 1); groups and tracks are TrackDescriptors, events
 * TrackEvents on one packet sequence. Recurring event names and argument
 * names are interned (InternedData, sent with the first packet that uses
 * them), so an event is typically 15-30 bytes.
 *
 * A nested message's length is reserved as 3 bytes and, once the message is
 * written, stored as the shortest varint (the message moves down over what
 * it does not need), so a packet is encoded front to back in one buffer.
 */
final class PerfettoProtoWriter implements TraceWriter {
    // Trace
    private static final int TRACE_PACKET = 1;
    // TracePacket
    private static final int TIMESTAMP = 8, SEQUENCE_ID = 10, TRACK_EVENT = 11, INTERNED_DATA = 12,
            SEQUENCE_FLAGS = 13, TRACK_DESCRIPTOR = 60;
    private static final int INCREMENTAL_STATE_CLEARED = 1, NEEDS_INCREMENTAL_STATE = 2;
    // TrackDescriptor
    private static final int TD_UUID = 1, TD_NAME = 2, TD_PARENT = 5, TD_COUNTER = 8;
    // TrackEvent
    private static final int TE_DEBUG_ANNOTATIONS = 4, TE_TYPE = 9, TE_NAME_IID = 10, TE_TRACK_UUID = 11,
            TE_NAME = 23, TE_COUNTER_VALUE = 30;
    static final int TYPE_SLICE_BEGIN = 1, TYPE_SLICE_END = 2, TYPE_INSTANT = 3, TYPE_COUNTER = 4;
    // DebugAnnotation
    private static final int DA_NAME_IID = 1, DA_INT = 4, DA_STRING = 6, DA_POINTER = 7;
    // InternedData: EventName and DebugAnnotationName are both {iid = 1, name = 2}
    private static final int ID_EVENT_NAMES = 2, ID_ANNOTATION_NAMES = 3;
    private static final int SEQUENCE = 1;
    /** Longest string stored (a packet's nested lengths are 3-byte varints: below 2 MiB). */
    private static final int MAX_STRING = 64 * 1024;

    private final OutputStream out;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private final Map<String, Integer> eventNames = new HashMap<>();
    private final Map<String, Integer> annotationNames = new HashMap<>();
    private final String[] newEventNames = new String[1];
    private final String[] newAnnotationNames = new String[64];
    private int newEvent, newAnnotations;
    private boolean firstPacket = true;
    private long events;

    PerfettoProtoWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void group(long uuid, String name) {
        descriptor(uuid, 0, name, false);
    }

    @Override
    public void track(long uuid, long group, String name, boolean counter) {
        descriptor(uuid, group, name, counter);
    }

    private void descriptor(long uuid, long parent, String name, boolean counter) {
        int packet = beginPacket();
        int td = begin(TRACK_DESCRIPTOR);
        tagVarint(TD_UUID, uuid);
        if (parent != 0) tagVarint(TD_PARENT, parent);
        tagString(TD_NAME, name);
        if (counter) endNested(begin(TD_COUNTER));
        endNested(td);
        endPacket(packet);
    }

    @Override
    public void begin(long track, long ns, String name, Args args) {
        event(TYPE_SLICE_BEGIN, track, ns, name, true, args, 0);
    }

    @Override
    public void end(long track, long ns) {
        event(TYPE_SLICE_END, track, ns, null, false, Args.NONE, 0);
    }

    @Override
    public void instant(long track, long ns, String name, boolean recurring, Args args) {
        event(TYPE_INSTANT, track, ns, name, recurring, args, 0);
    }

    @Override
    public void counter(long track, long ns, long value) {
        event(TYPE_COUNTER, track, ns, null, false, Args.NONE, value);
    }

    private void event(int type, long track, long ns, String name, boolean intern, Args args, long counterValue) {
        // Interned ids first: the packet that introduces a name carries its InternedData.
        newEvent = 0;
        newAnnotations = 0;
        int nameIid = name != null && intern ? eventIid(name) : 0;
        int[] argIids = argIids(args);
        int packet = beginPacket();
        tagVarint(TIMESTAMP, ns);
        int te = begin(TRACK_EVENT);
        tagVarint(TE_TYPE, type);
        tagVarint(TE_TRACK_UUID, track);
        if (nameIid != 0) tagVarint(TE_NAME_IID, nameIid);
        else if (name != null) tagString(TE_NAME, name);
        for (int i = 0; i < args.size; i++) {
            int da = begin(TE_DEBUG_ANNOTATIONS);
            tagVarint(DA_NAME_IID, argIids[i]);
            switch (args.kinds[i]) {
                case Args.NUM -> tagVarint(DA_INT, args.nums[i]);
                case Args.HEX -> tagVarint(DA_POINTER, args.nums[i]);
                default -> tagString(DA_STRING, args.texts[i]);
            }
            endNested(da);
        }
        if (type == TYPE_COUNTER) tagVarint(TE_COUNTER_VALUE, counterValue);
        endNested(te);
        if (newEvent + newAnnotations > 0) {
            int id = begin(INTERNED_DATA);
            if (newEvent > 0) internedEntry(ID_EVENT_NAMES, eventNames.get(newEventNames[0]), newEventNames[0]);
            for (int i = 0; i < newAnnotations; i++) {
                internedEntry(ID_ANNOTATION_NAMES, annotationNames.get(newAnnotationNames[i]), newAnnotationNames[i]);
            }
            endNested(id);
        }
        endPacket(packet);
        events++;
    }

    private final int[] iids = new int[64];

    private int[] argIids(Args args) {
        for (int i = 0; i < args.size; i++) {
            String key = args.keys[i];
            Integer iid = annotationNames.get(key);
            if (iid == null) {
                iid = annotationNames.size() + 1;
                annotationNames.put(key, iid);
                newAnnotationNames[newAnnotations++] = key;
            }
            iids[i] = iid;
        }
        return iids;
    }

    private int eventIid(String name) {
        Integer iid = eventNames.get(name);
        if (iid == null) {
            iid = eventNames.size() + 1;
            eventNames.put(name, iid);
            newEventNames[0] = name;
            newEvent = 1;
        }
        return iid;
    }

    private void internedEntry(int field, int iid, String name) {
        int e = begin(field);
        tagVarint(1, iid);
        tagString(2, name);
        endNested(e);
    }

    @Override
    public long events() {
        return events;
    }

    @Override
    public void close() {
        try {
            flush();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- Encoding ----------------------------------------------------------------

    private int beginPacket() {
        if (pos > buf.length - 4096) flush();
        int p = begin(TRACE_PACKET);
        tagVarint(SEQUENCE_ID, SEQUENCE);
        if (firstPacket) {
            tagVarint(SEQUENCE_FLAGS, INCREMENTAL_STATE_CLEARED);
            firstPacket = false;
        } else {
            tagVarint(SEQUENCE_FLAGS, NEEDS_INCREMENTAL_STATE);
        }
        return p;
    }

    private void endPacket(int p) {
        endNested(p);
    }

    /** Starts a length-delimited field; returns where its 3-byte length goes. */
    private int begin(int field) {
        varint(((long) field << 3) | 2);
        ensure(3);
        int at = pos;
        pos += 3;
        return at;
    }

    /**
     * Writes the length of the message that started at at. Short messages (most of them:
     * an argument, an event) move down over the spare length bytes, so the padding costs
     * nothing; enclosing messages have not written their lengths yet, so moving is safe.
     */
    private void endNested(int at) {
        int len = pos - at - 3;
        if (len < 1 << 7) {
            buf[at] = (byte) len;
            System.arraycopy(buf, at + 3, buf, at + 1, len);
            pos -= 2;
        } else if (len < 1 << 14) {
            buf[at] = (byte) (len & 0x7F | 0x80);
            buf[at + 1] = (byte) (len >>> 7);
            System.arraycopy(buf, at + 3, buf, at + 2, len);
            pos -= 1;
        } else {
            if (len >= 1 << 21) throw new IllegalStateException("message of " + len + " bytes");
            buf[at] = (byte) (len & 0x7F | 0x80);
            buf[at + 1] = (byte) ((len >>> 7) & 0x7F | 0x80);
            buf[at + 2] = (byte) (len >>> 14);
        }
    }

    private void tagVarint(int field, long value) {
        varint((long) field << 3);
        varint(value);
    }

    private void tagString(int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_STRING);
        varint(((long) field << 3) | 2);
        varint(n);
        ensure(n);
        System.arraycopy(b, 0, buf, pos, n);
        pos += n;
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    private void flush() {
        try {
            out.write(buf, 0, pos);
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
