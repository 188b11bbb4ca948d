package io.deja.core.board;

import io.deja.core.testing.Kernels;
import io.deja.core.vm.ExitKind;
import io.deja.core.vm.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several CPUs: the smp kernel (kernels/README.md) prints in Deja what QEMU
 * -smp 4 prints (its golden), whatever the quantum and the chaos seed, and
 * the schedule is a pure function of them.
 */
@Timeout(120)
class SmpMachineTest {
    private static final long BUDGET = 50_000_000L;

    private static MachineConfig smp(int cpus, long quantum) {
        return kernel("smp", cpus, quantum);
    }

    /** smp_gic3 on a GICv3 (kernels/README.md). */
    private static MachineConfig smpGic3(long quantum) {
        return kernel("smp_gic3", 4, quantum).withGic(GicVersion.V3);
    }

    private static MachineConfig kernel(String name, int cpus, long quantum) {
        try {
            byte[] image = Files.readAllBytes(Kernels.virtBin(name));
            return MachineConfig.of(Board.VIRT, image).withRamSize(128L << 20).withCpus(cpus).withQuantum(quantum);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Outcome(String console, RunResult result, StateHashes hashes, long instructions) {}

    private static Outcome run(MachineConfig config, Long chaosSeed) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(config, console);
        if (chaosSeed != null) m.setChaos(chaosSeed);
        RunResult r = m.run(BUDGET);
        return new Outcome(console.toString(StandardCharsets.UTF_8), r, m.stateHashes(), m.instructions());
    }

    /** smp on GICv2 and smp_gic3 on GICv3, each at four quanta. */
    static Stream<Arguments> kernelsAndQuanta() {
        List<Arguments> out = new ArrayList<>();
        for (String kernel : List.of("smp", "smp_gic3")) {
            for (long quantum : new long[] {1, 7, 100, 10_000}) out.add(Arguments.of(kernel, quantum));
        }
        return out.stream();
    }

    /** The kernel's machine: smp_gic3 wants a GICv3. */
    private static MachineConfig fourCpus(String kernel, long quantum) {
        return kernel.equals("smp_gic3") ? smpGic3(quantum) : smp(4, quantum);
    }

    @ParameterizedTest(name = "{0}, quantum {1}")
    @MethodSource("kernelsAndQuanta")
    void fourCpusPrintQemusGoldenWhateverTheQuantum(String kernel, long quantum) {
        Outcome o = run(fourCpus(kernel, quantum), null);
        assertThat(o.result().reason()).as(o.console()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(o.console()).isEqualTo(Kernels.golden(kernel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"smp", "smp_gic3"})
    void chaosSeedsChangeTheScheduleButNotTheResults(String kernel) {
        Set<Long> schedules = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            Outcome o = run(fourCpus(kernel, 500), seed);
            assertThat(o.console()).as("seed " + seed).isEqualTo(Kernels.golden(kernel));
            schedules.add(o.instructions());
        }
        // Spin loops run as long as the others make them: another interleaving, another count.
        assertThat(schedules).hasSizeGreaterThan(1);
    }

    /**
     * Issue 13: IC IVAU and IC IALLUIS reach every CPU. smp_icache's CPU 2 runs a function
     * 1,000 times (decoded, and with a threshold of 32 translated into a block), CPU 1
     * rewrites it and does DC CVAU, DSB ISH, IC IVAU (then IC IALLUIS), DSB ISH; after its
     * ISB CPU 2 runs the new instruction, as in QEMU -smp 4 (the golden). The decoded-code
     * cache and the blocks are shared by the CPUs, so there is no other CPU's copy to miss.
     */
    @ParameterizedTest(name = "quantum {0}, translate after {1}")
    @CsvSource({"1, 0", "7, 32", "100, 0", "100, 32", "10000, 0", "10000, 32"})
    void codeOneCpuWritesRunsOnAnotherAfterItsMaintenance(long quantum, int translateThreshold) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(kernel("smp_icache", 4, quantum), console);
        for (int i = 0; i < m.cpuCount(); i++) m.vcpu(i).setTranslateThreshold(translateThreshold);
        RunResult r = m.run(BUDGET);
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(r.reason()).as(out).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(out).isEqualTo(Kernels.golden("smp_icache"))
                .contains("after dc cvau, ic ivau=0x2").contains("after dc cvau, ic ialluis=0x3");
    }

    /** A PSCI event as a line: cpu, function, target, result, wake; and its times. */
    private static final class PsciCalls implements io.deja.core.trace.CpuBoundSink.Target {
        final List<String> calls = new ArrayList<>();
        final List<long[]> times = new ArrayList<>();
        int cpu;

        @Override
        public void onCpu(int cpu) {
            this.cpu = cpu;
        }

        @Override
        public void psci(long icount, long pc, int function, long functionId, int target, long result, int wake, long cycles, long wakeCycles, long total) {
            calls.add(cpu + " " + io.deja.core.trace.EventCodes.PSCI_FUNCTION.nameOf(function) + " target " + target + " result " + result
                    + " wake " + io.deja.core.trace.EventCodes.PSCI_WAKE.nameOf(wake));
            times.add(new long[] {cycles, wakeCycles, total});
        }
    }

    /**
     * smp_psci (kernels/README.md): CPU 1 on, off, on again, suspended and woken by an SGI, then
     * suspended for good; QEMU -smp 2's console at every quantum, and one PSCI event per call on the
     * calling CPU with its target, result and how each suspend ended: by the SGI (within the slice,
     * or in a later one), and never for the last.
     */
    @ParameterizedTest(name = "quantum {0}")
    @ValueSource(longs = {1, 100, 10_000})
    void psciCallsAreReportedWithTheirTargetResultAndWakeUp(long quantum) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(kernel("smp_psci", 2, quantum), console);
        PsciCalls sink = new PsciCalls();
        m.setTrace(sink, io.deja.core.trace.TraceLevel.EVENTS);
        RunResult r = m.run(BUDGET);
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(r.reason()).as(out).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(out).isEqualTo(Kernels.golden("smp_psci"));
        List<String> calls = sink.calls;
        assertThat(calls.subList(0, 4)).containsExactly(
                "0 CPU_ON target 1 result 0 wake none", "1 CPU_OFF target -1 result 0 wake none",
                "0 AFFINITY_INFO target 1 result 1 wake none", "0 CPU_ON target 1 result 0 wake none");
        // CPU 0 may ask AFFINITY_INFO more than once before CPU 1 is off: the calls that matter follow
        assertThat(calls.stream().filter(c -> c.startsWith("1 ")).toList()).hasSize(3);
        assertThat(calls.stream().filter(c -> c.startsWith("1 CPU_SUSPEND")).toList())
                .satisfiesExactly(first -> assertThat(first).matches("1 CPU_SUSPEND target -1 result 0 wake (interrupt|later)"),
                        last -> assertThat(last).isEqualTo("1 CPU_SUSPEND target -1 result 0 wake later"));
        assertThat(calls.subList(calls.size() - 2, calls.size())).containsExactly(
                "0 AFFINITY_INFO target 1 result 0 wake none", "0 SYSTEM_OFF target -1 result 0 wake none");
        long previousTotal = -1;
        for (int i = 0; i < calls.size(); i++) {
            long[] t = sink.times.get(i);
            assertThat(t[1]).as(calls.get(i)).isGreaterThanOrEqualTo(t[0]);
            if (!calls.get(i).contains("CPU_SUSPEND")) assertThat(t[1]).as(calls.get(i)).isEqualTo(t[0]);
            assertThat(t[2]).as("the machine's icount orders the calls").isGreaterThan(previousTotal);
            previousTotal = t[2];
        }
    }

