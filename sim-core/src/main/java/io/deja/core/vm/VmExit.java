package io.deja.core.vm;

/** Why {@link VirtualMachine#run} returned. Every exit carries the PC the vCPU stopped at. */
public sealed interface VmExit {
    long pc();

    /** What kind of exit this is (its code is the recordings' exit kind). */
    default ExitKind kind() {
        return switch (this) {
            case Wfi w -> ExitKind.WFI;
            case Wfe w -> ExitKind.WFE;
            case MmioRead m -> ExitKind.MMIO_READ;
            case MmioWrite m -> ExitKind.MMIO_WRITE;
            case Hvc h -> ExitKind.HVC;
            case Smc s -> ExitKind.SMC;
            case Brk b -> ExitKind.BRK;
            case Hlt h -> ExitKind.HLT;
            case Shutdown s -> s.reset() ? ExitKind.RESET : ExitKind.SHUTDOWN;
            case BudgetExhausted b -> ExitKind.BUDGET;
            case Cancelled c -> ExitKind.CANCELLED;
        };
    }

    /** WFI retired (pc is the next instruction). Virtual time has jumped to the next timer deadline if nothing was pending. */
    record Wfi(long pc) implements VmExit {}

    /** WFE retired (pc is the next instruction). */
    record Wfe(long pc) implements VmExit {}

    /**
     * A load from a host-handled MMIO range. The instruction has not executed:
     * supply the value with {@link VirtualMachine#completeMmioRead} and run again.
     */
    record MmioRead(long pc, long address, int size) implements VmExit {}

    /** A store to a host-handled MMIO range; the instruction has retired (pc is the next one). */
    record MmioWrite(long pc, long address, int size, long value) implements VmExit {}

    /** HVC #imm retired (pc is the next instruction); X0-X7 carry the call. */
    record Hvc(long pc, int imm) implements VmExit {}

    /** SMC #imm, when SMC exits are enabled (otherwise it is UNDEFINED: there is no EL3). */
    record Smc(long pc, int imm) implements VmExit {}

    /** BRK #imm, when BRK exits are enabled (pc is the BRK itself, as a debugger expects). */
    record Brk(long pc, int imm) implements VmExit {}

    /** HLT #imm, when HLT exits are enabled (pc is the HLT itself). */
    record Hlt(long pc, int imm) implements VmExit {}

    /** The guest asked the board to power off or reset (PSCI SYSTEM_OFF / SYSTEM_RESET). */
    record Shutdown(long pc, boolean reset) implements VmExit {}

    /** The instruction budget given to run() was used up. */
    record BudgetExhausted(long pc) implements VmExit {}

    /** {@link InterruptHandle#kill()} stopped the vCPU. */
    record Cancelled(long pc) implements VmExit {}
}
