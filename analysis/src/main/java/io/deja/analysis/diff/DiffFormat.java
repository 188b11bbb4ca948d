package io.deja.analysis.diff;

import io.deja.analysis.Json;
import io.deja.analysis.stages.StageFormat;
import io.deja.recorder.Plural;

import java.util.Locale;
import java.util.Map;

/** Prints a {@link DiffReport} for people (text) or programs (json). */
public final class DiffFormat {
    private DiffFormat() {}

    public static String text(DiffReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.equivalent() ? "equivalent: the event streams are identical\n" : "different: the event streams diverge\n");
        side(sb, "A", r.a());
        side(sb, "B", r.b());

        if (!r.header().isEmpty()) {
            sb.append("\nheader differences:\n");
            int w = r.header().stream().mapToInt(h -> h.field().length()).max().orElse(0);
            for (DiffReport.HeaderDifference h : r.header()) {
                sb.append(String.format("  %-" + w + "s  A: %s%n  %" + w + "s  B: %s%n", h.field(), h.a(), "", h.b()));
            }
        }

        DiffReport.Divergence d = r.divergence();
        if (d != null) {
            if (r.cpus().isEmpty()) {
                sb.append(String.format("%nfirst divergence: event #%d at icount %d%n", d.index(), d.icount()));
            } else {
                sb.append(String.format(Locale.ROOT, "%nfirst divergence: event #%d at global icount %,d (%s; %s)%n", d.index(), d.icount(),
                        where("A", d.a(), d.globalA()), where("B", d.b(), d.globalB())));
            }
            sb.append("  A: ").append(d.a() == null ? "(recording ends)" : d.a().toString()).append('\n');
            sb.append("  B: ").append(d.b() == null ? "(recording ends)" : d.b().toString()).append('\n');
            if (d.checkpointA() == null || d.checkpointB() == null) {
                sb.append("  no checkpoint to compare registers with\n");
            } else {
                sb.append(String.format("  at the next checkpoint (A: icount %d, B: icount %d): ", d.checkpointA(), d.checkpointB()));
                if (d.registers().isEmpty() && d.hashes().isEmpty()) {
                    sb.append("same registers and state hashes\n");
                } else {
                    sb.append(d.hashes().isEmpty() ? "same state hashes" : String.join(", ", d.hashes()) + " hashes differ")
                            .append(d.registers().isEmpty() ? ", same registers\n" : "\n");
                    for (DiffReport.RegisterDifference g : d.registers()) {
                        sb.append(String.format("    %-6s A: 0x%016x  B: 0x%016x%n", g.register(), g.a(), g.b()));
                    }
                }
            }
        }

        if (!r.console().isEmpty()) {
            sb.append("\nconsole lines side by side (icount of their first byte):\n");
            sb.append(String.format("  %12s  %12s  %10s  %s%n", "A icount", "B icount", "delta", "line"));
            for (DiffReport.ConsoleRow s : r.console()) {
                String text = s.textA() != null && s.textB() != null ? s.textA()
                        : s.textA() != null ? "only in A: " + s.textA() : "only in B: " + s.textB();
                Long delta = s.delta();
                sb.append(String.format("  %12s  %12s  %10s  %s%n", s.icountA() == null ? "-" : s.icountA(),
                        s.icountB() == null ? "-" : s.icountB(),
                        delta == null ? "-" : delta == 0 ? "0" : String.format("%+d", delta), text));
            }
        }

        if (!r.counts().isEmpty()) {
            sb.append("\nevents by kind:\n");
            int w = Math.max(4, r.counts().stream().mapToInt(c -> c.kind().length()).max().orElse(0));
            sb.append(String.format("  %-10s  %-" + w + "s  %12s  %12s  %10s%n", "table", "kind", "A", "B", "delta"));
            for (DiffReport.CountRow c : r.counts()) {
                sb.append(String.format("  %-10s  %-" + w + "s  %12d  %12d  %10s%n", c.table(), c.kind(), c.a(), c.b(),
                        c.delta() == 0 ? "0" : String.format("%+d", c.delta())));
            }
        }

        if (!r.cpus().isEmpty()) cpus(sb, r.cpus());

