package io.deja.core.board;

import io.deja.core.state.StateDump;
import io.deja.core.testing.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 on whole machines with the MMU on: the state (every value by name,
 * RAM and the three hashes) at an instruction count does not depend on how
 * the run got there: straight, or stopped at random places, single-stepped
 * for a while, run with a host breakpoint armed that is never hit, or
 * restored from a snapshot (what gdb stops and timeline seeks do).
 */
class StopInvisibleMachineTest {
    @BeforeAll
    static void build() {
        Kernels.build();
    }

    private static Machine boot(String kernel, int cpus) throws Exception {
        byte[] image = Files.readAllBytes(Kernels.virtBin(kernel));
        Machine m = new Machine(MachineConfig.of(Board.VIRT, image).withRamSize(128L << 20).withCpus(cpus), new ByteArrayOutputStream());
        m.vcpu().setTranslateThreshold(32); // low: the short runs exercise translated blocks too
        return m;
    }

    private static Map<String, Long> state(Machine m) {
        Map<String, Long> s = StateDump.of(m);
        StateHashes h = m.stateHashes();
        s.put("hash.cpu", h.cpu());
        s.put("hash.ram", h.ram());
        s.put("hash.devices", h.devices());
        return s;
    }

    private static List<String> differences(Map<String, Long> actual, Map<String, Long> expected) {
        List<String> d = new ArrayList<>();
        for (var e : expected.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) d.add(e.getKey() + ": " + Long.toHexString(e.getValue()) + " -> " + actual.get(e.getKey()));
        }
        return d;
    }

    @ParameterizedTest(name = "{0}, {1} CPU(s), to icount {2}")
    @CsvSource({"mmu, 1, 40000", "bench_int_mmu, 1, 400000", "smp, 2, 60000"})
    void theStateAtAnIcountDoesNotDependOnTheStopsOnTheWay(String kernel, int cpus, long end) throws Exception {
        Machine straight = boot(kernel, cpus);
        straight.run(end);
        Map<String, Long> expected = state(straight);

        SplittableRandom random = new SplittableRandom(10);
        Machine m = boot(kernel, cpus);
        io.deja.core.vm.Snapshot snapshot = null;
        while (m.instructions() < end && !m.isStopped()) {
            long left = end - m.instructions();
            long n = Math.min(left, 1 + random.nextLong(Math.max(1, end / 20)));
            switch (random.nextInt(5)) {
                case 0 -> m.run(n);
                case 1 -> {
                    for (long i = 0; i < Math.min(n, 300); i++) m.run(1);
                }
                case 2 -> {
                    for (int c = 0; c < cpus; c++) m.vcpu(c).cpu().hostDebug.addBreakpoint(0x10);
                    m.run(n);
                    for (int c = 0; c < cpus; c++) m.vcpu(c).cpu().hostDebug.clear();
                }
                case 3 -> snapshot = m.snapshot();
                default -> {
                    if (snapshot != null) {
                        // Back to the snapshot and forward to here again, as a timeline seek does.
                        long here = m.instructions();
                        m.restore(snapshot);
                        m.run(here - m.instructions());
                    }
                }
            }
        }
        assertThat(m.instructions()).isEqualTo(straight.instructions());
        assertThat(differences(state(m), expected)).isEmpty();
    }
}