    @Test
    void codeWrittenByAnotherCpuRunsWhateverTheSchedule() {
        for (long seed = 1; seed <= 4; seed++) {
            Outcome o = run(kernel("smp_icache", 4, 50), seed);
            assertThat(o.console()).as("seed " + seed).isEqualTo(Kernels.golden("smp_icache"));
        }
    }

    /**
     * smp_timer: each CPU takes ten interrupts of its own virtual timer, acknowledging and
     * ending each at its own GIC CPU interface (GICv2 banked registers, or its GICv3
     * redistributor and ICC_* registers), and prints what QEMU prints with as many CPUs,
     * whatever the quantum and the chaos seed (the CPUs sleep in WFI across virtual second 1).
     */
    @ParameterizedTest(name = "{0} on {1} CPUs, quantum {2}")
    @CsvSource({"smp_timer, 2, 1", "smp_timer, 2, 10000", "smp_timer, 4, 7", "smp_timer, 4, 10000",
            "smp_timer_gic3, 4, 100", "smp_timer_gic3, 4, 10000"})
    void everyCpuTakesItsOwnTimerInterrupts(String name, int cpus, long quantum) {
        MachineConfig config = kernel(name, cpus, quantum);
        if (name.endsWith("gic3")) config = config.withGic(GicVersion.V3);
        String golden = Kernels.golden(name.equals("smp_timer") && cpus == 2 ? "smp_timer.smp2" : name);
        Outcome o = run(config, null);
        assertThat(o.result().reason()).as(o.console()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(o.console()).isEqualTo(golden);
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(run(config, seed).console()).as("seed " + seed).isEqualTo(golden);
        }
    }

