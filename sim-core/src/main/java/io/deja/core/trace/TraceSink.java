package io.deja.core.trace;

/**
 * Where the machine reports what happens in a run. The recorder writes these
 * calls to a recording, the replayer compares them with one. Every method
 * takes primitives only (the per-instruction ones are called from the hot
 * path); {@link #NONE} ignores everything and is what an untraced machine uses.
 *
 * icount is the number of instructions retired before the event: for insn,
 * regWrite and memWrite it is the index of the instruction that caused them,
 * so those three join on icount.
 */
public interface TraceSink {
    /** A vCPU exit (kind: {@link io.deja.core.cpu.Exit} or {@link #EXIT_SHUTDOWN}); args as in VmExit. */
    default void exit(long icount, long pc, int kind, long arg0, long arg1, long arg2) {}

    /** An IRQ or FIQ taken at EL1; pc is the interrupted instruction, intid the GIC's highest pending one (-1 if unknown). */
    default void interrupt(long icount, long pc, int intid, boolean fiq, int fromEl) {}

    /** A synchronous exception or SError taken; pc is the preferred return address (ELR). */
    default void exception(long icount, long pc, int ec, long esr, long far, int fromEl, int toEl) {}

    /** An access to a device; device is an index into the recording's device table. */
    default void mmio(long icount, long pc, int device, long offset, int size, boolean write, long value) {}

    /** An MSR (register or immediate form) by the guest; encoding as in SysRegs (op0:op1:CRn:CRm:op2). */
    default void sysregWrite(long icount, long pc, int encoding, long oldValue, long newValue) {}

    /** Bytes from outside the guest (source: {@link #INPUT_UART}), delivered at icount. */
    default void input(long icount, int source, byte[] data) {}

    /** One byte the guest wrote to its console. */
    default void console(long icount, int value) {}

    /**
     * State hashes at icount: CPU (registers and system registers), RAM, and
     * devices; regs holds X0-X30, SP, PC and PSTATE (34 values).
     */
    default void checkpoint(long icount, long cycles, long cpuHash, long ramHash, long deviceHash, long[] regs) {}

    /** insns level: an instruction is about to execute. */
    default void insn(long icount, long pc, int opcode) {}

    /** full level: a register changed (reg: 0-30 = X0-X30, 31 = SP, 32 = NZCV in bits 31:28). */
    default void regWrite(long icount, int reg, long value) {}

    /** full level: a guest store of size bytes (1, 2, 4, 8) at a physical address. */
    default void memWrite(long icount, long address, int size, long value) {}

    int EXIT_SHUTDOWN = 100;
    int INPUT_UART = 0;
    int REG_SP = 31;
    int REG_NZCV = 32;

    TraceSink NONE = new TraceSink() {};
}
