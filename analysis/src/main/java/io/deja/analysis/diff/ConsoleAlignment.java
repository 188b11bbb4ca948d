package io.deja.analysis.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Lines up two consoles: lines with the same text are paired in order (a
 * longest common subsequence), the others appear on their side only. Consoles
 * too long for the quadratic table are paired line by line instead. A Linux
 * printk timestamp ("[    1.234567] ") at the start of a line is left out of
 * the comparison: two boots that take different times print the same messages.
 */
final class ConsoleAlignment {
    private ConsoleAlignment() {}

    /** Beyond this many cells (lines A x lines B) the pairing is positional. */
    private static final long MAX_CELLS = 4_000_000;

    private static final Pattern PRINTK_TIME = Pattern.compile("^\\[ *[0-9]+\\.[0-9]+\\] ");

    static List<DiffReport.ConsoleRow> align(List<RunSummary.Line> lineA, List<RunSummary.Line> lineB) {
        List<String> a = keys(lineA), b = keys(lineB);
        int n = a.size(), m = b.size();
        List<DiffReport.ConsoleRow> rows = new ArrayList<>();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < Math.max(n, m); i++) {
                RunSummary.Line la = i < n ? lineA.get(i) : null, lb = i < m ? lineB.get(i) : null;
                if (la != null && lb != null && a.get(i).equals(b.get(i))) rows.add(both(la, lb));
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
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                rows.add(both(lineA.get(i++), lineB.get(j++)));
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                rows.add(onlyA(lineA.get(i++)));
            } else {
                rows.add(onlyB(lineB.get(j++)));
            }
        }
        return rows;
    }

    private static List<String> keys(List<RunSummary.Line> lines) {
        List<String> keys = new ArrayList<>(lines.size());
        for (RunSummary.Line l : lines) keys.add(PRINTK_TIME.matcher(l.text()).replaceFirst(""));
        return keys;
    }

    private static DiffReport.ConsoleRow both(RunSummary.Line a, RunSummary.Line b) {
        return new DiffReport.ConsoleRow(a.number(), a.icount(), b.number(), b.icount(), a.text(), b.text());
    }

    private static DiffReport.ConsoleRow onlyA(RunSummary.Line a) {
        return new DiffReport.ConsoleRow(a.number(), a.icount(), null, null, a.text(), null);
    }

    private static DiffReport.ConsoleRow onlyB(RunSummary.Line b) {
        return new DiffReport.ConsoleRow(null, null, b.number(), b.icount(), null, b.text());
    }
}
