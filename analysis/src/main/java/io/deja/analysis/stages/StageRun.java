package io.deja.analysis.stages;

import io.deja.core.cpu.GenericTimer;

import java.util.List;

/**
 * The stages one recording reached, in the order it reached them, and those
 * it did not reach (in the stage file's order).
 *
 * @param recording    the recording's directory
 * @param file         the stages looked for
 * @param instructions instructions the run retired (the icount of its last event)
 * @param end          virtual time at the end of the recording
 * @param truncated    whether the recording was cut short (no END event)
 * @param reached      stages reached, by icount (ties in the file's order)
 * @param missing      stages not reached, in the file's order
 * @param cpus         CPUs whose events the run has (1 for a run on one CPU; with several, icounts are global:
 *                     instructions retired by all CPUs, see {@link Reached})
 */
public record StageRun(String recording, StageFile file, long instructions, Time end, boolean truncated,
                       List<Reached> reached, List<StageFile.Stage> missing, int cpus) {
    /** The system counter's frequency: virtual time in seconds is cycles / this (CNTFRQ_EL0 as the machine reports it). */
    public static final long FREQUENCY_HZ = GenericTimer.FREQUENCY_HZ;

    public StageRun {
        reached = List.copyOf(reached);
        missing = List.copyOf(missing);
        if (cpus < 1) throw new IllegalArgumentException("cpus " + cpus);
    }

    /** A run on one CPU. */
    public StageRun(String recording, StageFile file, long instructions, Time end, boolean truncated,
                    List<Reached> reached, List<StageFile.Stage> missing) {
        this(recording, file, instructions, end, truncated, reached, missing, 1);
    }

    /** Whether the run had several CPUs (icounts are then global, and each stage names its CPU). */
    public boolean severalCpus() {
        return cpus > 1;
    }

    /**
     * Virtual time in cycles: one per instruction plus WFI sleeps. A recording
     * holds the cycle count only at its checkpoints and its end, and a sleep
     * can only happen at a WFI, WFE, HVC or SMC exit; when sleeps lie between
     * the stage and both neighbouring checkpoints, the time is known between
     * bounds: min is certain, max is the next checkpoint's (-1: none after).
     */
    public record Time(long min, long max) {
        public boolean exact() {
            return min == max;
        }

        public double seconds() {
            return (double) min / FREQUENCY_HZ;
        }
    }

    /**
     * A stage reached.
     *
     * @param icount        where: for a console line, the icount of its first byte. With several CPUs the
     *                      global icount (instructions all CPUs retired before it, as the standard library's
     *                      global_icount), so that stages of different CPUs are ordered and measured on one clock
     * @param time          virtual time: the cycles of the CPU that reached it (of CPU 0 for the end of the run)
     * @param sincePrevious instructions since the previous stage reached (since the start for the first)
     * @param detail        what matched: the console line, or the event
     * @param cpu           the CPU that reached it ({@link #MACHINE}: the end of the run, reached by the machine)
     * @param cpuIcount     that CPU's own icount there (the icount for the machine)
     */
    public record Reached(StageFile.Stage stage, long icount, Time time, long sincePrevious, String detail, int cpu, long cpuIcount) {
        /** The CPU of a stage the whole machine reached (the end of the run). */
        public static final int MACHINE = -1;

        /** A stage reached on a run of one CPU. */
        public Reached(StageFile.Stage stage, long icount, Time time, long sincePrevious, String detail) {
            this(stage, icount, time, sincePrevious, detail, 0, icount);
        }

        public String name() {
            return stage.name();
        }
    }

    /** The stage of that name if the run reached it, else null. */
    public Reached find(String name) {
        for (Reached r : reached) {
            if (r.name().equals(name)) return r;
        }
        return null;
    }

    /** The forbidden stages the run reached, in the order it reached them. */
    public List<Reached> forbiddenReached() {
        return reached.stream().filter(r -> r.stage().forbidden()).toList();
    }

    /** Whether the run failed: it reached a forbidden stage (deja stages then exits with status 1). */
    public boolean failed() {
        return reached.stream().anyMatch(r -> r.stage().forbidden());
    }

    /** Whether the run reached a stage marked by a console line: the stage file then describes what this run printed. */
    public boolean reachedConsoleStage() {
        return reached.stream().anyMatch(r -> r.stage().milestone().console());
    }
}
