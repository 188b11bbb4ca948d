package io.deja.core.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The guest's RAM: little-endian bytes at a physical base, one array per 4 KiB
 * page, and the record of which pages were written since the state hash last
 * looked at them and since the last snapshot. It knows nothing of CPUs,
 * devices or decoded code.
 *
 * A page's array is made on first access ({@link #pageForAccess}): a guest
 * touches a fraction of its RAM (the Debian boot, about 60 MiB of 512), and
 * one flat array cost the whole of it up front: the JVM zeroes a new array,
 * so the host faulted in and cleared every page of it before the guest ran
 * (1.3 s of a 512 MiB boot's process CPU, measured). A page that has no array
 * reads as zero. Once made, a page's array stays the same object for the
 * life of the RAM (restores copy into it), so a TLB entry can keep it.
 *
 * Writers that bypass {@link #markDirty} make the state hash and snapshots
 * stale: every guest store goes through the vCPU's translation layer, which
 * marks the page.
 */
public final class Ram {
    public static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Largest RAM supported (page indexes and RAM offsets stay ints). */
    public static final long MAX_SIZE = 1L << 30;
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    /** Page p holds RAM offsets [p * PAGE_SIZE, (p + 1) * PAGE_SIZE); null: never accessed, all zero. */
    private final byte[][] pageBytes;
    private int allocatedPages;
    public final long base;
    public final long size;

    /** Per page: HASH_DIRTY (written since its hash was computed), SNAPSHOT_DIRTY (since the last snapshot). */
    private final byte[] dirty;
    private static final byte HASH_DIRTY = 1, SNAPSHOT_DIRTY = 2, BOTH_DIRTY = 3;
    private final int[] dirtyList, snapshotDirtyList;
    private int dirtyCount, snapshotDirtyCount;
    /** The snapshot RAM's content descends from (null: the all-zero RAM it started as). */
    private RamSnapshot head;
    private final long[] pageHash;
    /** Sum over pages of mix(pageHash + page): kept up to date as dirty pages are rehashed. */
    private long hashSum;
    private Runnable[] cleanedListeners = new Runnable[0];

    public Ram(long base, long size) {
        if (size <= 0 || size > MAX_SIZE || (size & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB up to " + (MAX_SIZE >> 20) + " MiB");
        }
        if ((base & (PAGE_SIZE - 1)) != 0) throw new IllegalArgumentException("RAM base must be 4 KiB aligned");
        this.base = base;
        this.size = size;
        int pages = (int) (size >>> PAGE_SHIFT);
        this.pageBytes = new byte[pages][];
        this.dirty = new byte[pages];
        this.dirtyList = new int[pages];
        this.snapshotDirtyList = new int[pages];
        this.pageHash = new long[pages];
        // RAM starts zeroed: every page has the closed-form hash of a zero page, no reading needed.
        for (int p = 0; p < pages; p++) {
            pageHash[p] = mix(p * ZERO_PAGE_FACTOR);
            hashSum += mix(pageHash[p] + p);
        }
    }

    public int pages() {
        return dirty.length;
    }

    /** Whether [pa, pa + len) lies inside RAM. */
    public boolean contains(long pa, long len) {
        long off = pa - base;
        return Long.compareUnsigned(off, size) < 0 && Long.compareUnsigned(off + len, size) <= 0;
    }

    /** The page index of RAM offset off. */
    public static int page(long off) {
        return (int) (off >>> PAGE_SHIFT);
    }

    public void markDirty(int page) {
        if (dirty[page] != BOTH_DIRTY) mark(page);
    }

    /**
     * Whether the page is marked written for both the hash and snapshots, so
     * that another store to it needs no {@link #markDirty}. A vCPU's store
     * fast path caches this; {@link #onCleaned} tells it when it stops being true.
     */
    public boolean written(int page) {
        return dirty[page] == BOTH_DIRTY;
    }

    /** Runs r whenever pages stop being {@link #written} (a hash, a snapshot, a restore). */
    public void onCleaned(Runnable r) {
        cleanedListeners = Arrays.copyOf(cleanedListeners, cleanedListeners.length + 1);
        cleanedListeners[cleanedListeners.length - 1] = r;
    }

    private void cleaned() {
        for (Runnable r : cleanedListeners) r.run();
    }

    private void mark(int page) {
        int d = dirty[page];
        if ((d & HASH_DIRTY) == 0) dirtyList[dirtyCount++] = page;
        if ((d & SNAPSHOT_DIRTY) == 0) snapshotDirtyList[snapshotDirtyCount++] = page;
        dirty[page] = BOTH_DIRTY;
    }

    /** Marks every page overlapping [off, off + len) written. */
    public void markDirty(long off, long len) {
        for (int p = page(off); p <= page(off + len - 1); p++) markDirty(p);
    }

    /**
     * The bytes of page p (index within the page = RAM offset & (PAGE_SIZE - 1)),
     * made on first use. What the fast paths keep: the array of a page never
     * changes.
     */
    public byte[] pageForAccess(int p) {
        byte[] b = pageBytes[p];
        return b != null ? b : allocate(p);
    }

    private byte[] allocate(int p) {
        allocatedPages++;
        return pageBytes[p] = new byte[PAGE_SIZE];
    }

    /** How many pages have an array (were accessed at least once): the host memory the guest's RAM takes. */
    public int allocatedPages() {
        return allocatedPages;
    }

    /** The 4-byte aligned word at RAM offset off. */
    public int word(long off) {
        byte[] b = pageBytes[page(off)];
        return b == null ? 0 : (int) LE32.get(b, (int) off & (PAGE_SIZE - 1));
    }

    /** The 8-byte aligned doubleword at physical address pa (inside RAM). */
    public long peek64(long pa) {
        long off = pa - base;
        byte[] b = pageBytes[page(off)];
        return b == null ? 0 : (long) LE64.get(b, (int) off & (PAGE_SIZE - 1));
    }

    // ---- Host access (loading images, dumps) ------------------------------------------
    /** Copies data into RAM at pa (the caller invalidates decoded code). */
    public void load(long pa, byte[] data) {
        if (!contains(pa, data.length)) {
            throw new IllegalArgumentException(String.format("image of %d bytes at 0x%x does not fit in RAM [0x%x, 0x%x)",
                    data.length, pa, base, base + size));
        }
        long off = pa - base;
        copy(off, data, true);
        if (data.length > 0) markDirty(off, data.length);
    }

    public byte[] read(long pa, int len) {
        if (!contains(pa, len)) {
            throw new IllegalArgumentException(String.format("[0x%x, 0x%x) is not inside RAM", pa, pa + len));
        }
        byte[] out = new byte[len];
        copy(pa - base, out, false);
        return out;
    }

    /** Copies between buf and RAM from offset off, page by page: into RAM (pages made as needed), or out of it (absent pages read as zero). */
    private void copy(long off, byte[] buf, boolean intoRam) {
        for (int done = 0; done < buf.length; ) {
            int p = page(off + done), at = (int) (off + done) & (PAGE_SIZE - 1);
            int n = Math.min(PAGE_SIZE - at, buf.length - done);
            if (intoRam) System.arraycopy(buf, done, pageForAccess(p), at, n);
            else if (pageBytes[p] != null) System.arraycopy(pageBytes[p], at, buf, done, n);
            done += n;
        }
    }

    // ---- State hash ----------------------------------------------------------------------
    private static final long HASH_MULTIPLIER = 0x100000001B3L;
    /** hashPage of an all-zero page p is mix(p * K^512): the multiplier raised to the page's 512 words. */
    private static final long ZERO_PAGE_FACTOR;

    static {
        long k = 1;
        for (int i = 0; i < PAGE_SIZE / 8; i++) k *= HASH_MULTIPLIER;
        ZERO_PAGE_FACTOR = k;
    }

    /**
     * A 64-bit hash of all of RAM. Only pages written since the last call are
     * read again, and the total is updated from them, so a checkpoint costs time
     * in proportion to what changed.
     */
    public long hash() {
        for (int i = 0; i < dirtyCount; i++) {
            int p = dirtyList[i];
            hashSum -= mix(pageHash[p] + p);
            pageHash[p] = hashPage(p);
            hashSum += mix(pageHash[p] + p);
            dirty[p] &= ~HASH_DIRTY;
        }
        if (dirtyCount > 0) {
            dirtyCount = 0;
            cleaned();
        }
        return mix(hashSum);
    }

    private long hashPage(int page) {
        byte[] b = pageBytes[page];
        if (b == null) return mix(page * ZERO_PAGE_FACTOR);
        long h = page;
        for (int i = 0; i < PAGE_SIZE; i += 8) h = h * HASH_MULTIPLIER ^ (long) LE64.get(b, i);
        return mix(h);
    }

    // ---- Snapshots ----------------------------------------------------------------------------
    /** Keeps the pages written since the last snapshot (or since creation) as a new snapshot. */
    public RamSnapshot snapshot() {
        int[] pages = Arrays.copyOf(snapshotDirtyList, snapshotDirtyCount);
        Arrays.sort(pages);
        byte[][] contents = new byte[pages.length][];
        for (int i = 0; i < pages.length; i++) {
            byte[] b = pageBytes[pages[i]];
            if (b != null && !isZero(b)) contents[i] = b.clone();
            dirty[pages[i]] &= ~SNAPSHOT_DIRTY;
        }
        if (snapshotDirtyCount > 0) {
            snapshotDirtyCount = 0;
            cleaned();
        }
        head = new RamSnapshot(head, pages, contents);
        return head;
    }

    /**
     * Makes RAM hold what it held at target: only pages that can differ are
     * copied (those written since the last snapshot, and those the snapshots
     * between the current one and target changed). Returns the number of pages
     * copied. The caller forgets decoded code.
     */
    public int restore(RamSnapshot target) {
        RamSnapshot common = commonAncestor(head, target);
        boolean[] seen = new boolean[pages()];
        int copied = 0;
        for (int i = 0; i < snapshotDirtyCount; i++) copied += restorePage(snapshotDirtyList[i], target, seen);
        for (RamSnapshot s = head; s != common; s = s.parent) for (int p : s.pages) copied += restorePage(p, target, seen);
        for (RamSnapshot s = target; s != common; s = s.parent) for (int p : s.pages) copied += restorePage(p, target, seen);
        for (int i = 0; i < snapshotDirtyCount; i++) dirty[snapshotDirtyList[i]] &= ~SNAPSHOT_DIRTY;
        snapshotDirtyCount = 0;
        head = target;
        cleaned();
        return copied;
    }

    private int restorePage(int p, RamSnapshot target, boolean[] seen) {
        if (seen[p]) return 0;
        seen[p] = true;
        byte[] content = RamSnapshot.ZERO;
        for (RamSnapshot s = target; s != null; s = s.parent) {
            byte[] d = s.delta(p);
            if (d != RamSnapshot.ABSENT) {
                content = d;
                break;
            }
        }
        // A page never made stays absent when it goes back to zero; one that exists is copied into.
        if (content != RamSnapshot.ZERO || pageBytes[p] != null) System.arraycopy(content, 0, pageForAccess(p), 0, PAGE_SIZE);
        if ((dirty[p] & HASH_DIRTY) == 0) {
            dirty[p] |= HASH_DIRTY;
            dirtyList[dirtyCount++] = p;
        }
        return 1;
    }

    private static RamSnapshot commonAncestor(RamSnapshot a, RamSnapshot b) {
        while (a != null && b != null && a != b) {
            if (a.depth >= b.depth) a = a.parent; else b = b.parent;
        }
        return a == b ? a : null;
    }

    private static boolean isZero(byte[] page) {
        for (int i = 0; i < PAGE_SIZE; i += 8) if ((long) LE64.get(page, i) != 0) return false;
        return true;
    }

    /** A 64-bit finalizer (splitmix64) for the state hashes. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
