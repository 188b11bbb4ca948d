package io.deja.core.cpu;

/**
 * Thrown by the memory path after a synchronous exception has been entered
 * (the CPU state already points at the vector), to abandon the rest of the
 * faulting instruction. One shared instance without a stack trace: guest
 * faults are ordinary events and must not allocate.
 */
public final class ExceptionTaken extends RuntimeException {
    public static final ExceptionTaken INSTANCE = new ExceptionTaken();

    private ExceptionTaken() {
        super("guest exception taken", null, false, false);
    }
}
