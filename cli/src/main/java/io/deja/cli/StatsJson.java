package io.deja.cli;

import io.deja.analysis.Json;
import io.deja.core.board.ExitStatistics;
import io.deja.core.board.RunResult;
import io.deja.core.board.StateHashes;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.Recorder;
import io.deja.replayer.ReplayResult;

import java.util.Locale;

/**
 * The statistics of run, record and replay as one JSON object on one line
 * (--format json), for CI scripts: numbers as numbers, booleans as booleans,
 * hashes as 16-digit hex strings, a rate that cannot be measured as null.
 */
final class StatsJson {
    private StatsJson() {}

    /** "text" or "json", else a usage error. */
    static boolean json(String format) {
        return switch (format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new UserError("--format: unknown format '" + format + "' (text or json)");
        };
    }

    static String run(RunResult r, String why, ExitStatistics s) {
        Json j = new Json().open('{');
        stop(j, r.reason(), why);
        j.key("pc").value(hex(r.pc()));
        j.key("instructions").value(s.instructions());
        j.key("cycles").value(s.cycles());
        j.key("virtual_seconds").value(Json.number(String.format(Locale.ROOT, "%.9f", s.cycles() / (double) io.deja.core.cpu.GenericTimer.FREQUENCY_HZ)));
        double seconds = s.hostNanos() / 1e9;
        j.key("host_seconds").value(seconds(seconds));
        j.key("mips").value(ExitStatistics.measurable(s.instructions(), seconds) ? rate(s.instructions() / seconds / 1e6) : null);
        j.key("exits").open('{');
        j.key("total").value(s.totalExits());
        for (ExitKind k : ExitStatistics.KINDS) {
            if (s.count(k) != 0) j.key(k.label).value(s.count(k));
        }
        return j.close('}').close('}').toString();
    }

    static String record(Recorder.Result r, String trace, Recorder.Options o) {
        Json j = new Json().open('{');
        stop(j, r.stop(), RecordCommand.describe(r.stop()));
        j.key("recording").value(r.dir().toString());
        j.key("trace").value(trace);
        j.key("chaos_seed").value(o.chaosSeed().isPresent() ? (Object) o.chaosSeed().getAsLong() : null);
        j.key("checkpoint_every").value(o.checkpointInterval());
        j.key("events").value(r.events());
        j.key("instructions").value(r.instructions());
        j.key("cycles").value(r.cycles());
        j.key("encoded_bytes").value(r.payloadBytes());
        j.key("disk_bytes").value(r.diskBytes());
        j.key("final_state_hash").value(String.format("%016x", r.finalHash().combined()));
        double seconds = r.hostNanos() / 1e9;
        j.key("host_seconds").value(seconds(seconds));
        boolean measurable = ExitStatistics.measurable(r.instructions(), seconds);
        j.key("instructions_per_second").value(measurable ? rate(r.instructions() / seconds) : null);
        j.key("events_per_second").value(measurable ? rate(r.events() / seconds) : null);
        return j.close('}').toString();
    }

    static String replay(ReplayResult r, double seconds) {
        Json j = new Json().open('{');
        j.key("bit_exact").value(r.bitExact());
        j.key("cut_short").value(r.truncated());
        if (r.truncated()) {
            j.key("cut_short_after_icount").value(r.endIcount());
            j.key("cut_short_reason").value(r.cutShort());
        }
        j.key("events").value(r.events());
        j.key("instructions").value(r.instructions());
        if (r.bitExact()) {
            StateHashes h = r.finalHash();
            j.key("final_state_hash").value(String.format("%016x", h.combined()));
            j.key("cpu_hash").value(String.format("%016x", h.cpu()));
            j.key("ram_hash").value(String.format("%016x", h.ram()));
            j.key("device_hash").value(String.format("%016x", h.devices()));
        }
        if (r.retraced() >= 0) j.key("retraced_events").value(r.retraced());
        j.key("host_seconds").value(seconds(seconds));
        return j.close('}').toString();
    }

