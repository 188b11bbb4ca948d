package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.isa.SysRegs;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.EventType;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A debugger's write is an input (DEBUG_WRITE): the recorder's machine
 * reports it where it was made, and replay applies it there again (before
 * the instruction at its icount, on its CPU), so a run changed from gdb
 * replays bit-exactly and differs from the unchanged run as the writes imply.
 */
class DebugWriteReplayTest {
    @TempDir
    Path tmp;

    private static byte[] le(long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (value >>> (8 * i));
        return b;
    }

    /** heisenbug with chaos seed 33 (the committed sample's run), with the given writes made at their icounts. */
    private static Recorder.Result record(Path dir, List<long[]> writesAt, List<byte[]> data) {
        Path image = TestKernels.image("heisenbug", Board.VIBE);
        Recorder r = Recorder.create(dir, TestKernels.config(image, Board.VIBE), image, OutputStream.nullOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(33).withCheckpointInterval(5_000));
        r.start();
        for (int i = 0; i < writesAt.size(); i++) {
            long[] w = writesAt.get(i); // icount, kind, target
            assertThat(r.runTo(w[0])).isEqualTo(ExitKind.BUDGET);
            assertThat(r.machine().debugWrite(0, (int) w[1], w[2], data.get(i))).isTrue();
        }
        return r.finish(r.runToTheEnd());
    }

    private static final long TPIDR_EL1 = SysRegs.byName("TPIDR_EL1");

    @Test
    void writesAreRecordedAsInputsAndReplayAppliesThemWhereTheyWereMade() {
        Path plain = tmp.resolve("plain"), changed = tmp.resolve("changed");
        Recorder.Result unchanged = record(plain, List.of(), List.of());
        List<long[]> at = List.of(
                new long[] {40_000, TraceSink.DEBUG_X, 28},
                new long[] {40_000, TraceSink.DEBUG_V, 3},
                new long[] {55_555, TraceSink.DEBUG_SYSREG, TPIDR_EL1},
                new long[] {60_001, TraceSink.DEBUG_MEMORY, 0x30_0000});
        byte[] v3 = new byte[16];
        for (int i = 0; i < 16; i++) v3[i] = (byte) (0xA0 + i);
        List<byte[]> data = List.of(le(0x1234_5678_9ABC_DEF0L, 8), v3, le(0x7777, 8), new byte[] {1, 2, 3, 4, 5});
        Recorder.Result r = record(changed, at, data);

        // The same run otherwise (same length, same end), and a different final state.
        assertThat(r.instructions()).isEqualTo(unchanged.instructions());
        assertThat(r.finalHash().combined()).isNotEqualTo(unchanged.finalHash().combined());

        List<RecordedEvent> writes = TestKernels.events(changed).stream().filter(e -> e.type() == EventType.DEBUG_WRITE).toList();
        assertThat(writes).hasSize(4);
        for (int i = 0; i < 4; i++) {
            RecordedEvent e = writes.get(i);
            assertThat(e.icount()).isEqualTo(at.get(i)[0]);
            assertThat(e.get("cpu_icount")).isEqualTo(at.get(i)[0]);
            assertThat(e.get("kind")).isEqualTo(at.get(i)[1]);
            assertThat(e.get("target")).isEqualTo(at.get(i)[2]);
            assertThat(e.data()).isEqualTo(data.get(i));
            assertThat(e.cpu()).isZero();
        }

        ReplayResult replay = Replayer.replay(changed, ReplayOptions.defaults());
        assertThat(replay.report()).isNull();
        assertThat(replay.bitExact()).isTrue();
        assertThat(replay.finalHash().combined()).isEqualTo(r.finalHash().combined());

        // A timeline applies them too: before the instruction at their icount.
        try (Timeline t = Timeline.open(changed)) {
            t.seek(39_999);
            long before = t.vm().getX(28);
            assertThat(before).isNotEqualTo(0x1234_5678_9ABC_DEF0L);
            t.seek(40_000);
            assertThat(t.vm().getX(28)).isEqualTo(0x1234_5678_9ABC_DEF0L);
            assertThat(t.vm().getV(3, 0)).isEqualTo(0xA7A6_A5A4_A3A2_A1A0L);
            assertThat(t.vm().getV(3, 1)).isEqualTo(0xAFAE_ADAC_ABAA_A9A8L);
            t.seek(60_001);
            assertThat(t.vm().getSysReg("TPIDR_EL1")).isEqualTo(0x7777);
            assertThat(t.vm().readMemory(0x30_0000, 5)).containsExactly(1, 2, 3, 4, 5);
            t.seek(10); // back, from the snapshot at 0: the writes come again on the way forward
            t.seek(t.end());
            assertThat(t.stateHashes().combined()).isEqualTo(r.finalHash().combined());
        }
    }

