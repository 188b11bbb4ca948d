package io.deja.analysis.query;

/** Small helpers for DuckDB's messages. */
public final class Sql {
    private Sql() {}

    /**
     * DuckDB's message on one line: its first paragraph (the error and any
     * "Did you mean" or candidate hint), without the LINE/caret excerpt that
     * follows a blank line.
     */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        StringBuilder sb = new StringBuilder();
        for (String line : m.split("\n")) {
            if (line.isBlank()) {
                if (!sb.isEmpty()) break;
                continue;
            }
            if (line.startsWith("LINE ")) break;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(line.strip());
        }
        // An error raised in Java code that DuckDB called back (the Arrow stream) carries its stack trace.
        int trace = sb.indexOf(" at org.");
        if (trace < 0) trace = sb.indexOf(" at java.");
        if (trace > 0) sb.setLength(trace);
        return sb.length() > 400 ? sb.substring(0, 400) + "..." : sb.toString();
    }
}
