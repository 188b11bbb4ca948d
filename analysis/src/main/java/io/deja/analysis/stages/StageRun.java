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
 */
public record StageRun(String recording, StageFile file, long instructions, Time end, boolean truncated,
                       List<Reached> reached, List<StageFile.Stage> missing) {
    /** The system counter's frequency: virtual time in seconds is cycles / this (CNTFRQ_EL0 as the machine reports it). */
    public static final long FREQUENCY_HZ = GenericTimer.FREQUENCY_HZ;

    public StageRun {
        reached = List.copyOf(reached);
        missing = List.copyOf(missing);
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
     * @param icount        where: for a console line, the icount of its first byte
     * @param sincePrevious instructions since the previous stage reached (since the start for the first)
     * @param detail        what matched: the console line, or the event
     */
    public record Reached(StageFile.Stage stage, long icount, Time time, long sincePrevious, String detail) {
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

    /** Whether the run reached a stage marked by a console line: the stage file then describes what this run printed. */
    public boolean reachedConsoleStage() {
        return reached.stream().anyMatch(r -> r.stage().milestone().console());
    }
}
