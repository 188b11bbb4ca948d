package io.deja.core.devices;

import io.deja.core.cpu.InterruptSink;
import io.deja.core.cpu.IrqLine;

/**
 * A GIC as the board wires it: the CPUs' IRQ/FIQ inputs, the timers' PPIs, the
 * devices' SPIs. As an IrqLine and InterruptSink it is CPU 0's.
 */
public interface InterruptController extends IrqLine, InterruptSink, io.deja.core.state.Stateful {
    /** Drives the input of a shared peripheral interrupt (INTID 32 and up). */
    void setSpiLevel(int intid, boolean level);

    boolean isPendingInterrupt(int intid);

    boolean isActive(int intid);

    boolean isEnabled(int intid);

    /** CPU n's IRQ and FIQ inputs (a GIC for one CPU has only CPU 0's). */
    default IrqLine cpuLine(int cpu) {
        if (cpu != 0) throw new IllegalArgumentException("this GIC serves one CPU, not CPU " + cpu);
        return this;
    }

    /** Where CPU n's generic timer drives its PPIs. */
    default InterruptSink ppiSink(int cpu) {
        if (cpu != 0) throw new IllegalArgumentException("this GIC serves one CPU, not CPU " + cpu);
        return this;
    }

    /**
     * CPU n was reset (PSCI CPU_ON): what the GIC resets with the CPU. A GICv3's
     * ICC_* registers are the CPU's own (QEMU resets them with it); a GICv2's CPU
     * interface is a device and keeps its state.
     */
    default void cpuReset(int cpu) {}

    /** The CPU whose banked registers the next MMIO accesses reach (QEMU's current_cpu). */
    default void setCurrentCpu(int cpu) {
        if (cpu != 0) throw new IllegalArgumentException("this GIC serves one CPU, not CPU " + cpu);
    }
}
