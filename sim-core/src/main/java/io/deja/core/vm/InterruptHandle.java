package io.deja.core.vm;

/**
 * Stops a running vCPU from another thread. The vCPU polls the request at
 * instruction boundaries at least every {@link Vcpu#KILL_POLL_CYCLES} cycles
 * and returns {@link VmExit.Cancelled}. A kill with no run in progress cancels
 * the next run immediately.
 */
public final class InterruptHandle {
    private volatile boolean killRequested;

    public void kill() {
        killRequested = true;
    }

    /** Forgets a kill request that no run consumed (a debugger's interrupt that arrived as the run stopped anyway). */
    public void clear() {
        killRequested = false;
    }

    /** Consumes a pending kill request. */
    boolean takeKill() {
        if (!killRequested) return false;
        killRequested = false;
        return true;
    }
}
