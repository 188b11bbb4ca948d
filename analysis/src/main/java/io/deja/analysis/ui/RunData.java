package io.deja.analysis.ui;

import io.deja.analysis.Json;
import io.deja.analysis.perfetto.Stage;
import io.deja.analysis.perfetto.TimelineIndex;
import io.deja.analysis.stages.StageFile;
import io.deja.analysis.stages.StageFormat;
import io.deja.analysis.stages.StageRun;
import io.deja.analysis.stages.StageTracker;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordedImage;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One recording as the page sees it: its summary, boot stages and timeline,
 * read once when the server starts (or the report is written). The replay
 * proof is added when a replay is asked for: replaying costs as much as the
 * run did.
 */
public final class RunData {
    private final Path dir;
    private final RecordingHeader header;
    private final Recording.Tail tail;
    private final StageRun stages;
    private final TimelineIndex timeline;
    private final long loadNanos;
    private volatile String replayProof;

    private RunData(Path dir, RecordingHeader header, Recording.Tail tail, StageRun stages, TimelineIndex timeline, long loadNanos) {
        this.dir = dir;
        this.header = header;
        this.tail = tail;
        this.stages = stages;
        this.timeline = timeline;
        this.loadNanos = loadNanos;
    }

    /** Reads the recording: header and tail, stages (of stageFile), the timeline with those stages drawn. */
    public static RunData load(Path dir, StageFile stageFile) {
        long start = System.nanoTime();
        RecordingHeader header;
        Recording.Tail tail;
        try (Recording r = Recording.open(dir)) {
            header = r.header();
            tail = r.tail();
        }
        StageRun stages = StageTracker.of(dir, stageFile);
        TimelineIndex timeline = TimelineIndex.build(dir, stageSlices(stages));
        return new RunData(dir, header, tail, stages, timeline, System.nanoTime() - start);
    }

    /** Each stage reached as a slice from where it was reached to where the next one was (the last: to the end), as deja export draws them. */
    static List<Stage> stageSlices(StageRun run) {
        List<Stage> slices = new ArrayList<>();
        List<StageRun.Reached> reached = run.reached();
        for (int k = 0; k < reached.size(); k++) {
            long end = k + 1 < reached.size() ? reached.get(k + 1).icount() : run.instructions();
            slices.add(new Stage(reached.get(k).name(), reached.get(k).icount(), Math.max(end, reached.get(k).icount())));
        }
        return slices;
    }

    public Path dir() { return dir; }

    public TimelineIndex timeline() { return timeline; }

    public long loadNanos() { return loadNanos; }

    /** Replays the recording and keeps the outcome as the summary's replay proof; returns it. */
    public String replay() {
        long start = System.nanoTime();
        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
        double seconds = (System.nanoTime() - start) / 1e9;
        String proof;
        if (!r.bitExact()) {
            proof = "DIVERGED:\n" + r.report();
        } else {
            var h = r.finalHash();
            proof = String.format(Locale.ROOT, "bit-exact: %,d events and %,d instructions match the recording (%.2f s)%s%nfinal state hash: %016x (cpu %016x, ram %016x, devices %016x)",
                    r.events(), r.instructions(), seconds,
                    r.truncated() ? String.format(Locale.ROOT, "; the recording is cut short after icount %,d (%s), its complete part replayed", r.endIcount(), r.cutShort()) : "",
                    h.combined(), h.cpu(), h.ram(), h.devices());
        }
        replayProof = proof;
        return proof;
    }

    /** Header, stop reason, counts by kind, the replay proof if there is one. */
    public void summaryJson(Json j) {
        RecordingHeader h = header;
        j.open('{').key("dir").value(dir.toString());
        j.key("header").open('{');
        List<String> images = new ArrayList<>();
        for (RecordedImage im : h.images()) images.add(im.role().label + " " + im.path() + " (sha256 " + im.sha256() + ")");
        field(j, "images", String.join("; ", images));
        field(j, "board", h.board().cliName());
        field(j, "memory", (h.ramSize() >> 20) + " MiB");
        field(j, "gic", "GICv" + h.gic().number());
        if (!h.commandLine().isEmpty()) field(j, "kernel command line", h.commandLine());
        field(j, "chaos seed", h.chaosSeed().isPresent() ? Long.toString(h.chaosSeed().getAsLong()) : "none");
        field(j, "trace level", h.traceLevel().name().toLowerCase(Locale.ROOT)
                + (h.wholeRun() ? "" : String.format(Locale.ROOT, " for icount %,d..%,d", h.traceFrom(), h.traceTo())));
        field(j, "checkpoint every", h.checkpointInterval() == 0 ? "end only" : String.format(Locale.ROOT, "%,d instructions", h.checkpointInterval()));
        field(j, "instruction budget", h.maxInstructions() < 0 ? "none" : String.format(Locale.ROOT, "%,d", h.maxInstructions()));
        field(j, "recorded by", "Deja " + h.dejaVersion() + ", format " + h.formatVersion() + ", at " + Instant.ofEpochMilli(h.startTimeMillis()));
        j.close('}');
        j.key("instructions").value((Object) stages.instructions());
        j.key("virtual_seconds").value((Object) stages.end().seconds());
        j.key("complete").value((Object) tail.complete());
        j.key("stop").value(stopReason());
        j.key("events").value((Object) timeline.eventsRead());
        j.key("counts").open('[');
        for (Map.Entry<String, Long> e : timeline.instantCounts().entrySet()) count(j, "exits and MMIO", e.getKey(), e.getValue());
        for (Map.Entry<String, Long> e : timeline.sliceCounts("handlers").entrySet()) count(j, "interrupts and exceptions", e.getKey(), e.getValue());
        j.close(']');
        j.key("timeline").open('{').key("start_ns").value((Object) timeline.startNs()).key("end_ns").value((Object) timeline.endNs())
                .key("args_complete").value((Object) timeline.argsComplete()).close('}');
        j.key("replay").value(replayProof);
        j.close('}');
    }

    private String stopReason() {
        if (!tail.complete()) return "cut short: " + tail.cutShort();
        for (TimelineIndex.Lane l : timeline.lanes()) {
            if (!l.label().equals("console")) continue;
            for (int i = l.size() - 1; i >= 0 && i >= l.size() - 4; i--) {
                // the export names the END event "end: REASON" on the console track
                String name = timeline.nameAt(l, i);
                if (name.startsWith("end: ")) return name.substring(5) + String.format(Locale.ROOT, " at icount %,d", tail.lastIcount());
            }
        }
        return String.format(Locale.ROOT, "ended at icount %,d", tail.lastIcount());
    }

    private static void field(Json j, String key, String value) {
        j.key(key).value(value);
    }

    private static void count(Json j, String table, String kind, long n) {
        j.open('[').value(table).value(kind).value((Object) n).close(']');
    }

    /** deja stages --format json of this run. */
    public String stagesJson() {
        return StageFormat.json(stages).strip();
    }

    /** The console lines from offset, at most limit of them, with their icounts and virtual times. */
    public void consoleJson(int offset, int limit, Json j) {
        List<TimelineIndex.ConsoleLine> lines = timeline.console();
        int from = Math.max(0, Math.min(offset, lines.size()));
        int to = (int) Math.min(lines.size(), (long) from + Math.max(0, limit));
        j.open('{').key("total").value((Object) lines.size()).key("offset").value((Object) from).key("lines").open('[');
        for (TimelineIndex.ConsoleLine l : lines.subList(from, to)) {
            j.open('[').value((Object) l.number()).value((Object) l.icount()).value((Object) l.ns()).value(l.text()).close(']');
        }
        j.close(']').close('}');
    }
}
