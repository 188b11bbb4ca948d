package io.deja.analysis.perfetto;

import io.deja.analysis.perfetto.SmpTimelineTest.Slice;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline of kernels/smp_psci on two CPUs, checked against the SQL
 * tables (psci_calls, slices, runs): CPU 1 is powered on, off, on again,
 * suspended and woken by an SGI, then suspended for good while CPU 0 powers
 * the machine off. CPU 1's exception-level track is "off" before each
 * power-on and after its CPU_OFF, and holds a "suspended" slice per
 * CPU_SUSPEND, from the call to the slice it woke in, and to the end of the
 * run for the one nothing woke (which is not drawn as powered off).
 */
class PsciTimelineTest {
    @TempDir
    static Path tmp;
    static Path rec;
    static List<TraceEvent> proto, json;
    static TimelineIndex index;
    /** The PSCI calls in the machine's order: cpu, function_name, cycles, wake_cycles, wake_name, target, result. */
    static List<Object[]> calls;
    /** CPU 1's slices: icount, cycles, total. */
    static List<long[]> cpu1Slices;
    static long endCycles;
    /** Per CPU_SUSPEND: wake_name, wake_cycles, cycles_at the instruction after the call, the cycles of a slice starting there. */
    static List<Object[]> suspendClock;

    @BeforeAll
    static void recordExportAndQuery() throws IOException {
        rec = tmp.resolve("smp_psci");
        Path image = Kernels.virtBin("smp_psci");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Recorder.create(rec, MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withCpus(2), image, console,
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(10_000_000)).run();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo(Kernels.golden("smp_psci"));
        PerfettoExport.Result p = PerfettoExport.export(rec, tmp.resolve("t.perfetto-trace"), PerfettoExport.Options.whole());
        PerfettoExport.Result j = PerfettoExport.export(rec, tmp.resolve("t.json"), PerfettoExport.Options.whole());
        proto = ProtoTrace.read(Files.readAllBytes(p.file()));
        json = JsonTrace.read(j.file());
        index = TimelineIndex.build(rec, List.of());
        Path arrow = tmp.resolve("arrow");
        Query.ensureExported(rec, arrow);
        try (Database db = Database.open(arrow)) {
            calls = Query.run(db, "SELECT cpu, function_name, cycles, wake_cycles, wake_name, target, result FROM psci_calls ORDER BY total").rows();
            cpu1Slices = new ArrayList<>();
            for (Object[] r : Query.run(db, "SELECT icount, cycles, total FROM slices WHERE cpu = 1 ORDER BY total").rows()) {
                cpu1Slices.add(new long[] {num(r[0]), num(r[1]), num(r[2])});
            }
            endCycles = num(Query.run(db, "SELECT cycles FROM runs").rows().getFirst()[0]);
            suspendClock = Query.run(db, "SELECT wake_name, wake_cycles, cycles_at(icount, cpu := cpu), "
                    + "(SELECT min(s.cycles) FROM slices s WHERE s.cpu = p.cpu AND s.icount = p.icount) "
                    + "FROM psci_calls p WHERE function_name = 'CPU_SUSPEND' ORDER BY total").rows();
        }
    }

    static long num(Object o) {
        return ((Number) o).longValue();
    }

    /** Virtual time in ns of the idx-th call of this function (by the machine's order). */
    static long callNs(String function, int idx) {
        return num(calls(function).get(idx)[2]) * PerfettoExport.NS_PER_CYCLE;
    }

    static List<Object[]> calls(String function) {
        return calls.stream().filter(r -> r[1].equals(function)).toList();
    }

