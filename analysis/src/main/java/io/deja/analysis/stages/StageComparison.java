package io.deja.analysis.stages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two runs' stages side by side, A being the baseline: where each stage was
 * reached, what it cost, and whether B regressed. A stage's cost is the
 * instructions since the previous stage that both runs reached in the same
 * order (since the start for the first), so a stage missing on one side does
 * not make its neighbour look slower.
 *
 * A regression is a stage that disappeared (reached by A, not by B), was
 * reached in another order, or cost more than threshold percent above A's
 * (and more than minGrowth instructions more). A stage only B reached, or one
 * that got cheaper, is reported and is not a regression.
 *
 * A forbidden stage (a failure such as a kernel panic) is no milestone: it
 * has no cost and no place in the order, and the costs of the others skip
 * it. B reaching one is a regression, whether A reached it or not; one that
 * A reached and B no longer does is an improvement.
 *
 * @param thresholdPercent how much more a stage may cost before it is a regression
 * @param minGrowth        growth of at most this many instructions is never a regression
 * @param rows             stages reached by A in A's order, those only B reached after their predecessor in B,
 *                         then those neither reached (file order)
 */
public record StageComparison(StageRun a, StageRun b, double thresholdPercent, long minGrowth, List<Row> rows) {
    public enum Change {
        /** Within the threshold (or both runs at the same icount). */
        SAME("ok", false),
        /** Cost grew beyond the threshold. */
        GREW("grew", true),
        /** Cost fell beyond the threshold. */
        SHRANK("shrank", false),
        DISAPPEARED("disappeared", true),
        APPEARED("appeared", false),
        REORDERED("reordered", true),
        /** Neither run reached it. */
        UNREACHED("reached by neither", false),
        /** A forbidden stage reached by B and not by A. */
        FORBIDDEN_APPEARED("appeared (forbidden)", true),
        /** A forbidden stage both runs reached. */
        FORBIDDEN_STILL_REACHED("still reached (forbidden)", true),
        /** A forbidden stage A reached and B did not: an improvement. */
        FORBIDDEN_GONE("gone (forbidden)", false);

        public final String label;
        public final boolean regression;

        Change(String label, boolean regression) {
            this.label = label;
            this.regression = regression;
        }
    }

    /**
     * One stage on both sides (null: not reached there; costs are null for
     * stages not reached by both in the same order, and for forbidden ones).
     * cpuA and cpuB are the CPUs that reached it ({@link StageRun.Reached#MACHINE}: the end of the run),
     * cpuIcountA and cpuIcountB their own icounts there (see {@link StageRun.Reached}).
     */
    public record Row(String name, Long icountA, Long icountB, Long costA, Long costB, Change change, boolean forbidden,
                      Integer cpuA, Long cpuIcountA, Integer cpuB, Long cpuIcountB) {
        /** icountB - icountA, when both reached it. */
        public Long delta() {
            return icountA != null && icountB != null ? icountB - icountA : null;
        }

        /** delta as a percentage of A's icount (null when not both, or A's icount is 0). */
        public Double deltaPercent() {
            Long d = delta();
            return d == null || icountA == 0 ? null : d * 100.0 / icountA;
        }

        /** How much the cost changed, in percent of A's (null without both costs or when A's is 0). */
        public Double costPercent() {
            return costA == null || costB == null || costA == 0 ? null : (costB - costA) * 100.0 / costA;
        }
    }

    public StageComparison {
        rows = List.copyOf(rows);
    }

    public boolean regression() {
        return rows.stream().anyMatch(r -> r.change().regression);
    }

    public List<Row> regressions() {
        return rows.stream().filter(r -> r.change().regression).toList();
    }

    /** The forbidden stages A reached and B no longer does. */
    public List<Row> improvements() {
        return rows.stream().filter(r -> r.change() == Change.FORBIDDEN_GONE).toList();
    }

    /** Whether either run had several CPUs (icounts are then global, and each stage names its CPU). */
    public boolean severalCpus() {
        return a.severalCpus() || b.severalCpus();
    }

