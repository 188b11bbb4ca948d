package io.deja.analysis.ui;

import io.deja.analysis.Json;
import io.deja.analysis.export.ExportMarker;
import io.deja.analysis.perfetto.IndexFile;
import io.deja.analysis.perfetto.Stage;
import io.deja.analysis.perfetto.TimelineIndex;
import io.deja.analysis.stages.StageFile;
import io.deja.analysis.stages.StageFormat;
import io.deja.analysis.stages.StageRun;
import io.deja.analysis.stages.StageTracker;
import io.deja.recorder.Plural;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordedImage;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One recording as the page sees it: its summary, boot stages and timeline,
 * read once when the server starts (or the report is written) and kept in
 * {@value #INDEX_DIR}/{@value #INDEX_FILE} inside the recording, so that the
 * next {@code deja ui} of the same recording starts without reading it. The
 * saved index names the recording's identity (length and CRC32C of its
 * events file), the stage file and the format's version: any change and it
 * is rebuilt; a damaged or truncated one is rebuilt too, with a note. The
 * replay proof is added when a replay is asked for: replaying costs as much
 * as the run did.
 */
public final class RunData {
    static final String INDEX_DIR = "ui";
    static final String INDEX_FILE = "timeline.idx";
    private static final long MAGIC = 0x5844495f414a4544L; // "DEJA_IDX"
    /** Version of this file's own part (the summary and stages); the timeline's is {@link TimelineIndex#FILE_VERSION}. */
    static final int FILE_VERSION = 2;

    private final Path dir;
    private final List<String[]> headerFields;
    private final int cpus;
    private final Recording.Tail tail;
    private final StageRun stages;
    private final TimelineIndex timeline;
    private final long loadNanos;
    private final boolean fromSavedIndex;
    private final String indexNote;
    private volatile String replayProof;

    private RunData(Path dir, List<String[]> headerFields, int cpus, Recording.Tail tail, StageRun stages, TimelineIndex timeline,
                    long loadNanos, boolean fromSavedIndex, String indexNote) {
        this.dir = dir;
        this.headerFields = headerFields;
        this.cpus = cpus;
        this.tail = tail;
        this.stages = stages;
        this.timeline = timeline;
        this.loadNanos = loadNanos;
        this.fromSavedIndex = fromSavedIndex;
        this.indexNote = indexNote;
    }

    /**
     * The recording's data: from its saved index when that is of this very
     * recording, stage file and version; else read from the recording (header
     * and tail, stages of stageFile, the timeline with those stages drawn) and
     * saved for next time.
     */
    public static RunData load(Path dir, StageFile stageFile) {
        long start = System.nanoTime();
        Path file = indexFile(dir);
        // a directory without a recording gets the reader's own error, naming what is missing
        Path events = dir.resolve(io.deja.recorder.RecordingFormat.CYCLE_FILE);
        if (!Files.isRegularFile(events)) {
            Recording.open(dir).close();
            throw new io.deja.analysis.AnalysisException(events + ": missing");
        }
        String identity = ExportMarker.identity(dir);
        String stageKey = stageKey(stageFile);
        String note = null;
        if (Files.isRegularFile(file)) {
            try {
                RunData saved = read(dir, file, identity, stageKey, stageFile, start);
                if (saved != null) return saved;
                note = "the saved index " + file + " is of another recording, stage file or version: rebuilt";
            } catch (IOException | RuntimeException e) {
                note = "the saved index " + file + " cannot be used (" + (e.getMessage() == null ? e.toString() : e.getMessage()) + "): rebuilt";
            }
        }
        RecordingHeader header;
        Recording.Tail tail;
        try (Recording r = Recording.open(dir)) {
            header = r.header();
            tail = r.tail();
        }
        StageRun stages = StageTracker.of(dir, stageFile);
        TimelineIndex timeline = TimelineIndex.build(dir, stageSlices(stages));
        RunData built = new RunData(dir, headerFields(header), header.cpus(), tail, stages, timeline, 0, false, note);
        String saveNote = built.save(file, identity, stageKey);
        if (saveNote != null) note = note == null ? saveNote : note + "; " + saveNote;
        return new RunData(dir, built.headerFields, built.cpus, tail, stages, timeline, System.nanoTime() - start, false, note);
    }

    static Path indexFile(Path dir) {
        return indexDir(dir).resolve(INDEX_FILE);
    }

    /** Where the saved index of the recording in dir lives (derived from the recording: record --force removes it). */
    public static Path indexDir(Path dir) {
        return dir.resolve(INDEX_DIR);
    }

    /** The stage file as the key of a saved index: what each stage is, not where the file is. */
    static String stageKey(StageFile f) {
        StringBuilder sb = new StringBuilder();
        for (StageFile.Stage s : f.stages()) sb.append(s.name()).append(' ').append(s.milestone()).append('\n');
        return sb.toString();
    }

