package io.deja.analysis.perfetto;

import java.util.Map;

/** One event of a written trace, the same from either format: phase B, E, i or C, its track's name, nanoseconds. */
record TraceEvent(String ph, String track, long ns, String name, Map<String, String> args) {
    long arg(String key) {
        String v = args.get(key);
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }
}
