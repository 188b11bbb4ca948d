package io.deja.recorder;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The recording benchmarks of issue 3, for {@code deja bench} (call
 * {@link #run(Path, int, PrintWriter)}) or as a main:
 * <ul>
 * <li>exits recorded per second: arm64_simple (WFI, b) at events level;</li>
 * <li>full level: instructions recorded per second and bytes per instruction on bench_int;</li>
 * <li>events-level overhead: recorded run time over unrecorded run time on arm64_hello (200 M
 *     instructions of a loop with no events: the cost of checkpoints), on timer_irq (about 1,000
 *     instructions: fixed costs dominate both sides) and on timer_irq_long (timer_irq with 100,000 ticks
 *     instead of 5: 18 M instructions and an event every 3 instructions, the worst case we know).</li>
 * </ul>
 * The overheads of the long runs are measured as a user meets them: the
 * recorded and the unrecorded runs each in JVMs of their own (in one JVM they
 * share JIT profiles, and the unrecorded run, compiled for a live trace sink,
 * gets slower), alternating, with the median of each kept, so that a noisy
 * (shared) machine biases neither side. timer_irq runs for a millisecond, which
 * in a fresh JVM times the JIT warming up; it alternates warm in this JVM.
 * Timings cover what a
 * {@link Recorder} does between opening and closing the recording: the
 * opening checkpoint, the run with its events and periodic checkpoints, the
 * final checkpoint and END. Opening and closing the queue (Chronicle's
 * one-off set-up) are reported separately, as "open+close".
 */
public final class RecordBench {
    private RecordBench() {}

    /** The figures, each with the target the issue sets (timer_irq_long has none: it is the worst case, reported as measured). */
    public record Report(double exitsPerSecond, double fullInsnsPerSecond, double fullBytesPerInsn,
                         double helloOverhead, double timerOverhead, double timerLongOverhead, double openCloseMillis) {
        public boolean meetsTargets() {
            return exitsPerSecond >= 20e6 && fullInsnsPerSecond >= 20e6 && helloOverhead <= 1.10 && timerOverhead <= 1.10;
        }
    }

    /** Runs every benchmark on the kernels in kernelDir (kernels/build), printing each figure to out. */
    public static Report run(Path kernelDir, int runs, PrintWriter out) {
        byte[] simple = readKernel(kernelDir.resolve("arm64_simple.raw"));
        byte[] bench = readKernel(kernelDir.resolve("bench_int.raw"));
        byte[] timer = readKernel(kernelDir.resolve("timer_irq.raw"));
        Path tmp;
        try {
            tmp = Files.createTempDirectory("deja-recordbench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            out.println("Recording (runs alternate recorded/unrecorded; medians of " + runs + "; overheads: each side in fresh JVMs):");
            // arm64_simple: every other instruction is a WFI exit.
            long simpleInsns = 40_000_000;
            Timing s = compare(tmp, simple, TraceLevel.EVENTS, simpleInsns, runs, null);
            double exits = s.recordedEvents / (s.recorded / 1e9);
            out.printf(Locale.ROOT, "  exits recorded/s, arm64_simple, events level: %,.1f M/s (%s in %.3f s; unrecorded %.1f M exits/s) [target >= 20 M/s]%n",
                    exits / 1e6, Plural.count(s.recordedEvents, "exit"), s.recorded / 1e9, s.recordedEvents / (s.plain / 1e9) / 1e6);
            out.flush();

            long fullInsns = 100_000_000;
            Timing f = compare(tmp, bench, TraceLevel.FULL, fullInsns, runs, new TraceSink() {});
            double fullRate = fullInsns / (f.recorded / 1e9);
            double bpi = (double) f.payloadBytes / fullInsns;
            out.printf(Locale.ROOT, "  full level, bench_int: %,.1f M instructions/s recorded, %.2f bytes/instruction, %.1f events/instruction"
                            + " (full-level tracing into a sink that does nothing: %.1f M/s) [target >= 20 M/s]%n",
                    fullRate / 1e6, bpi, (double) f.recordedEvents / fullInsns, fullInsns / (f.plain / 1e9) / 1e6);
            out.flush();

            Timing h = compareInFreshJvms(kernelDir.resolve("arm64_hello.raw"), 200_000_000, runs);
            out.printf(Locale.ROOT, "  events-level overhead, arm64_hello (200 M instructions): %.3fx (%.3f s vs %.3f s) [target <= 1.10x]%n",
                    h.ratio(), h.recorded / 1e9, h.plain / 1e9);
            out.flush();
            // A run of a millisecond in a fresh JVM times the JIT warming up, not the recording: this one runs warm, in one JVM.
            Timing t = compare(tmp, timer, TraceLevel.EVENTS, Long.MAX_VALUE, Math.max(runs, 21), null);
            out.printf(Locale.ROOT, "  events-level overhead, timer_irq (%s, %s; warm, in one JVM): %.3fx (%.0f us vs %.0f us,"
                            + " of which %.0f us for the opening and final checkpoints of %d MiB of RAM) [target <= 1.10x]%n",
                    Plural.count(t.instructions, "instruction"), Plural.count(t.recordedEvents, "event"), t.ratio(), t.recorded / 1e3, t.plain / 1e3, t.checkpoints / 1e3,
                    MachineConfig.of(Board.VIBE, timer).ramSize() >> 20);
            out.flush();
            Timing l = compareInFreshJvms(kernelDir.resolve("timer_irq_long.raw"), Long.MAX_VALUE, runs);
            out.printf(Locale.ROOT, "  events-level overhead, timer_irq_long (whole run: %s, 100,000 timer interrupts, %s,"
                    + " %.1f MB): %.3fx (%.3f s vs %.3f s) [worst case; no target of its own]%n",
                    Plural.count(l.instructions, "instruction"), Plural.count(l.recordedEvents, "event"), l.payloadBytes / 1e6, l.ratio(), l.recorded / 1e9, l.plain / 1e9);
            out.printf(Locale.ROOT, "  recording open+close (Chronicle set-up, not in the figures above): %.1f ms%n", t.openClose / 1e6);
            out.flush();
            return new Report(exits, fullRate, bpi, h.ratio(), t.ratio(), l.ratio(), t.openClose / 1e6);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Medians: nanoseconds of the recorded and of the plain run, events, bytes and instructions of a
     * recorded one, nanoseconds of open+close and of the opening and final checkpoints.
     */
    private record Timing(long recorded, long plain, long recordedEvents, long payloadBytes, long instructions, long openClose,
                          long checkpoints) {
        double ratio() {
            return (double) recorded / plain;
        }
    }

    /** plainSink: what the unrecorded run traces into (null: no tracing). */
    private static Timing compare(Path tmp, byte[] image, TraceLevel level, long insns, int runs, TraceSink plainSink) {
        long[] rec = new long[runs];
        long[] ends = new long[runs];
        long[] plain = new long[runs];
        long[] open = new long[runs];
        Recorded last = null;
        for (int i = -1; i < runs; i++) { // i = -1: warm-up of both
            Recorded r = recordOnce(tmp, image, level, insns);
            long p = plainOnce(image, level, insns, plainSink);
            if (i >= 0) {
                rec[i] = r.nanos;
                ends[i] = r.checkpointNanos;
                open[i] = r.openCloseNanos;
                plain[i] = p;
                last = r;
            }
        }
        return new Timing(median(rec), median(plain), last.events, last.bytes, last.instructions, median(open), median(ends));
    }

    /** One recorded run: what Recorder.run does between opening and closing the recording, timed. */
    private record Recorded(long nanos, long checkpointNanos, long openCloseNanos, long events, long bytes, long instructions) {}

    private static Recorded recordOnce(Path tmp, byte[] image, TraceLevel level, long insns) {
        MachineConfig config = MachineConfig.of(Board.VIBE, image);
        Path dir = tmp.resolve(level + "-" + System.nanoTime());
        Machine m = new Machine(config, OutputStream.nullOutputStream());
        long t0 = System.nanoTime();
        RecordingWriter w = RecordingWriter.open(dir, RecordingHeader.of(config, List.of(), m.deviceNames(), level,
                Recorder.DEFAULT_CHECKPOINT_INTERVAL, OptionalLong.empty(), "bench"));
        long t1 = System.nanoTime();
        m.setTrace(w, level);
        m.setCheckpointInterval(Recorder.DEFAULT_CHECKPOINT_INTERVAL);
        m.checkpoint();
        long ta = System.nanoTime();
        m.run(insns);
        long tc = System.nanoTime();
        m.checkpoint();
        w.end(m.instructions(), m.vcpu().cycles(), 0);
        long t2 = System.nanoTime();
        w.close();
        long t3 = System.nanoTime();
        deleteTree(dir);
        return new Recorded(t2 - t1, (ta - t1) + (t2 - tc), (t1 - t0) + (t3 - t2), w.events(), w.payloadBytes(), m.instructions());
    }

    private static long plainOnce(byte[] image, TraceLevel level, long insns, TraceSink sink) {
        Machine p = new Machine(MachineConfig.of(Board.VIBE, image), OutputStream.nullOutputStream());
        if (sink != null) p.setTrace(sink, level);
        long t0 = System.nanoTime();
        p.run(insns);
        return System.nanoTime() - t0;
    }

    // ---- Overheads in fresh JVMs ------------------------------------------------------------------
    /** JVMs per side: each does a warm-up and then runs timed runs, and reports its median. */
    private static final int ROUNDS = 3;

    /**
     * Events-level overhead with each side in JVMs of its own, started as this one was
     * (same java, flags and class path), alternating plain and recorded ROUNDS times.
     */
    private static Timing compareInFreshJvms(Path kernel, long insns, int runs) {
        long[] rec = new long[ROUNDS], plain = new long[ROUNDS], ends = new long[ROUNDS], open = new long[ROUNDS];
        long[] last = null;
        for (int r = 0; r < ROUNDS; r++) {
            plain[r] = child(kernel, "plain", insns, runs)[0];
            last = child(kernel, "recorded", insns, runs);
            rec[r] = last[0];
            ends[r] = last[1];
            open[r] = last[2];
        }
        return new Timing(median(rec), median(plain), last[3], last[4], last[5], median(open), median(ends));
    }

    /** Runs {@link #childMain} in a new JVM; returns the numbers of its one output line. */
    static long[] child(Path kernel, String side, long insns, int runs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RecordBench.class.getName(), CHILD,
                kernel.toString(), side, Long.toString(insns), Integer.toString(runs)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            int status = p.waitFor();
            String line = output.lines().reduce((a, b) -> b).orElse("");
            if (status != 0 || !line.startsWith(CHILD)) {
                throw new IllegalStateException("benchmark JVM for " + kernel.getFileName() + " (" + side + ") failed: " + output);
            }
            return Arrays.stream(line.substring(CHILD.length()).trim().split(" ")).mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a benchmark JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final String CHILD = "--overhead-child";

    /**
     * In a fresh JVM: one warm-up and runs timed runs of one side; prints CHILD and the medians:
     * nanoseconds, checkpoint nanoseconds, open+close nanoseconds, then events, bytes and instructions
     * (the last four 0 for the plain side).
     */
    private static void childMain(Path kernel, String side, long insns, int runs) throws IOException {
        byte[] image = readKernel(kernel);
        long[] t = new long[runs], ends = new long[runs], open = new long[runs];
        Recorded last = null;
        Path tmp = Files.createTempDirectory("deja-recordbench");
        try {
            for (int i = -1; i < runs; i++) {
                if (side.equals("recorded")) {
                    Recorded r = recordOnce(tmp, image, TraceLevel.EVENTS, insns);
                    if (i >= 0) {
                        t[i] = r.nanos;
                        ends[i] = r.checkpointNanos;
                        open[i] = r.openCloseNanos;
                        last = r;
                    }
                } else {
                    long p = plainOnce(image, TraceLevel.EVENTS, insns, null);
                    if (i >= 0) t[i] = p;
                }
            }
        } finally {
            deleteTree(tmp);
        }
        System.out.println(CHILD + " " + median(t) + " " + median(ends) + " " + median(open) + " "
                + (last == null ? "0 0 0" : last.events + " " + last.bytes + " " + last.instructions));
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** A kernel image for a benchmark, with the one-line hint when it is not built. */
    public static byte[] readKernel(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot read (build the kernels: make -C kernels)", e);
        }
    }

    /** Deletes a benchmark's temporary directory tree (best effort). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // temporary files: best effort
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 5 && args[0].equals(CHILD)) {
            childMain(Path.of(args[1]), args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "kernels/build");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PrintWriter out = new PrintWriter(System.out, true);
        Report r = run(dir, runs, out);
        out.println(r.meetsTargets() ? "all recording targets met" : "some recording targets missed");
    }
}
