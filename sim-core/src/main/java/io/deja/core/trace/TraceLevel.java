package io.deja.core.trace;

/** How much of a run is reported to the TraceSink. Each level includes the ones before it. */
public enum TraceLevel {
    /** Exits, interrupts, exceptions, MMIO, system register writes, inputs, console, checkpoints. */
    EVENTS,
    /** + PC and opcode of every instruction. */
    INSNS,
    /** + every register change and every memory write. */
    FULL;

    public boolean atLeast(TraceLevel other) {
        return ordinal() >= other.ordinal();
    }
}
