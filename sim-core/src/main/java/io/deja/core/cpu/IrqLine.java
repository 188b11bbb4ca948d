package io.deja.core.cpu;

/** The interrupt request inputs of the CPU, driven by the interrupt controller. */
public interface IrqLine {
    /** True while an IRQ is signalled to the CPU (whether or not PSTATE.I masks it). */
    boolean irq();

    /** True while an FIQ is signalled to the CPU. */
    boolean fiq();

    /** The interrupt ID the CPU would acknowledge now, or -1 (for trace events only). */
    default int pendingIntid() {
        return -1;
    }

    IrqLine NONE = new IrqLine() {
        public boolean irq() { return false; }
        public boolean fiq() { return false; }
    };
}
