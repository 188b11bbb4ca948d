package io.deja.analysis.diff;

import io.deja.analysis.stages.StageComparison;
import io.deja.analysis.stages.StageFile;
import io.deja.analysis.stages.StageRun;
import io.deja.core.board.MachineConfig;
import io.deja.recorder.EventCursor;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares two recordings: walks both event streams in step until the first
 * event that differs, then reads each to its end alone for the summaries and
 * the boot stages. Reads the recordings only (no export needed).
 */
public final class Differ {
    private Differ() {}

    /**
     * What to compare besides the events.
     *
     * @param stages           the boot stages to look for
     * @param alwaysStages     compare stages even when neither run printed a console line the stage file names
     * @param thresholdPercent how much more a stage may cost in B than in A before it is a regression
     * @param minGrowth        growth of a stage's cost by at most this many instructions is never a regression
     */
    public record Options(StageFile stages, boolean alwaysStages, double thresholdPercent, long minGrowth) {
        public static final double DEFAULT_THRESHOLD_PERCENT = 5;

        /** The built-in Linux stages, compared when either run printed one of their lines; threshold 5%. */
        public static Options defaults() {
            return new Options(StageFile.builtin(), false, DEFAULT_THRESHOLD_PERCENT, 0);
        }
    }

    public static DiffReport diff(Path dirA, Path dirB) {
        return diff(dirA, dirB, Options.defaults());
    }

    public static DiffReport diff(Path dirA, Path dirB, Options options) {
        try (Recording a = Recording.open(dirA); Recording b = Recording.open(dirB)) {
            RunSummary sa = new RunSummary(options.stages()), sb = new RunSummary(options.stages());
            Event eventA = null, eventB = null;
            long globalA = -1, globalB = -1;
            boolean diverged = false;
            long index = 0;
            boolean seedsDiffer = !a.header().chaosSeed().equals(b.header().chaosSeed());
            try (EventCursor ca = a.events(); EventCursor cb = b.events()) {
                boolean ha, hb;
                while (true) {
                    ha = ca.next();
                    hb = cb.next();
                    if (ha) sa.add(ca);
                    if (hb) sb.add(cb);
                    if (!ha && !hb) break;
                    if (!ha || !hb || !Event.same(ca, cb) && !(seedsDiffer && onlyChaosStateDiffers(ca, cb))) {
                        diverged = true;
                        eventA = ha ? Event.of(index, ca) : null;
                        eventB = hb ? Event.of(index, cb) : null;
                        // Where each lies on its machine's time line, from the slices read up to it.
                        if (ha) globalA = sa.global(ca.type(), ca.cpu(), ca.icount());
                        if (hb) globalB = sb.global(cb.type(), cb.cpu(), cb.icount());
                        break;
                    }
                    index++;
                }
                if (ha) drain(ca, sa);
                if (hb) drain(cb, sb);
                sa.finish(ca);
                sb.finish(cb);
            }
            DiffReport.Divergence divergence = diverged ? divergence(index, eventA, eventB, globalA, globalB, sa, sb) : null;
            StageRun stagesA = sa.stages.finish(dirA.toString(), sa.truncated), stagesB = sb.stages.finish(dirB.toString(), sb.truncated);
            StageComparison stages = options.alwaysStages() || stagesA.reachedConsoleStage() || stagesB.reachedConsoleStage()
                    ? StageComparison.of(stagesA, stagesB, options.thresholdPercent(), options.minGrowth()) : null;
            boolean severalCpus = a.header().cpus() > 1 || b.header().cpus() > 1;
            return new DiffReport(side(dirA, sa), side(dirB, sb), header(a.header(), b.header()), divergence,
                    ConsoleAlignment.align(sa.lines, sb.lines), counts(sa, sb), stages,
                    severalCpus ? cpuCounts(sa, sb) : List.of());
        }
    }

    /**
     * Whether a and b are the same checkpoint but for the CPU state hash: that
     * hash covers the chaos generators (and the scheduler's), which two
     * different seeds set apart from the first instruction, before the runs
     * behave differently. Registers, RAM and devices still must match.
     */
    static boolean onlyChaosStateDiffers(EventCursor a, EventCursor b) {
        if (a.type() != io.deja.core.trace.EventType.CHECKPOINT || b.type() != a.type() || a.cpu() != b.cpu()) return false;
        return a.i64(0) == b.i64(0) && a.i64(1) == b.i64(1) && a.i64(3) == b.i64(3) && a.i64(4) == b.i64(4)
                && java.util.Arrays.equals(a.bytes(5), b.bytes(5));
    }

    private static void drain(EventCursor c, RunSummary s) {
        while (c.next()) s.add(c);
    }

    private static DiffReport.Side side(Path dir, RunSummary s) {
        return new DiffReport.Side(dir.toString(), s.events, s.lastIcount, s.truncated);
    }

