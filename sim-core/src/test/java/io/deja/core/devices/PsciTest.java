package io.deja.core.devices;

import io.deja.core.devices.Psci.Action;
import io.deja.core.vm.VirtualMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.devices.Psci.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every expected value was measured on qemu-system-aarch64 7.2 -M virt -cpu cortex-a57 (one CPU). */
class PsciTest {
    private final VirtualMachine vm = VirtualMachine.create(0x4000_0000L, 1 << 20);
    private final Psci psci = new Psci();

    private Action call(long function, long... args) {
        vm.setX(0, function);
        for (int i = 0; i < 3; i++) vm.setX(i + 1, i < args.length ? args[i] : 0);
        return psci.call(vm);
    }

    private long result(long function, long... args) {
        assertThat(call(function, args)).isEqualTo(Action.CONTINUE);
        return vm.getX(0);
    }

    @Test
    void versionIs1_1() {
        assertThat(result(PSCI_VERSION)).isEqualTo(0x10001);
    }

    @Test
    void featuresListsTheImplementedFunctions() {
        for (long f : new long[] {PSCI_VERSION, CPU_ON_64, CPU_ON, CPU_OFF, CPU_SUSPEND, CPU_SUSPEND_64, AFFINITY_INFO,
                AFFINITY_INFO_64, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES}) {
            assertThat(result(PSCI_FEATURES, f)).as("features(0x%x)", f).isZero();
        }
        for (long f : new long[] {MIGRATE, MIGRATE_64, 0x8400_000CL /* SYSTEM_SUSPEND */, 0x1234_5678L, 0x8000_0000L}) {
            assertThat(result(PSCI_FEATURES, f)).as("features(0x%x)", f).isEqualTo(-1L);
        }
    }

    @Test
    void cpuOnReportsTheOnlyCpuAsAlreadyOnAndOthersAsInvalid() {
        assertThat(result(CPU_ON_64, 0, 0x4008_0000L)).isEqualTo(-4L);
        assertThat(result(CPU_ON, 0, 0x4008_0000L)).isEqualTo(-4L);
        assertThat(result(CPU_ON_64, 1, 0x4008_0000L)).isEqualTo(-2L);
        assertThat(result(CPU_ON_64, 0, 0x4008_0002L)).as("misaligned entry").isEqualTo(-2L);
        assertThat(result(V0_1_CPU_ON, 0, 0x4008_0000L)).isEqualTo(-4L);
    }

    @Test
    void affinityInfo() {
        assertThat(result(AFFINITY_INFO, 0, 0)).as("CPU 0 is on").isZero();
        assertThat(result(AFFINITY_INFO_64, 0, 0)).isZero();
        assertThat(result(AFFINITY_INFO, 1, 0)).isEqualTo(-2L);
        assertThat(result(AFFINITY_INFO, 0x100, 0)).isEqualTo(-2L);
        assertThat(result(AFFINITY_INFO, 0, 1)).as("higher levels are always on").isZero();
    }

    @Test
    void migrationIsNotNeededNorSupported() {
        assertThat(result(MIGRATE_INFO_TYPE)).isEqualTo(2);
        assertThat(result(MIGRATE, 0)).isEqualTo(-1L);
        assertThat(result(0x8400_0007L /* MIGRATE_INFO_UP_CPU */)).isEqualTo(-1L);
    }

    @Test
    void unknownFunctionIdsReturnNotSupportedInsteadOfUndefined() {
        assertThat(result(0x9500_0000L)).isEqualTo(-1L);
        assertThat(result(0x0800_0000L)).isEqualTo(-1L);
        assertThat(result(0x8400_000CL /* SYSTEM_SUSPEND */)).isEqualTo(-1L);
        assertThat(result(0x1_8400_0000L)).as("IDs are compared on 64 bits").isEqualTo(-1L);
    }

    @Test
    void cpuSuspendIsAStandbyUnlessAffinityBitsAreSet() {
        assertThat(result(CPU_SUSPEND, 0x0002_0000L)).isEqualTo(-2L);
        vm.setX(0, 77);
        assertThat(call(CPU_SUSPEND_64, 0)).isEqualTo(Action.SUSPEND);
        assertThat(vm.getX(0)).isZero();
    }

    @Test
    void powerFunctionsEndTheMachineAndLeaveX0Alone() {
        assertThat(call(SYSTEM_OFF)).isEqualTo(Action.SYSTEM_OFF);
        assertThat(vm.getX(0)).isEqualTo(SYSTEM_OFF);
        assertThat(call(SYSTEM_RESET)).isEqualTo(Action.SYSTEM_RESET);
        assertThat(call(CPU_OFF)).isEqualTo(Action.CPU_OFF);
        assertThat(call(V0_1_CPU_OFF)).isEqualTo(Action.CPU_OFF);
    }
}
