package io.deja.core.board;

/** Why {@link Machine#run} returned. */
public enum StopReason {
    /** The instruction budget given to run() was used up. */
    BUDGET_EXHAUSTED,
    /** PSCI SYSTEM_OFF: the machine is off for good. */
    SHUTDOWN,
    /** PSCI SYSTEM_RESET: the guest asked for a reboot (build a new Machine to honour it). */
    RESET,
    /** PSCI CPU_OFF on the only CPU: nothing can ever run again. */
    CPU_OFF,
    /** {@link Machine#cancel()} stopped the run. */
    CANCELLED,
    /** An exit the board leaves to its caller (BRK, HLT or SMC with exits enabled, for a debugger). */
    DEBUG_EXIT
}