    /** bench --recording: the recording and export figures, each with its target, and whether all were met. */
    static String benchRecording(io.deja.recorder.RecordBench.Report rec, io.deja.analysis.bench.ExportBench.Report export, int runs) {
        Json j = new Json().open('{');
        j.key("runs").value(runs);
        j.key("recording").open('{');
        j.key("exits_per_second").value(rate(rec.exitsPerSecond())).key("exits_per_second_target").value(20_000_000L);
        j.key("full_instructions_per_second").value(rate(rec.fullInsnsPerSecond())).key("full_instructions_per_second_target").value(20_000_000L);
        j.key("full_bytes_per_instruction").value(fixed(rec.fullBytesPerInsn(), 3));
        j.key("events_overhead_hello").value(fixed(rec.helloOverhead(), 3)).key("events_overhead_hello_max").value(Json.number("1.10"));
        j.key("events_overhead_timer").value(fixed(rec.timerOverhead(), 3)).key("events_overhead_timer_max").value(Json.number("1.10"));
        j.key("events_overhead_timer_long").value(fixed(rec.timerLongOverhead(), 3));
        j.key("open_close_ms").value(fixed(rec.openCloseMillis(), 1));
        j.key("targets_met").value(rec.meetsTargets());
        j.close('}');
        j.key("export").open('{');
        j.key("rows").value(export.rows()).key("reg_writes").value(export.regWrites());
        j.key("rows_per_second").value(rate(export.rowsPerSecond())).key("rows_per_second_target").value(10_000_000L);
        j.key("first_write_ms").value(fixed(export.firstWriteMillis(), 1)).key("first_write_ms_max").value(1000L);
        j.key("targets_met").value(export.meetsTargets());
        j.close('}');
        j.key("targets_met").value(rec.meetsTargets() && export.meetsTargets());
        return j.close('}').toString();
    }

    /**
     * bench --linux: the machine (cpus, gic), every boot of each engine, the medians, the ratios to QEMU
     * with their floors, the recordings' sizes. With several CPUs also the boots with one CPU
     * (deja_run_smp1), the ratios of N CPUs to one and the ratios to power-off; the floors, which are
     * about one CPU, are not judged (floors_met null).
     */
    static String benchLinux(LinuxBench.Report r) {
        Json j = new Json().open('{');
        j.key("image").value(r.image().toString());
        j.key("runs").value(r.runs());
        j.key("cpus").value(r.cpus());
        j.key("gic").value(r.gic().number());
        if (r.smp()) boots(j, "deja_run_smp1", r.oneCpuRuns(), r.oneCpuMedian());
        boots(j, "deja_run", r.dejaRuns(), r.dejaMedian());
        boots(j, "deja_record", r.recordRuns(), r.recordMedian());
        if (r.smp()) {
            j.key("smp_over_smp1").value(fixed(r.dejaMedian().toMarker() / r.oneCpuMedian().toMarker(), 2));
            j.key("smp_over_smp1_end").value(fixed(LinuxBench.medianEnd(r.dejaRuns()) / LinuxBench.medianEnd(r.oneCpuRuns()), 2));
            j.key("smp_over_smp1_cpu").value(fixed(LinuxBench.medianCpu(r.dejaRuns()) / LinuxBench.medianCpu(r.oneCpuRuns()), 2));
        }
        LinuxBench.Boot q = r.qemuMedian();
        if (q != null) {
            boots(j, "qemu", r.qemuRuns(), q);
            j.key("run_over_qemu").value(fixed(r.dejaMedian().toMarker() / q.toMarker(), 2));
            if (!r.smp()) j.key("run_over_qemu_max").value(fixed(LinuxBench.RUN_FLOOR, 1));
            j.key("record_over_qemu").value(fixed(r.recordMedian().toMarker() / q.toMarker(), 2));
            if (!r.smp()) j.key("record_over_qemu_max").value(fixed(LinuxBench.RECORD_FLOOR, 1));
            if (r.smp()) j.key("run_over_qemu_end").value(fixed(LinuxBench.medianEnd(r.dejaRuns()) / LinuxBench.medianEnd(r.qemuRuns()), 2));
        } else {
            j.key("qemu").value(null);
        }
        LinuxBench.Boot p = r.processMedian();
        if (p != null) {
            // The launcher's deja run as a process of its own: what a user waits for, beside QEMU's process.
            boots(j, "deja_run_process", r.processRuns(), p);
            j.key("process_cpu_seconds_median").value(seconds(LinuxBench.medianProcessCpu(r.processRuns())));
            if (q != null) {
                j.key("process_over_qemu").value(fixed(p.toMarker() / q.toMarker(), 2));
                j.key("process_over_qemu_end").value(fixed(LinuxBench.medianEnd(r.processRuns()) / LinuxBench.medianEnd(r.qemuRuns()), 2));
                double qemuCpu = LinuxBench.medianProcessCpu(r.qemuRuns());
                j.key("process_cpu_over_qemu").value(qemuCpu > 0 ? fixed(LinuxBench.medianProcessCpu(r.processRuns()) / qemuCpu, 2) : null);
            }
        }
        j.key("floors_met").value(r.smp() ? null : (Object) r.met());
        long instructions = r.dejaMedian().instructions();
        j.key("events_recording").open('{').key("bytes").value(r.eventsBytes()).key("events").value(r.events())
                .key("bytes_per_instruction").value(fixed((double) r.eventsBytes() / instructions, 4)).close('}');
        j.key("full_recording").open('{').key("instructions").value(LinuxBench.FULL_WINDOW).key("bytes").value(r.fullBytes())
                .key("events").value(r.fullEvents()).key("bytes_per_instruction").value(fixed((double) r.fullBytes() / LinuxBench.FULL_WINDOW, 2))
                .key("host_seconds").value(seconds(r.fullSeconds())).close('}');
        return j.close('}').toString();
    }

