package io.deja.core.mem;

import io.deja.core.jit.Block;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Decoded instructions and translated blocks, kept per physical RAM page so
 * that code mapped at several virtual addresses is decoded once and a store
 * through any alias invalidates it.
 *
 * A decoded entry is heat << 44 | opcode << 32 | instruction word (0 = not
 * decoded; a decoded entry's heat is never 0); the run loop uses the heat to
 * pick blocks to translate and to find them (see Vcpu).
 * Invalidation methods return whether they forgot anything, so that the
 * caller can stop the block it is running (the next instruction may be the
 * code just written).
 */
public final class CodeCache {
    public static final int WORDS_PER_PAGE = Ram.PAGE_SIZE / 4;

    private final Ram ram;
    private final long[][] code;
    /** Translated blocks per RAM page, by the word index of their first instruction. */
    private final Block[][] blocks;
    private IntConsumer[] codePageListeners = new IntConsumer[0];

    public CodeCache(Ram ram) {
        this.ram = ram;
        this.code = new long[ram.pages()][];
        this.blocks = new Block[ram.pages()][];
    }

    /** The decoded entries of a RAM page, created on first use. */
    public long[] codePage(int page) {
        long[] p = code[page];
        if (p == null) {
            code[page] = p = new long[WORDS_PER_PAGE];
            blocks[page] = new Block[WORDS_PER_PAGE];
            for (IntConsumer l : codePageListeners) l.accept(page);
        }
        return p;
    }

    /** Runs l with the page's index when a RAM page gets decoded code (and {@link #hasCode} becomes true for good). */
    public void onCodePage(IntConsumer l) {
        codePageListeners = Arrays.copyOf(codePageListeners, codePageListeners.length + 1);
        codePageListeners[codePageListeners.length - 1] = l;
    }

    /** The translated blocks of a RAM page (after codePage(page)). */
    public Block[] blockPage(int page) {
        return blocks[page];
    }

    /** Whether any code of the page holding RAM offset off was decoded (the store path's cheap test). */
    public boolean hasCode(int page) {
        return code[page] != null;
    }

    /** The instruction words of a RAM page from word index first, at most max of them (fewer at the end of the page). */
    public int[] words(int page, int first, int max) {
        long start = ((long) page << Ram.PAGE_SHIFT) + 4L * first;
        int[] words = new int[Math.min(max, WORDS_PER_PAGE - first)];
        for (int i = 0; i < words.length; i++) words[i] = ram.word(start + 4L * i);
        return words;
    }

    /**
     * A store of size bytes hit RAM at offset off: forgets the decoded words it
     * overwrote and every translated block of their page.
     */
    public boolean stored(long off, int size) {
        int page = Ram.page(off);
        long[] p = code[page];
        if (p == null) return false;
        int first = (int) (off >>> 2) & (WORDS_PER_PAGE - 1);
        int last = (int) ((off + size - 1) >>> 2) & (WORDS_PER_PAGE - 1);
        boolean hit = false;
        if (last < first) last = WORDS_PER_PAGE - 1; // the rest is in the next page, handled by its own call
        for (int w = first; w <= last; w++) {
            if (p[w] != 0) {
                p[w] = 0;
                hit = true;
            }
        }
        if (hit) Arrays.fill(blocks[page], null);
        return hit;
    }

    /** IC IVAU: forgets decoded instructions in the 64-byte line holding RAM offset off. */
    public boolean invalidateLine(long off) {
        int page = Ram.page(off);
        if (code[page] == null) return false;
        int first = (int) ((off & -64L) >>> 2) & (WORDS_PER_PAGE - 1);
        Arrays.fill(code[page], first, first + 16, 0L);
        Arrays.fill(blocks[page], null);
        return true;
    }

    /** IC IALLU / IC IALLUIS, a host write, or a change of trace mode: forgets every decoded instruction. */
    public void invalidateAll() {
        for (int i = 0; i < code.length; i++) {
            if (code[i] != null) {
                Arrays.fill(code[i], 0L);
                Arrays.fill(blocks[i], null);
            }
        }
    }
}
