package io.deja.analysis.perfetto;

import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.ResultFormat;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline of a recording of kernels/timer_irq.S (five virtual-timer
 * interrupts at 100 Hz, WFI between them), written in both formats, read back
 * with independent readers and checked against the same facts in SQL.
 */
class PerfettoExportTest {
    @TempDir
    static Path tmp;
    static Path rec;
    static List<TraceEvent> proto, json;
    static Database db;

    @BeforeAll
    static void recordAndExport() throws IOException {
        rec = tmp.resolve("timer");
        Path image = Kernels.virtBin("timer_irq");
        Recorder.create(rec, MachineConfig.of(Board.VIRT, Files.readAllBytes(image)), image, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(50_000_000)).run();
        PerfettoExport.Result p = PerfettoExport.export(rec, tmp.resolve("t.perfetto-trace"), PerfettoExport.Options.whole());
        PerfettoExport.Result j = PerfettoExport.export(rec, tmp.resolve("t.json"), PerfettoExport.Options.whole());
        assertThat(p.format()).isEqualTo(TraceFormat.PROTOBUF);
        assertThat(j.format()).isEqualTo(TraceFormat.JSON);
        proto = ProtoTrace.read(Files.readAllBytes(p.file()));
        json = JsonTrace.read(j.file());
        assertThat(p.traceEvents()).isEqualTo(proto.size());
        Exporter.export(rec, Query.defaultExportDir(rec));
        db = Database.open(Query.defaultExportDir(rec));
    }

    static List<List<Long>> sql(String query) {
        return Query.run(db, query).rows().stream().map(r -> Arrays.stream(r).map(v -> Long.parseLong(ResultFormat.text(v))).toList()).toList();
    }

    static List<TraceEvent> on(List<TraceEvent> events, String track, String ph) {
        return events.stream().filter(e -> e.track().equals(track) && e.ph().equals(ph)).toList();
    }

    @Test
    void bothFormatsHoldTheSameTimeline() {
        assertThat(json).isEqualTo(proto);
    }

    @Test
    void everyTrackIsInTimeOrderAndItsSlicesNest() {
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
        assertThat(last.keySet()).contains("CPU 0 exception level", "CPU 0 handlers", "CPU 0 exits", "CPU 0 MMIO", "console",
                "interrupts per virtual ms");
    }

    @Test
    void interruptHandlersAreSlicesFromEntryToEretWithTheirIntid() {
        List<List<Long>> irqs = sql("""
                SELECT i.icount, i.intid, (SELECT min(e.icount) FROM erets e WHERE e.icount > i.icount) FROM interrupts i ORDER BY i.icount""");
        assertThat(irqs).hasSize(5);
        List<long[]> slices = slices(proto, "CPU 0 handlers");
        assertThat(slices).hasSize(5);
        List<TraceEvent> begins = on(proto, "CPU 0 handlers", "B");
        for (int k = 0; k < 5; k++) {
            TraceEvent b = begins.get(k);
            assertThat(b.name()).isEqualTo("IRQ " + irqs.get(k).get(1));
            assertThat(b.arg("intid")).isEqualTo(irqs.get(k).get(1)).isEqualTo(27);
            assertThat(b.arg("icount")).isEqualTo(irqs.get(k).get(0));
            // No sleep inside a handler: its length is its instructions at 16 ns each (62.5 MHz).
            assertThat(slices.get(k)[1] - slices.get(k)[0]).isEqualTo((irqs.get(k).get(2) - irqs.get(k).get(0)) * 16);
        }
        // 100 Hz in virtual time: 10 ms between ticks (the WFI sleeps are on the clock).
        for (int k = 1; k < 5; k++) {
            assertThat(slices.get(k)[0] - slices.get(k - 1)[0]).isBetween(9_900_000L, 10_100_000L);
        }
    }

