package io.deja.analysis.perfetto;

import io.deja.analysis.Json;
import io.deja.analysis.export.Exporter;
import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.ResultFormat;
import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The UI's timeline index of a recording of kernels/timer_irq.S: it holds the
 * export's slices (checked against the SQL tables), and a view at any zoom
 * accounts for every event exactly once while sending at most a few items
 * per bucket.
 */
class TimelineIndexTest {
    @TempDir
    static Path tmp;
    static Path rec;
    static TimelineIndex index;
    static Database db;

    @BeforeAll
    static void record() throws IOException {
        rec = tmp.resolve("timer");
        Path image = Kernels.virtBin("timer_irq");
        Recorder.create(rec, MachineConfig.of(Board.VIRT, Files.readAllBytes(image)), image, new ByteArrayOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withMaxInstructions(50_000_000)).run();
        index = TimelineIndex.build(rec, List.of(new Stage("all", 0, 500)));
        Exporter.export(rec, Query.defaultExportDir(rec));
        db = Database.open(Query.defaultExportDir(rec));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static long sqlLong(String q) {
        return Long.parseLong(ResultFormat.text(Query.run(db, q).rows().getFirst()[0]));
    }

    static TimelineIndex.Lane lane(String label) {
        return index.lanes().stream().filter(l -> l.label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void handlerSlicesAreTheInterruptsOfTheSqlTables() {
        long irqs = sqlLong("SELECT count(*) FROM interrupts");
        assertThat(irqs).isPositive();
        assertThat(index.sliceCounts("handlers").get("IRQ 27")).isEqualTo(irqs);
        TimelineIndex.Lane handlers = lane("CPU 0 handlers");
        long firstIrqIcount = sqlLong("SELECT min(icount) FROM interrupts");
        // timer_irq sleeps in WFI, so a handler's virtual time is at least its icount's cycles
        assertThat(handlers.start[0]).isGreaterThanOrEqualTo(firstIrqIcount * 16);
    }

    @Test
    void consoleLinesCarryTheIcountsOfTheSqlConsole() {
        List<String> sql = Query.run(db, "SELECT icount, text FROM console_lines ORDER BY icount").rows().stream()
                .map(r -> ResultFormat.text(r[0]) + " " + r[1]).toList();
        List<String> ours = index.console().stream().map(l -> l.icount() + " " + l.text()).toList();
        assertThat(ours).isEqualTo(sql).isNotEmpty();
    }

    @Test
    void everyViewCountsEveryEventOnceAndStaysSmall() {
        for (int buckets : new int[] {1, 3, 50, 1000, 20_000}) {
            Json j = new Json();
            index.view(index.startNs(), index.endNs(), buckets, j);
            List<List<long[]>> lanes = parseLanes(j.toString());
            assertThat(lanes).hasSize(index.lanes().size());
            for (int k = 0; k < lanes.size(); k++) {
                TimelineIndex.Lane l = index.lanes().get(k);
                if (l.kind() == TimelineIndex.Kind.COUNTER) continue;
                long counted = lanes.get(k).stream().mapToLong(item -> item[3]).sum();
                assertThat(counted).as("events of %s at %d buckets", l.label(), buckets).isEqualTo(l.size());
                assertThat(lanes.get(k).size()).as("items of %s at %d buckets", l.label(), buckets).isLessThanOrEqualTo(2 * buckets + 2);
                long previousIndex = -1;
                for (long[] item : lanes.get(k)) {
                    assertThat(item[4]).isGreaterThan(previousIndex);
                    previousIndex = item[4];
                }
            }
        }
    }

    @Test
    void aWindowKeepsTheSlicesThatOverlapIt() {
        TimelineIndex.Lane handlers = lane("CPU 0 handlers");
        long s = handlers.start[1], e = handlers.end[1];
        Json j = new Json();
        index.view(s + 1, e - 1, 100, j);
        List<long[]> items = parseLanes(j.toString()).get(index.lanes().indexOf(handlers));
        assertThat(items).hasSize(1);
        assertThat(items.getFirst()).containsExactly(s, e, handlers.name[1], 1, 1);
        Json d = new Json();
        index.detailsJson(index.lanes().indexOf(handlers), 1, d);
        assertThat(d.toString()).contains("\"name\": \"IRQ 27\"").contains("\"intid\": 27");
    }

    @Test
    void badWindowsAreRefused() {
        assertThatThrownBy(() -> index.view(10, 10, 5, new Json())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.view(0, 10, 0, new Json())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.detailsJson(0, -1, new Json())).isInstanceOf(IllegalArgumentException.class);
    }

    /** The "lanes" array of a view: per lane, its items as numbers. */
    static List<List<long[]>> parseLanes(String json) {
        int at = json.indexOf("\"lanes\": [") + "\"lanes\": [".length();
        int end = json.indexOf("], \"names\"");
        String body = json.substring(at, end);
        List<List<long[]>> lanes = new ArrayList<>();
        int depth = 0;
        List<long[]> current = null;
        StringBuilder item = null;
        for (char c : body.toCharArray()) {
            if (c == '[') {
                depth++;
                if (depth == 1) current = new ArrayList<>();
                else item = new StringBuilder();
            } else if (c == ']') {
                if (depth == 2) {
                    Matcher m = Pattern.compile("-?\\d+").matcher(item);
                    List<Long> nums = new ArrayList<>();
                    while (m.find()) nums.add(Long.parseLong(m.group()));
                    current.add(nums.stream().mapToLong(Long::longValue).toArray());
                } else {
                    lanes.add(current);
                }
                depth--;
            } else if (depth == 2) {
                item.append(c);
            }
        }
        return lanes;
    }
}