    @Test
    void theSameSeedGivesTheSameRunBitForBit() {
        Outcome a = run(smp(4, 300), 42L);
        Outcome b = run(smp(4, 300), 42L);
        assertThat(b.hashes()).isEqualTo(a.hashes());
        assertThat(b.instructions()).isEqualTo(a.instructions());
        assertThat(b.console()).isEqualTo(a.console());
    }

    @Test
    void howARunIsSplitDoesNotChangeTheSchedule() {
        Outcome whole = run(smp(4, 300), 7L);
        Machine m = new Machine(smp(4, 300), new ByteArrayOutputStream());
        m.setChaos(7);
        while (!m.isStopped()) m.run(12_345);
        assertThat(m.instructions()).isEqualTo(whole.instructions());
        assertThat(m.stateHashes()).isEqualTo(whole.hashes());
    }

    /** With GICv3 every CPU's redistributor and CPU interface is in the snapshot too. */
    @ParameterizedTest
    @ValueSource(strings = {"smp", "smp_gic3"})
    void aSnapshotOfFourCpusRestoresTheRunExactly(String kernel) {
        MachineConfig config = fourCpus(kernel, 200);
        Machine m = new Machine(config, new ByteArrayOutputStream());
        m.setChaos(3);
        m.run(40_000);
        Snapshot s = m.snapshot();
        StateHashes at = m.stateHashes();
        m.run(BUDGET);
        assertThat(m.isStopped()).isTrue();
        StateHashes end = m.stateHashes();
        long total = m.instructions();
        m.restore(s);
        assertThat(m.stateHashes()).isEqualTo(at);
        m.run(BUDGET);
        assertThat(m.stateHashes()).isEqualTo(end);
        assertThat(m.instructions()).isEqualTo(total);
    }

    @Test
    void secondaryCpusStartPoweredOff() {
        Machine m = new Machine(smp(4, 100), new ByteArrayOutputStream());
        assertThat(m.cpuCount()).isEqualTo(4);
        assertThat(m.isOn(0)).isTrue();
        assertThat(m.isOn(1)).isFalse();
        assertThat(m.vcpu(3).cpu().sys.mpidrEl1).isEqualTo(0x8000_0003L);
    }

    @Test
    void severalCpusNeedVirt() {
        byte[] image = new byte[8];
        assertThatThrownBy(() -> MachineConfig.of(Board.VIBE, image).withCpus(2)).hasMessageContaining("virt");
        assertThat(MachineConfig.of(Board.VIRT, image).withGic(GicVersion.V3).withCpus(8).layout()
                .require(BoardDevice.Model.GIC_REDISTRIBUTOR).size()).as("eight frame pairs").isEqualTo(8 * 0x2_0000L);
        assertThatThrownBy(() -> MachineConfig.of(Board.VIRT, image).withCpus(9)).hasMessageContaining("1..8");
    }
}
