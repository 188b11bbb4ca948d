package io.deja.core.mem;

import io.deja.core.cpu.Cpu;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.cpu.ExceptionTaken;
import io.deja.core.cpu.Exit;
import io.deja.core.jit.Block;
import io.deja.core.trace.TraceSink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The guest's view of memory: one flat RAM array, in-process devices, ranges
 * that exit to the host, and the decoded-instruction cache that stores into
 * RAM invalidate.
 *
 * Translation: the stage-1 MMU is not implemented yet, so every address is
 * physical and, as the Arm ARM prescribes for data accesses with SCTLR_EL1.M
 * = 0 (D8.2.11, "The effects of disabling an address translation stage"),
 * memory is Device-nGnRnE: an unaligned access takes an Alignment fault and
 * DC ZVA takes an Alignment fault. QEMU 7.2 performs both without faulting;
 * we follow the Arm ARM (see README, "Where Deja and QEMU differ").
 *
 * An access outside RAM and outside every mapped region is a synchronous
 * external abort (DFSC 0x10), as on QEMU's virt board.
 */
public final class Memory {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Largest RAM the flat array supports. */
    public static final long MAX_RAM = 1L << 30;
    public static final int PAGE_SHIFT = 12;
    public static final int WORDS_PER_PAGE = 1 << (PAGE_SHIFT - 2);
    /** DC ZVA block size: DCZID_EL0.BS = 4 (16 words = 64 bytes), as on a Cortex-A57. */
    public static final int ZVA_BYTES = 64;

    private final byte[] ram;
    private final long ramBase;
    private final long ramSize;
    /** Decoded instructions per RAM page (see Vcpu); null where no code has run. */
    private final long[][] code;
    /** Translated blocks per RAM page, by the word index of their first instruction. */
    private final Block[][] blocks;
    /** Pages written since their hash was last computed, and the list of them (see ramHash). */
    private final boolean[] dirty;
    private final int[] dirtyList;
    private int dirtyCount;
    private final long[] pageHash;
    /** Sum over pages of mix(pageHash + page): kept up to date as dirty pages are rehashed. */
    private long ramHashSum;
    /** Full-level trace of every store; null when not tracing them. */
    private TraceSink writeTrace;
    private Region[] regions = new Region[0];
    private MmioAccessListener listener = MmioAccessListener.NONE;
    private int lastFound;
    private Cpu cpu;

    // MMIO exit protocol (see VirtualMachine): values the host supplied for reads
    // of the instruction being re-executed, and writes waiting to be reported.
    private final long[] exitReadValues = new long[4];
    private int exitReadCount, exitReadCursor;
    private final long[] pendingWriteAddr = new long[4];
    private final long[] pendingWriteValue = new long[4];
    private final int[] pendingWriteSize = new int[4];
    private int pendingWrites, pendingWriteHead;

