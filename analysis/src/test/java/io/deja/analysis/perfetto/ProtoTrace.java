package io.deja.analysis.perfetto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf wire-format reader written for the tests from the Perfetto schema
 * (protos/perfetto/trace/), independent of the writer: it turns a trace back
 * into the same normalized events that {@link JsonTrace} reads from JSON.
 */
final class ProtoTrace {
    private ProtoTrace() {}

    /** A decoded message: field number to its values (Long for varints, byte[] for length-delimited). */
    static Map<Integer, List<Object>> message(byte[] b, int from, int to) {
        Map<Integer, List<Object>> m = new LinkedHashMap<>();
        int[] p = {from};
        while (p[0] < to) {
            long tag = varint(b, p);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            Object v;
            switch (wire) {
                case 0 -> v = varint(b, p);
                case 2 -> {
                    int len = (int) varint(b, p);
                    byte[] sub = java.util.Arrays.copyOfRange(b, p[0], p[0] + len);
                    p[0] += len;
                    v = sub;
                }
                case 1 -> {
                    long x = 0;
                    for (int i = 7; i >= 0; i--) x = x << 8 | (b[p[0] + i] & 0xFF);
                    p[0] += 8;
                    v = x;
                }
                default -> throw new IllegalArgumentException("wire type " + wire + " at " + p[0]);
            }
            m.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
        }
        if (p[0] != to) throw new IllegalArgumentException("message overran its length");
        return m;
    }

    static long varint(byte[] b, int[] p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[p[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) return v;
        }
    }

    static Map<Integer, List<Object>> message(byte[] b) {
        return message(b, 0, b.length);
    }

    static long num(Map<Integer, List<Object>> m, int field) {
        return (Long) m.get(field).getFirst();
    }

    static String str(Map<Integer, List<Object>> m, int field) {
        return new String((byte[]) m.get(field).getFirst(), StandardCharsets.UTF_8);
    }

    /** The trace as normalized events (see {@link TraceEvent}) and the track names by uuid. */
    static List<TraceEvent> read(byte[] trace) {
        Map<Long, String> trackNames = new HashMap<>();
        Map<Long, String> eventNames = new HashMap<>();
        Map<Long, String> argNames = new HashMap<>();
        List<TraceEvent> out = new ArrayList<>();
        for (Object packetBytes : message(trace).get(1)) {
            Map<Integer, List<Object>> packet = message((byte[]) packetBytes);
            assert num(packet, 10) == 1; // one sequence
            if (packet.containsKey(12)) {
                Map<Integer, List<Object>> interned = message((byte[]) packet.get(12).getFirst());
                for (Object e : interned.getOrDefault(2, List.of())) {
                    Map<Integer, List<Object>> en = message((byte[]) e);
                    eventNames.put(num(en, 1), str(en, 2));
                }
                for (Object e : interned.getOrDefault(3, List.of())) {
                    Map<Integer, List<Object>> an = message((byte[]) e);
                    argNames.put(num(an, 1), str(an, 2));
                }
            }
            if (packet.containsKey(60)) {
                Map<Integer, List<Object>> td = message((byte[]) packet.get(60).getFirst());
                trackNames.put(num(td, 1), str(td, 2));
                continue;
            }
            Map<Integer, List<Object>> te = message((byte[]) packet.get(11).getFirst());
            int type = (int) num(te, 9);
            String track = trackNames.get(num(te, 11));
            String name = te.containsKey(10) ? eventNames.get(num(te, 10)) : te.containsKey(23) ? str(te, 23) : null;
            Map<String, String> args = new LinkedHashMap<>();
            for (Object a : te.getOrDefault(4, List.of())) {
                Map<Integer, List<Object>> da = message((byte[]) a);
                String key = argNames.get(num(da, 1));
                if (da.containsKey(4)) args.put(key, Long.toString(num(da, 4)));
                else if (da.containsKey(7)) args.put(key, "0x" + Long.toHexString(num(da, 7)));
                else args.put(key, str(da, 6));
            }
            long ts = num(packet, 8);
            switch (type) {
                case 1 -> out.add(new TraceEvent("B", track, ts, name, args));
                case 2 -> out.add(new TraceEvent("E", track, ts, null, Map.of()));
                case 3 -> out.add(new TraceEvent("i", track, ts, name, args));
                case 4 -> out.add(new TraceEvent("C", track, ts, null, Map.of("value", Long.toString(num(te, 30)))));
                default -> throw new AssertionError("type " + type);
            }
        }
        return out;
    }
}
