package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.cpu.GenericTimer;
import io.deja.core.vm.VmExit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link Machine} has done so far: exits by kind, instructions,
 * virtual time, and host time spent in {@link Machine#run}.
 *
 * Host time is measured by the board around the vCPU, never inside sim-core's
 * deterministic state: it differs between runs and must not be compared.
 */
public final class ExitStatistics {
    /** Exit kinds in a fixed order, so tables always look the same. */
    public static final List<ExitKind> KINDS = List.of(ExitKind.MMIO_READ, ExitKind.MMIO_WRITE, ExitKind.HVC, ExitKind.SMC,
            ExitKind.WFI, ExitKind.WFE, ExitKind.BRK, ExitKind.HLT, ExitKind.SHUTDOWN, ExitKind.RESET, ExitKind.BUDGET, ExitKind.CANCELLED);

    private final long[] counts = new long[KINDS.size()];
    private long instructions, cycles, hostNanos;

    void record(VmExit exit) {
        counts[KINDS.indexOf(exit.kind())]++;
    }

    void update(long instructions, long cycles, long addHostNanos) {
        this.instructions = instructions;
        this.cycles = cycles;
        this.hostNanos += addHostNanos;
    }

    public long totalExits() {
        long total = 0;
        for (long c : counts) total += c;
        return total;
    }

    /** Exits of one kind. */
    public long count(ExitKind kind) {
        int i = KINDS.indexOf(kind);
        if (i < 0) throw new IllegalArgumentException("unknown exit kind " + kind);
        return counts[i];
    }

    /** Every kind with its count, in {@link #KINDS} order. */
    public Map<ExitKind, Long> byKind() {
        Map<ExitKind, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) m.put(KINDS.get(i), counts[i]);
        return m;
    }

    /** Instructions retired since the machine was built. */
    public long instructions() { return instructions; }

    /** Virtual time in cycles (instructions plus WFI sleep). */
    public long cycles() { return cycles; }

    /** Host wall-clock nanoseconds spent in Machine.run. Not deterministic. */
    public long hostNanos() { return hostNanos; }

    /** A small table for the command line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "exits: %d%n", totalExits()));
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) sb.append(String.format(Locale.ROOT, "  %-18s %,d%n", KINDS.get(i).label, counts[i]));
        }
        sb.append(String.format(Locale.ROOT, "instructions: %,d%n", instructions));
        sb.append(String.format(Locale.ROOT, "virtual time: %,d cycles (%.6f s at %.1f MHz)%n", cycles,
                cycles / (double) GenericTimer.FREQUENCY_HZ, GenericTimer.FREQUENCY_HZ / 1e6));
        double seconds = hostNanos / 1e9;
        sb.append(String.format(Locale.ROOT, "host time: %.3f s (%s)%n", seconds,
                measurable(instructions, seconds) ? String.format(Locale.ROOT, "%.1f MIPS", instructions / seconds / 1e6) : "— MIPS: too short to measure"));
        return sb.toString();
    }

    /**
     * Whether a rate over this run means anything: below a million
     * instructions or 50 ms, start-up and JIT warm-up are most of the time, and
     * a rate such as "0.0 MIPS" would mislead.
     */
    public static boolean measurable(long instructions, double seconds) {
        return instructions >= 1_000_000 && seconds >= 0.05;
    }

    @Override
    public String toString() {
        return format();
    }
}
