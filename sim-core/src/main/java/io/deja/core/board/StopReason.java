package io.deja.core.board;

/** Why {@link Machine#run} returned. */
public enum StopReason {
    /** The instruction budget given to run() was used up. */
    BUDGET_EXHAUSTED(1),
    /** PSCI SYSTEM_OFF: the machine is off for good. */
    SHUTDOWN(2),
    /** PSCI SYSTEM_RESET: the guest asked for a reboot (build a new Machine to honour it). */
    RESET(3),
    /** PSCI CPU_OFF on the only CPU: nothing can ever run again. */
    CPU_OFF(4),
    /** {@link Machine#cancel()} stopped the run. */
    CANCELLED(5),
    /** An exit the board leaves to its caller (BRK, HLT or SMC with exits enabled, for a debugger). */
    DEBUG_EXIT(6);

    private final int code;

    StopReason(int code) {
        this.code = code;
    }

    /** The explicit code saved state uses (never the ordinal). */
    public int code() {
        return code;
    }

    public static StopReason fromCode(int code) {
        for (StopReason r : values()) if (r.code == code) return r;
        throw new IllegalArgumentException("no stop reason has code " + code);
    }
}
