package io.deja.analysis.perfetto;

/**
 * The arguments of one trace event, reused from event to event (an export
 * writes millions of events and allocates nothing per event for them).
 */
final class Args {
    static final byte NUM = 0, HEX = 1, TEXT = 2;
    static final Args NONE = new Args();

    int size;
    String[] keys = new String[8];
    byte[] kinds = new byte[8];
    long[] nums = new long[8];
    String[] texts = new String[8];

    Args clear() {
        size = 0;
        return this;
    }

    Args num(String key, long value) {
        return add(key, NUM, value, null);
    }

    /** A value shown in hex (addresses, registers). */
    Args hex(String key, long value) {
        return add(key, HEX, value, null);
    }

    Args text(String key, String value) {
        return add(key, TEXT, 0, value);
    }

    private Args add(String key, byte kind, long num, String text) {
        if (size == keys.length) grow();
        keys[size] = key;
        kinds[size] = kind;
        nums[size] = num;
        texts[size] = text;
        size++;
        return this;
    }

    private void grow() {
        int n = keys.length * 2;
        keys = java.util.Arrays.copyOf(keys, n);
        kinds = java.util.Arrays.copyOf(kinds, n);
        nums = java.util.Arrays.copyOf(nums, n);
        texts = java.util.Arrays.copyOf(texts, n);
    }
}