    @Test
    void theCallsAreTheKernelsInOrder() {
        assertThat(calls.stream().map(r -> r[0] + " " + r[1]).toList()).containsExactly(
                "0 CPU_ON", "1 CPU_OFF", "0 AFFINITY_INFO", "0 CPU_ON", "1 CPU_SUSPEND", "1 CPU_SUSPEND", "0 AFFINITY_INFO", "0 SYSTEM_OFF");
        assertThat(calls("CPU_ON")).allSatisfy(r -> {
            assertThat(num(r[5])).as("target").isEqualTo(1);
            assertThat(num(r[6])).as("SUCCESS").isZero();
        });
        // both suspends outlast CPU 1's slice: the first is woken in a later slice, the second never
        assertThat(calls("CPU_SUSPEND")).extracting(r -> r[4]).containsExactly("later", "later");
    }

    @Test
    void bothFormatsHoldTheSameTimelineInTimeOrder() {
        assertThat(json).isEqualTo(proto);
        SmpTimelineTest.slices(proto, "CPU 0 exception level");
        SmpTimelineTest.slices(proto, "CPU 1 exception level");
        for (String track : List.of("CPU 1 exception level", "CPU 1 exits", "CPU 0 exception level", "console")) {
            List<Long> times = proto.stream().filter(e -> e.track().equals(track)).map(TraceEvent::ns).toList();
            assertThat(times).as(track).isSorted();
        }
    }

    @Test
    void cpu1IsOffOnOffOnThenSuspendedTwice() {
        List<Slice> el = SmpTimelineTest.slices(proto, "CPU 1 exception level");
        List<Slice> levels = el.stream().filter(s -> s.depth() == 0).toList();
        long on1 = callNs("CPU_ON", 0), off = callNs("CPU_OFF", 0), on2 = callNs("CPU_ON", 1);
        long end = endCycles * PerfettoExport.NS_PER_CYCLE;
        assertThat(levels).extracting(Slice::name).containsExactly("off", "EL1", "off", "EL1");
        assertThat(levels).extracting(Slice::start).containsExactly(0L, on1, off, on2);
        assertThat(levels).extracting(Slice::end).containsExactly(on1, off, on2, end);
        // a CPU powered on starts at its caller's time: its slice after each CPU_ON says so
        assertThat(cpu1Slices.getFirst()[1] * PerfettoExport.NS_PER_CYCLE).isEqualTo(on1);

        List<Slice> suspended = el.stream().filter(s -> s.depth() == 1).toList();
        assertThat(suspended).extracting(Slice::name).containsExactly("suspended", "suspended");
        long suspend1 = callNs("CPU_SUSPEND", 0), suspend2 = callNs("CPU_SUSPEND", 1);
        assertThat(suspended).extracting(Slice::start).containsExactly(suspend1, suspend2);
        // the first ends where CPU 1 next ran: its first slice after the call (by the machine's order)
        long callTotal = totalOf("CPU_SUSPEND", 0);
        long woke = cpu1Slices.stream().filter(s -> s[2] > callTotal).findFirst().orElseThrow()[1] * PerfettoExport.NS_PER_CYCLE;
        assertThat(woke).isGreaterThan(suspend1);
        assertThat(suspended.getFirst().end()).isEqualTo(woke);
        // the second lasts to the end of the run: CPU 1 was asleep, not off, when the machine powered off
        assertThat(suspended.getLast().end()).isEqualTo(end);
        assertThat(suspended).allSatisfy(s -> assertThat(s.args().get("wake")).startsWith("at its next slice"));
    }

