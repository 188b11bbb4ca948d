package io.deja.cli;

import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Plural;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The loop behind `deja hunt` and `deja demo`: records runs of one machine
 * with chaos seeds first..last until a run's console contains a text, and
 * keeps that recording.
 *
 * A run depends only on the machine and its seed, so a passing run's
 * recording would only be deleted: unless keepPassing, seeds run unrecorded
 * (several times faster: a recording costs a Chronicle queue) and the
 * matching seed is run again, recorded. The two runs must agree (console and
 * instruction count); if they do not, determinism is broken and the hunt says
 * so instead of keeping a recording of something else.
 *
 * Recordings are written straight into the output directory (so the kept
 * one's image paths are relative to where it stays); with keepPassing a
 * passing run's recording is then moved to OUT.passing/seed-N.
 */
final class Hunter {
    /** The run that matched: its seed, the console line holding the text, and how many seeds passed before it. */
    record Found(long seed, String line, HuntRun.Outcome outcome, long passed) {}

    /**
     * One seed tried: whether its console matched (and the line), how the run
     * stopped, and where its recording is (null when it was not kept; events
     * are counted only for recorded runs).
     */
    record SeedResult(long seed, boolean matched, String line, HuntRun.Outcome outcome, boolean recorded, Path recording) {}

    private final MachineConfig config;
    /** The recorded images of a run recorded into a directory (kernel or binary, initrd, dtb). */
    private final java.util.function.Function<Path, java.util.List<io.deja.recorder.RecordedImage>> images;
    private final TraceLevel level;
    private final long budget;
    private final boolean keepPassing;
    private volatile boolean cancelled;
    private volatile HuntRun current;
    private final List<SeedResult> results = new ArrayList<>();
    /** results' size, for the progress line's thread. */
    private volatile long tried;

    Hunter(MachineConfig config, java.util.function.Function<Path, java.util.List<io.deja.recorder.RecordedImage>> images, TraceLevel level, long budget, boolean keepPassing) {
        this.config = config;
        this.images = images;
        this.level = level;
        this.budget = budget;
        this.keepPassing = keepPassing;
    }

    /** Where passing recordings go with keepPassing: next to out, so that out itself is only ever one recording. */
    static Path passingDir(Path out) {
        return out.resolveSibling(out.getFileName() + ".passing");
    }

    /**
     * Hunts; returns the first matching run (its recording left at out) or empty
     * when no seed matched (or the hunt was cancelled), with out removed.
     */
    Optional<Found> hunt(SeedRange seeds, String text, Path out) {
        long passed = 0;
        for (long seed = seeds.first(); !cancelled; seed++) {
            HuntRun run = new HuntRun(config, images, seed, level, budget, out);
            current = run;
            HuntRun.Outcome o = keepPassing ? run.record() : run.run();
            String line = matchingLine(o.console(), text);
            if (line != null && !keepPassing && !cancelled) o = recordAgain(run, o);
            current = null;
            if (cancelled) {
                deleteTree(out);
                break;
            }
            if (line != null) {
                results.add(new SeedResult(seed, true, line, o, true, out));
                tried = results.size();
                return Optional.of(new Found(seed, line, o, passed));
            }
            passed++;
            Path kept = null;
            if (keepPassing) move(out, kept = passingDir(out).resolve("seed-" + seed));
            results.add(new SeedResult(seed, false, null, o, keepPassing, kept));
            tried = results.size();
            if (seed == seeds.last()) break;
        }
        return Optional.empty();
    }

    /** Records the matching seed's run; it must be the run just seen. */
    private static HuntRun.Outcome recordAgain(HuntRun run, HuntRun.Outcome unrecorded) {
        HuntRun.Outcome recorded = run.record();
        if (!recorded.console().equals(unrecorded.console()) || recorded.instructions() != unrecorded.instructions()) {
            throw new IllegalStateException(String.format(
                    "determinism broken: seed %d ran %s unrecorded and %,d recorded, consoles %s",
                    run.seed(), Plural.count(unrecorded.instructions(), "instruction"), recorded.instructions(),
                    recorded.console().equals(unrecorded.console()) ? "equal" : "different"));
        }
        return recorded;
    }

    /** Stops the hunt from another thread (Ctrl-C): the run in progress stops and its recording is deleted. */
    void cancel() {
        cancelled = true;
        HuntRun r = current;
        if (r != null) r.cancel();
    }

    /** The seeds tried so far, in order (the cancelled run in progress is not among them). */
    List<SeedResult> results() {
        return Collections.unmodifiableList(results);
    }

    /** The progress line of the hunt so far: the seed running and its icount, and how many of seeds are done. */
    String progressLine(SeedRange seeds, double seconds) {
        HuntRun run = current;
        return Progress.huntLine(run == null ? seeds.first() + tried : run.seed(), tried, seeds.count(),
                run == null ? 0 : run.instructions(), seconds);
    }

    boolean cancelled() {
        return cancelled;
    }

    /** The first console line containing text (the text may span lines: then the line where it starts), or null. */
    static String matchingLine(String console, String text) {
        int at = console.indexOf(text);
        if (at < 0) return null;
        int start = console.lastIndexOf('\n', at) + 1;
        int end = console.indexOf('\n', at);
        return console.substring(start, end < 0 ? console.length() : end);
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            deleteTree(to);
            Files.move(from, to);
        } catch (IOException e) {
            throw new UserError("cannot move the recording " + from + " to " + to + ": " + e.getMessage(), Main.EXIT_FAILURE);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) throw e;
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
