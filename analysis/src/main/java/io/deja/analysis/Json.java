package io.deja.analysis;

/** A minimal JSON writer for reports (no dependency for a few dozen lines of output). */
public final class Json {
    private final StringBuilder sb = new StringBuilder();
    private boolean first = true;

    public Json open(char c) {
        sep();
        sb.append(c);
        first = true;
        return this;
    }

    public Json close(char c) {
        sb.append(c);
        first = false;
        return this;
    }

    public Json key(String k) {
        sep();
        str(k);
        sb.append(": ");
        first = true; // the value follows without a comma
        return this;
    }

    public Json value(String v) {
        sep();
        if (v == null) sb.append("null"); else str(v);
        first = false;
        return this;
    }

    public Json value(Object v) {
        sep();
        sb.append(v == null ? "null" : v.toString());
        first = false;
        return this;
    }

    /** A number already formatted (value(Object) writes it unquoted). */
    public static Object number(String digits) {
        return new Object() {
            @Override
            public String toString() {
                return digits;
            }
        };
    }

    public void nil() {
        value((Object) null);
    }

    private void sep() {
        if (!first) sb.append(", ");
        first = false;
    }

    private void str(String s) {
        io.deja.analysis.query.ResultFormat.jsonString(sb, s);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
