package io.deja.core.devices;

import io.deja.core.vm.VirtualMachine;

/**
 * PSCI (ARM DEN 0022) over the HVC conduit, with the
 * results QEMU 7.2 gives ({@code target/arm/psci.c}, measured with
 * qemu-system-aarch64 7.2 -M virt -cpu cortex-a57).
 *
 * QEMU treats every HVC as a PSCI call (the immediate is ignored) and, as
 * SMCCC 1.3 section 5.2 requires, answers an unknown function ID with
 * NOT_SUPPORTED (-1) in X0 instead of raising UNDEFINED. Function IDs are
 * compared on all 64 bits of X0. Results are 32-bit and sign-extended.
 *
 * <pre>
 * function          SMC32        SMC64        result
 * PSCI_VERSION      0x84000000                0x00010001 (1.1; the device tree says "arm,psci-1.0")
 * CPU_SUSPEND       0x84000001   0xC4000001   power_state bits 31:17 set: INVALID_PARAMETERS;
 *                                             else X0 = 0 and the CPU waits as in WFI
 * CPU_OFF           0x84000002                the calling CPU powers off (no result); the last one stops the machine
 * CPU_ON            0x84000003   0xC4000003   entry not 4-byte aligned or no CPU has the target MPIDR:
 *                                             INVALID_PARAMETERS; target on: ALREADY_ON; else SUCCESS
 *                                             and the target starts at the entry with X0 = context
 * AFFINITY_INFO     0x84000004   0xC4000004   level 0: ON (0) or OFF (1) for an existing CPU, else
 *                                             INVALID_PARAMETERS; higher levels: ON
 * MIGRATE           0x84000005   0xC4000005   NOT_SUPPORTED
 * MIGRATE_INFO_TYPE 0x84000006                2 (no Trusted OS, migration not required)
 * SYSTEM_OFF        0x84000008                power off (no result)
 * SYSTEM_RESET      0x84000009                reset (no result)
 * PSCI_FEATURES     0x8400000A                0 for the functions above (MIGRATE excepted) and
 *                                             itself, NOT_SUPPORTED otherwise
 * PSCI 0.1 IDs      0x95C1BA5E + 0 CPU_SUSPEND, 1 CPU_OFF, 2 CPU_ON, 3 MIGRATE: as above
 * anything else                               NOT_SUPPORTED
 * </pre>
 * A target MPIDR is compared on its affinity fields (bits 39:32 and 23:0, QEMU's
 * ARM64_AFFINITY_MASK), so the U and MT bits a guest copies from MPIDR_EL1 do not matter.
 */
public final class Psci {
    /** What the board must do after a call. */
    public enum Action {
        /** Resume the guest: X0 holds the result. */
        CONTINUE,
        /** CPU_SUSPEND: X0 = 0; the CPU sleeps as in WFI until an interrupt (or the next timer deadline). */
        SUSPEND,
        /** CPU_OFF: the calling CPU is off. */
        CPU_OFF,
        /** CPU_ON succeeded: X0 = 0, and {@link Cpus#powerOn} has been called. */
        CPU_ON,
        /** SYSTEM_OFF. */
        SYSTEM_OFF,
        /** SYSTEM_RESET. */
        SYSTEM_RESET
    }

    public static final long PSCI_VERSION = 0x8400_0000L;
    public static final long CPU_SUSPEND = 0x8400_0001L;
    public static final long CPU_SUSPEND_64 = 0xC400_0001L;
    public static final long CPU_OFF = 0x8400_0002L;
    public static final long CPU_ON = 0x8400_0003L;
    public static final long CPU_ON_64 = 0xC400_0003L;
    public static final long AFFINITY_INFO = 0x8400_0004L;
    public static final long AFFINITY_INFO_64 = 0xC400_0004L;
    public static final long MIGRATE = 0x8400_0005L;
    public static final long MIGRATE_64 = 0xC400_0005L;
    public static final long MIGRATE_INFO_TYPE = 0x8400_0006L;
    public static final long SYSTEM_OFF = 0x8400_0008L;
    public static final long SYSTEM_RESET = 0x8400_0009L;
    public static final long PSCI_FEATURES = 0x8400_000AL;

    /** PSCI 0.1 has no fixed IDs; these are the ones QEMU uses (kvm-consts.h QEMU_PSCI_0_1_FN_BASE). */
    public static final long V0_1_BASE = 0x95C1_BA5EL;
    public static final long V0_1_CPU_SUSPEND = V0_1_BASE;
    public static final long V0_1_CPU_OFF = V0_1_BASE + 1;
    public static final long V0_1_CPU_ON = V0_1_BASE + 2;
    public static final long V0_1_MIGRATE = V0_1_BASE + 3;

    public static final int VERSION_1_1 = 0x0001_0001;
    public static final int SUCCESS = 0;
    public static final int NOT_SUPPORTED = -1;
    public static final int INVALID_PARAMETERS = -2;
    public static final int DENIED = -3;
    public static final int ALREADY_ON = -4;
    /** MIGRATE_INFO_TYPE: a Trusted OS is not present or does not require migration. */
    public static final int MIGRATE_TYPE_NOT_REQUIRED = 2;
    /** AFFINITY_INFO: the affinity instance is on. */
    public static final int AFFINITY_ON = 0;

    /** AFFINITY_INFO: the affinity instance is off. */
    public static final int AFFINITY_OFF = 1;
    /** MPIDR bits that name a CPU (QEMU's ARM64_AFFINITY_MASK): Aff3, Aff2, Aff1, Aff0. */
    public static final long AFFINITY_MASK = 0xFF_00FF_FFFFL;

