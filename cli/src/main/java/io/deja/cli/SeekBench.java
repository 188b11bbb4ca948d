package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordBench;
import io.deja.recorder.Recorder;
import io.deja.replayer.Timeline;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * deja bench --seek: seek latency on a long recording. Records bench_int (about
 * 1.0e9 instructions, the length of a Linux boot to its shell) at events level
 * unless a recording is given, replays it once keeping snapshots (the adaptive
 * policy), then seeks to random instructions in a random order (seeded, so
 * every run asks for the same ones) and reports the distribution. Then stores
 * the index and measures a fresh timeline that loads it.
 */
final class SeekBench {
    private SeekBench() {}

    /** A latency distribution in milliseconds. */
    record Latencies(int seeks, double median, double p90, double p99, double max, double min) {
        static Latencies of(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            return new Latencies(s.length, s[s.length / 2], s[(int) (s.length * 0.9)], s[Math.min(s.length - 1, (int) (s.length * 0.99))],
                    s[s.length - 1], s[0]);
        }
    }

    /**
     * The figures: the first replay (seconds, snapshots kept), seeks on that
     * timeline, the index written, then a new timeline loading it.
     */
    record Report(Path recording, long endIcount, double openSeconds, double firstReplaySeconds, int snapshots, long snapshotInterval,
                  long snapshotBytes, Latencies seeks, long indexBytes, double indexWriteSeconds, double indexLoadSeconds,
                  double firstSeekAfterLoadSeconds, Latencies seeksAfterLoad) {}

    static Report run(Path recording, Path image, int targets, PrintWriter out) throws IOException {
        Path tmp = null;
        if (recording == null) {
            tmp = Files.createTempDirectory("deja-seek-bench");
            recording = tmp.resolve("bench_int");
            long t0 = System.nanoTime();
            Recorder.Result r = Recorder.create(recording, MachineConfig.of(Board.VIBE, Files.readAllBytes(image)), image,
                    OutputStream.nullOutputStream(), Recorder.Options.defaults(TraceLevel.EVENTS)).run();
            out.printf("recorded %s: %s, %s (%.1f s)%n", image.getFileName(), Plural.count(r.instructions(), "instruction"), Plural.count(r.events(), "event"),
                    (System.nanoTime() - t0) / 1e9);
        }
        try {
            return measure(recording, targets, out);
        } finally {
            if (tmp != null) RecordBench.deleteTree(tmp);
        }
    }

    private static Report measure(Path recording, int targets, PrintWriter out) {
        long t0 = System.nanoTime();
        long end, interval, kept, indexBytes;
        int snapshots;
        double open, firstReplay, indexWrite;
        Latencies seeks;
        try (Timeline t = Timeline.open(recording, Timeline.Options.defaults().withIndex(false))) {
            long opened = System.nanoTime();
            t.seek(t.end());
            long replayed = System.nanoTime();
            end = t.end();
            snapshots = t.snapshotIcounts().length;
            interval = t.interval();
            kept = t.keptBytes();
            open = (opened - t0) / 1e9;
            firstReplay = (replayed - opened) / 1e9;
            out.printf("open %.2f s; first replay to the end (icount %,d) %.2f s, keeping %s every %s, %s%n",
                    open, end, firstReplay, Plural.count(snapshots, "snapshot"), Plural.count(interval, "instruction"), Plural.count(kept, "byte"));
            seeks = Latencies.of(seekRandomly(t, targets));
            report("seek to a random instruction", seeks, out);
            long i0 = System.nanoTime();
            Path file = t.writeIndex();
            indexBytes = file.toFile().length();
            indexWrite = (System.nanoTime() - i0) / 1e9;
            out.printf("index written: %s (%.2f s)%n", Plural.count(indexBytes, "byte"), indexWrite);
        }
        long l0 = System.nanoTime();
        try (Timeline t = Timeline.open(recording)) {
            long opened = System.nanoTime();
            if (!t.indexLoaded()) throw new IllegalStateException("the index just written was not loaded: " + t.indexWarning());
            long f0 = System.nanoTime();
            t.seek(Math.min(t.end(), t.end() / 3 + 12_345)); // a short recording: its end
            long first = System.nanoTime();
            out.printf("a new timeline with the index: open and load %.2f s, first seek %.3f s%n", (opened - l0) / 1e9, (first - f0) / 1e9);
            Latencies after = Latencies.of(seekRandomly(t, Math.max(10, targets / 4)));
            report("seek after loading the index", after, out);
            return new Report(recording, end, open, firstReplay, snapshots, interval, kept, seeks, indexBytes, indexWrite,
                    (opened - l0) / 1e9, (first - f0) / 1e9, after);
        }
    }

    private static double[] seekRandomly(Timeline t, int n) {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long target = rnd.nextLong(t.end() + 1);
            long s = System.nanoTime();
            t.seek(target);
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        return ms;
    }

    private static void report(String what, Latencies l, PrintWriter out) {
        out.printf("%s (%s): median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, min %.1f ms%n", what, Plural.count(l.seeks(), "seek"),
                l.median(), l.p90(), l.p99(), l.max(), l.min());
    }
}
