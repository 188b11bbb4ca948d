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
}
