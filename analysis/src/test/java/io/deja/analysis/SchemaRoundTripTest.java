package io.deja.analysis;

import io.deja.analysis.export.Exporter;
import io.deja.analysis.schema.Column;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import io.deja.core.trace.CpuBoundSink;
import io.deja.core.trace.EventField;
import io.deja.core.trace.EventType;
import io.deja.core.trace.SlotSink;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordingWriter;
import io.deja.replayer.ComparingSink;
import io.deja.replayer.Divergence;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every event type of the declaration (events.schema), generated from its
 * fields alone, goes through the whole chain: the TraceSink call into the
 * encoder, the decoder, the replay comparison (which must accept it as it is
 * and reject a change in any compared field or in its CPU), and the export
 * (every recorded column of its table, and the cpu column). A new event type
 * is covered without a line here.
 */
class SchemaRoundTripTest {
    @TempDir
    static Path tmp;
    static Path dir;
    static RecordingHeader header;
    /** Every event written, in order: each type on CPU 0 then on CPU 3, END last. */
    static final List<RecordedEvent> events = new ArrayList<>();

    static final int OTHER_CPU = 3;

    @BeforeAll
    static void record() {
        long icount = 10;
        for (EventType t : EventType.values()) {
            if (t == EventType.END) continue;
            events.add(sample(t, 0, icount++));
            events.add(sample(t, OTHER_CPU, icount++));
        }
        events.add(sample(EventType.END, 0, icount));
        dir = tmp.resolve("rec");
        header = SyntheticTrace.header(TraceLevel.FULL, OptionalLong.empty());
        try (RecordingWriter w = RecordingWriter.open(dir, header)) {
            for (RecordedEvent e : events) SlotSink.call(w.sinkForCpu(e.cpu()), e.type(), e.values(), e.data());
        }
    }

    /** An event of type t whose every field holds a value of its type (codes from its table, register numbers that exist). */
    static RecordedEvent sample(EventType t, int cpu, long icount) {
        long[] v = new long[t.size()];
        byte[] data = null;
        v[0] = icount;
        for (int f = 1; f < t.size(); f++) {
            EventField field = t.fields.get(f);
            long k = icount * 7 + f;
            v[f] = switch (field.type()) {
                case U8 -> switch (field.display()) {
                    case CODES -> field.codes().codes()[(int) (k % field.codes().codes().length)];
                    case DEVICE -> k % SyntheticTrace.DEVICES.size();
                    case REG -> k % (TraceSink.REG_FPSR + 1);
                    case VREG -> k % 32;
                    // Console bytes are exported as lines: one newline, one line per event.
                    case CHAR -> '\n';
                    default -> (k * 37) & 0xFF;
                };
                case BOOL -> k & 1;
                case I32 -> (int) (0x9e37_79b9L * k);
                case I64 -> cpu == 0 ? Long.MIN_VALUE + k : 0x9e37_79b9_7f4a_7c15L * k;
                case PC -> 0xffff_0000_4008_0000L + 4 * k;
                case BYTES -> 0;
                case LONGS -> 0;
            };
            if (f == t.payload) {
                data = switch (field.type()) {
                    case BYTES -> ("é" + icount + "\n").getBytes(StandardCharsets.UTF_8);
                    default -> {
                        long[] longs = new long[io.deja.core.trace.CheckpointRegisters.COUNT];
                        for (int i = 0; i < longs.length; i++) longs[i] = 0x0101_0101_0101_0101L * (i + k);
                        yield SlotSink.bytesOf(longs);
                    }
                };
            }
        }
        return new RecordedEvent(t, cpu, v, data);
    }

    @Test
    void theDeclarationCoversEveryTypeTwiceOnTwoCpus() {
        assertThat(events).hasSize(2 * EventType.values().length - 1);
        assertThat(events).extracting(RecordedEvent::cpu).contains(0, OTHER_CPU);
    }

