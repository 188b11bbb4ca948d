package io.deja.core.devices;

import io.deja.core.cpu.InterruptSink;
import io.deja.core.cpu.IrqLine;

/** A GIC as the board wires it: the CPU's IRQ/FIQ inputs, the timer's PPIs, the devices' SPIs. */
public interface InterruptController extends IrqLine, InterruptSink, io.deja.core.state.Stateful {
    /** Drives the input of a shared peripheral interrupt (INTID 32 and up). */
    void setSpiLevel(int intid, boolean level);

    boolean isPendingInterrupt(int intid);

    boolean isActive(int intid);

    boolean isEnabled(int intid);

}
