package io.deja.core.mem;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
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

    // ---- Files ------------------------------------------------------------------------------
    /** Writes the pages this snapshot stores itself (not its parent's): i32 count, then per page i32 index, u8 zero?, its bytes. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(pages.length);
        for (int i = 0; i < pages.length; i++) {
            out.writeInt(pages[i]);
            out.writeBoolean(contents[i] != null);
            if (contents[i] != null) out.write(contents[i]);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote, as a child of parent (null: the all-zero
     * RAM a machine starts with), for a RAM of ramPages pages.
     * @throws IOException if the pages are not ascending inside that RAM
     */
    public static RamSnapshot readFrom(DataInput in, RamSnapshot parent, int ramPages) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > ramPages) throw new IOException("a RAM snapshot of " + n + " pages in a RAM of " + ramPages);
        int[] pages = new int[n];
        byte[][] contents = new byte[n][];
        for (int i = 0; i < n; i++) {
            int p = in.readInt();
            if (p < 0 || p >= ramPages || (i > 0 && p <= pages[i - 1])) throw new IOException("RAM snapshot page " + p + " out of order or range");
            pages[i] = p;
            if (in.readBoolean()) {
                contents[i] = new byte[Ram.PAGE_SIZE];
                in.readFully(contents[i]);
            }
        }
        return new RamSnapshot(parent, pages, contents);
    }
}
