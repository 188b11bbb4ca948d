package io.deja.analysis.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines up two consoles: lines with the same text are paired in order (a
 * longest common subsequence), the others appear on their side only. Consoles
 * too long for the quadratic table are paired line by line instead.
 */
final class ConsoleAlignment {
    private ConsoleAlignment() {}

    /** Beyond this many cells (lines A x lines B) the pairing is positional. */
    private static final long MAX_CELLS = 4_000_000;

    static List<DiffReport.StageRow> align(List<RunSummary.Line> a, List<RunSummary.Line> b) {
        int n = a.size(), m = b.size();
        List<DiffReport.StageRow> rows = new ArrayList<>();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < Math.max(n, m); i++) {
                RunSummary.Line la = i < n ? a.get(i) : null, lb = i < m ? b.get(i) : null;
                if (la != null && lb != null && la.text().equals(lb.text())) rows.add(both(la, lb));
                else {
                    if (la != null) rows.add(onlyA(la));
                    if (lb != null) rows.add(onlyB(lb));
                }
            }
            return rows;
        }
        // lcs[i][j]: length of the LCS of a[i..] and b[j..]
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).text().equals(b.get(j).text()) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).text().equals(b.get(j).text())) {
                rows.add(both(a.get(i++), b.get(j++)));
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                rows.add(onlyA(a.get(i++)));
            } else {
                rows.add(onlyB(b.get(j++)));
            }
        }
        return rows;
    }

    private static DiffReport.StageRow both(RunSummary.Line a, RunSummary.Line b) {
        return new DiffReport.StageRow(a.number(), a.icount(), b.number(), b.icount(), a.text(), b.text());
    }

    private static DiffReport.StageRow onlyA(RunSummary.Line a) {
        return new DiffReport.StageRow(a.number(), a.icount(), null, null, a.text(), null);
    }

    private static DiffReport.StageRow onlyB(RunSummary.Line b) {
        return new DiffReport.StageRow(null, null, b.number(), b.icount(), null, b.text());
    }
}
