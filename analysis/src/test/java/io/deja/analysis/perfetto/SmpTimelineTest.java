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
 * CPU_OFF, then CPU 0 powers the machine off. Each secondary CPU is "off"
 * until CPU 0's call powered it on (a CPU powered on takes its caller's
 * virtual time), runs in EL1 until its own CPU_OFF, marked "power on" and
 * "power off", and is "off" again to the end of the run.
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

    /** A slice put back together from its begin and end: its name, depth on its track, times and the begin's arguments. */
    record Slice(String name, int depth, long start, long end, Map<String, String> args) {}

    /** The slices of a track in the order they begin. */
    static List<Slice> slices(List<TraceEvent> events, String track) {
        List<Slice> out = new java.util.ArrayList<>();
        java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
        List<TraceEvent> begins = new java.util.ArrayList<>();
        for (TraceEvent e : events) {
            if (!e.track().equals(track)) continue;
            if (e.ph().equals("B")) {
                open.push(out.size());
                begins.add(e);
                out.add(null);
            } else if (e.ph().equals("E")) {
                int i = open.pop();
                TraceEvent b = begins.get(i);
                out.set(i, new Slice(b.name(), open.size(), b.ns(), e.ns(), b.args()));
            }
        }
        assertThat(open).as("slices left open on %s", track).isEmpty();
        return out;
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
            List<Slice> levels = slices(proto, el).stream().filter(sl -> sl.depth() == 0).toList();
            assertThat(levels).as("CPU %d: off, on in EL1, off", cpu).extracting(Slice::name).containsExactly("off", "EL1", "off");
            assertThat(levels).extracting(Slice::start).containsExactly(0L, onNs, offNs);
            assertThat(levels).extracting(Slice::end).containsExactly(onNs, offNs, end);
            // its CPU_OFF: its last event, a PSCI call (the HVC exit, then the call)
            List<TraceEvent> calls = on(exits, "i").stream().filter(e -> !e.name().startsWith("power")).toList();
            assertThat(calls.subList(calls.size() - 2, calls.size())).extracting(TraceEvent::name).containsExactly("HVC", "PSCI CPU_OFF");
            assertThat(calls.getLast().ns()).isEqualTo(offNs);
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
            List<Slice> levels = slices(proto, label).stream().filter(sl -> sl.depth() == 0).toList();
            assertThat(java.util.stream.IntStream.range(0, lane.size()).mapToObj(i -> index.nameAt(lane, i)).toList())
                    .isEqualTo(levels.stream().map(Slice::name).toList());
            assertThat(java.util.stream.IntStream.range(0, lane.size()).mapToLong(i -> lane.start[i]).boxed().toList())
                    .isEqualTo(levels.stream().map(Slice::start).toList());
            assertThat(lane.end[lane.size() - 1]).isEqualTo(levels.getLast().end());
            String exitsLabel = "CPU " + cpu + " exits";
            TimelineIndex.Lane exits = index.lanes().stream().filter(l -> l.label().equals(exitsLabel)).findFirst().orElseThrow();
            List<String> names = java.util.stream.IntStream.range(0, exits.size()).mapToObj(i -> index.nameAt(exits, i)).toList();
            assertThat(names).containsOnlyOnce("power on", "power off");
        }
        assertThat(index.instantCounts()).containsEntry("CPU 2 exits: power on", 1L).containsEntry("CPU 2 exits: power off", 1L);
    }
}
