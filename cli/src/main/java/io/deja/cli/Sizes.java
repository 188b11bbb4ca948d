package io.deja.cli;

import java.util.Locale;

/** Parses the numbers users type: sizes with K/M/G suffixes and hex or decimal addresses. */
public final class Sizes {
    private Sizes() {}

    /** "128M", "1G", "65536", "64K", "0x8000000". */
    public static long parseSize(String text, String what) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        if (t.endsWith("K")) unit = 1L << 10;
        else if (t.endsWith("M")) unit = 1L << 20;
        else if (t.endsWith("G")) unit = 1L << 30;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        try {
            long n = parseNumber(t);
            if (n < 0) throw new NumberFormatException();
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UserError(what + ": '" + text + "' is not a size (examples: 128M, 1G, 65536)");
        }
    }

    /** "0x10000" or "65536". */
    public static long parseAddress(String text, String what) {
        try {
            return parseNumber(text.strip());
        } catch (NumberFormatException e) {
            throw new UserError(what + ": '" + text + "' is not an address (examples: 0x10000, 65536)");
        }
    }

    private static long parseNumber(String t) {
        t = t.replace("_", "");
        if (t.startsWith("-") || t.startsWith("+")) throw new NumberFormatException("signed: " + t);
        if (t.startsWith("0X")) return Long.parseUnsignedLong(t.substring(2), 16);
        if (t.startsWith("0x")) return Long.parseUnsignedLong(t.substring(2), 16);
        return Long.parseLong(t);
    }
}
