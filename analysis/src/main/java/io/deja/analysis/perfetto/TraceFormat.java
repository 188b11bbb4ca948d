package io.deja.analysis.perfetto;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Locale;

/** The two file formats a timeline is written in, chosen by the file's name. */
public enum TraceFormat {
    /** Perfetto's protobuf trace (TracePacket / TrackEvent): compact, for ui.perfetto.dev. */
    PROTOBUF,
    /** Chrome's trace event JSON: also opens in chrome://tracing and other JSON-trace viewers. */
    JSON;

    /** JSON for a name ending in .json, else protobuf (.perfetto-trace, .pftrace, ...). */
    public static TraceFormat forFile(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : PROTOBUF;
    }

    TraceWriter open(OutputStream out) {
        return this == JSON ? new ChromeJsonWriter(out) : new PerfettoProtoWriter(out);
    }
}
