package io.deja.core.board;

import io.deja.core.state.StateVisitor;
import io.deja.core.state.Stateful;

/**
 * The order in which a board's CPUs run, a pure function of the quantum and
 * the chaos seed (never of host timing), all on one host thread.
 *
 * Time is cut into rounds of {@code quantum} cycles. A round has an order of
 * the CPUs and a target cycle per CPU: each CPU in turn runs until its own
 * virtual time (its cycle count: instructions retired plus idle cycles)
 * reaches its target, then the next one runs. Without chaos the order is
 * 0, 1, ... and every target is the round's end, so each CPU runs one
 * quantum per round in CPU order. With a chaos seed every round draws a
 * permutation of the CPUs and, per CPU, a target anywhere in the round's end
 * &plusmn; quantum/2: slices of different lengths in a different order, so
 * that seeds explore interleavings.
 *
 * Idle CPUs cost nothing: a powered-off CPU is skipped (it takes the time of
 * the CPU that powers it on), and a CPU asleep in WFI (or PSCI CPU_SUSPEND)
 * with nothing pending has its virtual time moved to its target as idle
 * cycles, without executing anything.
 */
final class Scheduler implements Stateful {
    final int cpus;
    final long quantum;
    private boolean chaos;
    /** SplitMix64 state of the schedule's chaos. */
    private long chaosState;
    /** Virtual time at which the current round started. */
    long roundStart;
    /** Index into order of the CPU whose turn it is (cpus: the round is over). */
    int position;
    final int[] order;
    /** Per CPU: the cycle its slice of this round ends at. */
    final long[] target;
    /** Per CPU: powered on (PSCI); CPU 0 starts on, the others off. */
    final boolean[] on;
    /** Per CPU: asleep in WFI or CPU_SUSPEND until an interrupt or its timer's deadline. */
    final boolean[] asleep;
    /** Whether any CPU executed an instruction in this round (an idle round fast-forwards time). */
    boolean ranThisRound;
    /** Whether the slice at position has been reported (a SLICE event), so that a run split inside it does not report it twice. */
    boolean announced;

    Scheduler(int cpus, long quantum) {
        this.cpus = cpus;
        this.quantum = quantum;
        order = new int[cpus];
        target = new long[cpus];
        on = new boolean[cpus];
        asleep = new boolean[cpus];
        on[0] = true;
        plan();
    }

    /** Seeds the order and slice lengths from now on (a new plan for the current round, as before the first run). */
    void setChaos(long seed) {
        chaos = true;
        chaosState = seed;
        plan();
    }

    /** Starts the next round, no earlier than a round whose targets reach notBefore. */
    void nextRound(long notBefore) {
        roundStart = Math.max(roundStart + quantum, notBefore - quantum);
        ranThisRound = false;
        plan();
    }

    /** The CPU at position is done with this round. */
    void advance() {
        position++;
        announced = false;
    }

    private void plan() {
        position = 0;
        announced = false;
        for (int i = 0; i < cpus; i++) order[i] = i;
        long end = roundStart + quantum;
        for (int i = 0; i < cpus; i++) target[i] = end;
        if (!chaos) return;
        for (int i = cpus - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(next(), i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < cpus; i++) target[i] = end - quantum / 2 + Long.remainderUnsigned(next(), quantum + 1);
    }

    private long next() {
        long z = (chaosState += 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void state(StateVisitor v) {
        chaos = v.bool("chaos", chaos);
        chaosState = v.u64("chaos_state", chaosState);
        roundStart = v.u64("round_start", roundStart);
        position = v.u32("position", position);
        v.u32s("order", order);
        v.u64s("target", target);
        v.bools("on", on);
        v.bools("asleep", asleep);
        ranThisRound = v.bool("ran_this_round", ranThisRound);
        announced = v.bool("announced", announced);
    }
}
