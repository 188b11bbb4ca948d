package io.deja.analysis.stages;

import io.deja.analysis.Json;
import io.deja.recorder.Plural;

import java.util.List;
import java.util.Locale;

/** Prints stages for people (text) and programs (json): one run's, and two runs' side by side. */
public final class StageFormat {
    private StageFormat() {}

    // ---- one run ---------------------------------------------------------------------------------

    public static String text(StageRun r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %s, %s virtual%s; stages from %s%n", r.recording(), Plural.count(r.instructions(), "instruction"),
                time(r.end()), r.truncated() ? ", cut short" : "", r.file().source()));
        int w = nameWidth(r.file());
        if (!r.severalCpus()) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %15s  %14s  %15s  %s%n", "stage", "icount", "virtual time", "since previous", "what"));
            for (StageRun.Reached s : r.reached()) {
                sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %,15d  %14s  %,15d  %s%n", s.name(), s.icount(), time(s.time()),
                        s.sincePrevious(), detail(s)));
            }
            for (StageFile.Stage s : r.missing()) {
                if (s.forbidden()) continue;
                sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %15s  %14s  %15s  %s%n", s.name(), "-", "-", "-", notReached(s)));
            }
            return sb.append(verdictLine(r)).toString();
        }
        // Several CPUs: the icount is the machine's (all CPUs'), and each stage names the CPU that reached it.
        sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %15s  %3s  %15s  %14s  %15s  %s%n", "stage", "global icount", "cpu", "cpu icount",
                "virtual time", "since previous", "what"));
        for (StageRun.Reached s : r.reached()) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %,15d  %3s  %15s  %14s  %,15d  %s%n", s.name(), s.icount(), cpu(s),
                    s.cpu() == StageRun.Reached.MACHINE ? "-" : String.format(Locale.ROOT, "%,d", s.cpuIcount()), time(s.time()),
                    s.sincePrevious(), detail(s)));
        }
        for (StageFile.Stage s : r.missing()) {
            if (s.forbidden()) continue;
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %15s  %3s  %15s  %14s  %15s  %s%n", s.name(), "-", "-", "-", "-", "-",
                    notReached(s)));
        }
        return sb.append(verdictLine(r)).toString();
    }

    /** A milestone missed. (Forbidden stages absent as they should be are not listed: the verdict line names them.) */
    private static String notReached(StageFile.Stage s) {
        return "not reached (" + s.spelling() + ")";
    }

    /** What matched, marked when the stage is forbidden. */
    private static String detail(StageRun.Reached s) {
        return s.stage().forbidden() ? "FORBIDDEN: " + s.detail() : s.detail();
    }

    /** The last line when the file has forbidden stages: whether the run reached any (then deja stages fails); else nothing. */
    private static String verdictLine(StageRun r) {
        return r.file().hasForbiddenStages() ? verdict(r) + "\n" : "";
    }

    /**
     * One line: "stages: no forbidden stage reached (N looked for)", or
     * "stages: FAILED: forbidden stage reached: NAME at icount N (what matched)" naming each.
     */
    public static String verdict(StageRun r) {
        List<StageRun.Reached> bad = r.forbiddenReached();
        if (bad.isEmpty()) {
            List<String> names = r.file().stages().stream().filter(StageFile.Stage::forbidden).map(StageFile.Stage::name).toList();
            return String.format(Locale.ROOT, "stages: no forbidden stage reached (%d looked for: %s)", names.size(), String.join(", ", names));
        }
        StringBuilder sb = new StringBuilder("stages: FAILED: ").append(Plural.count(bad.size(), "forbidden stage", "forbidden stages"))
                .append(" reached: ");
        for (int i = 0; i < bad.size(); i++) {
            StageRun.Reached s = bad.get(i);
            if (i > 0) sb.append(", ");
            sb.append(s.name()).append(String.format(Locale.ROOT, " at icount %,d (%s)", s.icount(), s.detail()));
        }
        return sb.toString();
    }

    /** The CPU that reached a stage, "all" for the machine (the end of the run). */
    static String cpu(StageRun.Reached s) {
        return s.cpu() == StageRun.Reached.MACHINE ? "all" : Integer.toString(s.cpu());
    }

    public static String json(StageRun r) {
        Json j = new Json();
        json(j, r);
        return j + "\n";
    }

    static void json(Json j, StageRun r) {
        j.open('{').key("recording").value(r.recording()).key("stage_file").value(r.file().source())
                .key("instructions").value(r.instructions()).key("cpus").value(r.cpus()).key("frequency_hz").value(StageRun.FREQUENCY_HZ);
        time(j, r.end());
        j.key("truncated").value(r.truncated());
        j.key("stages").open('[');
        for (StageRun.Reached s : r.reached()) {
            j.open('{').key("name").value(s.name()).key("reached").value(true).key("milestone").value(s.stage().milestone().toString())
                    .key("icount").value(s.icount())
                    .key("cpu").value(s.cpu() == StageRun.Reached.MACHINE ? null : s.cpu()).key("cpu_icount").value(s.cpuIcount());
            time(j, s.time());
            j.key("since_previous").value(s.sincePrevious()).key("detail").value(s.detail()).key("forbidden").value(s.stage().forbidden()).close('}');
        }
        for (StageFile.Stage s : r.missing()) {
            j.open('{').key("name").value(s.name()).key("reached").value(false).key("milestone").value(s.milestone().toString())
                    .key("forbidden").value(s.forbidden()).close('}');
        }
        j.close(']');
        j.key("failed").value(r.failed());
        j.key("forbidden_reached").open('[');
        for (StageRun.Reached s : r.forbiddenReached()) j.value(s.name());
        j.close(']').close('}');
    }

    /** cycles, cycles_max (null when unbounded), seconds and whether the time is exact. */
    private static void time(Json j, StageRun.Time t) {
        j.key("cycles").value(t.min()).key("cycles_max").value(t.max() < 0 ? null : t.max())
                .key("seconds").value(seconds(t.min())).key("time_exact").value(t.exact());
    }

    private static Object seconds(long cycles) {
        return Json.number(String.format(Locale.ROOT, "%.9f", (double) cycles / StageRun.FREQUENCY_HZ));
    }

    /** "1.234567 s"; a time known only between bounds is its lower bound marked with '>='. */
    static String time(StageRun.Time t) {
        String s = String.format(Locale.ROOT, "%.6f s", t.seconds());
        return t.exact() ? s : ">=" + s;
    }

    private static int nameWidth(StageFile f) {
        return Math.max(5, f.stages().stream().mapToInt(s -> s.name().length()).max().orElse(0));
    }

    // ---- two runs ---------------------------------------------------------------------------------

    public static String text(StageComparison c) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "boot stages (A is the baseline; stages from %s; cost = instructions since the previous stage "
                + "both reached in the same order; threshold %s%%%s):%n", c.a().file().source(), percent(c.thresholdPercent()),
                c.minGrowth() > 0 ? " and " + Plural.count(c.minGrowth(), "instruction") : ""));
        int w = nameWidth(c.a().file());
        if (!c.severalCpus()) {
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %15s  %15s  %14s  %8s  %15s  %15s  %8s  %s%n", "stage", "A icount", "B icount",
                    "delta", "delta%", "A cost", "B cost", "cost%", "change"));
            for (StageComparison.Row r : c.rows()) {
                if (forbiddenByNeither(r)) continue;
                sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %15s  %15s  %14s  %8s  %15s  %15s  %8s  %s%n", r.name(), count(r.icountA()),
                        count(r.icountB()), signed(r.delta()), signedPercent(r.deltaPercent()), count(r.costA()), count(r.costB()),
                        signedPercent(r.costPercent()), change(r)));
            }
        } else {
            // Several CPUs: icounts are the machines' (all CPUs'), and each side names the CPU that reached the stage and its own icount.
            String row = "  %-" + w + "s  %15s  %5s  %15s  %15s  %5s  %15s  %14s  %8s  %15s  %15s  %8s  %s%n";
            sb.append(String.format(Locale.ROOT, row, "stage", "A global icount", "A cpu", "A cpu icount", "B global icount", "B cpu", "B cpu icount",
                    "delta", "delta%", "A cost", "B cost", "cost%", "change"));
            for (StageComparison.Row r : c.rows()) {
                if (forbiddenByNeither(r)) continue;
                sb.append(String.format(Locale.ROOT, row, r.name(), count(r.icountA()), cpu(r.cpuA()), cpuIcount(r.cpuA(), r.cpuIcountA()),
                        count(r.icountB()), cpu(r.cpuB()), cpuIcount(r.cpuB(), r.cpuIcountB()), signed(r.delta()), signedPercent(r.deltaPercent()),
                        count(r.costA()), count(r.costB()), signedPercent(r.costPercent()), change(r)));
            }
        }
        sb.append(verdict(c)).append('\n');
        return sb.toString();
    }

    /** A forbidden stage neither run reached: the good case, left out of the text table (the JSON keeps it) so the table shows the boot. */
    private static boolean forbiddenByNeither(StageComparison.Row r) {
        return r.forbidden() && r.change() == StageComparison.Change.UNREACHED;
    }

    /** The change, in capitals when it is a regression. */
    private static String change(StageComparison.Row r) {
        return r.change().regression ? r.change().label.toUpperCase(Locale.ROOT) : r.change().label;
    }

    /** A CPU column of the diff: "-" where the stage was not reached, "all" for the end of the run. */
    private static String cpu(Integer n) {
        return n == null ? "-" : n == StageRun.Reached.MACHINE ? "all" : Integer.toString(n);
    }

    private static String cpuIcount(Integer n, Long icount) {
        return n == null || n == StageRun.Reached.MACHINE ? "-" : count(icount);
    }

    /** One line: "stages: no regression ..." or "stages: REGRESSION: ..." naming each stage. */
    public static String verdict(StageComparison c) {
        List<StageComparison.Row> bad = c.regressions();
        if (bad.isEmpty()) {
            return String.format(Locale.ROOT, "stages: no regression (B against baseline A, threshold %s%%)", percent(c.thresholdPercent()))
                    + improvements(c);
        }
        StringBuilder sb = new StringBuilder("stages: REGRESSION (B against baseline A, threshold ")
                .append(percent(c.thresholdPercent())).append("%): ");
        for (int i = 0; i < bad.size(); i++) {
            StageComparison.Row r = bad.get(i);
            if (i > 0) sb.append(", ");
            sb.append(r.name()).append(' ');
            if (r.change() == StageComparison.Change.GREW) {
                Double p = r.costPercent();
                sb.append("cost ").append(p == null ? "grew from 0" : signedPercent(p))
                        .append(String.format(Locale.ROOT, " (%+,d %s)", r.costB() - r.costA(), Plural.noun(r.costB() - r.costA(), "instruction")));
            } else {
                sb.append(r.change().label);
            }
        }
        return sb.append(improvements(c)).toString();
    }

    /** "; improved: NAME gone (forbidden), ..." for the forbidden stages A reached and B no longer does; else "". */
    private static String improvements(StageComparison c) {
        List<StageComparison.Row> better = c.improvements();
        if (better.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("; improved: ");
        for (int i = 0; i < better.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(better.get(i).name()).append(' ').append(better.get(i).change().label);
        }
        return sb.toString();
    }

    public static void json(Json j, StageComparison c) {
        j.open('{').key("baseline").value("a").key("stage_file").value(c.a().file().source())
                .key("threshold_percent").value(c.thresholdPercent()).key("min_growth").value(c.minGrowth())
                .key("regression").value(c.regression());
        j.key("rows").open('[');
        for (StageComparison.Row r : c.rows()) {
            j.open('{').key("name").value(r.name()).key("icount_a").value(r.icountA()).key("icount_b").value(r.icountB())
                    .key("delta").value(r.delta()).key("delta_percent").value(round(r.deltaPercent()))
                    .key("cost_a").value(r.costA()).key("cost_b").value(r.costB()).key("cost_percent").value(round(r.costPercent()))
                    .key("change").value(r.change().name().toLowerCase(Locale.ROOT)).key("regression").value(r.change().regression)
                    .key("forbidden").value(r.forbidden())
                    .key("cpu_a").value(jsonCpu(r.cpuA())).key("cpu_icount_a").value(r.cpuIcountA())
                    .key("cpu_b").value(jsonCpu(r.cpuB())).key("cpu_icount_b").value(r.cpuIcountB())
                    .close('}');
        }
        j.close(']');
        j.key("improvements").open('[');
        for (StageComparison.Row r : c.improvements()) j.value(r.name());
        j.close(']');
        j.key("a");
        json(j, c.a());
        j.key("b");
        json(j, c.b());
        j.close('}');
    }

    /** A CPU in the JSON: null for the machine (the end of the run) or a stage not reached. */
    private static Integer jsonCpu(Integer n) {
        return n == null || n == StageRun.Reached.MACHINE ? null : n;
    }

    private static Object round(Double p) {
        return p == null ? null : Json.number(String.format(Locale.ROOT, "%.4f", p));
    }

    private static String percent(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%s", p);
    }

    private static String count(Long v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String signed(Long v) {
        return v == null ? "-" : v == 0 ? "0" : String.format(Locale.ROOT, "%+,d", v);
    }

    private static String signedPercent(Double p) {
        return p == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", p);
    }
}
