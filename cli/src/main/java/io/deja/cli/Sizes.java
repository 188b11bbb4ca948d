package io.deja.cli;

import java.util.Locale;

/** Parses the numbers users type: sizes with K/M/G suffixes, counts with k/M/G/T suffixes, and hex or decimal addresses. */
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

    /**
     * An instruction count or icount: "1000000", "1_000_000", "1,000,000",
     * "1M", "1.5M", "5G", "0x10000". Count suffixes are decimal (k/K = 10^3,
     * M = 10^6, G = 10^9, T = 10^12), unlike size suffixes: a million
     * instructions is 1M.
     */
    public static long parseCount(String text) {
        String t = text.strip().replace("_", "").replace(",", "");
        long unit = 1;
        if (!t.isEmpty()) {
            switch (Character.toUpperCase(t.charAt(t.length() - 1))) {
                case 'K' -> unit = 1_000L;
                case 'M' -> unit = 1_000_000L;
                case 'G' -> unit = 1_000_000_000L;
                case 'T' -> unit = 1_000_000_000_000L;
                default -> { }
            }
            if (unit != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            if (unit == 1 || t.toUpperCase(Locale.ROOT).startsWith("0X")) return Math.multiplyExact(parseNumber(t.toUpperCase(Locale.ROOT)), unit);
            java.math.BigDecimal v = new java.math.BigDecimal(t).multiply(java.math.BigDecimal.valueOf(unit));
            if (v.signum() < 0 || t.startsWith("+")) throw new NumberFormatException();
            return v.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UserError("'" + text + "' is not a count (examples: 1000000, 1_000_000, 1M, 2.5G, 0x10000)");
        }
    }

    /** picocli converter for count options (--max-insns, --checkpoint-every, --from, --to, --at). */
    public static final class Count implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseCount(value);
            } catch (UserError e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
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