    /** A window opened while CPU 1 is off starts its track "off"; one inside the last suspend starts it suspended. */
    @Test
    void aWindowStartsACpuInTheStateItIsIn() throws IOException {
        long offTotal = totalOf("CPU_OFF", 0), onTotal = totalOf("CPU_ON", 1);
        List<TraceEvent> offWindow = ProtoTrace.read(Files.readAllBytes(PerfettoExport.export(rec, tmp.resolve("off.perfetto-trace"),
                new PerfettoExport.Options((offTotal + onTotal) / 2, Long.MAX_VALUE, List.of())).file()));
        List<Slice> levels = SmpTimelineTest.slices(offWindow, "CPU 1 exception level").stream().filter(s -> s.depth() == 0).toList();
        assertThat(levels).extracting(Slice::name).containsExactly("off", "EL1");
        assertThat(levels.get(1).start()).isEqualTo(callNs("CPU_ON", 1));

        long suspended = totalOf("CPU_SUSPEND", 1);
        List<TraceEvent> sleepWindow = ProtoTrace.read(Files.readAllBytes(PerfettoExport.export(rec, tmp.resolve("asleep.perfetto-trace"),
                new PerfettoExport.Options(suspended + 1000, Long.MAX_VALUE, List.of())).file()));
        List<Slice> el = SmpTimelineTest.slices(sleepWindow, "CPU 1 exception level");
        assertThat(el).extracting(Slice::name).containsExactly("EL1", "suspended");
        assertThat(el.get(1).end()).isEqualTo(el.get(0).end()).isEqualTo(endCycles * PerfettoExport.NS_PER_CYCLE);
    }

    static long totalOf(String function, int idx) {
        try (Database db = Database.open(tmp.resolve("arrow"))) {
            return num(Query.run(db, "SELECT total FROM psci_calls WHERE function_name = '" + function + "' ORDER BY total").rows().get(idx)[0]);
        }
    }

    @Test
    void everyPowerOnAndOffIsAnInstantWithItsCall() {
        List<TraceEvent> on = PerfettoExportTest.on(proto, "CPU 1 exits", "i").stream().filter(e -> e.name().equals("power on")).toList();
        assertThat(on).extracting(TraceEvent::ns).containsExactly(callNs("CPU_ON", 0), callNs("CPU_ON", 1));
        assertThat(on).allSatisfy(e -> assertThat(e.arg("by_cpu")).isZero());
        assertThat(on.get(1).arg("cpu_on_global_icount")).isEqualTo(totalOf("CPU_ON", 1));
        // CPU_OFF, then the machine's power-off with CPU 1 suspended
        List<TraceEvent> off = PerfettoExportTest.on(proto, "CPU 1 exits", "i").stream().filter(e -> e.name().equals("power off")).toList();
        assertThat(off).extracting(TraceEvent::ns).containsExactly(callNs("CPU_OFF", 0), endCycles * PerfettoExport.NS_PER_CYCLE);
        // each call is an instant named by its function, on the caller's exits track
        assertThat(PerfettoExportTest.on(proto, "CPU 1 exits", "i").stream().map(TraceEvent::name).filter(n -> n.startsWith("PSCI ")).toList())
                .containsExactly("PSCI CPU_OFF", "PSCI CPU_SUSPEND", "PSCI CPU_SUSPEND");
        assertThat(PerfettoExportTest.on(proto, "CPU 0 exits", "i").stream().map(TraceEvent::name).filter(n -> n.startsWith("PSCI ")).toList())
                .containsExactly("PSCI CPU_ON", "PSCI AFFINITY_INFO", "PSCI CPU_ON", "PSCI AFFINITY_INFO", "PSCI SYSTEM_OFF");
    }

