package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.CheckpointRegisters;
import io.deja.core.trace.EventType;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full-level recording of the scalar FP kernel replays bit-exactly, and
 * replay compares what it holds of the FP state: V register writes (both
 * halves), FPCR and FPSR writes, and the FP registers of checkpoints.
 */
class FpReplayTest {
    @TempDir
    static Path tmp;
    static Path full;
    static List<RecordedEvent> events;

    @BeforeAll
    static void record() {
        full = tmp.resolve("fp");
        TestKernels.record(full, "fp_scalar", Board.VIBE, Recorder.Options.defaults(TraceLevel.FULL).withCheckpointInterval(5_000));
        events = TestKernels.events(full);
    }

    @Test
    void theRecordingHoldsVWritesAndFpcrFpsrAndReplaysBitExactly() {
        assertThat(events).filteredOn(e -> e.type() == EventType.VREG_WRITE).hasSizeGreaterThan(100);
        assertThat(events).anyMatch(e -> e.type() == EventType.REG_WRITE && e.get("reg") == TraceSink.REG_FPCR);
        assertThat(events).anyMatch(e -> e.type() == EventType.REG_WRITE && e.get("reg") == TraceSink.REG_FPSR);
        ReplayResult r = Replayer.replay(full, ReplayOptions.defaults());
        assertThat(r.report()).isNull();
        assertThat(r.bitExact()).isTrue();
    }

    private ReplayResult tampered(int index, RecordedEvent changed, String name) {
        Path copy = tmp.resolve(name);
        Tampering.copyWith(full, copy, index, e -> changed);
        ReplayResult r = Replayer.replay(copy, ReplayOptions.defaults());
        assertThat(r.bitExact()).isFalse();
        assertThat(r.divergence().expected()).isEqualTo(changed);
        assertThat(r.divergence().actual()).isEqualTo(events.get(index));
        return r;
    }

    private int indexOf(java.util.function.Predicate<RecordedEvent> p, int skip) {
        for (int i = 0, seen = 0; i < events.size(); i++) {
            if (p.test(events.get(i)) && seen++ == skip) return i;
        }
        throw new AssertionError("no such event");
    }

    @Test
    void eitherHalfOfAVWriteAndFpsrWritesAreCompared() {
        int v = indexOf(e -> e.type() == EventType.VREG_WRITE, 40);
        tampered(v, Tampering.with(events.get(v), "hi", events.get(v).get("hi") ^ 1), "hi");
        tampered(v, Tampering.with(events.get(v), "lo", events.get(v).get("lo") ^ (1L << 63)), "lo");
        tampered(v, Tampering.with(events.get(v), "reg", (events.get(v).get("reg") + 1) & 31), "reg");
        int f = indexOf(e -> e.type() == EventType.REG_WRITE && e.get("reg") == TraceSink.REG_FPSR, 3);
        tampered(f, Tampering.with(events.get(f), "value", events.get(f).get("value") ^ 0x10), "fpsr");
    }

    @Test
    void aCheckpointWhoseVRegisterDiffersNamesItInTheReport() {
        int index = indexOf(e -> e.type() == EventType.CHECKPOINT, 2);
        RecordedEvent cp = events.get(index);
        byte[] regs = cp.data();
        assertThat(regs).hasSize(8 * CheckpointRegisters.COUNT);
        regs[8 * (CheckpointRegisters.V + 2 * 3 + 1)] ^= 1; // V3 bits 71:64
        regs[8 * CheckpointRegisters.FPCR + 3] ^= 1;         // FPCR bit 24 (FZ)
        ReplayResult r = tampered(index, new RecordedEvent(cp.type(), cp.values(), regs), "checkpoint");
        assertThat(r.report()).containsPattern("V3\\.hi +expected 0x[0-9a-f]{16}  actual 0x[0-9a-f]{16}")
                .containsPattern("FPCR +expected 0x[0-9a-f]{16}  actual 0x[0-9a-f]{16}")
                .doesNotContain("V3.lo").doesNotContain("FPSR ");
    }
}
