package io.deja.core.cpu;

/**
 * Storage for the system registers that have no behaviour of their own in
 * the CPU core (exception state lives in Cpu, timers in GenericTimer). The
 * MRS/MSR encoding map and access rules are in io.deja.core.isa.SysRegs.
 */
public final class SystemRegisters {
    public long tpidrEl0, tpidrroEl0, tpidrEl1;
    public long cpacrEl1;
    public long contextidrEl1;
    public long mairEl1, amairEl1, tcrEl1, ttbr0El1, ttbr1El1;
    public long afsr0El1, afsr1El1, parEl1;
    public long mdscrEl1, oslsrEl1 = 0x8, osdlrEl1, mdccintEl1;
    public long cntkctlEl1;
    public long cpuactlrEl1, cpuectlrEl1;
    public long pmcrEl0 = 0x41013000L, pmuserenrEl0, pmcntensetEl0, pmintensetEl1, pmovsclrEl0, pmselrEl0, pmccfiltrEl0, pmccntrEl0;
    public long dbgbcr[] = new long[6], dbgbvr[] = new long[6], dbgwcr[] = new long[4], dbgwvr[] = new long[4];
    public long csselrEl1;
}
