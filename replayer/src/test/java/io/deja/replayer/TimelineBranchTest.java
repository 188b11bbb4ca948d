package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A debugger's write makes a timeline a branch (see "Branches" in
 * {@link Timeline}): before the write it is still the recording (or the live
 * run as it was), after it the run the write changed, which is the run a
 * recorder makes with the same writes at the same icounts (DEBUG_WRITE,
 * replayed bit-exactly: DebugWriteReplayTest); going forward across a write
 * applies it again, and a write replaces the history after it.
 */
class TimelineBranchTest {
    private static final Path ROOT = Kernels.kernelsDir().getParent();
    private static final Path SAMPLE = ROOT.resolve("traces/heisenbug"), IMAGE = ROOT.resolve("traces/heisenbug.raw");

    @TempDir
    Path tmp;

    /** A write: before the instruction at icount, to CPU 0. */
    private record W(long icount, int kind, long target, byte[] data) {}

    private static byte[] le(long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (value >>> (8 * i));
        return b;
    }

    /** The final state hash of the sample's run (heisenbug, chaos seed 33) recorded with these writes made at their icounts. */
    private long recordedWith(List<W> writes) {
        Path dir = tmp.resolve("rec" + writes.hashCode());
        Recorder r = Recorder.create(dir, TestKernels.config(IMAGE, Board.VIBE), IMAGE, OutputStream.nullOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(33));
        r.start();
        for (W w : writes) {
            assertThat(r.runTo(w.icount())).isEqualTo(ExitKind.BUDGET);
            assertThat(r.machine().debugWrite(0, w.kind(), w.target(), w.data())).isTrue();
        }
        return r.finish(r.runToTheEnd()).finalHash().combined();
    }

    /** Makes w where the timeline stands, as a debugger does: on the machine, then told to the timeline. */
    private static boolean write(Timeline t, W w) {
        assertThat(t.icount()).isEqualTo(w.icount());
        assertThat(t.machine().debugWrite(0, w.kind(), w.target(), w.data())).isTrue();
        return t.written(0, w.kind(), w.target(), w.data());
    }

    private static final W X28_AT_40000 = new W(40_000, TraceSink.DEBUG_X, 28, le(0x1234_5678_9ABC_DEF0L));
    private static final W MEMORY_AT_60001 = new W(60_001, TraceSink.DEBUG_MEMORY, 0x30_0000, new byte[] {1, 2, 3, 4, 5});
    private static final W X28_AT_30000 = new W(30_000, TraceSink.DEBUG_X, 28, le(5));

    private static Timeline open() {
        return Timeline.open(SAMPLE, Timeline.Options.defaults().withImage(IMAGE).withInterval(4096).withIndex(false));
    }

    @Test
    void aReplaysBranchIsTheRecordingBeforeItsWritesAndTheChangedRunAfterThem() {
        long branchEnd = recordedWith(List.of(X28_AT_40000, MEMORY_AT_60001));
        try (Timeline t = open()) {
            long end = t.end();
            t.seek(end); // snapshots over the whole recording
            long recordingEnd = t.stateHashes().combined();
            t.seek(39_999);
            long x28Before = t.vm().getX(28);
            long[] at39999 = TimelineTest.state(t.machine());

            t.seek(40_000);
            assertThat(write(t, X28_AT_40000)).as("the recording's history after it is replaced").isTrue();
            assertThat(t.branched()).isTrue();
            assertThat(t.branchedAt()).isEqualTo(40_000);
            assertThat(t.end()).isEqualTo(40_000);
            assertThat(t.limit()).as("a branch of a recording runs to the recording's end").isEqualTo(end);
            long[] kept = t.snapshotIcounts();
            assertThat(kept[kept.length - 1]).as("the recording's snapshots after the write are dropped, one is kept with it").isEqualTo(40_000);
            assertThat(Arrays.stream(kept).filter(i -> i <= 36_864).count()).as("those before it stay").isEqualTo(10);

            t.seek(39_999);
            assertThat(TimelineTest.state(t.machine())).as("before the write: the recording").containsExactly(at39999);
            assertThat(t.vm().getX(28)).isEqualTo(x28Before).isNotEqualTo(0x1234_5678_9ABC_DEF0L);
            t.seek(40_000);
            assertThat(t.vm().getX(28)).as("forward across the write: applied again").isEqualTo(0x1234_5678_9ABC_DEF0L);
            t.seek(60_001);
            assertThat(write(t, MEMORY_AT_60001)).as("at the branch's end: nothing to replace").isFalse();
            assertThat(t.writes()).extracting(Timeline.Write::icount).containsExactly(40_000L, 60_001L);
            t.seek(10);
            t.seek(t.limit());
            assertThat(t.stateHashes().combined()).as("the run a recorder makes with the same writes").isEqualTo(branchEnd)
                    .isNotEqualTo(recordingEnd);
            t.seek(70_000);
            assertThat(t.vm().readMemory(0x30_0000, 5)).containsExactly(1, 2, 3, 4, 5);
            t.seek(60_000);
            assertThat(t.vm().readMemory(0x30_0000, 5)).as("before the second write").doesNotContain(5);
        }
    }

