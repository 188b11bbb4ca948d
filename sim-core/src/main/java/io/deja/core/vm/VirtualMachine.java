package io.deja.core.vm;

import io.deja.core.mem.MmioDevice;

/**
 * The embedding API: one vCPU and its physical address space, in the style of
 * KVM and Hyperlight. Map memory and devices, set registers, call
 * {@link #run} until it returns an exit, handle the exit, run again.
 *
 * Not thread-safe, except {@link #interruptHandle()}, which another thread may
 * use to stop a running vCPU.
 */
public interface VirtualMachine {
    static VirtualMachine create(long ramBase, long ramSize) {
        return new Vcpu(ramBase, ramSize);
    }

    // ---- Address space --------------------------------------------------------------
    long ramBase();

    long ramSize();

    /** Maps an in-process device: guest accesses are served without an exit. */
    void mapDevice(long base, long size, MmioDevice device);

    /** Maps a range whose accesses exit to the host as {@link VmExit.MmioRead} and {@link VmExit.MmioWrite}. */
    void mapMmioExit(long base, long size, String name);

    void writeMemory(long pa, byte[] data);

    byte[] readMemory(long pa, int length);

    // ---- Execution -------------------------------------------------------------------
    /** Runs until an exit, executing at most maxInstructions instructions. */
    VmExit run(long maxInstructions);

    /** Completes an {@link VmExit.MmioRead}: the value the load returns when run() resumes. */
    void completeMmioRead(long value);

    /** Takes the UNDEFINED exception at the given instruction (for example, an HVC the host does not serve). */
    void injectUndefined(long pc);

    InterruptHandle interruptHandle();

    /**
     * The whole machine's state now (between runs): CPU, TLB, timer, chaos,
     * every in-process device that describes its state
     * ({@link io.deja.core.state.Stateful}), and RAM as the pages written since
     * the previous snapshot. Cheap in proportion to what changed.
     */
    Snapshot snapshot();

    /**
     * Puts the machine back to a snapshot it took: running forward from here
     * does exactly what it did from there. Host-handled ranges are the host's
     * to restore.
     */
    void restore(Snapshot snapshot);

    /** Instructions retired since creation. */
    long instructions();

    /** Virtual time in cycles (instructions plus WFI sleep); the system counter reads this. */
    long cycles();

    // ---- Registers -----------------------------------------------------------------------
    long getX(int n);

    void setX(int n, long value);

    long getSp();

    void setSp(long value);

    long getPc();

    void setPc(long value);

    /** PSTATE in SPSR format: NZCV, IL, DAIF, EL and SP selection. */
    long getPstate();

    void setPstate(long value);

    /** A system register by its architectural name (e.g. "VBAR_EL1", "ESR_EL1"). */
    long getSysReg(String name);

    void setSysReg(String name, long value);

    /** Low (half 0) or high (half 1) 64 bits of V0-V31. */
    long getV(int n, int half);

    void setV(int n, int half, long value);

    long getFpcr();

    void setFpcr(long value);

    long getFpsr();

    void setFpsr(long value);
}