    /**
     * The first divergence: a and b with their places on their machines' time
     * lines (globalA, globalB); the earlier of those is where the runs part,
     * and checkpoints (which count the machine's instructions) are looked up
     * from there.
     */
    private static DiffReport.Divergence divergence(long index, Event a, Event b, long globalA, long globalB,
                                                    RunSummary sa, RunSummary sb) {
        long icount = a == null ? globalB : b == null ? globalA : Math.min(globalA, globalB);
        RunSummary.Checkpoint ca = sa.checkpointFrom(icount), cb = sb.checkpointFrom(icount);
        List<DiffReport.RegisterDifference> regs = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        if (ca != null && cb != null) {
            int n = io.deja.core.trace.CheckpointRegisters.COUNT;
            if (ca.regs().length == n * 8 && cb.regs().length == n * 8) {
                for (int i = 0; i < n; i++) {
                    long va = le(ca.regs(), i), vb = le(cb.regs(), i);
                    if (va != vb) regs.add(new DiffReport.RegisterDifference(io.deja.core.trace.CheckpointRegisters.name(i), va, vb));
                }
            }
            if (ca.cpuHash() != cb.cpuHash()) hashes.add("cpu");
            if (ca.ramHash() != cb.ramHash()) hashes.add("ram");
            if (ca.deviceHash() != cb.deviceHash()) hashes.add("devices");
        }
        return new DiffReport.Divergence(index, icount, a, b, ca == null ? null : ca.icount(), cb == null ? null : cb.icount(),
                regs, hashes, a == null ? null : globalA, b == null ? null : globalB);
    }

    private static long le(byte[] b, int i) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (b[i * 8 + k] & 0xFF);
        return v;
    }

    private static List<DiffReport.CountRow> counts(RunSummary a, RunSummary b) {
        List<DiffReport.CountRow> rows = new ArrayList<>();
        add(rows, "exits", a.exits, b.exits);
        add(rows, "interrupts", a.interrupts, b.interrupts);
        add(rows, "exceptions", a.exceptions, b.exceptions);
        return rows;
    }

    /** Each CPU's counts side by side, CPU by CPU (a CPU only one run has counts 0 in the other). */
    private static List<DiffReport.CpuCountRow> cpuCounts(RunSummary a, RunSummary b) {
        List<DiffReport.CpuCountRow> rows = new ArrayList<>();
        int n = Math.max(a.cpus.size(), b.cpus.size());
        for (int cpu = 0; cpu < n; cpu++) {
            for (int k = 0; k < RunSummary.CPU_KINDS.length; k++) {
                long va = cpu < a.cpus.size() ? a.cpus.get(cpu)[k] : 0, vb = cpu < b.cpus.size() ? b.cpus.get(cpu)[k] : 0;
                rows.add(new DiffReport.CpuCountRow(cpu, RunSummary.CPU_KINDS[k], va, vb));
            }
        }
        return rows;
    }

    private static void add(List<DiffReport.CountRow> rows, String table, Map<String, Long> a, Map<String, Long> b) {
        TreeSet<String> kinds = new TreeSet<>(a.keySet());
        kinds.addAll(b.keySet());
        for (String k : kinds) rows.add(new DiffReport.CountRow(table, k, a.getOrDefault(k, 0L), b.getOrDefault(k, 0L)));
    }

    /** Header settings that differ; the wall-clock start time is metadata and never compared. */
    static List<DiffReport.HeaderDifference> header(RecordingHeader a, RecordingHeader b) {
        List<DiffReport.HeaderDifference> out = new ArrayList<>();
        compare(out, "format_version", a, b, h -> Integer.toString(h.formatVersion()));
        compare(out, "deja_version", a, b, RecordingHeader::dejaVersion);
        compare(out, "board", a, b, h -> h.board().cliName());
        compare(out, "ram_size", a, b, h -> Long.toString(h.ramSize()));
        compare(out, "entry", a, b, h -> h.entry() == MachineConfig.DEFAULT_ENTRY ? "default" : "0x" + Long.toHexString(h.entry()));
        compare(out, "command_line", a, b, RecordingHeader::commandLine);
        compare(out, "kaslr_seed", a, b, h -> "0x" + Long.toHexString(h.kaslrSeed()));
        compare(out, "rng_seed", a, b, h -> HexFormat.of().formatHex(h.rngSeed()));
        compare(out, "images", a, b, h -> String.join(", ", h.images().stream().map(Differ::image).toList()));
        compare(out, "cpus", a, b, h -> Integer.toString(h.cpus()));
        compare(out, "quantum", a, b, h -> h.cpus() > 1 ? Long.toString(h.quantum()) : "none (one CPU)");
        compare(out, "chaos_seed", a, b, h -> h.chaosSeed().isPresent() ? Long.toString(h.chaosSeed().getAsLong()) : "none");
        compare(out, "checkpoint_interval", a, b, h -> Long.toString(h.checkpointInterval()));
        compare(out, "trace_level", a, b, h -> h.traceLevel().name().toLowerCase());
        compare(out, "trace_window", a, b, h -> h.wholeRun() ? "whole run" : h.traceFrom() + ".." + h.traceTo());
        compare(out, "devices", a, b, h -> String.join(", ", h.devices()));
        compare(out, "max_instructions", a, b, h -> h.maxInstructions() < 0 ? "none" : Long.toString(h.maxInstructions()));
        return out;
    }

    private static String image(RecordedImage i) {
        return Path.of(i.path()).getFileName() + " sha256:" + i.sha256().substring(0, Math.min(12, i.sha256().length()));
    }

    private static void compare(List<DiffReport.HeaderDifference> out, String field, RecordingHeader a, RecordingHeader b,
                                Function<RecordingHeader, String> f) {
        String va = f.apply(a), vb = f.apply(b);
        if (!Objects.equals(va, vb)) out.add(new DiffReport.HeaderDifference(field, va, vb));
    }
}