    @Test
    void wfiSleepsAreSlicesInsideEl1AsLongAsTheCyclesSlept() {
        // A WFI exit carries the virtual time its sleep ended at: arg0 - icount is the cycles slept so far.
        List<List<Long>> wfi = sql("SELECT count(*) FILTER (WHERE slept > coalesce(before, 0)), max(slept) FROM ("
                + "SELECT arg0 - icount AS slept, lag(arg0 - icount) OVER (ORDER BY icount) AS before FROM exits WHERE kind_name = 'WFI')");
        List<TraceEvent> begins = on(proto, "CPU 0 exception level", "B");
        assertThat(begins.stream().filter(e -> e.name().equals("WFI")).count()).isEqualTo(wfi.get(0).get(0)).isPositive();
        long sleptNs = 0;
        Deque<TraceEvent> open = new ArrayDeque<>();
        for (TraceEvent e : proto) {
            if (!e.track().equals("CPU 0 exception level")) continue;
            if (e.ph().equals("B")) {
                if (e.name().equals("WFI")) assertThat(open.peek().name()).isEqualTo("EL1");
                open.push(e);
            } else {
                TraceEvent b = open.pop();
                if (b.name().equals("WFI")) sleptNs += e.ns() - b.ns();
            }
        }
        assertThat(sleptNs).isEqualTo(wfi.get(0).get(1) * 16);
        // timer_irq never leaves EL1.
        assertThat(begins.stream().map(TraceEvent::name).distinct()).containsExactlyInAnyOrder("EL1", "WFI");
    }

    @Test
    void consoleLinesAreInstantsWithTheirTextAtTheirFirstByte() {
        List<String> text = Query.run(db, "SELECT text FROM console ORDER BY line").rows().stream().map(r -> ResultFormat.text(r[0])).toList();
        List<List<Long>> icounts = sql("SELECT icount FROM console ORDER BY line");
        List<TraceEvent> lines = on(proto, "console", "i").stream().filter(e -> e.args().containsKey("line")).toList();
        assertThat(lines.stream().map(TraceEvent::name).toList()).isEqualTo(text).contains("tick 3");
        for (int k = 0; k < lines.size(); k++) assertThat(lines.get(k).arg("icount")).isEqualTo(icounts.get(k).get(0));
        assertThat(on(proto, "console", "i").getLast().name()).isEqualTo("end: shutdown");
    }

    @Test
    void countersAddUpToTheInterruptsAndExceptions() {
        long irqs = on(proto, "interrupts per virtual ms", "C").stream().mapToLong(e -> e.arg("value")).sum();
        long excs = on(proto, "exceptions per virtual ms", "C").stream().mapToLong(e -> e.arg("value")).sum();
        assertThat(irqs).isEqualTo(sql("SELECT count(*) FROM interrupts").get(0).get(0));
        assertThat(excs).isEqualTo(sql("SELECT count(*) FROM exceptions").get(0).get(0));
    }

    @Test
    void exitsAndMmioAccessesAreInstantsWithTheirArguments() {
        List<List<Long>> mmio = sql("SELECT icount, dev_offset, value FROM mmio ORDER BY icount, rowid");
        List<TraceEvent> accesses = on(proto, "CPU 0 MMIO", "i");
        assertThat(accesses).hasSize(mmio.size()).isNotEmpty();
        for (int k = 0; k < mmio.size(); k++) {
            assertThat(List.of(accesses.get(k).arg("icount"), accesses.get(k).arg("offset"), accesses.get(k).arg("value"))).isEqualTo(mmio.get(k));
        }
        List<List<Long>> writes = sql("SELECT icount, arg0, arg2 FROM exits WHERE kind_name = 'MMIO write' ORDER BY icount");
        List<TraceEvent> exitWrites = on(proto, "CPU 0 exits", "i").stream().filter(e -> e.name().equals("MMIO write")).toList();
        assertThat(exitWrites).hasSize(writes.size()).isNotEmpty();
        for (int k = 0; k < writes.size(); k++) {
            assertThat(List.of(exitWrites.get(k).arg("icount"), exitWrites.get(k).arg("address"), exitWrites.get(k).arg("value"))).isEqualTo(writes.get(k));
        }
    }

