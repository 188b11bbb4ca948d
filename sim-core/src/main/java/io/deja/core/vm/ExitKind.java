package io.deja.core.vm;

/**
 * Why a run stopped: the one notion behind the run loop's pending exit, the
 * API's {@link VmExit} records, a board's {@code RunResult} and the
 * recordings' exit kinds and end reasons. The codes are the file's (the
 * exit_kind table of events.schema, which EventSchemaTest checks against
 * this enum); never the ordinal.
 */
public enum ExitKind {
    WFI(1, "WFI"),
    WFE(2, "WFE"),
    MMIO_READ(3, "MMIO read"),
    MMIO_WRITE(4, "MMIO write"),
    HVC(5, "HVC"),
    SMC(6, "SMC"),
    BRK(7, "BRK"),
    HLT(8, "HLT"),
    /** The instruction budget given to run() was used up. */
    BUDGET(9, "budget"),
    /** The host stopped the run (InterruptHandle.kill, Machine.cancel). */
    CANCELLED(10, "cancelled"),
    /** PSCI SYSTEM_OFF: the machine is off for good. */
    SHUTDOWN(100, "shutdown"),
    /** PSCI SYSTEM_RESET: the guest asked for a reboot (build a new machine to honour it). */
    RESET(101, "reset"),
    /** PSCI CPU_OFF on the only CPU: nothing can ever run again. */
    CPU_OFF(102, "cpu_off"),
    /** The guest kernel panicked (its console printed "Kernel panic - not syncing"): the board ends the run. */
    PANIC(103, "panic");

    public final int code;
    public final String label;

    ExitKind(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** Whether a machine that stopped this way can never run again. */
    public boolean isFinal() {
        return this == SHUTDOWN || this == RESET || this == CPU_OFF || this == PANIC;
    }

    public static ExitKind fromCode(int code) {
        for (ExitKind k : values()) if (k.code == code) return k;
        throw new IllegalArgumentException("no exit kind has code " + code);
    }

    @Override
    public String toString() {
        return label;
    }
}
