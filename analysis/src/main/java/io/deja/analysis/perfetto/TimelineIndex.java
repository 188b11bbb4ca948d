package io.deja.analysis.perfetto;

import io.deja.analysis.Json;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracks of {@link PerfettoExport}, kept in memory and cut into lanes so
 * that any window of virtual time can be drawn at any zoom in time
 * proportional to the pixels drawn, not to the events in the window: the
 * data behind {@code deja ui} and {@code deja report}.
 *
 * <p>It is built by the export's own state machine (a {@link TraceWriter} that
 * stores instead of writing), so the UI shows exactly the tracks and slices
 * of the Perfetto export. A lane is one track at one nesting depth; slices of
 * one lane never overlap, so both their starts and their ends are sorted, and
 * a window is found by binary search. {@link #view} merges what is narrower
 * than a bucket (a pixel, for the page) into clusters that carry their count.
 *
 * <p>Event arguments are kept for the details up to {@value #MAX_ARG_BYTES}
 * bytes (256 MB): per event, the shape of its arguments (keys and kinds,
 * interned) and its values, as LEB128 varints (an MMIO access's five
 * arguments take about 16 bytes: 20-30 M events fit); events past that keep
 * their name and time only, and the SQL tables hold the rest.
 */
public final class TimelineIndex {
    public enum Kind { SLICE, INSTANT, COUNTER }

    /** Bytes of event arguments kept for details, at most. */
    static final int MAX_ARG_BYTES = 1 << 28;

    /** One track at one depth. Starts and ends sorted; for instants end == start; for counters end holds the value. */
    public static final class Lane {
        final long track;
        final int depth;
        final Kind kind;
        final String label;
        final String group;
        long[] start = new long[16], end = new long[16];
        int[] name = new int[16], args = new int[16];
        int size;

        Lane(long track, int depth, Kind kind, String label, String group) {
            this.track = track;
            this.depth = depth;
            this.kind = kind;
            this.label = label;
            this.group = group;
        }

        void add(long s, long e, int n, int a) {
            if (size == start.length) {
                int cap = Math.max(16, size * 2);
                start = Arrays.copyOf(start, cap);
                end = Arrays.copyOf(end, cap);
                name = Arrays.copyOf(name, cap);
                args = Arrays.copyOf(args, cap);
            }
            start[size] = s;
            end[size] = e;
            name[size] = n;
            args[size] = a;
            size++;
        }

        public Kind kind() { return kind; }

        public String label() { return label; }

        public String group() { return group; }

        public int size() { return size; }

        /** Where event i starts, in ns of virtual time. */
        public long start(int i) { return start[i]; }

        /** Where event i ends (a slice; an instant ends where it starts; a counter: its value). */
        public long end(int i) { return end[i]; }

        /** First index whose end (start for instants) is at or after t. */
        int firstEndingFrom(long t) {
            long[] keys = kind == Kind.SLICE ? end : start;
            int lo = 0, hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (keys[mid] < t) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /** First index at or after from whose start is at or after t. */
        int firstStartingFrom(int from, long t) {
            int lo = from, hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (start[mid] < t) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }

    private final List<Lane> lanes;
    private final List<String> names;
    private final String[] argKeys;
    /** Per event with arguments, as varints: the index of its shape (argument keys and kinds, {@code key << 2 | kind}), then its values. */
    private final byte[] argBytes;
    /** The same bytes left in a saved index's file (argBytes is then null): details read them on demand. */
    private final java.lang.foreign.MemorySegment mappedArgBytes;
    private final long[][] shapes;
    private final List<ConsoleLine> console;
    private final long startNs, endNs;
    private final long eventsRead;
    private final boolean argsComplete;
    private final Map<String, Long> instantCounts;

    /** A console line: its number, the icount and virtual time of its first byte, its text. */
    public record ConsoleLine(long number, long icount, long ns, String text) {}

    private TimelineIndex(Builder b, long eventsRead) {
        this(b.orderedLanes(), b.names, b.argKeys.toArray(new String[0]), b.shapes.toArray(new long[0][]), Arrays.copyOf(b.argBytes, b.argSize), null,
                b.console, eventsRead, !b.argsDropped);
    }

    private TimelineIndex(List<Lane> lanes, List<String> names, String[] argKeys, long[][] shapes, byte[] argBytes,
                          java.lang.foreign.MemorySegment mappedArgBytes, List<ConsoleLine> console,
                          long eventsRead, boolean argsComplete) {
        this.lanes = lanes;
        this.names = names;
        this.argKeys = argKeys;
        this.shapes = shapes;
        this.argBytes = argBytes;
        this.mappedArgBytes = mappedArgBytes;
        this.console = console;
        long s = Long.MAX_VALUE, e = 0;
        for (Lane l : lanes) {
            if (l.size == 0) continue;
            s = Math.min(s, l.start[0]);
            e = Math.max(e, l.kind == Kind.SLICE ? l.end[l.size - 1] : l.start[l.size - 1]);
        }
        this.startNs = s == Long.MAX_VALUE ? 0 : s;
        this.endNs = Math.max(e, startNs + 1);
        this.eventsRead = eventsRead;
        this.argsComplete = argsComplete;
        this.instantCounts = new LinkedHashMap<>();
        for (Lane l : lanes) {
            if (l.kind != Kind.INSTANT || l.track == PerfettoExport.Timeline.CONSOLE) continue;
            long[] counts = new long[names.size()];
            for (int i = 0; i < l.size; i++) counts[l.name[i]]++;
            for (int n = 0; n < counts.length; n++) {
                if (counts[n] > 0) instantCounts.merge(l.label + ": " + names.get(n), counts[n], Long::sum);
            }
        }
    }

    /**
     * Version of what {@link #write} writes. Bump it when the layout changes or
     * when the export draws different tracks or slices: saved indexes of another
     * version are rebuilt.
     */
    public static final int FILE_VERSION = 3;

    /** Writes the whole index (read back by {@link #read}). */
    public void write(IndexFile.Out out) throws java.io.IOException {
        out.i64(eventsRead).bool(argsComplete);
        out.i32(names.size());
        for (String n : names) out.str(n);
        out.i32(argKeys.length);
        for (String k : argKeys) out.str(k);
        out.i32(shapes.length);
        for (long[] shape : shapes) out.longs(shape, shape.length);
        if (argBytes == null) throw new IllegalStateException("an index read from a file is not written again");
        out.bytes(argBytes, argBytes.length);
        out.i32(console.size());
        for (ConsoleLine c : console) out.i64(c.number()).i64(c.icount()).i64(c.ns()).str(c.text());
        out.i32(lanes.size());
        for (Lane l : lanes) {
            out.i64(l.track).i32(l.depth).i32(l.kind.ordinal()).str(l.label).str(l.group).i32(l.size);
            out.longs(l.start, l.size);
            if (l.kind != Kind.INSTANT) out.longs(l.end, l.size);
            out.ints(l.name, l.size).ints(l.args, l.size);
        }
    }

    /** Reads an index written by {@link #write}; event arguments stay in the file, read when details are asked for. */
    public static TimelineIndex read(IndexFile.In in) throws java.io.IOException {
        long eventsRead = in.i64();
        boolean argsComplete = in.bool();
        int n = in.i32();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(in.str());
        int k = in.i32();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < k; i++) keys.add(in.str());
        int shapeCount = in.i32();
        List<long[]> shapes = new ArrayList<>();
        for (int i = 0; i < shapeCount; i++) {
            long[] shape = in.longs();
            for (long meta : shape) {
                if ((meta >>> 2) >= keys.size()) throw new IndexFile.Damaged("an argument shape names an unknown key " + (meta >>> 2));
            }
            shapes.add(shape);
        }
        java.lang.foreign.MemorySegment argBytes = in.mappedBytes();
        int c = in.i32();
        List<ConsoleLine> console = new ArrayList<>();
        for (int i = 0; i < c; i++) console.add(new ConsoleLine(in.i64(), in.i64(), in.i64(), in.str()));
        int laneCount = in.i32();
        List<Lane> lanes = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < laneCount; i++) {
            long track = in.i64();
            int depth = in.i32();
            int kind = in.i32();
            if (kind < 0 || kind >= kinds.length) throw new IndexFile.Damaged("lane " + i + " has kind " + kind);
            Lane l = new Lane(track, depth, kinds[kind], in.str(), in.str());
            int size = in.i32();
            l.start = in.longs();
            // an instant ends where it starts: its ends are not written
            l.end = l.kind == Kind.INSTANT ? l.start : in.longs();
            l.name = in.ints();
            l.args = in.ints();
            if (size < 0 || l.start.length != size || l.end.length != size || l.name.length != size || l.args.length != size) {
                throw new IndexFile.Damaged("lane " + i + " has arrays of other lengths than its " + size + " events");
            }
            l.size = size;
            for (int e = 0; e < size; e++) {
                if (l.name[e] < 0 || l.name[e] >= names.size()) throw new IndexFile.Damaged("lane " + i + " names an unknown name " + l.name[e]);
            }
            lanes.add(l);
        }
        return new TimelineIndex(List.copyOf(lanes), names, keys.toArray(new String[0]), shapes.toArray(new long[0][]), null, argBytes, console,
                eventsRead, argsComplete);
    }

    /** Reads the recording once and indexes its whole timeline, with the stages given drawn on the stages track. */
    public static TimelineIndex build(Path recordingDir, List<Stage> stages) {
        try (Recording recording = Recording.open(recordingDir)) {
            Builder b = new Builder();
            long read;
            try (EventCursor cursor = recording.events(0, PerfettoExport.READ)) {
                PerfettoExport.Timeline t = new PerfettoExport.Timeline(recording.header(), b,
                        new PerfettoExport.Options(0, Long.MAX_VALUE, stages));
                read = t.run(cursor, null);
            }
            return new TimelineIndex(b, read);
        }
    }

    public List<Lane> lanes() { return lanes; }

    public List<ConsoleLine> console() { return console; }

    /** The name of a lane's event. */
    public String nameAt(Lane lane, int index) {
        return names.get(lane.name[index]);
    }

    public long startNs() { return startNs; }

    public long endNs() { return endNs; }

    public long eventsRead() { return eventsRead; }

    /** Whether every event kept its arguments (false past {@value #MAX_ARG_BYTES} bytes). */
    public boolean argsComplete() { return argsComplete; }

    /** Instants by "track: name" (exits by kind, MMIO by device and direction), in track order. */
    public Map<String, Long> instantCounts() { return instantCounts; }

    /** Slices by name over every lane of the tracks whose label ends with suffix ("handlers"). */
    public Map<String, Long> sliceCounts(String labelSuffix) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Lane l : lanes) {
            if (l.kind != Kind.SLICE || !l.label.replaceAll(" · \\d+$", "").endsWith(labelSuffix)) continue;
            for (int i = 0; i < l.size; i++) counts.merge(names.get(l.name[i]), 1L, Long::sum);
        }
        return counts;
    }

    /** The lanes, for the page's rows: label, group, kind, events. */
    public void lanesJson(Json j) {
        j.open('[');
        for (Lane l : lanes) {
            j.open('{').key("label").value(l.label).key("group").value(l.group).key("kind").value(l.kind.name().toLowerCase(java.util.Locale.ROOT))
                    .key("events").value((Object) l.size).close('}');
        }
        j.close(']');
    }

    /**
     * What to draw of [fromNs, toNs] cut into buckets of equal time: per lane,
     * items [start, end, name, count, index]. A slice at least a bucket wide is
     * its own item (count 1); narrower slices and instants that start in the
     * same bucket become one cluster item (count n, named after its first,
     * from the first's start to the last's end); counters give the largest
     * value in each bucket (end holds the value). index is the first event's
     * index in its lane (for {@link #detailsJson}). Names are sent once, as
     * [id, text] pairs.
     */
    public void view(long fromNs, long toNs, int buckets, Json j) {
        if (toNs <= fromNs) throw new IllegalArgumentException("empty window " + fromNs + ".." + toNs);
        if (buckets < 1 || buckets > 20_000) throw new IllegalArgumentException("buckets must be 1..20000, not " + buckets);
        long width = Math.max(1, (toNs - fromNs + buckets - 1) / buckets);
        Map<Integer, Boolean> used = new LinkedHashMap<>();
        j.open('{').key("from").value((Object) fromNs).key("to").value((Object) toNs).key("bucket").value((Object) width).key("lanes").open('[');
        for (Lane l : lanes) {
            j.open('[');
            switch (l.kind) {
                case SLICE, INSTANT -> events(l, fromNs, toNs, width, j, used);
                case COUNTER -> counter(l, fromNs, toNs, width, j);
            }
            j.close(']');
        }
        j.close(']').key("names").open('[');
        for (int id : used.keySet()) j.open('[').value((Object) id).value(names.get(id)).close(']');
        j.close(']').close('}');
    }

    private void events(Lane l, long from, long to, long width, Json j, Map<Integer, Boolean> used) {
        int i = l.firstEndingFrom(from);
        while (i < l.size && l.start[i] <= to) {
            long s = l.start[i], e = l.end[i];
            if (l.kind == Kind.SLICE && e - s >= width) {
                item(j, s, e, l.name[i], 1, i, used);
                i++;
                continue;
            }
            long bucketEnd = from + (Math.floorDiv(Math.max(s, from) - from, width) + 1) * width;
            int k = Math.max(i + 1, l.firstStartingFrom(i + 1, bucketEnd));
            // A wide slice that starts in this bucket is drawn as itself, not swallowed by the cluster.
            if (l.kind == Kind.SLICE && k - i > 1 && l.end[k - 1] - l.start[k - 1] >= width) k--;
            long clusterEnd = l.kind == Kind.SLICE ? l.end[k - 1] : l.start[k - 1];
            item(j, s, clusterEnd, l.name[i], k - i, i, used);
            i = k;
        }
    }

    private static void item(Json j, long s, long e, int name, int count, int index, Map<Integer, Boolean> used) {
        used.put(name, Boolean.TRUE);
        j.open('[').value((Object) s).value((Object) e).value((Object) name).value((Object) count).value((Object) index).close(']');
    }

    private static void counter(Lane l, long from, long to, long width, Json j) {
        // The value in force at the window's start: the last point before it.
        int i = l.firstStartingFrom(0, from);
        if (i > 0) i--;
        while (i < l.size && l.start[i] <= to) {
            long bucketStart = l.start[i] < from ? l.start[i] : from + Math.floorDiv(l.start[i] - from, width) * width;
            int k = l.start[i] < from ? i + 1 : l.firstStartingFrom(i + 1, bucketStart + width);
            long max = Long.MIN_VALUE;
            for (int m = i; m < k; m++) max = Math.max(max, l.end[m]);
            j.open('[').value((Object) l.start[i]).value((Object) max).close(']');
            i = k;
        }
    }

    /** One event of a lane: name, time, duration, arguments. */
    public void detailsJson(int lane, int index, Json j) {
        if (lane < 0 || lane >= lanes.size()) throw new IllegalArgumentException("no lane " + lane);
        Lane l = lanes.get(lane);
        if (index < 0 || index >= l.size) throw new IllegalArgumentException("no event " + index + " in lane " + lane);
        j.open('{').key("lane").value(l.label).key("name").value(l.kind == Kind.COUNTER ? l.label : names.get(l.name[index]))
                .key("ns").value((Object) l.start[index]);
        if (l.kind == Kind.SLICE) j.key("dur_ns").value((Object) (l.end[index] - l.start[index]));
        if (l.kind == Kind.COUNTER) j.key("value").value((Object) l.end[index]);
        j.key("args");
        int a = l.args[index];
        if (a == NO_ARGS) {
            j.open('{').close('}');
        } else if (a == DROPPED_ARGS) {
            j.nil();
            j.key("note").value("arguments not kept (the timeline's argument store is full): query the SQL tables at this time");
        } else {
            j.open('{');
            long[] at = {a};
            long[] shape = shapes[(int) varint(at)];
            for (int k = 0; k < shape.length; k++) {
                long meta = shape[k];
                long v = varint(at);
                String key = argKeys[(int) (meta >>> 2)];
                int kind = (int) (meta & 3);
                j.key(key);
                if (kind == Args.HEX) j.value("0x" + Long.toHexString(v));
                else if (kind == Args.TEXT) j.value(names.get((int) v));
                else j.value((Object) v);
            }
            j.close('}');
        }
        j.close('}');
    }

    /** The LEB128 varint of the argument bytes at at[0], which moves past it. */
    private long varint(long[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            long p = at[0]++;
            int b = argBytes != null ? argBytes[(int) p] : mappedArgBytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p);
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0 || shift >= 63) return v;
        }
    }

    static final int NO_ARGS = -1, DROPPED_ARGS = -2;

    /** Stores what the export's state machine writes. */
    private static final class Builder implements TraceWriter {
        final Map<Long, String> groupNames = new HashMap<>();
        final Map<Long, Long> trackGroup = new HashMap<>();
        final Map<Long, String> trackNames = new HashMap<>();
        final Map<Long, Boolean> counterTracks = new HashMap<>();
        final List<Long> trackOrder = new ArrayList<>();
        final Map<Long, List<Lane>> lanesByTrack = new HashMap<>();
        final Map<Long, List<long[]>> open = new HashMap<>();
        final List<String> names = new ArrayList<>();
        final Map<String, Integer> nameIds = new HashMap<>();
        final List<String> argKeys = new ArrayList<>();
        final Map<String, Integer> argKeyIds = new HashMap<>();
        final List<long[]> shapes = new ArrayList<>();
        final Map<String, Integer> shapeIds = new HashMap<>();
        int lastShape = -1;
        byte[] argBytes = new byte[1 << 12];
        int argSize;
        boolean argsDropped;
        long events;
        final List<ConsoleLine> console = new ArrayList<>();

        int nameId(String s) {
            Integer id = nameIds.get(s);
            if (id == null) {
                id = names.size();
                names.add(s);
                nameIds.put(s, id);
            }
            return id;
        }

        /** The shape (keys and kinds) of an event's arguments, interned: most events share their call site's. */
        int shape(Args a) {
            if (lastShape >= 0 && matches(shapes.get(lastShape), a)) return lastShape;
            long[] metas = new long[a.size];
            for (int k = 0; k < a.size; k++) {
                Integer key = argKeyIds.get(a.keys[k]);
                if (key == null) {
                    key = argKeys.size();
                    argKeys.add(a.keys[k]);
                    argKeyIds.put(a.keys[k], key);
                }
                metas[k] = ((long) key << 2) | a.kinds[k];
            }
            Integer id = shapeIds.get(java.util.Arrays.toString(metas));
            if (id == null) {
                id = shapes.size();
                shapes.add(metas);
                shapeIds.put(java.util.Arrays.toString(metas), id);
            }
            lastShape = id;
            return id;
        }

        private boolean matches(long[] metas, Args a) {
            if (metas.length != a.size) return false;
            for (int k = 0; k < a.size; k++) {
                if ((metas[k] & 3) != a.kinds[k] || !argKeys.get((int) (metas[k] >>> 2)).equals(a.keys[k])) return false;
            }
            return true;
        }

        int storeArgs(Args a) {
            if (a.size == 0) return NO_ARGS;
            int most = 10 * (1 + a.size);
            if ((long) argSize + most > MAX_ARG_BYTES) {
                argsDropped = true;
                return DROPPED_ARGS;
            }
            if (argSize + most > argBytes.length) argBytes = Arrays.copyOf(argBytes, Math.max(argBytes.length * 2, argSize + most));
            int at = argSize;
            putVarint(shape(a));
            for (int k = 0; k < a.size; k++) putVarint(a.kinds[k] == Args.TEXT ? nameId(a.texts[k]) : a.nums[k]);
            return at;
        }

        private void putVarint(long v) {
            while ((v & ~0x7fL) != 0) {
                argBytes[argSize++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            argBytes[argSize++] = (byte) v;
        }

        Lane lane(long track, int depth, Kind kind) {
            List<Lane> ls = lanesByTrack.computeIfAbsent(track, t -> new ArrayList<>());
            while (ls.size() <= depth) {
                int d = ls.size();
                String label = trackNames.getOrDefault(track, "track " + track) + (d == 0 ? "" : " · " + (d + 1));
                ls.add(new Lane(track, d, kind, label, groupNames.getOrDefault(trackGroup.get(track), "")));
            }
            return ls.get(depth);
        }

        List<Lane> orderedLanes() {
            List<Long> order = new ArrayList<>(trackOrder);
            // CPU groups first (as Perfetto lists them), then the run's tracks; declaration order within.
            order.sort(Comparator.comparingInt(t -> trackGroup.get(t) == PerfettoExport.Timeline.RUN ? 1 : 0));
            List<Lane> out = new ArrayList<>();
            for (long t : order) {
                List<Lane> ls = lanesByTrack.get(t);
                if (ls == null) {
                    // An empty track keeps its row so the page's layout does not depend on the data.
                    ls = List.of(lane(t, 0, counterTracks.get(t) ? Kind.COUNTER : Kind.SLICE));
                }
                out.addAll(ls);
            }
            return out;
        }

        @Override
        public void group(long uuid, String name) {
            groupNames.put(uuid, name);
        }

        @Override
        public void track(long uuid, long group, String name, boolean counter) {
            trackGroup.put(uuid, group);
            trackNames.put(uuid, name);
            counterTracks.put(uuid, counter);
            trackOrder.add(uuid);
        }

        @Override
        public void begin(long track, long ns, String name, Args args) {
            events++;
            List<long[]> stack = open.computeIfAbsent(track, t -> new ArrayList<>());
            stack.add(new long[] {ns, nameId(name), storeArgs(args)});
        }

        @Override
        public void end(long track, long ns) {
            events++;
            List<long[]> stack = open.get(track);
            if (stack == null || stack.isEmpty()) return;
            long[] s = stack.remove(stack.size() - 1);
            lane(track, stack.size(), Kind.SLICE).add(s[0], Math.max(ns, s[0]), (int) s[1], (int) s[2]);
        }

        @Override
        public void instant(long track, long ns, String name, boolean recurring, Args args) {
            events++;
            // Instants go in their track's first lane; a track holds either slices or instants.
            Lane l = lane(track, 0, Kind.INSTANT);
            l.add(ns, ns, nameId(name), storeArgs(args));
            if (track == PerfettoExport.Timeline.CONSOLE) {
                long line = -1, icount = -1;
                for (int k = 0; k < args.size; k++) {
                    if (args.keys[k].equals("line")) line = args.nums[k];
                    if (args.keys[k].equals("icount")) icount = args.nums[k];
                }
                if (line >= 0) console.add(new ConsoleLine(line, icount, ns, name));
            }
        }

        @Override
        public void counter(long track, long ns, long value) {
            events++;
            lane(track, 0, Kind.COUNTER).add(ns, value, 0, NO_ARGS);
        }

        @Override
        public long events() {
            return events;
        }

        @Override
        public void close() {}
    }
}
