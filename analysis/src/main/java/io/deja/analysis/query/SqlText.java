package io.deja.analysis.query;

import java.math.BigInteger;

/**
 * What `deja query` does to SQL text before DuckDB sees it, and the scanner it
 * needs to leave string literals, quoted identifiers and comments alone.
 *
 * DuckDB 2.0 (the JDBC driver Deja bundles) has no hex integer literals:
 * {@code 0x11a00} parses as the number 0 with the alias {@code x11a00}, so
 * {@code WHERE pc = 0x11a00} is a syntax error and {@code SELECT 0x10} quietly
 * returns 0. {@link #hexLiterals} rewrites each such literal as the decimal
 * number it stands for, outside strings and comments.
 */
public final class SqlText {
    private SqlText() {}

    private static final BigInteger BIGINT_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UBIGINT_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger HUGEINT_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

    /**
     * sql with every hex literal (0x or 0X, then up to 32 hex digits, not part of a
     * longer word) replaced by its value: a plain decimal number up to 2^63 - 1 (so
     * it takes part in arithmetic as any integer literal does), a UBIGINT up to
     * 2^64 - 1 (so 0xffffffffffffffff compares with an address column), a
     * UHUGEINT above. Strings, quoted identifiers and comments are left as written.
     */
    public static String hexLiterals(String sql) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0, n = sql.length();
        while (i < n) {
            int skip = skipQuotedOrComment(sql, i);
            if (skip > i) {
                i = skip;
                continue;
            }
            char c = sql.charAt(i);
            if (c == '0' && i + 2 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')
                    && hexDigit(sql.charAt(i + 2)) && (i == 0 || !wordChar(sql.charAt(i - 1)) && sql.charAt(i - 1) != '.')) {
                int end = i + 2;
                while (end < n && (hexDigit(sql.charAt(end)) || sql.charAt(end) == '_' && end + 1 < n && hexDigit(sql.charAt(end + 1)))) end++;
                String digits = sql.substring(i + 2, end).replace("_", "");
                if ((end == n || !wordChar(sql.charAt(end))) && digits.length() <= 32) {
                    if (out == null) out = new StringBuilder(n + 16);
                    out.append(sql, copied, i).append(decimal(new BigInteger(digits, 16)));
                    copied = end;
                }
                i = end;
                continue;
            }
            if (wordChar(c)) {
                // the rest of a word or number: 10x1f and col0x1 are not literals
                while (i < n && wordChar(sql.charAt(i))) i++;
                continue;
            }
            i++;
        }
        if (out == null) return sql;
        return out.append(sql, copied, n).toString();
    }

    private static String decimal(BigInteger v) {
        if (v.compareTo(BIGINT_MAX) <= 0) return v.toString();
        if (v.compareTo(UBIGINT_MAX) <= 0) return "CAST(" + v + " AS UBIGINT)";
        if (v.compareTo(HUGEINT_MAX) <= 0) return "CAST(" + v + " AS UHUGEINT)";
        return "CAST('" + v + "' AS UHUGEINT)";
    }

    /** sql with string literals, quoted identifiers and comments replaced by spaces (line breaks kept). */
    public static String code(String sql) {
        StringBuilder sb = new StringBuilder(sql);
        int i = 0, n = sql.length();
        while (i < n) {
            int skip = skipQuotedOrComment(sql, i);
            if (skip > i) {
                for (int k = i; k < Math.min(skip, n); k++) {
                    if (sb.charAt(k) != '\n') sb.setCharAt(k, ' ');
                }
                i = skip;
            } else {
                i++;
            }
        }
        return sb.toString();
    }

    /**
     * Whether sql ends a statement: its last character outside strings and comments,
     * ignoring white space, is a semicolon. A shell reads lines until this is true.
     */
    public static boolean complete(String sql) {
        String c = code(sql).strip();
        return c.endsWith(";") && !unterminated(sql);
    }

    /**
     * The statements of sql split at semicolons outside strings and comments, each
     * without its semicolon and stripped; blank ones (and ones of comments only) are
     * left out.
     */
    public static java.util.List<String> statements(String sql) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int start = 0, i = 0, n = sql.length();
        while (i < n) {
            int skip = skipQuotedOrComment(sql, i);
            if (skip > i) {
                i = Math.min(skip, n);
                continue;
            }
            if (sql.charAt(i) == ';') {
                add(out, sql.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        add(out, sql.substring(start));
        return out;
    }

    private static void add(java.util.List<String> out, String statement) {
        if (!code(statement).isBlank()) out.add(statement.strip());
    }

    /** Whether sql ends inside a string, quoted identifier or block comment. */
    static boolean unterminated(String sql) {
        int i = 0, n = sql.length();
        while (i < n) {
            int skip = skipQuotedOrComment(sql, i);
            if (skip > n) return true;
            i = skip > i ? skip : i + 1;
        }
        return false;
    }

    /**
     * If a string literal, quoted identifier or comment starts at i, the index after
     * it (n + 1 when it is not closed); otherwise i.
     */
    private static int skipQuotedOrComment(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        if (c == '\'' || c == '"') {
            boolean backslash = c == '\'' && i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                    && (i == 1 || !wordChar(s.charAt(i - 2)));
            int j = i + 1;
            while (j < n) {
                char d = s.charAt(j);
                if (backslash && d == '\\') {
                    j += 2;
                    continue;
                }
                if (d == c) {
                    if (j + 1 < n && s.charAt(j + 1) == c) {
                        j += 2; // doubled quote
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return n + 1;
        }
        if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
            int eol = s.indexOf('\n', i);
            return eol < 0 ? n : eol;
        }
        if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
            int depth = 1, j = i + 2;
            while (j < n && depth > 0) {
                if (s.startsWith("/*", j)) {
                    depth++;
                    j += 2;
                } else if (s.startsWith("*/", j)) {
                    depth--;
                    j += 2;
                } else {
                    j++;
                }
            }
            return depth == 0 ? j : n + 1;
        }
        if (c == '$' && (i == 0 || !wordChar(s.charAt(i - 1)))) {
            int j = i + 1;
            while (j < n && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) j++;
            if (j < n && s.charAt(j) == '$') {
                String tag = s.substring(i, j + 1);
                int close = s.indexOf(tag, j + 1);
                return close < 0 ? n + 1 : close + tag.length();
            }
        }
        return i;
    }

    private static boolean hexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
