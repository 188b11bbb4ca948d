package io.deja.gdb;

import io.deja.core.trace.EventType;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.replayer.Timeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reverse continue on the timeline, against the recorded trace: on the
 * heisenbug sample (a full-level recording: every instruction's pc), the
 * icounts at which irq_handler's first instruction ran are read from the
 * trace's INSN events; with snapshots every 4,096 instructions, reverse
 * continue from the failing check must visit exactly those, latest first,
 * across many snapshot intervals, and then report the start of the history.
 */
class TimelineTargetTest {
    /** irq_handler in kernels/heisenbug.S (aarch64-linux-gnu-nm of heisenbug.vibe.elf). */
    private static final long IRQ_HANDLER = 0x101a4;
    /** The failing check's branch target, x9_corrupt, where the recorded run is at icount 101,170. */
    private static final long FAILURE_ICOUNT = 101_170;
    private static Path sample;

    @BeforeAll
    static void find() {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("traces/heisenbug"))) d = d.getParent();
        sample = d.resolve("traces/heisenbug");
    }

    private static List<Long> recordedHits(long pc) {
        List<Long> hits = new ArrayList<>();
        try (Recording r = Recording.open(sample);
             EventCursor c = r.events(Long.MIN_VALUE, EnumSet.of(EventType.INSN))) {
            int pcField = EventType.INSN.field("pc");
            while (c.next()) if (c.i64(pcField) == pc) hits.add(c.icount());
        }
        return hits;
    }

    private static Timeline open() {
        return Timeline.open(sample, Timeline.Options.defaults().withImage(sample.resolveSibling("heisenbug.raw"))
                .withInterval(4096).withIndex(false));
    }

    @Test
    void reverseContinueVisitsEveryRecordedHitLatestFirstAcrossSnapshotIntervals() {
        List<Long> hits = recordedHits(IRQ_HANDLER);
        List<Long> before = hits.stream().filter(i -> i < FAILURE_ICOUNT).toList();
        assertThat(before).hasSizeGreaterThan(10);
        try (Timeline t = open()) {
            TimelineTarget target = new TimelineTarget(t, new PrintWriter(new StringWriter()));
            assertThat(target.monitor("seek " + FAILURE_ICOUNT)).startsWith("at icount " + FAILURE_ICOUNT);
            target.setPoint(GdbTarget.PointKind.SOFTWARE, IRQ_HANDLER, 4, true);
            List<Long> visited = new ArrayList<>();
            for (;;) {
                GdbTarget.Stop s = target.resume(GdbTarget.Resume.REVERSE_CONTINUE, 0, 0);
                if (s.kind() == GdbTarget.Stop.Kind.HISTORY_BEGIN) break;
                assertThat(s).isEqualTo(new GdbTarget.Stop(GdbTarget.Stop.Kind.BREAKPOINT, IRQ_HANDLER, 0));
                assertThat(t.vm().getPc()).isEqualTo(IRQ_HANDLER);
                visited.add(0, t.icount());
            }
            assertThat(t.icount()).isZero();
            assertThat(visited).isEqualTo(before);
            // Many intervals apart: the search crossed snapshot boundaries with no hit in between.
            assertThat(before.get(before.size() - 1) - before.get(0)).isGreaterThan(10 * 4096L);

            // Forward again from the start: the same hits, earliest first, then the end of the history.
            List<Long> forward = new ArrayList<>();
            for (;;) {
                GdbTarget.Stop s = target.resume(GdbTarget.Resume.CONTINUE, 0, 0);
                if (s.kind() != GdbTarget.Stop.Kind.BREAKPOINT) {
                    assertThat(s.kind()).isIn(GdbTarget.Stop.Kind.EXITED, GdbTarget.Stop.Kind.HISTORY_END);
                    break;
                }
                forward.add(t.icount());
            }
            assertThat(forward).isEqualTo(hits);
        }
    }

    @Test
    void reverseStepGoesOneInstructionBackAndStopsAtTheStart() {
        try (Timeline t = open()) {
            TimelineTarget target = new TimelineTarget(t, new PrintWriter(new StringWriter()));
            target.monitor("seek 5000");
            long pcAt4999;
            t.seek(4999);
            pcAt4999 = t.vm().getPc();
            t.seek(5000);
            assertThat(target.resume(GdbTarget.Resume.REVERSE_STEP, 0, 0).kind()).isEqualTo(GdbTarget.Stop.Kind.TRAPPED);
            assertThat(t.icount()).isEqualTo(4999);
            assertThat(t.vm().getPc()).isEqualTo(pcAt4999);
            target.monitor("seek 1");
            target.resume(GdbTarget.Resume.REVERSE_STEP, 0, 0);
            assertThat(target.resume(GdbTarget.Resume.REVERSE_STEP, 0, 0).kind()).isEqualTo(GdbTarget.Stop.Kind.HISTORY_BEGIN);
            assertThat(t.icount()).isZero();
        }
    }

    /**
     * A write makes the replay a branch, said once: stepping back across it
     * shows the recording's value, forward again the written one; a seek
     * before it is the recording, and monitor checkpoint compares only there.
     */
    @Test
    void aWriteMakesABranchOnceAndReverseExecutionCrossesIt() {
        try (Timeline t = open()) {
            StringWriter log = new StringWriter();
            TimelineTarget target = new TimelineTarget(t, new PrintWriter(log, true));
            target.monitor("seek 1000");
            byte[] x3 = target.readRegister(3);
            assertThat(target.writeRegister(3, x3)).isTrue(); // the same value: still on the recording
            assertThat(target.branched()).isFalse();
            assertThat(target.writeRegister(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).isTrue();
            assertThat(target.writeRegister(4, new byte[] {(byte) 0xEE, 0, 0, 0, 0, 0, 0, 0x55})).isTrue();
            assertThat(target.branched()).isTrue();
            assertThat(target.leftAt()).isEqualTo(1000);
            assertThat(target.writes()).hasSize(2);
            assertThat(log.toString()).isEqualTo("gdb: leaving the recording at icount 1,000: from here the run is a branch, live, recorded "
                    + "inputs no longer applied; reverse execution covers it (monitor record DIR records this branch)\n");
            assertThat(t.vm().getX(3)).isEqualTo(0x0807060504030201L);
            assertThat(target.resume(GdbTarget.Resume.STEP, 0, 0).kind()).isEqualTo(GdbTarget.Stop.Kind.TRAPPED);
            assertThat(t.icount()).isEqualTo(1001);
            assertThat(target.resume(GdbTarget.Resume.REVERSE_STEP, 0, 0).kind()).isEqualTo(GdbTarget.Stop.Kind.TRAPPED);
            assertThat(target.resume(GdbTarget.Resume.REVERSE_STEP, 0, 0).kind()).isEqualTo(GdbTarget.Stop.Kind.TRAPPED);
            assertThat(t.icount()).isEqualTo(999);
            assertThat(target.readRegister(3)).as("before the write: the recording").isNotEqualTo(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThat(target.resume(GdbTarget.Resume.STEP, 0, 0).kind()).isEqualTo(GdbTarget.Stop.Kind.TRAPPED);
            assertThat(target.readRegister(3)).as("forward across it: written again").isEqualTo(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThat(target.monitor("seek 10")).contains("at icount 10");
            assertThat(target.monitor("checkpoint")).doesNotContain("branch");
            assertThat(target.monitor("seek 1001")).contains("at icount 1001");
            assertThat(target.monitor("checkpoint")).contains("on the branch gdb's write made at icount 1000");
            assertThat(target.monitor("seek 5000")).contains("outside the branch's history (0 to 1001)");
            assertThat(target.monitor("events 2")).contains("-> icount 1001 (here)",
                    "the run is a branch from gdb's write at icount 1000, which they do not hold");
            assertThat(target.monitor("icount")).startsWith("icount 1001, history to 1001 (pc 0x")
                    .contains(", a branch from gdb's 2 writes, the first at icount 1000 (live, recorded inputs no longer applied; it may run to icount "
                            + t.limit() + ")");
            // Back before the write and a new one there: the branch is replaced from there, said so.
            target.monitor("seek 500");
            assertThat(target.writeRegister(5, new byte[] {9, 0, 0, 0, 0, 0, 0, 0})).isTrue();
            assertThat(target.writes()).hasSize(1);
            assertThat(target.leftAt()).isEqualTo(500);
            assertThat(log.toString()).endsWith("gdb: the write at icount 500 replaces the history after it (to icount 1,001)\n");
        }
    }

    /**
     * monitor checkpoint re-derives the state at the last recorded checkpoint
     * and compares its hashes with the recorded ones: on a recording with a
     * checkpoint every 10,000 instructions they match wherever the debugger
     * stands and whatever points are armed (they are not state).
     */
    @Test
    void monitorCheckpointMatchesTheRecordedHashesWithPointsArmed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path raw = io.deja.cli.TestKernels.build("heisenbug");
        Path rec = tmp.resolve("rec");
        int exit = io.deja.cli.Main.execute(new String[] {"record", "--binary", raw.toString(), "--chaos-seed", "33",
                "--checkpoint-every", "10000", "--out", rec.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(exit).isZero();
        try (Timeline t = Timeline.open(rec, Timeline.Options.defaults().withInterval(4096).withIndex(false))) {
            TimelineTarget target = new TimelineTarget(t, new PrintWriter(new StringWriter()));
            target.setPoint(GdbTarget.PointKind.SOFTWARE, IRQ_HANDLER, 4, true);
            target.setPoint(GdbTarget.PointKind.WRITE, 0x12000, 4, true);
            target.monitor("seek 95555");
            assertThat(target.monitor("checkpoint")).isEqualTo(
                    "checkpoint at icount 90000: cpu equal, ram equal, devices equal: the replay matches the recording up to here\n");
            assertThat(t.icount()).isEqualTo(95555);
            target.resume(GdbTarget.Resume.REVERSE_CONTINUE, 0, 0);
            assertThat(t.icount()).isLessThan(95555);
            assertThat(target.monitor("checkpoint")).contains("cpu equal, ram equal, devices equal");
            target.monitor("seek 30000");
            assertThat(target.monitor("checkpoint")).startsWith("checkpoint at icount 30000: cpu equal, ram equal, devices equal");
        }
    }

    /**
     * Range stepping (gdb's vCont;r) through irq_handler from its entry stops
     * at the first instruction outside it: the recorded trace's first INSN
     * after the entry with a pc outside [irq_handler, its eret + 4); a
     * breakpoint inside the range stops it there.
     */
    @Test
    void rangeStepStopsWhereTheRecordedPcLeavesTheRange() {
        long handlerEnd = 0x10200; // irq_handler's eret + 4 (objdump of heisenbug.vibe.elf)
        long entry = recordedHits(IRQ_HANDLER).get(3);
        long leaves = -1;
        try (Recording r = Recording.open(sample);
             EventCursor c = r.events(entry, EnumSet.of(EventType.INSN))) {
            int pcField = EventType.INSN.field("pc");
            while (c.next()) {
                if (c.icount() <= entry) continue;
                long pc = c.i64(pcField);
                if (pc < IRQ_HANDLER || pc >= handlerEnd) {
                    leaves = c.icount();
                    break;
                }
            }
        }
        assertThat(leaves).isGreaterThan(entry + 10);
        try (Timeline t = open()) {
            TimelineTarget target = new TimelineTarget(t, new PrintWriter(new StringWriter()));
            target.monitor("seek " + entry);
            assertThat(target.resume(GdbTarget.Resume.RANGE_STEP, IRQ_HANDLER, handlerEnd).kind()).isEqualTo(GdbTarget.Stop.Kind.TRAPPED);
            assertThat(t.icount()).isEqualTo(leaves);
            target.monitor("seek " + entry);
            target.setPoint(GdbTarget.PointKind.SOFTWARE, IRQ_HANDLER + 64, 4, true);
            assertThat(target.resume(GdbTarget.Resume.RANGE_STEP, IRQ_HANDLER, handlerEnd))
                    .isEqualTo(new GdbTarget.Stop(GdbTarget.Stop.Kind.BREAKPOINT, IRQ_HANDLER + 64, 0));
            assertThat(t.vm().getPc()).isEqualTo(IRQ_HANDLER + 64);
        }
    }
}
