package io.deja.analysis.diff;

import io.deja.analysis.Json;
import io.deja.analysis.stages.StageFormat;

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
            sb.append(String.format("%nfirst divergence: event #%d at icount %d%n", d.index(), d.icount()));
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

        if (r.stages() != null) sb.append('\n').append(StageFormat.text(r.stages()));
        return sb.toString();
    }

    private static void side(StringBuilder sb, String name, DiffReport.Side s) {
        sb.append(String.format(Locale.ROOT, "  %s: %s (%,d events, %,d instructions%s)%n", name, s.dir(), s.events(), s.instructions(),
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