    /** The board's CPUs as PSCI sees them. */
    public interface Cpus {
        /** The CPU whose MPIDR affinity is mpidr's (bits of {@link #AFFINITY_MASK}), or -1. */
        int byAffinity(long mpidr);

        boolean isOn(int cpu);

        /** Powers cpu on: it starts from reset at EL1h, PC = entry, X0 = context. */
        void powerOn(int cpu, long entry, long context);
    }

    /** One CPU, always on (it is the caller). */
    public static final Cpus ONE_CPU = new Cpus() {
        public int byAffinity(long mpidr) { return (mpidr & AFFINITY_MASK) == 0 ? 0 : -1; }
        public boolean isOn(int cpu) { return true; }
        public void powerOn(int cpu, long entry, long context) { throw new IllegalStateException("CPU 0 is on"); }
    };

    /** A call on a board with one CPU. */
    public Action call(VirtualMachine vm) {
        return call(vm, ONE_CPU);
    }

    /** Serves the call held in X0-X3 of the calling CPU vm and writes the result to X0 where the function returns one. */
    public Action call(VirtualMachine vm, Cpus cpus) {
        long function = vm.getX(0);
        long arg1 = vm.getX(1);
        long arg2 = vm.getX(2);
        if (function == CPU_OFF || function == V0_1_CPU_OFF) return Action.CPU_OFF;
        if (function == SYSTEM_OFF) return Action.SYSTEM_OFF;
        if (function == SYSTEM_RESET) return Action.SYSTEM_RESET;
        if (isCpuSuspend(function)) {
            // QEMU supports no affinity levels, and powerdown states become standby (WFI).
            if ((arg1 & 0xFFFE_0000L) != 0) return result(vm, INVALID_PARAMETERS);
            vm.setX(0, SUCCESS);
            return Action.SUSPEND;
        }
        int result;
        if (function == PSCI_VERSION) {
            result = VERSION_1_1;
        } else if (function == MIGRATE_INFO_TYPE) {
            result = MIGRATE_TYPE_NOT_REQUIRED;
        } else if (function == AFFINITY_INFO || function == AFFINITY_INFO_64) {
            int target = cpus.byAffinity(arg1);
            result = arg2 != 0 ? AFFINITY_ON : target < 0 ? INVALID_PARAMETERS : cpus.isOn(target) ? AFFINITY_ON : AFFINITY_OFF;
        } else if (function == CPU_ON || function == CPU_ON_64 || function == V0_1_CPU_ON) {
            // QEMU's arm_set_cpu_on checks the entry point before looking the target up.
            int target = cpus.byAffinity(arg1);
            if ((arg2 & 3) != 0 || target < 0) {
                result = INVALID_PARAMETERS;
            } else if (cpus.isOn(target)) {
                result = ALREADY_ON;
            } else {
                long context = vm.getX(3);
                vm.setX(0, SUCCESS);
                cpus.powerOn(target, arg2, context);
                return Action.CPU_ON;
            }
        } else if (function == PSCI_FEATURES) {
            result = isImplemented(arg1) ? SUCCESS : NOT_SUPPORTED;
        } else {
            result = NOT_SUPPORTED;
        }
        return result(vm, result);
    }

    private static Action result(VirtualMachine vm, int result) {
        vm.setX(0, result);
        return Action.CONTINUE;
    }

    /**
     * PSCI's number of the function a function ID names (the low bits of its
     * SMC32 and SMC64 IDs; the psci_function codes of the event schema), for
     * the IDs {@link #call} serves: 255 for any other, which it answers
     * NOT_SUPPORTED.
     */
    public static int functionNumber(long function) {
        if (function == PSCI_VERSION) return 0;
        if (isCpuSuspend(function)) return 1;
        if (function == CPU_OFF || function == V0_1_CPU_OFF) return 2;
        if (function == CPU_ON || function == CPU_ON_64 || function == V0_1_CPU_ON) return 3;
        if (function == AFFINITY_INFO || function == AFFINITY_INFO_64) return 4;
        if (function == MIGRATE || function == MIGRATE_64 || function == V0_1_MIGRATE) return 5;
        if (function == MIGRATE_INFO_TYPE) return 6;
        if (function == SYSTEM_OFF) return 8;
        if (function == SYSTEM_RESET) return 9;
        if (function == PSCI_FEATURES) return 10;
        return 255;
    }

    /**
     * The CPU a call names in X1 (arg1): CPU_ON's target and AFFINITY_INFO's
     * at level 0 (arg2), by number; -1 for other functions or an affinity no CPU has.
     */
    public static int targetCpu(long function, long arg1, long arg2, Cpus cpus) {
        int number = functionNumber(function);
        return number == 3 || (number == 4 && arg2 == 0) ? cpus.byAffinity(arg1) : -1;
    }

    private static boolean isCpuSuspend(long function) {
        return function == CPU_SUSPEND || function == CPU_SUSPEND_64 || function == V0_1_CPU_SUSPEND;
    }

    /** PSCI_FEATURES: every function this class serves, except MIGRATE. */
    private static boolean isImplemented(long function) {
        return function == PSCI_VERSION || function == MIGRATE_INFO_TYPE
                || function == AFFINITY_INFO || function == AFFINITY_INFO_64
                || function == SYSTEM_RESET || function == SYSTEM_OFF
                || function == CPU_ON || function == CPU_ON_64 || function == V0_1_CPU_ON
                || function == CPU_OFF || function == V0_1_CPU_OFF
                || isCpuSuspend(function) || function == PSCI_FEATURES;
    }
}