    /** A write the machine cannot take is refused before anything changes, and not reported. */
    @Test
    void aWriteTheMachineCannotTakeIsRefusedAndNotRecorded() {
        Path image = TestKernels.image("heisenbug", Board.VIBE);
        Machine m = new Machine(TestKernels.config(image, Board.VIBE), OutputStream.nullOutputStream());
        long ramEnd = m.vcpu().ramBase() + m.vcpu().ramSize();
        assertThat(m.debugWrite(0, TraceSink.DEBUG_X, 31, le(1, 8))).isFalse();
        assertThat(m.debugWrite(0, TraceSink.DEBUG_X, 1, le(1, 4))).as("the wrong size").isFalse();
        assertThat(m.debugWrite(0, TraceSink.DEBUG_PSTATE, 0, le(0x3C9, 4))).as("EL2h, which this CPU lacks").isFalse();
        assertThat(m.debugWrite(0, TraceSink.DEBUG_MEMORY, ramEnd - 2, new byte[4])).as("past the end of RAM").isFalse();
        assertThat(m.debugWrite(1, TraceSink.DEBUG_X, 1, le(1, 8))).as("no CPU 1").isFalse();
        assertThat(m.debugWrite(0, 99, 0, le(1, 8))).isFalse();
        assertThat(m.debugWrite(0, TraceSink.DEBUG_PSTATE, 0, le(0x3C4, 4))).isTrue();
        assertThat(m.vm().getPstate() & 0x3FF).isEqualTo(0x3C4);
    }

    /**
     * Several CPUs: a write made mid-slice, at a machine icount that is no
     * slice boundary, to a CPU other than the one running, replays where it
     * was made (the event carries the machine's icount, the CPU and that
     * CPU's own count, which the replay compares).
     */
    @Test
    void aWriteMidSliceOnAnotherCpuReplaysWhereItWasMade() {
        Path dir = tmp.resolve("smp");
        MachineConfig config = TestKernels.config(Kernels.virtBin("smp"), Board.VIRT).withRamSize(128L << 20).withCpus(4).withQuantum(250);
        Recorder r = Recorder.create(dir, config, Kernels.virtBin("smp"), OutputStream.nullOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(11).withCheckpointInterval(2_000));
        r.start();
        long at = 12_345; // not a multiple of the quantum
        assertThat(r.runTo(at)).isEqualTo(ExitKind.BUDGET);
        Machine m = r.machine();
        int running = m.currentCpu();
        int other = (running + 1) % 4;
        long otherCount = m.vcpu(other).instructions();
        assertThat(m.debugWrite(other, TraceSink.DEBUG_X, 27, le(0xD0D0, 8))).isTrue();
        assertThat(m.debugWrite(running, TraceSink.DEBUG_X, 26, le(0xE0E0, 8))).isTrue();
        Recorder.Result result = r.finish(r.runToTheEnd());

        List<RecordedEvent> writes = TestKernels.events(dir).stream().filter(e -> e.type() == EventType.DEBUG_WRITE).toList();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).cpu()).isEqualTo(other);
        assertThat(writes.get(0).icount()).isEqualTo(at);
        assertThat(writes.get(0).get("cpu_icount")).isEqualTo(otherCount);
        assertThat(writes.get(1).cpu()).isEqualTo(running);

        ReplayResult replay = Replayer.replay(dir, ReplayOptions.defaults());
        assertThat(replay.report()).isNull();
        assertThat(replay.bitExact()).isTrue();
        assertThat(replay.finalHash().combined()).isEqualTo(result.finalHash().combined());
        try (Timeline t = Timeline.open(dir)) {
            t.seek(at);
            assertThat(t.machine().vcpu(other).getX(27)).isEqualTo(0xD0D0);
            assertThat(t.machine().vcpu(running).getX(26)).isEqualTo(0xE0E0);
        }
    }
}
