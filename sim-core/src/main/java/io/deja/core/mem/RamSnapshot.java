package io.deja.core.mem;

import java.util.Arrays;

/**
 * RAM at one moment, kept as the pages written since the snapshot before it
 * (its parent): a snapshot costs memory and time in proportion to what the
 * guest wrote in between, not to the size of RAM. Snapshots form a tree
 * (restoring an older one and running on starts a new branch); the root is
 * the all-zero RAM a machine starts with. Immutable.
 */
public final class RamSnapshot {
    final RamSnapshot parent;
    final int depth;
    /** Page indexes, ascending, and their contents (null: all zero). */
    final int[] pages;
    final byte[][] contents;

    RamSnapshot(RamSnapshot parent, int[] pages, byte[][] contents) {
        this.parent = parent;
        this.depth = parent == null ? 1 : parent.depth + 1;
        this.pages = pages;
        this.contents = contents;
    }

    /** The content of page p in this delta, ABSENT if this delta did not change it. */
    byte[] delta(int p) {
        int i = Arrays.binarySearch(pages, p);
        return i < 0 ? ABSENT : contents[i] == null ? ZERO : contents[i];
    }

    static final byte[] ABSENT = new byte[0];
    static final byte[] ZERO = new byte[Ram.PAGE_SIZE];

    /** Pages this snapshot stores itself (its parent's are shared). */
    public int pageCount() {
        return pages.length;
    }

    /** Bytes this snapshot holds of its own: the copied pages (zero pages cost none) and its index. */
    public long ownBytes() {
        long b = 4L * pages.length + 8L * contents.length;
        for (byte[] c : contents) if (c != null) b += c.length;
        return b;
    }
}
