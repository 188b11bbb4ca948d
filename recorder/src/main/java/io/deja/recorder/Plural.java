package io.deja.recorder;

import java.util.Locale;

/**
 * A count with its noun in the right number ("1 event", "2 events",
 * "1,234 instructions"), for every message that prints one. It lives in the
 * recorder, the lowest module whose messages print counts, so that the
 * replayer, analysis and the command line use the same one.
 */
public final class Plural {
    private Plural() {}

    /** n with grouping and the noun, plural by adding "s" ("1 event", "0 events", "2,048 events"). */
    public static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** n with grouping and the noun in the right number ("1 batch", "2 batches"). */
    public static String count(long n, String singular, String plural) {
        return String.format(Locale.ROOT, "%,d %s", n, noun(n, singular, plural));
    }

    /** Only the noun, for a count printed apart from it: singular for exactly one, else plural by adding "s". */
    public static String noun(long n, String singular) {
        return noun(n, singular, singular + "s");
    }

    public static String noun(long n, String singular, String plural) {
        return n == 1 || n == -1 ? singular : plural;
    }
}