    /** Saves the index next to the recording (write, then rename: a reader never sees half a file); a note when it could not. */
    private String save(Path file, String identity, String stageKey) {
        // one temporary file per process: two servers started on one recording do not write into each other's
        Path tmp = file.resolveSibling(INDEX_FILE + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (IndexFile.Out out = new IndexFile.Out(tmp)) {
                out.i64(MAGIC).i32(FILE_VERSION).i32(TimelineIndex.FILE_VERSION).str(identity).str(stageKey);
                out.i32(headerFields.size());
                for (String[] f : headerFields) out.str(f[0]).str(f[1]);
                out.i32(cpus);
                out.i64(tail.lastIcount()).bool(tail.complete()).i32(tail.batches()).str(tail.cutShort());
                out.i64(stages.instructions()).i64(stages.end().min()).i64(stages.end().max()).bool(stages.truncated()).i32(stages.cpus());
                List<StageFile.Stage> all = stages.file().stages();
                out.i32(stages.reached().size());
                for (StageRun.Reached r : stages.reached()) {
                    out.i32(all.indexOf(r.stage())).i64(r.icount()).i64(r.time().min()).i64(r.time().max()).i64(r.sincePrevious()).str(r.detail())
                            .i32(r.cpu()).i64(r.cpuIcount());
                }
                out.i32(stages.missing().size());
                for (StageFile.Stage m : stages.missing()) out.i32(all.indexOf(m));
                timeline.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return null;
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the note below says the index was not saved
            }
            return "the index could not be saved to " + file + " (" + e.getMessage() + "); the next start reads the recording again";
        }
    }

    /** The saved index, or null when it is of another recording, stage file or version; throws when it is damaged. */
    private static RunData read(Path dir, Path file, String identity, String stageKey, StageFile stageFile, long start) throws IOException {
        try (IndexFile.In in = new IndexFile.In(file)) {
            if (in.i64() != MAGIC) throw new IndexFile.Damaged("not an index of deja ui");
            if (in.i32() != FILE_VERSION || in.i32() != TimelineIndex.FILE_VERSION) return null;
            if (!in.str().equals(identity) || !in.str().equals(stageKey)) return null;
            int fields = in.i32();
            List<String[]> headerFields = new ArrayList<>();
            for (int i = 0; i < fields; i++) headerFields.add(new String[] {in.str(), in.str()});
            int cpus = in.i32();
            Recording.Tail tail = new Recording.Tail(in.i64(), in.bool(), in.i32(), in.str());
            long instructions = in.i64();
            StageRun.Time end = new StageRun.Time(in.i64(), in.i64());
            boolean truncated = in.bool();
            int stageCpus = in.i32();
            if (stageCpus < 1) throw new IndexFile.Damaged("stages of " + stageCpus + " CPUs");
            List<StageFile.Stage> all = stageFile.stages();
            int reachedCount = in.i32();
            List<StageRun.Reached> reached = new ArrayList<>();
            for (int i = 0; i < reachedCount; i++) {
                StageFile.Stage s = stage(all, in.i32());
                reached.add(new StageRun.Reached(s, in.i64(), new StageRun.Time(in.i64(), in.i64()), in.i64(), in.str(), in.i32(), in.i64()));
            }
            int missingCount = in.i32();
            List<StageFile.Stage> missing = new ArrayList<>();
            for (int i = 0; i < missingCount; i++) missing.add(stage(all, in.i32()));
            TimelineIndex timeline = TimelineIndex.read(in);
            in.finish();
            StageRun stages = new StageRun(dir.toString(), stageFile, instructions, end, truncated, reached, missing, stageCpus);
            return new RunData(dir, headerFields, cpus, tail, stages, timeline, System.nanoTime() - start, true, null);
        }
    }

    private static StageFile.Stage stage(List<StageFile.Stage> all, int index) throws IndexFile.Damaged {
        if (index < 0 || index >= all.size()) throw new IndexFile.Damaged("stage " + index + " is not in the stage file");
        return all.get(index);
    }