    @Test
    void theDecoderReadsBackEveryEventWithItsCpu() {
        List<RecordedEvent> read = new ArrayList<>();
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            while (c.next()) read.add(RecordedEvent.of(c));
        }
        assertThat(read).containsExactlyElementsOf(events);
    }

    /** Feeds the events to a comparison with the recording, changing event number changed with change. */
    private static void replay(int changed, java.util.function.UnaryOperator<RecordedEvent> change) {
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            ComparingSink sink = new ComparingSink(c, header, null);
            for (int i = 0; i < events.size(); i++) {
                RecordedEvent e = i == changed ? change.apply(events.get(i)) : events.get(i);
                TraceSink on = new CpuBoundSink(sink, e.cpu());
                SlotSink.call(on, e.type(), e.values(), e.data());
            }
            assertThat(sink.compared()).isEqualTo(events.size());
        }
    }

    @Test
    void theReplayComparisonAcceptsTheRecordedEvents() {
        replay(-1, null);
    }

    @Test
    void theReplayComparisonRejectsAChangeInAnyComparedFieldOrTheCpu() {
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent e = events.get(i);
            EventType t = e.type();
            int index = i;
            assertThatThrownBy(() -> replay(index, x -> new RecordedEvent(t, x.cpu() + 1, x.values(), x.data())))
                    .as("%s on another CPU", t).isInstanceOf(Divergence.class);
            for (int f = 0; f < t.size(); f++) {
                if (!t.compares(f)) continue;
                int field = f;
                Divergence d = null;
                try {
                    replay(index, x -> changed(x, field));
                } catch (Divergence caught) {
                    d = caught;
                }
                if (d == null) fail("%s.%s changed, yet replay found no divergence", t, t.fields.get(f).name());
                assertThat(d.expected()).as("%s.%s", t, t.fields.get(f).name()).isEqualTo(e);
            }
        }
    }

    /** e with field f changed within its type's range. */
    private static RecordedEvent changed(RecordedEvent e, int f) {
        long[] v = e.values();
        byte[] data = e.data();
        switch (e.type().type(f)) {
            case U8 -> v[f] = (v[f] ^ 1) & 0xFF;
            case BOOL -> v[f] = 1 - v[f];
            case BYTES, LONGS -> data[data.length - 1] ^= 1;
            default -> v[f] ^= 1;
        }
        return new RecordedEvent(e.type(), e.cpu(), v, data);
    }

    @Test
    void theExportHasEveryRecordedColumnAndTheCpu() throws IOException {
        Path arrow = tmp.resolve("arrow");
        Exporter.export(dir, arrow);
        for (EventType t : EventType.values()) {
            if (t == EventType.END) continue;
            TableDef table = Tables.of(t);
            List<RecordedEvent> expected = events.stream().filter(e -> e.type() == t).toList();
            List<List<Object>> rows = rows(arrow, table);
            assertThat(rows).as(table.name()).hasSize(expected.size());
            for (int r = 0; r < rows.size(); r++) {
                RecordedEvent e = expected.get(r);
                for (int col = 0; col < table.columns().size(); col++) {
                    Column c = table.columns().get(col);
                    if (c.derived()) continue;
                    Object cell = rows.get(r).get(col);
                    String what = table.name() + "." + c.name() + " row " + r;
                    if (c.field() == Column.CPU) {
                        assertThat(cell).as(what).isEqualTo(e.cpu());
                    } else if (c.field() == t.payload) {
                        assertThat((byte[]) cell).as(what).isEqualTo(e.data());
                    } else if (cell instanceof Boolean b) {
                        assertThat(b ? 1L : 0L).as(what).isEqualTo(e.values()[c.field()]);
                    } else {
                        assertThat(((Number) cell).longValue()).as(what).isEqualTo(e.values()[c.field()]);
                    }
                }
            }
        }
    }

    /** All rows of an exported table, each as its column values (dictionary columns as indices). */
    private static List<List<Object>> rows(Path arrow, TableDef t) throws IOException {
        List<List<Object>> out = new ArrayList<>();
        try (BufferAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(arrow.resolve(t.fileName()));
             ArrowFileReader r = new ArrowFileReader(ch, a)) {
            while (r.loadNextBatch()) {
                VectorSchemaRoot root = r.getVectorSchemaRoot();
                for (int i = 0; i < root.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector v : root.getFieldVectors()) row.add(v.getObject(i));
                    out.add(row);
                }
            }
        }
        return out;
    }

    @Test
    void aTypeNobodyHandlesByHandIsStillNamedAndDisplayed() {
        // Every field of every type formats and every naming display names: no switch on field names anywhere.
        for (RecordedEvent e : events) {
            String s = e.describe(SyntheticTrace.DEVICES);
            assertThat(s).startsWith(e.type().name() + " icount=" + e.icount() + " cpu=" + e.cpu());
            for (EventField f : e.type().fields) assertThat(s).contains(" " + f.name() + "=");
        }
        assertThat(Arrays.stream(EventType.values()).map(t -> t.table).distinct()).hasSize(EventType.values().length);
    }
}
