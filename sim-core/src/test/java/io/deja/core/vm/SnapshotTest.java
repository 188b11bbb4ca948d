package io.deja.core.vm;

import io.deja.core.state.StateDump;
import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vCPU restored to a snapshot and run forward does exactly what it did the
 * first time (every state value by name, and RAM), with and without the
 * translation tier, through chains of snapshots and restores back and forth.
 * The guest is bench_int_mmu: the MMU on, stores in a loop, the TLB in use.
 */
class SnapshotTest {
    private static byte[] image;

    @BeforeAll
    static void build() throws IOException {
        Kernels.build();
        image = Files.readAllBytes(Kernels.raw("bench_int_mmu"));
    }

    private static Vcpu machine(boolean translation) {
        Vcpu vm = (Vcpu) VirtualMachine.create(0, 128L << 20);
        vm.setTranslateThreshold(translation ? 32 : 0); // low: short runs must exercise blocks
        vm.writeMemory(Kernels.VIBE_LOAD, image);
        vm.setPc(Kernels.VIBE_LOAD);
        vm.setPstate(0x3C5);
        return vm;
    }

    /** Every state value by name, plus the RAM hash. */
    private static Map<String, Long> state(Vcpu vm) {
        Map<String, Long> s = StateDump.of(vm);
        s.put("ram", vm.bus().ram.hash());
        return s;
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void restoringAndRunningForwardRepeatsTheRun(boolean translation) {
        Vcpu vm = machine(translation);
        vm.run(300_000);
        Snapshot first = vm.snapshot();
        vm.run(700_000);
        Snapshot second = vm.snapshot();
        Map<String, Long> atSecond = state(vm);
        vm.run(1_000_000);
        Map<String, Long> atEnd = state(vm);

        vm.restore(first);
        vm.run(700_000);
        assertThat(state(vm)).isEqualTo(atSecond);
        vm.run(1_000_000);
        assertThat(state(vm)).isEqualTo(atEnd);

        vm.restore(second);
        assertThat(state(vm)).isEqualTo(atSecond);
        vm.run(1_000_000);
        assertThat(state(vm)).isEqualTo(atEnd);

        // A branch: restore the first, snapshot it again, come back to the second.
        vm.restore(first);
        vm.run(123_457);
        vm.snapshot();
        vm.run(5_000);
        vm.restore(second);
        vm.run(1_000_000);
        assertThat(state(vm)).isEqualTo(atEnd);
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void aFreshMachineGivenTheSameRunMatchesARestoredOne(boolean translation) {
        Vcpu a = machine(translation);
        a.run(500_000);
        Map<String, Long> reference = state(a);
        Vcpu b = machine(!translation);
        b.run(200_000);
        Snapshot s = b.snapshot();
        b.run(1_000_000);
        b.restore(s);
        b.run(300_000);
        assertThat(state(b)).isEqualTo(reference);
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {false, true})
    void aSnapshotKeepsOnlyThePagesWrittenSinceThePreviousOne(boolean translation) {
        Vcpu vm = machine(translation);
        vm.run(100_000);
        Snapshot first = vm.snapshot();
        // The image's pages, the data page and the translation table: a few pages, not 128 MiB.
        assertThat(first.ramPages()).isBetween(1, 8);
        vm.run(100_000);
        Snapshot second = vm.snapshot();
        assertThat(second.ramPages()).isEqualTo(1); // the loop writes one data page
        assertThat(second.ownBytes()).isLessThan(64 * 1024);
    }
}
