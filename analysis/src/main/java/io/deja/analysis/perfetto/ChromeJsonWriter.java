package io.deja.analysis.perfetto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Chrome's trace event format (the JSON object form): a group is a process
 * (pid), a track a thread (tid) named by metadata events; slices are B/E
 * pairs, instants "i" with thread scope, counters "C" named by their track.
 * Timestamps are microseconds with three decimals, so nanoseconds survive.
 */
final class ChromeJsonWriter implements TraceWriter {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private final StringBuilder line = new StringBuilder(256);
    private final Map<Long, int[]> tracks = new HashMap<>(); // uuid -> {pid, tid}
    private final Map<Long, String> counterNames = new HashMap<>();
    private int nextTid = 1;
    private long events;
    private boolean first = true;

    ChromeJsonWriter(OutputStream out) {
        this.out = out;
        line.append("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
        flushLine();
    }

    @Override
    public void group(long uuid, String name) {
        int pid = tracks.size() + 1;
        tracks.put(uuid, new int[] {pid, 0});
        start().append("\"ph\":\"M\",\"pid\":").append(pid).append(",\"name\":\"process_name\",\"args\":{\"name\":");
        string(name).append("}}");
        start().append("\"ph\":\"M\",\"pid\":").append(pid).append(",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":").append(pid).append("}}");
        flushLine();
    }

    @Override
    public void track(long uuid, long group, String name, boolean counter) {
        int pid = tracks.get(group)[0];
        int tid = nextTid++;
        tracks.put(uuid, new int[] {pid, tid});
        if (counter) {
            counterNames.put(uuid, name);
            return;
        }
        start().append("\"ph\":\"M\",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"name\":\"thread_name\",\"args\":{\"name\":");
        string(name).append("}}");
        start().append("\"ph\":\"M\",\"pid\":").append(pid).append(",\"tid\":").append(tid).append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":").append(tid).append("}}");
        flushLine();
    }

    @Override
    public void begin(long track, long ns, String name, Args args) {
        event("B", track, ns).append(",\"name\":");
        string(name);
        args(args).append('}');
        done();
    }

    @Override
    public void end(long track, long ns) {
        event("E", track, ns).append('}');
        done();
    }

    @Override
    public void instant(long track, long ns, String name, boolean recurring, Args args) {
        event("i", track, ns).append(",\"s\":\"t\",\"name\":");
        string(name);
        args(args).append('}');
        done();
    }

    @Override
    public void counter(long track, long ns, long value) {
        int[] t = tracks.get(track);
        start().append("\"ph\":\"C\",\"pid\":").append(t[0]).append(",\"ts\":");
        micros(ns).append(",\"name\":");
        string(counterNames.get(track)).append(",\"args\":{\"value\":").append(value).append("}}");
        done();
    }

    @Override
    public long events() {
        return events;
    }

    @Override
    public void close() {
        line.append("\n]}\n");
        flushLine();
        try {
            out.write(buf, 0, pos);
            pos = 0;
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StringBuilder event(String ph, long track, long ns) {
        int[] t = tracks.get(track);
        start().append("\"ph\":\"").append(ph).append("\",\"pid\":").append(t[0]).append(",\"tid\":").append(t[1]).append(",\"ts\":");
        return micros(ns);
    }

    private StringBuilder start() {
        line.append(first ? "\n{" : ",\n{");
        first = false;
        return line;
    }

    private StringBuilder micros(long ns) {
        line.append(ns / 1000).append('.');
        long frac = ns % 1000;
        if (frac < 100) line.append('0');
        if (frac < 10) line.append('0');
        return line.append(frac);
    }

    private StringBuilder args(Args a) {
        if (a.size == 0) return line;
        line.append(",\"args\":{");
        for (int i = 0; i < a.size; i++) {
            if (i > 0) line.append(',');
            string(a.keys[i]).append(':');
            switch (a.kinds[i]) {
                case Args.NUM -> line.append(a.nums[i]);
                case Args.HEX -> line.append("\"0x").append(Long.toHexString(a.nums[i])).append('"');
                default -> string(a.texts[i]);
            }
        }
        return line.append('}');
    }

    /** A JSON string: quotes, backslashes and every control character escaped (console text is guest bytes). */
    private StringBuilder string(String s) {
        line.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x7F || ch == '\u2028' || ch == '\u2029') {
                        line.append(String.format("\\u%04x", (int) ch));
                    } else {
                        line.append(ch);
                    }
                }
            }
        }
        return line.append('"');
    }

    private void done() {
        events++;
        flushLine();
    }

    private void flushLine() {
        byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
        line.setLength(0);
        try {
            if (pos + b.length > buf.length) {
                out.write(buf, 0, pos);
                pos = 0;
            }
            if (b.length > buf.length) {
                out.write(b);
            } else {
                System.arraycopy(b, 0, buf, pos, b.length);
                pos += b.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
