package io.deja.recorder;

import io.deja.core.trace.TraceLevel;
import io.deja.recorder.TestRecordings.Event;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.deja.core.trace.EventType.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every event type, with edge values in every field, comes back from writer → reader exactly as written. */
class EventRoundTripTest {
    @TempDir
    Path tmp;

    private static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;

    @Test
    void headerComesBackAsWritten() {
        Path dir = tmp.resolve("rec");
        RecordingHeader h = TestRecordings.header(TraceLevel.FULL, dir).withMaxInstructions(77).withTrace(TraceLevel.FULL, 5, 9);
        try (RecordingWriter w = RecordingWriter.open(dir, h)) {
            w.end(0, 0, 1);
        }
        try (Recording r = Recording.open(dir)) {
            assertThat(r.header()).isEqualTo(h);
            assertThat(r.header().toMachineConfig(new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5}).commandLine()).isEqualTo("console=ttyAMA0 é");
        }
    }

    @Test
    void everyTypeWithEdgeValues() {
        List<Event> events = new ArrayList<>();
        long[] edges = {0, 1, -1, MIN, MAX, 0x8000_0000L, 0xFFFF_FFFFL, 0x7F, 0x80, 0x3FFF, 0x4000};
        for (long e : edges) {
            events.add(Event.of(EXIT, null, e, e, 255, e, MAX - e, MIN + e));
            events.add(Event.of(EXIT, null, e, e, 0, 0, 0, 0));
            events.add(Event.of(INTERRUPT, null, e, e, (int) e, 1, 255));
            events.add(Event.of(INTERRUPT, null, e, ~e, Integer.MIN_VALUE, 0, 0));
            events.add(Event.of(EXCEPTION, null, e, e, 0x3F, e, ~e, 0, 1));
            events.add(Event.of(MMIO, null, e, e, 254, e, 8, 1, ~e));
            events.add(Event.of(MMIO, null, e, e, 0, 0, 1, 0, e));
            events.add(Event.of(SYSREG_WRITE, null, e, e, 0xFFFF, e, ~e));
            events.add(Event.of(SYSREG_WRITE, null, e, e, Integer.MAX_VALUE, MIN, MAX));
            events.add(Event.of(INPUT, new byte[] {(byte) e, 0, (byte) 0xFF}, e, 0));
            events.add(Event.of(INPUT, new byte[0], e, 255));
            // A debugger's write: icount, cpu_icount, kind, target, then the bytes.
            events.add(Event.of(DEBUG_WRITE, new byte[] {(byte) e, 1, 2, 3, 4, 5, 6, (byte) 0x80}, e, ~e, 0, 30));
            events.add(Event.of(DEBUG_WRITE, new byte[16], e, e, io.deja.core.trace.TraceSink.DEBUG_V, 31));
            events.add(Event.of(DEBUG_WRITE, new byte[] {(byte) e}, e, MAX, io.deja.core.trace.TraceSink.DEBUG_MEMORY, e));
            events.add(Event.of(DEBUG_WRITE, new byte[0], e, 0, 255, MIN));
            // A PSCI call: icount, pc, function, function_id, target, result, wake, cycles, wake_cycles, total.
            events.add(Event.of(PSCI, null, e, e, 3, 0xC400_0003L, 1, 0, 0, e, e, e));
            events.add(Event.of(PSCI, null, e, ~e, 255, e, -1, -1, 255, MAX, MIN, ~e));
            events.add(Event.of(PSCI, null, e, 0, 1, MIN, Integer.MAX_VALUE, MIN, 4, 0, MAX, 0));
            events.add(Event.of(CONSOLE, null, e, 255));
            events.add(Event.of(CONSOLE, null, e, 0));
            events.add(Event.of(CHECKPOINT, longs(e, ~e, MIN, MAX), e, e, ~e, MIN, MAX));
            events.add(Event.of(INSN, null, e, e, (int) e));
            events.add(Event.of(INSN, null, e + 1, e + 4, (int) e));
            events.add(Event.of(INSN, null, e + 1, e + 4, Integer.MIN_VALUE));
            events.add(Event.of(REG_WRITE, null, e, 0, e));
            events.add(Event.of(REG_WRITE, null, e, 32, ~e));
            events.add(Event.of(REG_WRITE, null, e, 255, MIN));
            events.add(Event.of(REG_WRITE, null, e, io.deja.core.trace.TraceSink.REG_FPCR, e));
            events.add(Event.of(REG_WRITE, null, e, io.deja.core.trace.TraceSink.REG_FPSR, ~e));
            events.add(Event.of(VREG_WRITE, null, e, 0, e, ~e));
            events.add(Event.of(VREG_WRITE, null, e, 31, MIN, MAX));
            events.add(Event.of(VREG_WRITE, null, e, 255, e, 0));
            events.add(Event.of(MEM_WRITE, null, e, e, 8, ~e));
            events.add(Event.of(MEM_WRITE, null, e, ~e, 1, MAX));
        }
        events.add(Event.of(INPUT, new byte[200_000], 5, 0)); // larger than a batch
        events.add(Event.of(END, null, MAX, MIN, 255));
        TestRecordings.assertSameEvents(roundTrip(events), events);
    }

    @Test
    void instructionStreamsUseEveryCompactForm() {
        // Loops (cache hits), jumps, self-modifying code (same pc, new opcode), register
        // and memory writes at the instruction's icount, and events in between.
        List<Event> events = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(7);
        long icount = 0, pc = 0x4008_0000L;
        long[] x = new long[33];
        for (int i = 0; i < 300_000; i++) {
            int op = 0x9100_0400 | (int) ((pc >>> 2) & 0xFF);
            if (rnd.nextInt(100) == 0) op ^= rnd.nextInt(); // rewritten code
            events.add(Event.of(INSN, null, icount, pc, op));
            int r = rnd.nextInt(33);
            if (rnd.nextBoolean()) {
                x[r] += rnd.nextInt(3) == 0 ? rnd.nextLong() : 1;
                events.add(Event.of(REG_WRITE, null, icount, r, x[r]));
            }
            if (rnd.nextInt(5) == 0) events.add(Event.of(MEM_WRITE, null, icount, 0x4010_0000L + 8 * rnd.nextInt(64), 1 << rnd.nextInt(4), rnd.nextLong()));
            if (rnd.nextInt(6) == 0) {
                // FP code: a V register, now and then FPSR's flags, between the compact forms.
                events.add(Event.of(VREG_WRITE, null, icount, rnd.nextInt(32), rnd.nextLong(), rnd.nextBoolean() ? 0 : rnd.nextLong()));
                if (rnd.nextInt(4) == 0) events.add(Event.of(REG_WRITE, null, icount, io.deja.core.trace.TraceSink.REG_FPSR, rnd.nextInt(256)));
            }
            if (rnd.nextInt(4) == 0) {
                // A store of a register written lately (STR x8 after ADD x8): the "recent value" forms.
                int size = 1 << rnd.nextInt(4);
                long v = x[rnd.nextInt(31)];
                events.add(Event.of(MEM_WRITE, null, icount, 0x4020_0000L + 8 * rnd.nextInt(64), size, size == 8 ? v : v & ((1L << (8 * size)) - 1)));
            }
            if (rnd.nextInt(1000) == 0) events.add(Event.of(INTERRUPT, null, icount + 1, pc + 4, 27, 0, 1));
            if (rnd.nextInt(5000) == 0) events.add(Event.of(CHECKPOINT, longs(icount), icount + 1, icount * 3, 1, 2, 3));
            icount += 1 + (rnd.nextInt(500) == 0 ? 10 : 0);
            pc = rnd.nextInt(8) == 0 ? 0x4008_0000L + 4 * rnd.nextInt(4096) : pc + 4;
        }
        events.add(Event.of(END, null, icount, icount * 2, 1));
        TestRecordings.assertSameEvents(roundTrip(events), events);
    }

    @Test
    void cpuNumbersSurviveInterleavingCompactFormsAndBatchBoundaries() {
        // Two CPUs take turns in runs of instructions (as a round-robin scheduler would): every
        // event keeps its CPU, whichever form it is written in and wherever a batch ends.
        Path dir = tmp.resolve("cpus");
        List<RecordedEvent> expected = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(3);
        try (RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.FULL, dir))) {
            io.deja.core.trace.TraceSink[] cpus = {w.sinkForCpu(0), w.sinkForCpu(1)};
            long[] icount = new long[2], pc = {0x4008_0000L, 0x4009_0000L};
            for (int run = 0; run < 4_000; run++) {
                int c = run & 1;
                int n = 1 + rnd.nextInt(60);
                for (int i = 0; i < n; i++) {
                    cpus[c].insn(icount[c], pc[c], 0x9100_0400 + i);
                    expected.add(new RecordedEvent(INSN, c, new long[] {icount[c], pc[c], 0x9100_0400 + i}, null));
                    long value = rnd.nextLong();
                    cpus[c].regWrite(icount[c], i % 31, value);
                    expected.add(new RecordedEvent(REG_WRITE, c, new long[] {icount[c], i % 31, value}, null));
                    cpus[c].memWrite(icount[c], 0x4010_0000L + 8 * i, 8, value);
                    expected.add(new RecordedEvent(MEM_WRITE, c, new long[] {icount[c], 0x4010_0000L + 8 * i, 8, value}, null));
                    icount[c]++;
                    pc[c] += 4;
                }
                cpus[c].exit(icount[c], pc[c], 1, 0, 0, 0);
                expected.add(new RecordedEvent(EXIT, c, new long[] {icount[c], pc[c], 1, 0, 0, 0}, null));
            }
            cpus[0].end(icount[0], 7, 1);
            expected.add(new RecordedEvent(END, 0, new long[] {icount[0], 7, 1}, null));
            assertThat(w.batches()).as("the runs cross batch boundaries").isGreaterThan(3);
        }
        List<RecordedEvent> read = new ArrayList<>();
        try (Recording r = Recording.open(dir); EventCursor c = r.events()) {
            while (c.next()) read.add(RecordedEvent.of(c));
        }
        assertThat(read).hasSameSizeAs(expected);
        for (int i = 0; i < read.size(); i++) assertThat(read.get(i)).as("event %d", i).isEqualTo(expected.get(i));
    }

    @Test
    void cursorsAreIndependentAndFilterByTypeAndIcount() {
        List<Event> events = new ArrayList<>();
        for (long i = 0; i < 50_000; i++) {
            events.add(Event.of(INSN, null, i, 0x1000 + 4 * (i % 100), 0xd503201f));
            if (i % 1000 == 0) events.add(Event.of(INPUT, new byte[] {(byte) i}, i, 0));
        }
        events.add(Event.of(END, null, 50_000, 50_000, 1));
        Path dir = write(events);
        try (Recording r = Recording.open(dir)) {
            EventCursor all = r.events();
            EventCursor inputs = r.events(20_500, java.util.Set.of(INPUT));
            List<Long> seen = new ArrayList<>();
            while (inputs.next()) {
                assertThat(inputs.type()).isEqualTo(INPUT);
                seen.add(inputs.icount());
            }
            assertThat(seen).containsExactly(21_000L, 22_000L, 23_000L, 24_000L, 25_000L, 26_000L, 27_000L, 28_000L, 29_000L,
                    30_000L, 31_000L, 32_000L, 33_000L, 34_000L, 35_000L, 36_000L, 37_000L, 38_000L, 39_000L, 40_000L,
                    41_000L, 42_000L, 43_000L, 44_000L, 45_000L, 46_000L, 47_000L, 48_000L, 49_000L);
            assertThat(inputs.truncated()).isFalse();
            int n = 0;
            while (all.next()) n++;
            assertThat(n).isEqualTo(events.size());
            assertThat(r.tail()).extracting(Recording.Tail::lastIcount, Recording.Tail::complete).containsExactly(50_000L, true);
        }
    }

    private List<Event> roundTrip(List<Event> events) {
        return TestRecordings.readAll(write(events));
    }

    private int n;

    private Path write(List<Event> events) {
        Path dir = tmp.resolve("rec" + n++);
        try (RecordingWriter w = RecordingWriter.open(dir, TestRecordings.header(TraceLevel.FULL, dir))) {
            for (Event e : events) e.writeTo(w);
        }
        return dir;
    }

    static byte[] longs(long... v) {
        byte[] b = new byte[v.length * 8];
        for (int i = 0; i < v.length; i++) {
            for (int k = 0; k < 8; k++) b[8 * i + k] = (byte) (v[i] >>> (8 * k));
        }
        return b;
    }
}