    @Test
    void anEarlierWriteReplacesTheBranchAfterIt() {
        long expected = recordedWith(List.of(X28_AT_30000));
        try (Timeline t = open()) {
            t.seek(40_000);
            write(t, X28_AT_40000);
            t.seek(60_001);
            write(t, MEMORY_AT_60001);
            t.seek(80_000);
            t.seek(30_000);
            assertThat(write(t, X28_AT_30000)).isTrue();
            assertThat(t.writes()).extracting(Timeline.Write::icount).containsExactly(30_000L);
            assertThat(t.branchedAt()).isEqualTo(30_000);
            assertThat(t.end()).isEqualTo(30_000);
            assertThat(Arrays.stream(t.snapshotIcounts()).max().getAsLong()).isEqualTo(30_000);
            t.seek(t.limit());
            assertThat(t.stateHashes().combined()).isEqualTo(expected);
            t.seek(40_000);
            assertThat(t.vm().getX(28)).as("the replaced write is not applied").isNotEqualTo(0x1234_5678_9ABC_DEF0L);
        }
    }

    @Test
    void aWriteOnAStateTheTimelineDoesNotHoldIsMadeOnTheOneItHolds() {
        long expected = recordedWith(List.of(X28_AT_40000));
        try (Timeline t = open()) {
            t.seek(40_000);
            t.detach();
            write(t, X28_AT_40000);
            assertThat(t.onRecording()).isTrue();
            assertThat(t.vm().getX(28)).isEqualTo(0x1234_5678_9ABC_DEF0L);
            t.seek(t.limit());
            assertThat(t.stateHashes().combined()).isEqualTo(expected);
        }
    }

    @Test
    void aLiveRunsWritesAreItsInputsGoingBackAndForth() {
        long changedEnd = recordedWith(List.of(X28_AT_40000, MEMORY_AT_60001));
        Machine m = new Machine(TestKernels.config(IMAGE, Board.VIBE), OutputStream.nullOutputStream());
        m.setChaos(33);
        try (Timeline t = Timeline.live(m, Long.MAX_VALUE, Timeline.Options.defaults().withInterval(4096))) {
            t.seek(50_000);
            t.seek(39_999);
            long[] at39999 = TimelineTest.state(m);
            t.seek(40_000);
            assertThat(write(t, X28_AT_40000)).as("the history to 50,000 is replaced").isTrue();
            assertThat(t.end()).isEqualTo(40_000);
            t.seek(60_001);
            assertThat(write(t, MEMORY_AT_60001)).isFalse();
            t.seek(39_999);
            assertThat(TimelineTest.state(m)).containsExactly(at39999);
            t.seek(40_000);
            assertThat(t.vm().getX(28)).isEqualTo(0x1234_5678_9ABC_DEF0L);
            assertThat(t.advance(Long.MAX_VALUE)).isNotNull();
            assertThat(m.isStopped()).isTrue();
            assertThat(t.stateHashes().combined()).isEqualTo(changedEnd);
            long stoppedAt = t.icount();
            t.seek(1_000);
            t.seek(stoppedAt);
            assertThat(t.stateHashes().combined()).isEqualTo(changedEnd);
        }
    }

