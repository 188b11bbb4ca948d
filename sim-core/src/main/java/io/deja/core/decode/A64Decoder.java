package io.deja.core.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a 32-bit instruction word to its opcode number (A64Patterns) using the
 * table in a64.decode: candidates are bucketed on bits 31..20, and within a
 * bucket they are tried in the table's decode order (a nested pattern before
 * the one containing it, overlap groups in listed order; the build has
 * checked that no other overlap exists).
 */
public final class A64Decoder {
    private A64Decoder() {}

    private static final int BUCKET_SHIFT = 20;
    private static final int[][] BUCKETS = new int[1 << (32 - BUCKET_SHIFT)][];

    static {
        for (int key = 0; key < BUCKETS.length; key++) {
            int hi = key << BUCKET_SHIFT;
            int hiMask = -1 << BUCKET_SHIFT;
            List<Integer> cands = new ArrayList<>();
            for (int op : A64Patterns.ORDER) {
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

    /** Whether op ends a translated block: its row is tagged @branch or @endblock. */
    public static boolean endsBlock(int op) { return A64Patterns.ENDS_BLOCK[op]; }

    /** How many ints op's handler takes after the Cpu (1 for a handler of the whole word). */
    public static int argumentCount(int op) { return A64Patterns.ARGS[op].length; }

    /** Argument i (after the Cpu) that op's handler receives for insn: the value of the row's i-th field. */
    public static int argument(int op, int i, int insn) { return A64Fields.extract(A64Patterns.ARGS[op][i], insn); }

    /** Name of the field op's handler receives as argument i (after the Cpu). */
    public static String argumentName(int op, int i) { return A64Fields.NAME[A64Patterns.ARGS[op][i]]; }
}