    public Memory(long ramBase, long ramSize) {
        if (ramSize <= 0 || ramSize > MAX_RAM || (ramSize & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB up to " + (MAX_RAM >> 20) + " MiB");
        }
        if ((ramBase & 0xFFF) != 0) throw new IllegalArgumentException("RAM base must be 4 KiB aligned");
        this.ram = new byte[(int) ramSize];
        this.ramBase = ramBase;
        this.ramSize = ramSize;
        this.code = new long[(int) (ramSize >>> PAGE_SHIFT)][];
        this.blocks = new Block[code.length][];
        this.dirty = new boolean[code.length];
        this.dirtyList = new int[code.length];
        this.pageHash = new long[code.length];
        // RAM starts zeroed: every page has the closed-form hash of a zero page, no reading needed.
        for (int p = 0; p < pageHash.length; p++) {
            pageHash[p] = mix(p * ZERO_PAGE_FACTOR);
            ramHashSum += mix(pageHash[p] + p);
        }
    }

    private static final long HASH_MULTIPLIER = 0x100000001B3L;
    /** hashPage of an all-zero page p is mix(p * K^512): the multiplier raised to the page's 512 words. */
    private static final long ZERO_PAGE_FACTOR;

    static {
        long k = 1;
        for (int i = 0; i < (1 << PAGE_SHIFT) / 8; i++) k *= HASH_MULTIPLIER;
        ZERO_PAGE_FACTOR = k;
    }

    private void markDirty(int page) {
        if (!dirty[page]) {
            dirty[page] = true;
            dirtyList[dirtyCount++] = page;
        }
    }

    public void setWriteTrace(TraceSink sink) {
        this.writeTrace = sink;
    }

    public void attach(Cpu cpu) {
        if (this.cpu != null) throw new IllegalStateException("memory already attached to a CPU");
        this.cpu = cpu;
    }

    public long ramBase() { return ramBase; }
    public long ramSize() { return ramSize; }

    /** Direct access to RAM for state hashing and dumps. Do not write through it: code would go stale. */
    public byte[] ramArray() { return ram; }

    // ---- Mapping -------------------------------------------------------------------
    public void map(Region region) {
        long end = region.base() + region.size();
        if (Long.compareUnsigned(region.base(), ramBase + ramSize) < 0 && Long.compareUnsigned(end, ramBase) > 0) {
            throw new IllegalArgumentException(region.name() + " overlaps RAM");
        }
        for (Region r : regions) {
            if (Long.compareUnsigned(region.base(), r.base() + r.size()) < 0 && Long.compareUnsigned(end, r.base()) > 0) {
                throw new IllegalArgumentException(region.name() + " overlaps " + r.name());
            }
        }
        List<Region> all = new ArrayList<>(Arrays.asList(regions));
        all.add(region);
        all.sort((a, b) -> Long.compareUnsigned(a.base(), b.base()));
        regions = all.toArray(new Region[0]);
    }

    public Region[] regions() { return regions.clone(); }

    public void setListener(MmioAccessListener listener) { this.listener = listener; }

    public boolean isRam(long pa, long len) {
        long off = pa - ramBase;
        return Long.compareUnsigned(off, ramSize) < 0 && Long.compareUnsigned(off + len, ramSize) <= 0;
    }

    // ---- Guest data accesses (virtual = physical while the MMU is off) -------------------
    public long read8(long va) {
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize) < 0) return ram[(int) off] & 0xFFL;
        return readOutsideRam(va, 1);
    }

    public long read16(long va) {
        if ((va & 1) != 0) throw alignmentFault(va, false);
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize - 2) <= 0) return (short) LE16.get(ram, (int) off) & 0xFFFFL;
        return readOutsideRam(va, 2);
    }

    public long read32(long va) {
        if ((va & 3) != 0) throw alignmentFault(va, false);
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize - 4) <= 0) return (int) LE32.get(ram, (int) off) & 0xFFFF_FFFFL;
        return readOutsideRam(va, 4);
    }

    public long read64(long va) {
        if ((va & 7) != 0) throw alignmentFault(va, false);
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize - 8) <= 0) return (long) LE64.get(ram, (int) off);
        return readOutsideRam(va, 8);
    }

    /** Zero-extended read of 1 << sizeLog2 bytes. */
    public long read(long va, int sizeLog2) {
        return switch (sizeLog2) {
            case 0 -> read8(va);
            case 1 -> read16(va);
            case 2 -> read32(va);
            default -> read64(va);
        };
    }

    public void write8(long va, long v) {
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize) < 0) {
            ram[(int) off] = (byte) v;
            stored(off, 1, v);
            return;
        }
        writeOutsideRam(va, 1, v & 0xFF);
    }

    public void write16(long va, long v) {
        if ((va & 1) != 0) throw alignmentFault(va, true);
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize - 2) <= 0) {
            LE16.set(ram, (int) off, (short) v);
            stored(off, 2, v);
            return;
        }
        writeOutsideRam(va, 2, v & 0xFFFF);
    }

    public void write32(long va, long v) {
        if ((va & 3) != 0) throw alignmentFault(va, true);
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize - 4) <= 0) {
            LE32.set(ram, (int) off, (int) v);
            stored(off, 4, v);
            return;
        }
        writeOutsideRam(va, 4, v & 0xFFFF_FFFFL);
    }

    public void write64(long va, long v) {
        if ((va & 7) != 0) throw alignmentFault(va, true);
        long off = va - ramBase;
        if (Long.compareUnsigned(off, ramSize - 8) <= 0) {
            LE64.set(ram, (int) off, v);
            stored(off, 8, v);
            return;
        }
        writeOutsideRam(va, 8, v);
    }

    public void write(long va, int sizeLog2, long v) {
        switch (sizeLog2) {
            case 0 -> write8(va, v);
            case 1 -> write16(va, v);
            case 2 -> write32(va, v);
            default -> write64(va, v);
        }
    }

    /** DC ZVA: zeroes the 64-byte block holding va. With the MMU off the memory is Device: Alignment fault. */
    public void zeroBlock(long va) {
        throw alignmentFault(va & -ZVA_BYTES, true);
    }

    /**
     * Checks that an access of len bytes at va could be made (for instructions
     * that must fault before any part is performed, such as exclusives and pairs).
     */
    public void checkAlignment(long va, int alignment, boolean write) {
        if ((va & (alignment - 1)) != 0) throw alignmentFault(va, write);
    }

    private RuntimeException alignmentFault(long va, boolean write) {
        return cpu.dataAbort(va, ExceptionClass.FSC_ALIGNMENT, write);
    }

    /** Bookkeeping after a store of size bytes at RAM offset off: dirty page, trace, decoded code. */
    private void stored(long off, int size, long v) {
        int index = (int) (off >>> PAGE_SHIFT);
        if (!dirty[index]) markDirty(index);
        if (writeTrace != null) writeTrace.memWrite(cpu.instructions() - 1, ramBase + off, size, v);
        if (code[index] != null) {
            invalidateCode(off);
            if (size == 8) invalidateCode(off + 4);
        }
    }

    /**
     * A store hit RAM at off: if it overwrote a decoded instruction, forget it and
     * every translated block of the page, and stop the current block after this
     * instruction (the next one may be the code just written).
     */
    private void invalidateCode(long off) {
        int index = (int) (off >>> PAGE_SHIFT);
        long[] page = code[index];
        if (page == null) return;
        int w = (int) (off >>> 2) & (WORDS_PER_PAGE - 1);
        if (page[w] == 0) return;
        page[w] = 0;
        Arrays.fill(blocks[index], null);
        cpu.requestService();
    }

    // ---- Devices and host exits ----------------------------------------------------
    /** The index in regions of the region holding [pa, pa + size), or -1. The last one found is tried first: device drivers poll one device at a time. */
    private int find(long pa, int size) {
        Region[] rs = regions;
        int last = lastFound;
        if (last < rs.length && rs[last].contains(pa, size)) return last;
        for (int i = 0; i < rs.length; i++) {
            if (rs[i].contains(pa, size)) {
                lastFound = i;
                return i;
            }
        }
        return -1;
    }

    private long readOutsideRam(long pa, int size) {
        int index = find(pa, size);
        if (index < 0) throw cpu.dataAbort(pa, ExceptionClass.FSC_SYNC_EXTERNAL, false);
        Region r = regions[index];
        long offset = pa - r.base();
        if (r.device() != null) {
            long v = r.device().read(offset, size);
            if (size < 8) v &= (1L << (size * 8)) - 1;
            listener.access(index, r, offset, size, false, v);
            return v;
        }
        if (exitReadCursor < exitReadCount) return exitReadValues[exitReadCursor++];
        // Abandon the instruction (it has changed nothing yet), exit, and re-execute
        // it once the host has supplied the value (supplyMmioRead).
        cpu.cycles--;
        cpu.exitArg1 = size;
        cpu.requestExit(Exit.MMIO_READ, pa);
        throw ExceptionTaken.INSTANCE;
    }

    private void writeOutsideRam(long pa, int size, long v) {
        int index = find(pa, size);
        if (index < 0) throw cpu.dataAbort(pa, ExceptionClass.FSC_SYNC_EXTERNAL, true);
        Region r = regions[index];
        long offset = pa - r.base();
        if (r.device() != null) {
            if (writeTrace != null) writeTrace.memWrite(cpu.instructions() - 1, pa, size, v);
            r.device().write(offset, size, v);
            listener.access(index, r, offset, size, true, v);
            cpu.requestService();
            return;
        }
        if (writeTrace != null) writeTrace.memWrite(cpu.instructions() - 1, pa, size, v);
        if (pendingWrites == pendingWriteAddr.length) throw new IllegalStateException("too many MMIO writes in one instruction");
        pendingWriteAddr[pendingWrites] = pa;
        pendingWriteSize[pendingWrites] = size;
        pendingWriteValue[pendingWrites] = v;
        pendingWrites++;
        cpu.requestService();
    }

    /** The host's answer to an MMIO_READ exit: the value the re-executed instruction will read. */
    public void supplyMmioRead(long value) {
        exitReadValues[exitReadCount++] = value;
    }

    /** Called before re-executing an instruction that exited for an MMIO read. */
    public boolean hasSuppliedReads() {
        exitReadCursor = 0;
        return exitReadCount > 0;
    }

    /** Called once the re-executed instruction retired: the supplied values are spent. */
    public void clearSuppliedReads() {
        exitReadCount = 0;
        exitReadCursor = 0;
    }

    public boolean hasPendingWrite() { return pendingWriteHead < pendingWrites; }

    /** Pops the oldest unreported MMIO write into cpu.exitArg0/1/2 (address, size, value). */
    public void popPendingWrite() {
        int i = pendingWriteHead++;
        cpu.exitArg0 = pendingWriteAddr[i];
        cpu.exitArg1 = pendingWriteSize[i];
        cpu.exitArg2 = pendingWriteValue[i];
        if (pendingWriteHead == pendingWrites) pendingWriteHead = pendingWrites = 0;
    }

    // ---- Instruction fetch and the decoded-code cache -----------------------------------------
    /**
     * The decoded-instruction page for a PC in RAM, created on first use; null if
     * pc is not in RAM. Entries are (opcode + 1) << 32 | word, plus an execution
     * count in bits 48-63 that the run loop uses to pick blocks to translate; 0
     * means not decoded. A store into a decoded word resets it to 0.
     */
    public long[] codePage(long pc) {
        long off = pc - ramBase;
        if (Long.compareUnsigned(off, ramSize) >= 0) return null;
        int index = (int) (off >>> PAGE_SHIFT);
        long[] page = code[index];
        if (page == null) {
            code[index] = page = new long[WORDS_PER_PAGE];
            blocks[index] = new Block[WORDS_PER_PAGE];
        }
        return page;
    }

    /** The translated blocks of the page holding pc (call after codePage(pc) returned non-null). */
    public Block[] blockPage(long pc) {
        return blocks[(int) ((pc - ramBase) >>> PAGE_SHIFT)];
    }

    /** The instruction words of the RAM page holding pc. */
    public int[] pageWords(long pc) {
        int base = (int) ((pc - ramBase) & -(1L << PAGE_SHIFT));
        int[] words = new int[WORDS_PER_PAGE];
        for (int i = 0; i < words.length; i++) words[i] = (int) LE32.get(ram, base + 4 * i);
        return words;
    }

    public int fetch(long pc) {
        return (int) LE32.get(ram, (int) (pc - ramBase));
    }

    /** IC IVAU: forgets decoded instructions in the 64-byte line holding va. */
    public void invalidateCodeLine(long va) {
        long off = (va & -64L) - ramBase;
        if (Long.compareUnsigned(off, ramSize) >= 0) return;
        int index = (int) (off >>> PAGE_SHIFT);
        if (code[index] == null) return;
        int first = (int) (off >>> 2) & (WORDS_PER_PAGE - 1);
        Arrays.fill(code[index], first, first + 16, 0L);
        Arrays.fill(blocks[index], null);
        cpu.requestService();
    }

    /** IC IALLU / IC IALLUIS: forgets every decoded instruction. */
    public void invalidateAllCode() {
        for (int i = 0; i < code.length; i++) {
            if (code[i] != null) {
                Arrays.fill(code[i], 0L);
                Arrays.fill(blocks[i], null);
            }
        }
        if (cpu != null) cpu.requestService();
    }

    // ---- Host access (loading images, dumps) --------------------------------------------
    public void load(long pa, byte[] data) {
        if (!isRam(pa, data.length)) {
            throw new IllegalArgumentException(String.format("image of %d bytes at 0x%x does not fit in RAM [0x%x, 0x%x)",
                    data.length, pa, ramBase, ramBase + ramSize));
        }
        System.arraycopy(data, 0, ram, (int) (pa - ramBase), data.length);
        for (int p = (int) ((pa - ramBase) >>> PAGE_SHIFT); p < (int) ((pa - ramBase + data.length + 4095) >>> PAGE_SHIFT); p++) markDirty(p);
        invalidateAllCode();
    }

    public byte[] readBytes(long pa, int len) {
        if (!isRam(pa, len)) {
            throw new IllegalArgumentException(String.format("[0x%x, 0x%x) is not inside RAM", pa, pa + len));
        }
        return Arrays.copyOfRange(ram, (int) (pa - ramBase), (int) (pa - ramBase) + len);
    }

    /**
     * A 64-bit hash of all of RAM. Only pages written since the last call are
     * read again, and the total is updated from them, so a checkpoint costs time
     * in proportion to what changed.
     */
    public long ramHash() {
        for (int i = 0; i < dirtyCount; i++) {
            int p = dirtyList[i];
            ramHashSum -= mix(pageHash[p] + p);
            pageHash[p] = hashPage(p);
            ramHashSum += mix(pageHash[p] + p);
            dirty[p] = false;
        }
        dirtyCount = 0;
        return mix(ramHashSum);
    }

    private long hashPage(int page) {
        int base = page << PAGE_SHIFT;
        long h = page;
        for (int i = 0; i < (1 << PAGE_SHIFT); i += 8) h = h * HASH_MULTIPLIER ^ (long) LE64.get(ram, base + i);
        return mix(h);
    }

    /** A 64-bit finalizer (splitmix64) for the state hashes. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    public long peek64(long pa) {
        return (long) LE64.get(ram, (int) (pa - ramBase));
    }
}
