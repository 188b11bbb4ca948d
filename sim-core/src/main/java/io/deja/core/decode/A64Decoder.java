package io.deja.core.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps a 32-bit instruction word to its opcode number (A64Patterns) using the
 * table in a64.decode: candidates are bucketed on bits 31..20, and within a
 * bucket the pattern with the most fixed bits that matches wins.
 */
public final class A64Decoder {
    private A64Decoder() {}

    private static final int BUCKET_SHIFT = 20;
    private static final int[][] BUCKETS = new int[1 << (32 - BUCKET_SHIFT)][];

    static {
        List<Integer> order = new ArrayList<>();
        for (int op = 1; op < A64Patterns.COUNT; op++) order.add(op);
        order.sort(Comparator.comparingInt((Integer op) -> -Integer.bitCount(A64Patterns.MASK[op]))
                .thenComparingInt(op -> op));
        for (int key = 0; key < BUCKETS.length; key++) {
            int hi = key << BUCKET_SHIFT;
            int hiMask = -1 << BUCKET_SHIFT;
            List<Integer> cands = new ArrayList<>();
            for (int op : order) {
                int m = A64Patterns.MASK[op] & hiMask;
                if ((hi & m) == (A64Patterns.VALUE[op] & m)) cands.add(op);
            }
            BUCKETS[key] = cands.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The opcode of insn, or A64Patterns.UNALLOCATED. */
    public static int decode(int insn) {
        for (int op : BUCKETS[insn >>> BUCKET_SHIFT]) {
            if ((insn & A64Patterns.MASK[op]) == A64Patterns.VALUE[op]) return op;
        }
        return A64Patterns.UNALLOCATED;
    }

    public static String name(int op) { return A64Patterns.NAME[op]; }
    public static String pattern(int op) { return A64Patterns.PATTERN[op]; }
    public static String tags(int op) { return A64Patterns.TAGS[op]; }
    public static int mask(int op) { return A64Patterns.MASK[op]; }
    public static int value(int op) { return A64Patterns.VALUE[op]; }
    public static int count() { return A64Patterns.COUNT; }
    /** Simple name of the io.deja.core.isa class whose method executes op ("" for UNALLOCATED). */
    public static String handlerClass(int op) { return A64Patterns.HANDLER_CLASS[op]; }
    public static String handlerMethod(int op) { return A64Patterns.HANDLER_METHOD[op]; }
}
