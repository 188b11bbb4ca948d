package io.deja.core.difftest;

import io.deja.core.cpu.Cpu;
import io.deja.core.vm.VirtualMachine;
import io.deja.core.vm.Vcpu;
import io.deja.core.vm.VmExit;

/**
 * Runs a harness image on a Deja vCPU one instruction at a time, starting from
 * the state QEMU's virt boot stub leaves: X0 = DTB address (nothing is mapped
 * there, it is just a value), X1-X3 = 0, X4 = entry, PC = entry, EL1h with
 * DAIF masked and Z set (PSTATE 0x4000_03C5, as QEMU's log shows at entry).
 */
final class DejaReference {
    static final long RAM_BASE = 0x4000_0000L;
    static final long RAM_SIZE = 128L << 20;
    static final long DTB = 0x4400_0000L;

    private final VirtualMachine vm;
    /** The exit of the last step: null for a plain retired instruction. */
    private VmExit lastExit;

    DejaReference(byte[] image) {
        vm = VirtualMachine.create(RAM_BASE, RAM_SIZE);
        vm.writeMemory(HarnessBuilder.LOAD, image);
        for (int r = 0; r < 31; r++) vm.setX(r, 0);
        vm.setX(0, DTB);
        vm.setX(4, HarnessBuilder.LOAD);
        vm.setSp(0);
        vm.setPc(HarnessBuilder.LOAD);
        vm.setPstate(0x4000_03C5L);
    }

    VirtualMachine vm() { return vm; }

    CpuState state() {
        long[] x = new long[31];
        for (int r = 0; r < 31; r++) x[r] = vm.getX(r);
        Cpu c = ((Vcpu) vm).cpu();
        return new CpuState(vm.getPc(), x, vm.getSp(), vm.getPstate(), c.v.clone(), c.fpcr, c.fpsr);
    }

    /**
     * Executes one instruction. WFE/WFI and other exits just continue (the
     * harness's HVC is the end). Returns true if the instruction was the
     * final HVC. Any host exception propagates: that is a Deja bug.
     */
    boolean step() {
        VmExit e = vm.run(1);
        lastExit = e instanceof VmExit.BudgetExhausted ? null : e;
        return e instanceof VmExit.Hvc;
    }

    VmExit lastExit() { return lastExit; }

    /** After a FAR_EL1 mismatch seen through the handler's MRS: later exceptions that keep FAR must not repeat it. */
    void resyncFar(long far) {
        vm.setSysReg("FAR_EL1", far);
    }

    /** Forces the registers QEMU reports, so that comparison can go on after a mismatch. */
    void resync(CpuState s) {
        vm.setPstate(s.pstate() & 0xF03003DFL);
        for (int r = 0; r < 31; r++) vm.setX(r, s.x()[r]);
        vm.setSp(s.sp());
        vm.setPc(s.pc());
        if (s.v() != null) {
            Cpu c = ((Vcpu) vm).cpu();
            System.arraycopy(s.v(), 0, c.v, 0, 64);
            c.fpcr = s.fpcr();
            c.fpsr = s.fpsr();
        }
    }
}