    @Test
    void aWindowKeepsWhatHappensInsideItAndCutsSlicesAtItsEdges() throws IOException {
        List<List<Long>> irqs = sql("SELECT icount FROM interrupts ORDER BY icount");
        long from = irqs.get(2).get(0), to = irqs.get(2).get(0) + 5;
        Path f = tmp.resolve("window.perfetto-trace");
        PerfettoExport.export(rec, f, new PerfettoExport.Options(from, to, List.of()));
        List<TraceEvent> w = ProtoTrace.read(Files.readAllBytes(f));
        List<TraceEvent> handlers = on(w, "CPU 0 handlers", "B");
        assertThat(handlers).hasSize(1);
        assertThat(handlers.getFirst().arg("icount")).isEqualTo(irqs.get(2).get(0));
        // The handler runs past the window's end: its slice is cut there, and nothing is drawn after it.
        List<long[]> s = slices(w, "CPU 0 handlers");
        assertThat(s.getFirst()[1] - s.getFirst()[0]).isEqualTo(5 * 16);
        long end = w.stream().mapToLong(TraceEvent::ns).max().orElseThrow();
        assertThat(end).isEqualTo(s.getFirst()[1]);
        assertThat(on(w, "CPU 0 exception level", "B").getFirst().name()).isEqualTo("EL1");
        assertThat(on(w, "console", "i")).isEmpty();

        // A window that starts inside a handler draws it from the window's start.
        PerfettoExport.export(rec, f, new PerfettoExport.Options(irqs.get(2).get(0) + 2, Long.MAX_VALUE, List.of()));
        List<TraceEvent> inside = ProtoTrace.read(Files.readAllBytes(f));
        List<TraceEvent> cut = on(inside, "CPU 0 handlers", "B");
        assertThat(cut).hasSize(3);
        assertThat(cut.getFirst().name()).isEqualTo("IRQ 27");
        assertThat(cut.getFirst().ns()).isEqualTo(inside.stream().mapToLong(TraceEvent::ns).min().orElseThrow());
        assertThat(on(inside, "console", "i").stream().map(TraceEvent::name)).contains("tick 3", "tick 5", "done");
    }

    @Test
    void stagesAreSlicesOverTheirIcountRanges() throws IOException {
        List<List<Long>> irqs = sql("SELECT icount FROM interrupts ORDER BY icount");
        long first = irqs.get(0).get(0), last = irqs.get(4).get(0);
        Path f = tmp.resolve("stages.json");
        PerfettoExport.export(rec, f, new PerfettoExport.Options(0, Long.MAX_VALUE, List.of(
                new Stage("until the first tick", 0, first), new Stage("ticks", first, last), new Stage("tick 2 to 3", irqs.get(1).get(0), irqs.get(2).get(0)))));
        List<TraceEvent> t = JsonTrace.read(f);
        List<TraceEvent> stages = on(t, "stages", "B");
        assertThat(stages.stream().map(TraceEvent::name)).containsExactly("until the first tick", "ticks", "tick 2 to 3");
        // A stage begins where the handler of the interrupt at its first icount does.
        List<TraceEvent> handlers = on(t, "CPU 0 handlers", "B");
        assertThat(stages.get(1).ns()).isEqualTo(handlers.get(0).ns());
        assertThat(stages.get(2).ns()).isEqualTo(handlers.get(1).ns());
        List<long[]> s = slices(t, "stages");
        assertThat(s.get(1)[1]).isEqualTo(handlers.get(4).ns());
    }

    @Test
    void jsonEscapesGuestText() throws IOException {
        Path f = tmp.resolve("escape.json");
        String nasty = "quote \" backslash \\ newline \n bell \u0007 del \u007f sep \u2028 é";
        try (TraceWriter w = TraceFormat.JSON.open(Files.newOutputStream(f))) {
            w.group(1, "run");
            w.track(2, 1, "console \"x\"", false);
            w.instant(2, 1000, nasty, false, new Args().text("text", nasty));
        }
        TraceEvent e = JsonTrace.read(f).getFirst();
        assertThat(e.name()).isEqualTo(nasty);
        assertThat(e.args().get("text")).isEqualTo(nasty);
        assertThat(e.track()).isEqualTo("console \"x\"");
    }

    /** [begin, end] of each slice on a track, in the order they begin. */
    static List<long[]> slices(List<TraceEvent> events, String track) {
        List<long[]> out = new ArrayList<>();
        Deque<long[]> open = new ArrayDeque<>();
        for (TraceEvent e : events) {
            if (!e.track().equals(track)) continue;
            if (e.ph().equals("B")) {
                long[] s = {e.ns(), -1};
                out.add(s);
                open.push(s);
            } else if (e.ph().equals("E")) {
                open.pop()[1] = e.ns();
            }
        }
        return out;
    }
}
