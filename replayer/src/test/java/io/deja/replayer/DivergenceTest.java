package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.RecordedEvent;
import io.deja.core.trace.EventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tampering with one event of a copy of a recording: the replay reports the divergence at exactly that event. */
class DivergenceTest {
    @TempDir
    static Path tmp;
    static Path events;
    static Path full;
    static List<RecordedEvent> eventsList;
    static List<RecordedEvent> fullList;

    @BeforeAll
    static void record() {
        events = tmp.resolve("events");
        TestKernels.record(events, "timer_irq", Board.VIBE, io.deja.recorder.Recorder.Options.defaults(TraceLevel.EVENTS)
                .withCheckpointInterval(300));
        eventsList = TestKernels.events(events);
        full = tmp.resolve("full");
        TestKernels.record(full, "smc_code", Board.VIRT, TraceLevel.FULL, 5_000_000);
        fullList = TestKernels.events(full);
    }

    private static int copies;

    /** Tampers with the first event of the type (after skip of them) and checks the report. */
    private ReplayResult tamper(Path rec, List<RecordedEvent> list, EventType type, int skip, String field, long delta) {
        int index = -1;
        for (int i = 0, seen = 0; i < list.size(); i++) {
            if (list.get(i).type() == type && seen++ == skip) {
                index = i;
                break;
            }
        }
        assertThat(index).as("a %s event in the recording", type).isNotNegative();
        Path copy = tmp.resolve("copy" + copies++);
        RecordedEvent original = list.get(index);
        RecordedEvent tampered = Tampering.with(original, field, original.get(field) + delta);
        Tampering.copyWith(rec, copy, index, e -> tampered);
        ReplayResult r = Replayer.replay(copy, ReplayOptions.defaults());
        assertThat(r.bitExact()).isFalse();
        Divergence d = r.divergence();
        assertThat(d.expected()).isEqualTo(tampered);
        assertThat(d.actual()).isEqualTo(original);
        assertThat(d.icount()).isEqualTo(original.icount());
        assertThat(r.events()).isEqualTo(index); // everything before it matched
        assertThat(r.report()).contains(String.format("DIVERGENCE at icount %,d", original.icount()))
                .contains("expected: " + tampered.describe(r.header().devices()))
                .contains("actual:   " + original.describe(r.header().devices()));
        return r;
    }

    @Test
    void eventsLevelTampering() {
        tamper(events, eventsList, EventType.MMIO, 30, "value", 1);
        tamper(events, eventsList, EventType.CONSOLE, 3, "value", 1);
        tamper(events, eventsList, EventType.INTERRUPT, 2, "intid", 1);
        tamper(events, eventsList, EventType.EXIT, 10, "pc", 4);
        tamper(events, eventsList, EventType.SYSREG_WRITE, 1, "new", 0x100);
        tamper(events, eventsList, EventType.END, 0, "cycles", 1);
    }

    @Test
    void aTamperedCheckpointShowsTheRegistersThatDiffer() {
        ReplayResult r = tamper(events, eventsList, EventType.CHECKPOINT, 1, "ram_hash", 1);
        assertThat(r.report()).contains("state hashes: cpu equal, ram DIFFER, devices equal");

        int index = -1;
        for (int i = 0, seen = 0; i < eventsList.size(); i++) {
            if (eventsList.get(i).type() == EventType.CHECKPOINT && seen++ == 1) index = i;
        }
        RecordedEvent cp = eventsList.get(index);
        byte[] regs = cp.data();
        regs[9 * 8] ^= 1; // X9
        RecordedEvent changed = new RecordedEvent(cp.type(), cp.values(), regs);
        Path copy = tmp.resolve("regs");
        Tampering.copyWith(events, copy, index, e -> changed);
        ReplayResult r2 = Replayer.replay(copy, ReplayOptions.defaults());
        assertThat(r2.divergence().expected()).isEqualTo(changed);
        assertThat(r2.report()).containsPattern("X9 +expected 0x[0-9a-f]{16}  actual 0x[0-9a-f]{16}");
        assertThat(r2.report()).doesNotContain("X8 ");
    }

    @Test
    void fullLevelTampering() {
        ReplayResult r = tamper(full, fullList, EventType.INSN, 500, "opcode", 1);
        // The report ends with the last 32 instructions, disassembled, the divergent one marked.
        assertThat(r.report()).contains("last 32 instructions executed").containsPattern("->\\s+[0-9,]+\\s+0x[0-9a-f]{16}  [0-9a-f]{8}  [a-z]");
        tamper(full, fullList, EventType.REG_WRITE, 100, "value", 1);
        tamper(full, fullList, EventType.MEM_WRITE, 5, "value", -1);
        tamper(full, fullList, EventType.MEM_WRITE, 6, "address", 8);
    }

    @Test
    void theOpeningCheckpointIsComparedLikeAnyOther() {
        assertThat(eventsList.get(0).type()).isEqualTo(EventType.CHECKPOINT);
        ReplayResult r = tamper(events, eventsList, EventType.CHECKPOINT, 0, "cpu_hash", 1);
        assertThat(r.divergence().icount()).isZero();
    }

    /** Recordings made before Deja opened them with a checkpoint have none: they replay as they are. */
    @Test
    void aRecordingWithoutTheOpeningCheckpointStillReplays() {
        Path copy = tmp.resolve("no-opening");
        Tampering.copyWith(events, copy, 0, e -> null);
        ReplayResult r = Replayer.replay(copy, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();
        assertThat(r.events()).isEqualTo(eventsList.size() - 1);
    }

    @Test
    void aDroppedEventIsReportedWhereItShouldHaveBeen() {
        int index = 100;
        Path copy = tmp.resolve("dropped");
        RecordedEvent dropped = Tampering.copyWith(events, copy, index, e -> null);
        ReplayResult r = Replayer.replay(copy, ReplayOptions.defaults());
        assertThat(r.divergence().actual()).isEqualTo(dropped);
        assertThat(r.divergence().expected()).isEqualTo(eventsList.get(index + 1));
        assertThat(r.events()).isEqualTo(index);
    }
}