    /** Compares b with the baseline a (both found with the same stage file). */
    public static StageComparison of(StageRun a, StageRun b, double thresholdPercent, long minGrowth) {
        if (!(thresholdPercent >= 0)) throw new IllegalArgumentException("negative threshold " + thresholdPercent);
        Map<String, StageRun.Reached> inA = byName(a), inB = byName(b);
        Set<String> forbidden = new HashSet<>();
        for (StageFile.Stage s : a.file().stages()) if (s.forbidden()) forbidden.add(s.name());
        List<String> orderA = new ArrayList<>(), orderB = new ArrayList<>();
        for (StageRun.Reached r : a.reached()) if (inB.containsKey(r.name()) && !forbidden.contains(r.name())) orderA.add(r.name());
        for (StageRun.Reached r : b.reached()) if (inA.containsKey(r.name()) && !forbidden.contains(r.name())) orderB.add(r.name());
        Set<String> inOrder = new HashSet<>(commonSubsequence(orderA, orderB));

        Map<String, long[]> cost = new HashMap<>();
        long prevA = 0, prevB = 0;
        for (String name : orderA) {
            if (!inOrder.contains(name)) continue;
            long ia = inA.get(name).icount(), ib = inB.get(name).icount();
            cost.put(name, new long[] {ia - prevA, ib - prevB});
            prevA = ia;
            prevB = ib;
        }

        List<String> names = new ArrayList<>();
        for (StageRun.Reached r : a.reached()) names.add(r.name());
        String previousInB = null;
        for (StageRun.Reached r : b.reached()) {
            if (!inA.containsKey(r.name())) names.add(previousInB == null ? 0 : names.indexOf(previousInB) + 1, r.name());
            previousInB = r.name();
        }
        for (StageFile.Stage s : a.file().stages()) if (!names.contains(s.name())) names.add(s.name());

        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            StageRun.Reached ra = inA.get(name), rb = inB.get(name);
            long[] c = cost.get(name);
            boolean isForbidden = forbidden.contains(name);
            Change change;
            if (ra == null && rb == null) change = Change.UNREACHED;
            else if (isForbidden) change = rb == null ? Change.FORBIDDEN_GONE : ra == null ? Change.FORBIDDEN_APPEARED : Change.FORBIDDEN_STILL_REACHED;
            else if (rb == null) change = Change.DISAPPEARED;
            else if (ra == null) change = Change.APPEARED;
            else if (c == null) change = Change.REORDERED;
            else change = growth(c[0], c[1], thresholdPercent, minGrowth);
            rows.add(new Row(name, ra == null ? null : ra.icount(), rb == null ? null : rb.icount(),
                    c == null ? null : c[0], c == null ? null : c[1], change, isForbidden,
                    ra == null ? null : ra.cpu(), ra == null ? null : ra.cpuIcount(), rb == null ? null : rb.cpu(), rb == null ? null : rb.cpuIcount()));
        }
        return new StageComparison(a, b, thresholdPercent, minGrowth, rows);
    }

    private static Change growth(long costA, long costB, double thresholdPercent, long minGrowth) {
        long grew = costB - costA;
        if (grew > minGrowth && (costA == 0 || grew * 100.0 / costA > thresholdPercent)) return Change.GREW;
        if (grew < 0 && -grew * 100.0 / costA > thresholdPercent) return Change.SHRANK;
        return Change.SAME;
    }

    private static Map<String, StageRun.Reached> byName(StageRun run) {
        Map<String, StageRun.Reached> m = new HashMap<>();
        for (StageRun.Reached r : run.reached()) m.put(r.name(), r);
        return m;
    }

    /** A longest common subsequence of two orders of the same names: the stages reached in the same order. */
    static List<String> commonSubsequence(List<String> x, List<String> y) {
        int n = x.size(), m = y.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0, j = 0; i < n && j < m; ) {
            if (x.get(i).equals(y.get(j))) {
                out.add(x.get(i));
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }
}