        if (r.stages() != null) sb.append('\n').append(StageFormat.text(r.stages()));
        return sb.toString();
    }

    /** One line per CPU, each kind's A and B side by side (instructions with their delta). */
    private static void cpus(StringBuilder sb, java.util.List<DiffReport.CpuCountRow> rows) {
        java.util.Map<Integer, java.util.Map<String, DiffReport.CpuCountRow>> byCpu = new java.util.TreeMap<>();
        for (DiffReport.CpuCountRow c : rows) byCpu.computeIfAbsent(c.cpu(), k -> new java.util.LinkedHashMap<>()).put(c.kind(), c);
        sb.append("\nby CPU (A, B):\n");
        sb.append(String.format("  %-5s  %31s%15s%15s%15s%15s%n", "", "instructions: A, B, delta", "slices", "exits", "interrupts",
                "exceptions"));
        for (var e : byCpu.entrySet()) {
            DiffReport.CpuCountRow insns = e.getValue().get("instructions");
            sb.append(String.format(Locale.ROOT, "  %-5s  %10d %10d %9s", "cpu " + e.getKey(), insns.a(), insns.b(),
                    insns.delta() == 0 ? "0" : String.format("%+d", insns.delta())));
            for (String kind : new String[] {"slices", "exits", "interrupts", "exceptions"}) {
                DiffReport.CpuCountRow c = e.getValue().get(kind);
                sb.append(String.format("  %6d %6d", c.a(), c.b()));
            }
            sb.append('\n');
        }
    }

    /** "A: CPU 1 at its icount 0, global 5,526" (or that the recording ended). */
    private static String where(String side, Event e, Long global) {
        if (e == null) return side + ": the recording ends";
        if (RunSummary.machineWide(e.type())) return String.format(Locale.ROOT, "%s: %s, machine-wide", side, e.type());
        return String.format(Locale.ROOT, "%s: CPU %d at its icount %,d, global %,d", side, e.cpu(), e.icount(), global);
    }

    private static void side(StringBuilder sb, String name, DiffReport.Side s) {
        sb.append(String.format(Locale.ROOT, "  %s: %s (%s, %s%s)%n", name, s.dir(), Plural.count(s.events(), "event"), Plural.count(s.instructions(), "instruction"),
                s.truncated() ? ", cut short" : ""));
    }

    public static String json(DiffReport r) {
        Json j = new Json();
        j.open('{');
        j.key("equivalent").value(r.equivalent()).key("failed").value(r.failed());
        j.key("a");
        side(j, r.a());
        j.key("b");
        side(j, r.b());
        j.key("header").open('[');
        for (DiffReport.HeaderDifference h : r.header()) {
            j.open('{').key("field").value(h.field()).key("a").value(h.a()).key("b").value(h.b()).close('}');
        }
        j.close(']');
        j.key("divergence");
        DiffReport.Divergence d = r.divergence();
        if (d == null) {
            j.nil();
        } else {
            j.open('{').key("index").value(d.index()).key("icount").value(d.icount());
            j.key("a");
            event(j, d.a());
            j.key("b");
            event(j, d.b());
            j.key("cpu_a").value(d.a() == null ? null : (Integer) d.a().cpu())
                    .key("cpu_icount_a").value(d.a() == null ? null : (Long) d.a().icount()).key("global_a").value(d.globalA());
            j.key("cpu_b").value(d.b() == null ? null : (Integer) d.b().cpu())
                    .key("cpu_icount_b").value(d.b() == null ? null : (Long) d.b().icount()).key("global_b").value(d.globalB());
            j.key("checkpoint_a").value(d.checkpointA()).key("checkpoint_b").value(d.checkpointB());
            j.key("registers").open('[');
            for (DiffReport.RegisterDifference g : d.registers()) {
                j.open('{').key("register").value(g.register()).key("a").value(hex(g.a())).key("b").value(hex(g.b())).close('}');
            }
            j.close(']');
            j.key("hashes_differ").open('[');
            for (String h : d.hashes()) j.value(h);
            j.close(']');
            j.close('}');
        }
        j.key("console").open('[');
        for (DiffReport.ConsoleRow s : r.console()) {
            j.open('{').key("line_a").value(s.lineA()).key("icount_a").value(s.icountA()).key("line_b").value(s.lineB())
                    .key("icount_b").value(s.icountB()).key("delta").value(s.delta())
                    .key("text").value(s.textA() != null ? s.textA() : s.textB()).close('}');
        }
        j.close(']');
        j.key("counts").open('[');
        for (DiffReport.CountRow c : r.counts()) {
            j.open('{').key("table").value(c.table()).key("kind").value(c.kind()).key("a").value(c.a()).key("b").value(c.b())
                    .key("delta").value(c.delta()).close('}');
        }
        j.close(']');
        j.key("cpus").open('[');
        for (DiffReport.CpuCountRow c : r.cpus()) {
            j.open('{').key("cpu").value(c.cpu()).key("kind").value(c.kind()).key("a").value(c.a()).key("b").value(c.b())
                    .key("delta").value(c.delta()).close('}');
        }
        j.close(']');
        j.key("stages");
        if (r.stages() == null) j.nil(); else StageFormat.json(j, r.stages());
        j.close('}');
        return j.toString() + "\n";
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static void side(Json j, DiffReport.Side s) {
        j.open('{').key("dir").value(s.dir()).key("events").value(s.events()).key("instructions").value(s.instructions())
                .key("truncated").value(s.truncated()).close('}');
    }

    private static void event(Json j, Event e) {
        if (e == null) {
            j.nil();
            return;
        }
        j.open('{').key("type").value(e.type().name());
        for (Map.Entry<String, String> f : e.fields().entrySet()) j.key(f.getKey()).value(f.getValue());
        j.close('}');
    }
}
