package io.deja.analysis.diff;

import io.deja.analysis.stages.StageComparison;

import java.util.List;

/**
 * How two recordings differ: their header settings, the first event where
 * their streams part (null when the streams are identical: the runs are
 * equivalent), the console lines side by side, event counts by kind, the
 * boot stages side by side (null when the stage file describes neither run),
 * and, when either run has several CPUs, each CPU's counts side by side.
 */
public record DiffReport(Side a, Side b, List<HeaderDifference> header, Divergence divergence,
                         List<ConsoleRow> console, List<CountRow> counts, StageComparison stages, List<CpuCountRow> cpus) {
    public boolean equivalent() {
        return divergence == null;
    }

    /**
     * Whether B fails against A: with boot stages, whether a stage regressed
     * (other differences are expected between two boots); without, whether
     * the event streams differ.
     */
    public boolean failed() {
        return stages != null ? stages.regression() : !equivalent();
    }

    /** One recording: where it is, how much it holds and how it ended. */
    public record Side(String dir, long events, long instructions, boolean truncated) {}

    /** A header setting that differs (wall-clock start time aside). */
    public record HeaderDifference(String field, String a, String b) {}

    /**
     * The first event that differs: index in the stream, the icount on the
     * machine's time line (the smaller of the two sides'; with one CPU the
     * events' own icount), each side's event (null: that recording ended
     * there; its cpu and icount are that CPU's), the registers that differ
     * at the nearest checkpoint at or after the divergence on each side, and
     * each event's place on its machine's time line (globalA, globalB: the
     * instructions all CPUs retired before it; null when that side ended).
     */
    public record Divergence(long index, long icount, Event a, Event b, Long checkpointA, Long checkpointB,
                             List<RegisterDifference> registers, List<String> hashes, Long globalA, Long globalB) {}

    public record RegisterDifference(String register, long a, long b) {}

    /** A console line on either side (null fields: the line is missing on that side), aligned on equal text. */
    public record ConsoleRow(Integer lineA, Long icountA, Integer lineB, Long icountB, String textA, String textB) {
        /** icountB - icountA when the line is on both sides. */
        public Long delta() {
            return icountA != null && icountB != null ? icountB - icountA : null;
        }
    }

    /**
     * One CPU's count of one kind in each recording: kind is instructions (it
     * retired), slices (of the schedule it ran), exits, interrupts or
     * exceptions (taken on it).
     */
    public record CpuCountRow(int cpu, String kind, long a, long b) {
        public long delta() {
            return b - a;
        }
    }

    /** Events of one kind in each recording (table: exits, interrupts or exceptions). */
    public record CountRow(String table, String kind, long a, long b) {
        public long delta() {
            return b - a;
        }
    }
}
