package io.deja.analysis.query;

import io.deja.analysis.AnalysisException;
import io.deja.recorder.Plural;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Prints a query result as an aligned table, CSV (RFC 4180) or JSON (an array
 * of objects). In the table format, unsigned integer columns (UBIGINT,
 * UINTEGER, UHUGEINT for 128-bit register values, and the UTINYINT and
 * USMALLINT a query casts codes to: the tables' addresses, register values,
 * opcodes, system register encodings, syndromes and hashes) are shown in hex
 * unless asked not to; CSV and JSON always carry plain numbers. A query
 * chooses the display of a computed column by its type: CAST(x AS UBIGINT)
 * for hex, a signed type for decimal.
 */
public enum ResultFormat {
    TABLE, CSV, JSON;

    public static ResultFormat parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AnalysisException("unknown format '" + s + "' (table, csv or json)");
        }
    }

    public void print(QueryResult r, PrintWriter out, boolean hex) {
        switch (this) {
            case TABLE -> table(r, out, hex);
            case CSV -> csv(r, out);
            case JSON -> json(r, out);
        }
        out.flush();
    }

    // ---- table -----------------------------------------------------------------------------------
    private static void table(QueryResult r, PrintWriter out, boolean hex) {
        int n = r.columns().size();
        if (n == 0) return;
        String[][] cells = new String[r.rows().size()][n];
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        boolean[] unsigned = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = r.columns().get(c).length();
            String t = r.types().get(c);
            unsigned[c] = hex && unsignedType(t);
            right[c] = !unsigned[c] && numeric(t);
        }
        for (int i = 0; i < cells.length; i++) {
            Object[] row = r.rows().get(i);
            for (int c = 0; c < n; c++) {
                String s = row[c] == null ? "NULL" : unsigned[c] ? hex(row[c]) : text(row[c]);
                s = s.replace("\n", "\\n").replace("\t", "\\t");
                cells[i][c] = s;
                width[c] = Math.max(width[c], s.length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < n; c++) pad(sb, r.columns().get(c), width[c], right[c], c == n - 1);
        out.println(sb);
        sb.setLength(0);
        for (int c = 0; c < n; c++) {
            sb.append("-".repeat(width[c]));
            if (c < n - 1) sb.append("  ");
        }
        out.println(sb);
        for (String[] row : cells) {
            sb.setLength(0);
            for (int c = 0; c < n; c++) pad(sb, row[c], width[c], right[c], c == n - 1);
            out.println(sb);
        }
        out.println("(" + cells.length + " " + Plural.noun(cells.length, "row") + ")");
    }

    private static void pad(StringBuilder sb, String s, int width, boolean right, boolean last) {
        if (right) sb.append(" ".repeat(width - s.length()));
        sb.append(s);
        if (!right && !last) sb.append(" ".repeat(width - s.length()));
        if (!last) sb.append("  ");
    }

    /** Unsigned columns are addresses, values, encodings and codes: shown in hex. */
    private static boolean unsignedType(String type) {
        return switch (type) {
            case "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT" -> true;
            default -> false;
        };
    }

    private static boolean numeric(String type) {
        return switch (type) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE" -> true;
            default -> type.startsWith("DECIMAL");
        };
    }

    private static String hex(Object v) {
        if (v instanceof BigInteger b) return "0x" + b.toString(16);
        if (v instanceof Number num) return "0x" + Long.toHexString(num.longValue());
        return text(v);
    }

    /** A value as text: blobs in hex, lists in brackets, everything else as the driver prints it. */
    public static String text(Object v) {
        if (v == null) return "NULL";
        if (v instanceof byte[] b) return "0x" + HexFormat.of().formatHex(b);
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : list) {
                if (sb.length() > 1) sb.append(", ");
                sb.append(text(o));
            }
            return sb.append(']').toString();
        }
        return v.toString();
    }

    // ---- csv -------------------------------------------------------------------------------------
    private static void csv(QueryResult r, PrintWriter out) {
        if (r.columns().isEmpty()) return;
        out.println(String.join(",", r.columns().stream().map(ResultFormat::csvField).toList()));
        StringBuilder sb = new StringBuilder();
        for (Object[] row : r.rows()) {
            sb.setLength(0);
            for (int c = 0; c < row.length; c++) {
                if (c > 0) sb.append(',');
                if (row[c] != null) sb.append(csvField(text(row[c])));
            }
            out.println(sb);
        }
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    // ---- json ------------------------------------------------------------------------------------
    private static void json(QueryResult r, PrintWriter out) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < r.rows().size(); i++) {
            Object[] row = r.rows().get(i);
            sb.append(i == 0 ? "\n  {" : ",\n  {");
            for (int c = 0; c < row.length; c++) {
                if (c > 0) sb.append(", ");
                jsonString(sb, r.columns().get(c));
                sb.append(": ");
                jsonValue(sb, row[c]);
            }
            sb.append('}');
        }
        sb.append(r.rows().isEmpty() ? "]" : "\n]");
        out.println(sb);
    }

    private static void jsonValue(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte || v instanceof BigInteger || v instanceof java.math.BigDecimal) {
            sb.append(v);
        } else if (v instanceof Double d && Double.isFinite(d) || v instanceof Float f && Float.isFinite(f)) {
            sb.append(v);
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(", ");
                jsonValue(sb, list.get(i));
            }
            sb.append(']');
        } else {
            jsonString(sb, text(v));
        }
    }

    /** Appends s as a JSON string literal (shared with the diff's JSON output). */
    public static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        sb.append('"');
    }
}
