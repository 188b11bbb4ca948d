package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;
import io.deja.core.trace.EventType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A child JVM that records a kernel (on the vibe board, checkpoints every
 * 50,000 instructions) until it is killed, and the helpers the kill -9 tests
 * (here and in the modules that use this test-jar) drive it with. Prints
 * "recording" once the recording exists.
 * Arguments: recording directory, kernel name, trace level.
 */
public final class RecordForever {
    private RecordForever() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Recorder.Options o = Recorder.Options.defaults(TraceLevel.valueOf(args[2])).withCheckpointInterval(50_000);
        Path image = TestKernels.image(args[1], Board.VIBE);
        Recorder r = Recorder.create(dir, TestKernels.config(image, Board.VIBE), image, System.err, o);
        System.out.println("recording");
        System.out.flush();
        r.run();
    }

    /**
     * Starts a child recording kernel into dir, waits until its recording holds at least
     * batches checkpoints (or 30 s passed: no timing assertion), then kills it with SIGKILL
     * (no shutdown hook, no flush, no close).
     * @return the child's exit value (137 after SIGKILL)
     */
    public static int recordThenKill(Path dir, String kernel, TraceLevel level, int checkpoints) throws IOException, InterruptedException {
        Process child = start(dir, kernel, level);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            if (!"recording".equals(first)) throw new IllegalStateException("the recording child said " + first);
            long start = System.nanoTime();
            while (System.nanoTime() - start < 30_000_000_000L && checkpoints(dir, checkpoints) < checkpoints) Thread.sleep(100);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        return child.exitValue();
    }

    /** Checkpoints readable so far, counting up to most (0 while the header is all there is). */
    static long checkpoints(Path dir, int most) {
        if (!Files.exists(dir.resolve("metadata.cq4t"))) return 0;
        try (Recording rec = Recording.open(dir); EventCursor c = rec.events(Long.MIN_VALUE, Set.of(EventType.CHECKPOINT))) {
            long n = 0;
            while (n < most && c.next()) n++;
            return n;
        } catch (RuntimeException stillStarting) {
            return 0;
        }
    }

    private static Process start(Path dir, String kernel, TraceLevel level) throws IOException {
        Path root = Kernels.kernelsDir().getParent();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + root.resolve("jvm.flags"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RecordForever.class.getName());
        cmd.add(dir.toString());
        cmd.add(kernel);
        cmd.add(level.name());
        return new ProcessBuilder(cmd).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
