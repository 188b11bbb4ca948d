package io.deja.analysis.perfetto;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline of kernels/smp on four CPUs, decoded from both formats: CPU 0
 * powers CPUs 1-3 on with PSCI CPU_ON, they power themselves off with
 * CPU_OFF, then CPU 0 powers the machine off. Each secondary CPU's tracks
 * start where CPU 0's call powered it on (a CPU powered on takes its caller's
 * virtual time) and end at its own CPU_OFF, marked "power on" and "power off".
 */
class SmpTimelineTest {
    @TempDir
    static Path tmp;
    static Path rec;
    static List<TraceEvent> proto, json;
    static TimelineIndex index;

    @BeforeAll
    static void recordAndExport() throws IOException {
        rec = tmp.resolve("smp");
        Path image = Kernels.virtBin("smp");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Recorder.create(rec, MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(4), image, console,
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(50_000_000)).run();
        assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(Kernels.golden("smp"));
        PerfettoExport.Result p = PerfettoExport.export(rec, tmp.resolve("t.perfetto-trace"), PerfettoExport.Options.whole());
        PerfettoExport.Result j = PerfettoExport.export(rec, tmp.resolve("t.json"), PerfettoExport.Options.whole());
        proto = ProtoTrace.read(Files.readAllBytes(p.file()));
        json = JsonTrace.read(j.file());
        index = TimelineIndex.build(rec, List.of());
    }

    static List<TraceEvent> on(String track, String ph) {
        return PerfettoExportTest.on(proto, track, ph);
    }

    static List<TraceEvent> named(String track, String name) {
        return on(track, "i").stream().filter(e -> e.name().equals(name)).toList();
    }

    @Test
    void bothFormatsHoldTheSameTimelineAndEveryTrackIsInTimeOrder() {
        assertThat(json).isEqualTo(proto);
        Map<String, Long> last = new HashMap<>();
        Map<String, Integer> depth = new HashMap<>();
        for (TraceEvent e : proto) {
            assertThat(e.ns()).as("%s on %s goes back in time", e, e.track()).isGreaterThanOrEqualTo(last.getOrDefault(e.track(), 0L));
            last.put(e.track(), e.ns());
            if (e.ph().equals("B")) depth.merge(e.track(), 1, Integer::sum);
            if (e.ph().equals("E")) {
                depth.merge(e.track(), -1, Integer::sum);
                assertThat(depth.get(e.track())).as("an end without a begin on %s", e.track()).isNotNegative();
            }
        }
        assertThat(depth.values()).allMatch(d -> d == 0);
    }

    @Test
    void eachSecondaryCpuStartsWhereCpuOnPoweredItOnAndEndsAtItsCpuOff() {
        // the HVC exits of CPU 0: its PSCI calls, CPU_ON among them
        Set<Long> cpu0Calls = on("CPU 0 exits", "i").stream().filter(e -> e.name().equals("HVC")).map(TraceEvent::ns).collect(Collectors.toSet());
        long end = on("console", "i").stream().filter(e -> e.name().startsWith("end: ")).findFirst().orElseThrow().ns();
        long previousOn = 0;
        for (int cpu = 1; cpu < 4; cpu++) {
            String el = "CPU " + cpu + " exception level", exits = "CPU " + cpu + " exits";
            List<TraceEvent> on = named(exits, "power on"), off = named(exits, "power off");
            assertThat(on).as("CPU %d powered on", cpu).hasSize(1);
            assertThat(off).as("CPU %d powered off", cpu).hasSize(1);
            long onNs = on.getFirst().ns(), offNs = off.getFirst().ns();
            assertThat(onNs).as("CPU %d is powered on after CPU %d", cpu, cpu - 1).isGreaterThan(previousOn);
            assertThat(cpu0Calls).as("CPU %d's power-on is one of CPU 0's PSCI calls", cpu).contains(onNs);
            previousOn = onNs;
            assertThat(on(el, "B").getFirst().ns()).as("CPU %d's first slice", cpu).isEqualTo(onNs);
            assertThat(on(el, "E").getLast().ns()).as("CPU %d's last slice", cpu).isEqualTo(offNs);
            // its CPU_OFF: its last event, a PSCI call
            TraceEvent lastExit = on(exits, "i").stream().filter(e -> !e.name().startsWith("power")).toList().getLast();
            assertThat(lastExit.name()).isEqualTo("HVC");
            assertThat(lastExit.ns()).isEqualTo(offNs);
            assertThat(offNs).isLessThan(end);
        }
        // CPU 0 runs from the start to the machine's power-off
        assertThat(named("CPU 0 exits", "power on")).isEmpty();
        assertThat(on("CPU 0 exception level", "B").getFirst().ns()).isZero();
        assertThat(named("CPU 0 exits", "power off")).extracting(TraceEvent::ns).containsExactly(end);
        assertThat(on("CPU 0 exception level", "E").getLast().ns()).isEqualTo(end);
    }

    @Test
    void theUiIndexHoldsTheSameTracks() {
        for (int cpu = 1; cpu < 4; cpu++) {
            String label = "CPU " + cpu + " exception level";
            TimelineIndex.Lane lane = index.lanes().stream().filter(l -> l.label().equals(label)).findFirst().orElseThrow();
            assertThat(lane.start[0]).isEqualTo(on(label, "B").getFirst().ns());
            assertThat(lane.end[lane.size() - 1]).isEqualTo(on(label, "E").getLast().ns());
            String exitsLabel = "CPU " + cpu + " exits";
            TimelineIndex.Lane exits = index.lanes().stream().filter(l -> l.label().equals(exitsLabel)).findFirst().orElseThrow();
            List<String> names = java.util.stream.IntStream.range(0, exits.size()).mapToObj(i -> index.nameAt(exits, i)).toList();
            assertThat(names).containsOnlyOnce("power on", "power off");
        }
        assertThat(index.instantCounts()).containsEntry("CPU 2 exits: power on", 1L).containsEntry("CPU 2 exits: power off", 1L);
    }
}
