package io.deja.core.jit;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Translated blocks shared by every CPU and machine of the process, by
 * instruction words and trace mode: a block's code depends on nothing else
 * (it is stateless and its words are its constants), so the same words give
 * the same block wherever and whenever they run.
 *
 * Without it, each new machine (the next run of a benchmark, a replay after
 * a recording, each seed of a hunt, each seek of a timeline) and each page
 * whose code is rewritten with the same words paid the translation again and,
 * worse, HotSpot's compilation of a new class: the Linux boot's 800 blocks
 * cost a C2 thread seconds of CPU per boot, on the core beside the one
 * running the guest. A shared block arrives already compiled.
 *
 * Only speed depends on this cache, never results; what it holds and when it
 * is emptied does not change what a run computes.
 */
public final class SharedBlocks {
    private SharedBlocks() {}

    /** Blocks kept before the cache starts afresh (a Linux boot translates about 800). */
    static final int CAPACITY = 1 << 13;

    private record Key(int traceMode, int[] words, int hash) {
        static Key of(int traceMode, int[] words) {
            return new Key(traceMode, words, 31 * Arrays.hashCode(words) + traceMode);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.traceMode == traceMode && Arrays.equals(k.words, words);
        }

        @Override public int hashCode() {
            return hash;
        }
    }

    private static final ConcurrentHashMap<Key, Block> BLOCKS = new ConcurrentHashMap<>();

    /** The block for words[0..count) (already checked by {@link BlockTranslator#length}) in traceMode, translated on first use. */
    public static Block translate(int[] words, int count, int traceMode) {
        Key key = Key.of(traceMode, count == words.length ? words.clone() : Arrays.copyOf(words, count));
        Block block = BLOCKS.get(key);
        if (block == null) {
            if (BLOCKS.size() >= CAPACITY) BLOCKS.clear();
            block = BlockTranslator.translate(key.words, 0, count, traceMode);
            Block raced = BLOCKS.putIfAbsent(key, block);
            if (raced != null) block = raced;
        }
        return block;
    }

    /** How many blocks the cache holds (for tests). */
    static int size() {
        return BLOCKS.size();
    }
}
