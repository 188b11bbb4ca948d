package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.vm.Snapshot;
import io.deja.recorder.Plural;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * deja bench --snapshots: the cost of a snapshot and of a restore on a
 * 128 MiB guest that wrote 1 MiB (256 pages, random bytes, a different MiB
 * each time) since the previous snapshot, and the bytes each snapshot keeps.
 * A restore goes back one snapshot (the 256 pages written since), then
 * forward again.
 */
final class SnapshotBench {
    private SnapshotBench() {}

    static final long RAM = 128L << 20;
    static final int WRITTEN = 1 << 20;

    /**
     * The figures of one bench --snapshots: per round, the snapshot and the
     * restore time in microseconds, and the bytes the last snapshot keeps.
     */
    record Report(long ramBytes, int writtenBytes, int rounds, List<Double> snapshotMicros, List<Double> restoreMicros, long keptBytes) {
        double snapshotMedian() {
            return median(snapshotMicros);
        }

        double restoreMedian() {
            return median(restoreMicros);
        }
    }

    static Report run(byte[] image, int rounds, PrintWriter out) {
        Machine m = new Machine(MachineConfig.of(Board.VIBE, image).withEntry(0x10000).withRamSize(RAM), OutputStream.nullOutputStream());
        m.run(Long.MAX_VALUE);
        Snapshot previous = m.snapshot();
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] data = new byte[WRITTEN];
        List<Double> snapshotMicros = new ArrayList<>(), restoreMicros = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            rnd.nextBytes(data);
            m.vm().writeMemory(0x100_0000L + (long) (i % 64) * WRITTEN, data);
            long t0 = System.nanoTime();
            Snapshot s = m.snapshot();
            long t1 = System.nanoTime();
            m.restore(previous);
            long t2 = System.nanoTime();
            m.restore(s);
            snapshotMicros.add((t1 - t0) / 1e3);
            restoreMicros.add((t2 - t1) / 1e3);
            bytes = s.ownBytes();
            previous = s;
        }
        out.printf("Snapshots of a %d MiB guest that wrote %d KiB since the previous one (%s):%n", RAM >> 20, WRITTEN >> 10, Plural.count(rounds, "round"));
        out.printf("  snapshot: median %.0f us (range %.0f-%.0f), %s kept (the %s written and the processor and device state)%n",
                median(snapshotMicros), min(snapshotMicros), max(snapshotMicros), Plural.count(bytes, "byte"), Plural.count(WRITTEN >> 12, "page"));
        out.printf("  restore one back: median %.0f us (range %.0f-%.0f)%n", median(restoreMicros), min(restoreMicros), max(restoreMicros));
        out.flush();
        return new Report(RAM, WRITTEN, rounds, List.copyOf(snapshotMicros), List.copyOf(restoreMicros), bytes);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
