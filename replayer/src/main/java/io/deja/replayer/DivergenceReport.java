package io.deja.replayer;

import io.deja.core.board.Machine;
import io.deja.core.vm.ExitKind;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedEvent;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.core.trace.EventType;
import io.deja.recorder.Plural;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Explains a divergence: where, what was expected and what happened, which
 * registers differ, and the last instructions executed.
 *
 * The replay itself runs at the recording's level (an events-level replay
 * does not pay for per-instruction tracing); the instructions and registers
 * come from a second, deterministic run of the same machine with the same
 * inputs: untraced up to 32 instructions before the divergence, then at
 * insns level into a {@link InstructionRing}, then untraced on to the next
 * recorded checkpoint, whose registers it compares.
 */
final class DivergenceReport {
    private DivergenceReport() {}

    static String build(Recording recording, ImageResolver.Images images, Divergence d, long compared) {
        RecordingHeader h = recording.header();
        List<String> devices = h.devices();
        long n = d.icount();
        StringBuilder s = new StringBuilder();
        Machine m = Replayer.build(h, images, null);
        m.setCheckpointInterval(h.checkpointInterval());
        h.chaosSeed().ifPresent(m::setChaos);
        InstructionRing ring = new InstructionRing();
        long[] liveAtN;
        long pcAtN;
        ExitKind stoppedEarly = null;
        try (InputSchedule inputs = new InputSchedule(recording)) {
            Drive drive = new Drive(m, inputs, new LevelPlan().add(TraceLevel.INSNS, Math.max(0, n - (InstructionRing.SIZE - 1)), n), ring);
            ExitKind r = drive.runTo(n, () -> false);
            if (r != ExitKind.BUDGET) stoppedEarly = r;
            liveAtN = Registers.of(m.vm());
            pcAtN = m.vm().getPc();
            if (stoppedEarly == null) drive.runTo(n + 1, () -> false);

            long pc = d.expected() != null && d.expected().hasPc() ? d.expected().get("pc")
                    : d.actual() != null && d.actual().hasPc() ? d.actual().get("pc") : pcAtN;
            s.append(String.format(Locale.ROOT, "DIVERGENCE at icount %,d (pc 0x%x)%n", n, pc));
            s.append("  expected: ").append(d.expected() == null ? "(the recording has no more events)" : d.expected().describe(devices)).append('\n');
            s.append("  actual:   ").append(d.actual() == null ? "(the replay produced no such event)" : d.actual().describe(devices)).append('\n');
            if (d.note() != null) s.append("  note:     ").append(d.note()).append('\n');
            s.append(String.format(Locale.ROOT, "  %s matched before it%n", Plural.count(compared, "event")));

            registers(s, recording, d, n, liveAtN, m, new Drive(m, inputs, new LevelPlan(), TraceSink.NONE), stoppedEarly);
        }
        instructions(s, ring, n);
        return s.toString();
    }

    private static void registers(StringBuilder s, Recording recording, Divergence d, long n, long[] liveAtN,
                                  Machine m, Drive untraced, ExitKind stoppedEarly) {
        RecordedEvent want = d.expected();
        RecordedEvent got = d.actual();
        if (want != null && want.type() == EventType.CHECKPOINT) {
            long[] expected = Registers.fromBytes(want.data());
            long[] actual = got != null && got.type() == EventType.CHECKPOINT ? Registers.fromBytes(got.data()) : liveAtN;
            s.append(String.format(Locale.ROOT, "  registers at icount %,d (the checkpoint) that differ:%n", want.icount()));
            appendDiff(s, expected, actual);
            hashes(s, want, got);
            return;
        }
        if (stoppedEarly != null) {
            s.append("  registers: the machine stopped (").append(stoppedEarly).append(") before the divergence\n");
            return;
        }
        RecordedEvent next = null;
        try (EventCursor c = recording.events(n + 1, Set.of(EventType.CHECKPOINT))) {
            if (c.next()) next = RecordedEvent.of(c);
        }
        if (next == null) {
            s.append("  registers: no recorded checkpoint after the divergence to compare with\n");
            return;
        }
        ExitKind r = untraced.runTo(next.icount(), () -> false);
        if (m.instructions() != next.icount()) {
            s.append(String.format(Locale.ROOT, "  registers: the replay stopped (%s) at icount %,d, before the next recorded checkpoint at %,d%n",
                    r, m.instructions(), next.icount()));
            return;
        }
        s.append(String.format(Locale.ROOT, "  registers that differ at the next recorded checkpoint (icount %,d):%n", next.icount()));
        appendDiff(s, Registers.fromBytes(next.data()), Registers.of(m.vm()));
        var live = m.stateHashes();
        s.append(String.format("  state hashes there: cpu %s, ram %s, devices %s%n",
                same(next.get("cpu_hash"), live.cpu()), same(next.get("ram_hash"), live.ram()), same(next.get("device_hash"), live.devices())));
    }

    private static void hashes(StringBuilder s, RecordedEvent want, RecordedEvent got) {
        if (got == null || got.type() != EventType.CHECKPOINT) return;
        s.append(String.format("  state hashes: cpu %s, ram %s, devices %s%n", same(want.get("cpu_hash"), got.get("cpu_hash")),
                same(want.get("ram_hash"), got.get("ram_hash")), same(want.get("device_hash"), got.get("device_hash"))));
    }

    private static String same(long a, long b) {
        return a == b ? "equal" : "DIFFER";
    }

    private static void appendDiff(StringBuilder s, long[] expected, long[] actual) {
        List<String> lines = Registers.diff(expected, actual);
        if (lines.isEmpty()) s.append("    (none)\n");
        for (String l : lines) s.append("    ").append(l).append('\n');
    }

    private static void instructions(StringBuilder s, InstructionRing ring, long n) {
        InstructionRing.Entry[] last = ring.entries();
        s.append(String.format("  last %d %s executed (-> the one at the divergence's icount):%n", last.length, Plural.noun(last.length, "instruction")));
        try (Disassembler dis = new Disassembler()) {
            for (InstructionRing.Entry e : last) {
                s.append(String.format(Locale.ROOT, "  %s %,14d  0x%016x  %08x  %s%n", e.icount() == n ? "->" : "  ",
                        e.icount(), e.pc(), e.opcode(), dis.disassemble(e.pc(), e.opcode())));
            }
        }
    }
}
