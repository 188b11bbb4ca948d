package io.deja.core.testing;

import io.deja.core.cpu.Cpu;
import io.deja.core.vm.Vcpu;
import io.deja.core.vm.VirtualMachine;
import io.deja.core.vm.VmExit;

/**
 * A bare vCPU for unit tests: 16 MiB of RAM at 0x4000_0000, code assembled
 * and loaded at 0x4008_0000, EL1h with interrupts masked (QEMU's reset state),
 * SP at the top of RAM. No devices are mapped.
 */
public final class TestMachine {
    public static final long RAM_BASE = 0x4000_0000L;
    public static final long RAM_SIZE = 16L << 20;
    public static final long CODE = 0x4008_0000L;
    /** A scratch data area tests may use freely. */
    public static final long DATA = 0x4040_0000L;

    public final Vcpu vm;
    public final Cpu cpu;

    public TestMachine() {
        vm = (Vcpu) VirtualMachine.create(RAM_BASE, RAM_SIZE);
        cpu = vm.cpu();
        cpu.pc = CODE;
        cpu.sp = RAM_BASE + RAM_SIZE;
    }

    /** Assembles source, loads it at CODE and points PC at it. */
    public static TestMachine withCode(String asm) {
        TestMachine m = new TestMachine();
        m.vm.writeMemory(CODE, GuestAssembler.assemble(asm, CODE));
        return m;
    }

    /** Executes n instructions (or until an exit) and returns the exit. */
    public VmExit step(long n) {
        return vm.run(n);
    }

    public long x(int n) {
        return cpu.x[n];
    }
}