    /**
     * The console shows each byte once, and a branch's bytes too: at
     * x9_corrupt+4 (icount 101,171, before "mov x21, x9" copies X9 for
     * printing: kernels/heisenbug.S) X9 set to 0x777 after the run printed
     * its last line; run on, the branch prints its own.
     */
    @Test
    void theConsoleShowsWhatTheBranchPrints() {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Machine straight = new Machine(TestKernels.config(IMAGE, Board.VIBE), plain);
        straight.setChaos(33);
        straight.run(Long.MAX_VALUE);
        assertThat(plain.toString()).endsWith("X9 CORRUPT: x9=0x1, expected 0x1c50 at iteration 0x1c5\n");

        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        FirstPassConsole console = new FirstPassConsole(shown);
        FirstPassConsole.Stream stream = console.stream();
        Machine m = new Machine(TestKernels.config(IMAGE, Board.VIBE), stream);
        stream.bind(m);
        m.setChaos(33);
        try (Timeline t = Timeline.live(m, Long.MAX_VALUE, Timeline.Options.defaults().withInterval(4096).withConsole(console))) {
            t.advance(Long.MAX_VALUE);
            assertThat(shown.toString()).isEqualTo(plain.toString());
            t.seek(101_171);
            write(t, new W(101_171, TraceSink.DEBUG_X, 9, le(0x777)));
            t.advance(Long.MAX_VALUE);
            t.seek(90_000);
            t.seek(t.end());
        }
        assertThat(shown.toString()).isEqualTo(plain + "X9 CORRUPT: x9=0x777, expected 0x1c50 at iteration 0x1c5\n");
    }

    /**
     * Four CPUs (the smp kernel, chaos seed 11, a quantum of 250): writes at
     * an icount inside a slice, to the CPU running and to another, are
     * delivered there again when the timeline runs forward across them, and
     * the branch ends as the run a recorder makes with them does.
     */
    @Test
    void writesToSeveralCpusMidSliceAreAppliedAgainWhereTheyWereMade() {
        io.deja.core.board.MachineConfig config = TestKernels.config(Kernels.virtBin("smp"), Board.VIRT).withRamSize(128L << 20)
                .withCpus(4).withQuantum(250);
        long at = 12_345;
        Machine m = new Machine(config, OutputStream.nullOutputStream());
        m.setChaos(11);
        try (Timeline t = Timeline.live(m, Long.MAX_VALUE, Timeline.Options.defaults().withInterval(4096))) {
            t.seek(20_000);
            t.seek(at);
            int running = m.currentCpu(), other = (running + 1) % 4;
            long before = m.vcpu(other).getX(27);
            assertThat(m.debugWrite(other, TraceSink.DEBUG_X, 27, le(0xD0D0))).isTrue();
            t.written(other, TraceSink.DEBUG_X, 27, le(0xD0D0));
            assertThat(m.debugWrite(running, TraceSink.DEBUG_X, 26, le(0xE0E0))).isTrue();
            t.written(running, TraceSink.DEBUG_X, 26, le(0xE0E0));

            Recorder r = Recorder.create(tmp.resolve("smp"), config, Kernels.virtBin("smp"), OutputStream.nullOutputStream(),
                    Recorder.Options.defaults(TraceLevel.EVENTS).withChaos(11));
            r.start();
            assertThat(r.runTo(at)).isEqualTo(ExitKind.BUDGET);
            assertThat(r.machine().debugWrite(other, TraceSink.DEBUG_X, 27, le(0xD0D0))).isTrue();
            assertThat(r.machine().debugWrite(running, TraceSink.DEBUG_X, 26, le(0xE0E0))).isTrue();
            long expected = r.finish(r.runToTheEnd()).finalHash().combined();

            t.advance(Long.MAX_VALUE);
            assertThat(m.isStopped()).isTrue();
            long end = t.icount();
            assertThat(t.stateHashes().combined()).isEqualTo(expected);
            t.seek(at - 1);
            assertThat(m.vcpu(other).getX(27)).isEqualTo(before);
            t.seek(at);
            assertThat(m.vcpu(other).getX(27)).isEqualTo(0xD0D0);
            assertThat(m.vcpu(running).getX(26)).isEqualTo(0xE0E0);
            t.seek(3_000);
            t.seek(end);
            assertThat(t.stateHashes().combined()).isEqualTo(expected);
        }
    }
}