    /**
     * One CPU: a CPU_SUSPEND that the timer's interrupt ends is a "suspended" slice as long as the
     * sleep the PSCI event reports, and the CPU's clock follows at once (no checkpoint lies between
     * the sleep and the power-off: the instant of the next call is where psci_calls puts it).
     */
    @Test
    void oneCpusSuspendIsDrawnAsLongAsItsSleepAndTheClockFollowsAtOnce() throws IOException {
        byte[] image = io.deja.core.testing.GuestAssembler.assemble("""
                ldr x1, =0x08000000
                mov w2, #1
                str w2, [x1]
                mov w2, #(1 << 27)
                str w2, [x1, #0x100]
                ldr x1, =0x08010000
                mov w2, #0xf0
                str w2, [x1, #4]
                mov w2, #1
                str w2, [x1]
                ldr x0, =100000
                msr cntv_tval_el0, x0
                mov x0, #1
                msr cntv_ctl_el0, x0
                ldr x0, =0xc4000001
                mov x1, #0
                hvc #0
                ldr x0, =0x84000008
                hvc #0
                """, 0x4008_0000L);
        Path file = tmp.resolve("suspend.bin");
        Files.write(file, image);
        Path one = tmp.resolve("suspend");
        Recorder.create(one, MachineConfig.of(Board.VIRT, image), file, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(1000)).run();
        List<TraceEvent> events = ProtoTrace.read(Files.readAllBytes(
                PerfettoExport.export(one, tmp.resolve("suspend.perfetto-trace"), PerfettoExport.Options.whole()).file()));
        List<Object[]> rows;
        Path arrow = tmp.resolve("suspend-arrow");
        Query.ensureExported(one, arrow);
        try (Database db = Database.open(arrow)) {
            rows = Query.run(db, "SELECT cycles, wake_cycles, wake_name FROM psci_calls ORDER BY icount").rows();
        }
        assertThat(rows).hasSize(2);
        long call = num(rows.get(0)[0]), woke = num(rows.get(0)[1]), off = num(rows.get(1)[0]);
        assertThat(rows.get(0)[2]).isEqualTo("interrupt");
        assertThat(woke - call).as("slept until the timer's deadline").isGreaterThan(99_000L);
        List<Slice> suspended = SmpTimelineTest.slices(events, "CPU 0 exception level").stream().filter(sl -> sl.name().equals("suspended")).toList();
        assertThat(suspended).hasSize(1);
        assertThat(suspended.getFirst().start()).isEqualTo(call * PerfettoExport.NS_PER_CYCLE);
        assertThat(suspended.getFirst().end()).isEqualTo(woke * PerfettoExport.NS_PER_CYCLE);
        assertThat(suspended.getFirst().args()).containsEntry("wake", "interrupt");
        TraceEvent systemOff = PerfettoExportTest.on(events, "CPU 0 exits", "i").stream().filter(e -> e.name().equals("PSCI SYSTEM_OFF")).findFirst().orElseThrow();
        assertThat(systemOff.ns()).isEqualTo(off * PerfettoExport.NS_PER_CYCLE);
    }

    @Test
    void theUiIndexDrawsTheSameStates() {
        List<Slice> el = SmpTimelineTest.slices(proto, "CPU 1 exception level");
        for (int depth = 0; depth <= 1; depth++) {
            int d = depth;
            TimelineIndex.Lane lane = index.lanes().stream()
                    .filter(l -> l.label().startsWith("CPU 1 exception level") && l.depth == d).findFirst().orElseThrow();
            List<Slice> expected = el.stream().filter(s -> s.depth() == d).toList();
            assertThat(IntStream.range(0, lane.size()).mapToObj(i -> index.nameAt(lane, i)).toList())
                    .isEqualTo(expected.stream().map(Slice::name).toList());
            assertThat(IntStream.range(0, lane.size()).mapToObj(i -> lane.start(i) + ".." + lane.end(i)).toList())
                    .isEqualTo(expected.stream().map(s -> s.start() + ".." + s.end()).toList());
        }
        assertThat(index.instantCounts()).containsEntry("CPU 1 exits: power on", 2L).containsEntry("CPU 1 exits: power off", 2L)
                .containsEntry("CPU 1 exits: PSCI CPU_SUSPEND", 2L);
    }

    @Test
    void theQueryLibrarysClockKnowsWhenASuspendedCpuWoke() {
        assertThat(suspendClock).hasSize(2);
        for (Object[] r : suspendClock) {
            // cycles_at the instruction after the HVC: when the CPU woke, from the call's own event, or for a
            // suspend that outlasted its slice from the slice it woke in (the last one never woke: the run's end)
            long expected = r[0].equals("later") && r[3] != null ? num(r[3]) : num(r[1]);
            assertThat(num(r[2])).as(java.util.Arrays.toString(r)).isEqualTo(expected);
        }
        assertThat(num(suspendClock.getFirst()[2])).as("the first suspend ended after it began").isGreaterThan(num(calls("CPU_SUSPEND").getFirst()[2]));
    }
}