    /** The header as the summary shows it: label and text. */
    static List<String[]> headerFields(RecordingHeader h) {
        List<String[]> f = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (RecordedImage im : h.images()) images.add(im.role().label + " " + im.path() + " (sha256 " + im.sha256() + ")");
        f.add(new String[] {"images", String.join("; ", images)});
        f.add(new String[] {"board", h.board().cliName()});
        f.add(new String[] {"cpus", h.cpus() == 1 ? "1" : String.format(Locale.ROOT, "%d (quantum %s)", h.cpus(), Plural.count(h.quantum(), "instruction"))});
        f.add(new String[] {"memory", (h.ramSize() >> 20) + " MiB"});
        f.add(new String[] {"gic", "GICv" + h.gic().number()});
        if (!h.commandLine().isEmpty()) f.add(new String[] {"kernel command line", h.commandLine()});
        f.add(new String[] {"chaos seed", h.chaosSeed().isPresent() ? Long.toString(h.chaosSeed().getAsLong()) : "none"});
        f.add(new String[] {"trace level", h.traceLevel().name().toLowerCase(Locale.ROOT)
                + (h.wholeRun() ? "" : String.format(Locale.ROOT, " for icount %,d..%,d", h.traceFrom(), h.traceTo()))});
        f.add(new String[] {"checkpoint every", h.checkpointInterval() == 0 ? "end only" : Plural.count(h.checkpointInterval(), "instruction")});
        f.add(new String[] {"instruction budget", h.maxInstructions() < 0 ? "none" : String.format(Locale.ROOT, "%,d", h.maxInstructions())});
        f.add(new String[] {"recorded by", "Deja " + h.dejaVersion() + ", format " + h.formatVersion() + ", at " + Instant.ofEpochMilli(h.startTimeMillis())});
        return List.copyOf(f);
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

    /** Whether this came from the saved index (the recording was not read). */
    public boolean fromSavedIndex() { return fromSavedIndex; }

    /** What went wrong with the saved index (damaged, stale, not writable), or null. */
    public String indexNote() { return indexNote; }

    /** The CPUs of the recorded machine (--smp). */
    public int cpus() { return cpus; }

    /** Replays the recording and keeps the outcome as the summary's replay proof; returns it. */
    public String replay() {
        long start = System.nanoTime();
        return proof(Replayer.replay(dir, ReplayOptions.defaults()), start);
    }

    private String proof(ReplayResult r, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String proof;
        if (!r.bitExact()) {
            proof = "DIVERGED:\n" + r.report();
        } else {
            var h = r.finalHash();
            proof = String.format(Locale.ROOT, "bit-exact: %s and %s match the recording%s%s%nfinal state hash: %016x (cpu %016x, ram %016x, devices %016x)",
                    Plural.count(r.events(), "event"), Plural.count(r.instructions(), "instruction"), String.format(Locale.ROOT, " (%.2f s)", seconds),
                    r.truncated() ? String.format(Locale.ROOT, "; the recording is cut short after icount %,d (%s), its complete part replayed", r.endIcount(), r.cutShort()) : "",
                    h.combined(), h.cpu(), h.ram(), h.devices());
        }
        replayProof = proof;
        return proof;
    }

    /**
     * A replay started from the page: it runs on its own thread, reports how
     * far it is (the replaying machine's icount, read for display only) and
     * can be cancelled (the machine stops at its next instruction boundary;
     * a cancelled replay proves nothing and leaves no proof).
     */
    public final class ReplayJob {
        private final long startNanos = System.nanoTime();
        private volatile io.deja.core.board.Machine machine;
        private volatile long end = -1;
        private volatile boolean cancelled;
        private volatile String state = "running";
        private volatile String error;
        private volatile long stoppedNanos;

        private void run() {
            try {
                ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults().withStarted((m, e) -> {
                    end = e;
                    machine = m;
                    if (cancelled) m.cancel();
                }));
                if (cancelled) {
                    state = "cancelled";
                } else {
                    proof(r, startNanos);
                    state = "done";
                }
            } catch (io.deja.replayer.ReplayCancelled e) {
                state = "cancelled";
            } catch (RuntimeException | Error e) {
                error = e.getMessage() == null ? e.toString() : e.getMessage();
                state = cancelled ? "cancelled" : "failed";
            } finally {
                stoppedNanos = System.nanoTime();
            }
        }

        void cancel() {
            cancelled = true;
            io.deja.core.board.Machine m = machine;
            if (m != null) m.cancel();
        }

        boolean running() {
            return state.equals("running");
        }

        /** state (running, done, cancelled, failed), icount, end, seconds, and the proof or the error. */
        void json(Json j) {
            io.deja.core.board.Machine m = machine;
            long icount = m == null ? 0 : m.instructions();
            long until = stoppedNanos == 0 ? System.nanoTime() : stoppedNanos;
            j.open('{').key("state").value(state).key("icount").value((Object) icount).key("end").value((Object) end)
                    .key("seconds").value((Object) ((until - startNanos) / 1_000_000 / 1000.0));
            if (state.equals("done")) j.key("replay").value(replayProof);
            if (error != null) j.key("error").value(error);
            j.close('}');
        }
    }

    private ReplayJob job;

    /** Starts a replay on its own thread, unless one is running (then that one is returned). */
    public synchronized ReplayJob startReplay() {
        if (job != null && job.running()) return job;
        ReplayJob j = new ReplayJob();
        job = j;
        Thread t = new Thread(j::run, "deja-ui-replay");
        t.setDaemon(true);
        t.start();
        return j;
    }

    /** Cancels the running replay, if any. */
    public synchronized void cancelReplay() {
        if (job != null) job.cancel();
    }

    /** How the page's replay stands ({"state": "none"} before any). */
    public synchronized void replayJson(Json j) {
        if (job == null) j.open('{').key("state").value("none").close('}');
        else job.json(j);
    }

    /** Header, stop reason, counts by kind, the replay proof if there is one. */
    public void summaryJson(Json j) {
        j.open('{').key("dir").value(dir.toString());
        j.key("header").open('{');
        for (String[] f : headerFields) field(j, f[0], f[1]);
        j.close('}');
        j.key("cpus").value((Object) cpus);
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