    private static void boots(Json j, String key, java.util.List<LinuxBench.Boot> boots, LinuxBench.Boot median) {
        j.key(key).open('{');
        j.key("boots").open('[');
        for (LinuxBench.Boot b : boots) boot(j, b);
        j.close(']');
        j.key("median");
        boot(j, median);
        j.key("median_end_seconds").value(seconds(LinuxBench.medianEnd(boots)));
        j.close('}');
    }

    private static void boot(Json j, LinuxBench.Boot b) {
        j.open('{').key("marker_seconds").value(seconds(b.toMarker())).key("end_seconds").value(seconds(b.total()))
                .key("instructions").value(b.instructions() > 0 ? (Object) b.instructions() : null);
        if (b.perCpu().length > 1) {
            j.key("instructions_per_cpu").open('[');
            for (long n : b.perCpu()) j.value(n);
            j.close(']');
        }
        j.key("run_thread_cpu_seconds").value(b.cpu() >= 0 ? seconds(b.cpu()) : null);
        if (b.processCpu() >= 0) j.key("process_cpu_seconds").value(seconds(b.processCpu()));
        j.close('}');
    }

    /** bench --seek: the first replay, the seek latencies, the index and the seeks after loading it. */
    static String benchSeek(SeekBench.Report r) {
        Json j = new Json().open('{');
        j.key("recording").value(r.recording().toString());
        j.key("end_icount").value(r.endIcount());
        j.key("open_seconds").value(seconds(r.openSeconds()));
        j.key("first_replay_seconds").value(seconds(r.firstReplaySeconds()));
        j.key("snapshots").value((long) r.snapshots()).key("snapshot_interval").value(r.snapshotInterval()).key("snapshot_bytes").value(r.snapshotBytes());
        latencies(j, "seeks", r.seeks());
        j.key("index_bytes").value(r.indexBytes()).key("index_write_seconds").value(seconds(r.indexWriteSeconds()));
        j.key("index_load_seconds").value(seconds(r.indexLoadSeconds()));
        j.key("first_seek_after_load_seconds").value(seconds(r.firstSeekAfterLoadSeconds()));
        latencies(j, "seeks_after_load", r.seeksAfterLoad());
        return j.close('}').toString();
    }

    private static void latencies(Json j, String key, SeekBench.Latencies l) {
        j.key(key).open('{').key("count").value((long) l.seeks()).key("median_ms").value(fixed(l.median(), 1)).key("p90_ms").value(fixed(l.p90(), 1))
                .key("p99_ms").value(fixed(l.p99(), 1)).key("max_ms").value(fixed(l.max(), 1)).key("min_ms").value(fixed(l.min(), 1)).close('}');
    }

    private static Object fixed(double v, int places) {
        return Json.number(String.format(Locale.ROOT, "%." + places + "f", v));
    }

    private static void stop(Json j, ExitKind stop, String why) {
        j.key("stop").value(stop.name().toLowerCase(Locale.ROOT));
        j.key("stop_reason").value(why);
        j.key("exit_status").value(Main.exitStatus(stop));
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static Object seconds(double s) {
        return Json.number(String.format(Locale.ROOT, "%.3f", s));
    }

    private static Object rate(double v) {
        return Json.number(String.format(Locale.ROOT, "%.1f", v));
    }

    /** bench --snapshots: the guest, the rounds, each round's snapshot and restore time with their medians, the bytes a snapshot keeps. */
    static String benchSnapshots(SnapshotBench.Report r) {
        Json j = new Json().open('{');
        j.key("ram_bytes").value(r.ramBytes()).key("written_bytes_per_round").value((long) r.writtenBytes()).key("rounds").value((long) r.rounds());
        micros(j, "snapshot", r.snapshotMicros());
        micros(j, "restore_one_back", r.restoreMicros());
        j.key("snapshot_kept_bytes").value(r.keptBytes());
        return j.close('}').toString();
    }

    private static void micros(Json j, String key, java.util.List<Double> us) {
        j.key(key).open('{').key("median_us").value(fixed(SnapshotBench.median(us), 1)).key("min_us").value(fixed(SnapshotBench.min(us), 1))
                .key("max_us").value(fixed(SnapshotBench.max(us), 1)).key("rounds_us").open('[');
        for (double u : us) j.value(fixed(u, 1));
        j.close(']').close('}');
    }
}
