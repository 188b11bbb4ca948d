package io.deja.core.mmu;

import io.deja.core.vm.ExitKind;

import io.deja.core.cpu.Cpu;
import io.deja.core.cpu.ExceptionClass;
import io.deja.core.cpu.ExceptionTaken;
import io.deja.core.mem.CodeCache;
import io.deja.core.mem.MmioExits;
import io.deja.core.mem.PhysicalBus;
import io.deja.core.mem.Ram;
import io.deja.core.trace.TraceSink;

import java.util.Arrays;

/**
 * One vCPU's view of memory: every data access and instruction fetch goes
 * from a virtual address through this translation to the physical bus.
 *
 * A software TLB sits in front of the {@link TableWalker}, one direct-mapped
 * table per regime (index 0: EL0 permissions, used at EL0 and by LDTR/STTR;
 * 1: EL1). Each entry caches one 4 KiB piece of a translation with the
 * permissions it grants; its read and write tags hold the virtual page only
 * when that access is allowed and the page is RAM, so the hit path is a
 * compare of the page address and alignment bits against one tag, then an
 * access to the RAM page's array, which the entry keeps (QEMU's softmmu fast
 * path is the model; RAM pages are made on first access, see Ram). Anything else
 * (misaligned, device, not yet translated, not permitted) takes the slow
 * path, which walks, fills and raises faults with their syndrome.
 *
 * MMU off (SCTLR_EL1.M = 0): the identity map, data Device-nGnRnE (Arm ARM
 * D8.2.11: misaligned accesses and DC ZVA take Alignment faults) and fetches
 * Normal; an address above the 44-bit PA range takes an Address size fault.
 *
 * The TLB is a cache of the architecture's: it is flushed whole when
 * SCTLR/TCR/TTBR0/TTBR1/MAIR change (which covers ASID switches without
 * TLBI) and by TLBI VMALLE1 and ASIDE1; TLBI by VA drops the entry for that
 * page, and everything when the VA lies in a block larger than 4 KiB that
 * the TLB holds. Dropping more than the architecture requires is always
 * allowed, and every change pulls the run loop's horizon in, so the fetch
 * page it caches is looked up again.
 */
public final class Mmu implements io.deja.core.state.Stateful {
    private static final int TLB_BITS = 8;
    private static final int TLB_SIZE = 1 << TLB_BITS;
    private static final long PAGE_MASK = ~0xFFFL;
    /** In a read or write tag: the page is not RAM, so even an aligned hit takes the slow path. */
    private static final long TAG_IO = 1L << 11;
    /**
     * In a write tag of a RAM page: a store needs bookkeeping (the page is not
     * yet marked written for the hash and snapshots, it holds decoded code, or
     * every store is traced), so it takes the slow path, which does it and
     * clears the mark when nothing is left to do (QEMU's TLB_NOTDIRTY). Never
     * part of the state: {@link #state} describes tags without it.
     */
    private static final long TAG_NOTDIRTY = 1L << 10;
    private static final long INVALID = -1L;
    /** Permission bits of an entry. */
    private static final int PERM_R = 1, PERM_W = 2, PERM_X = 4;
    /** Access kinds, for faults. */
    static final int READ = 0, WRITE = 1, FETCH = 2;

    private final Cpu cpu;
    private final PhysicalBus bus;
    private final Ram ram;
    private final CodeCache code;
    public final MmioExits exits = new MmioExits();
    private final TableWalker walker;
    /** Full-level trace of every store; null when not tracing them. */
    private TraceSink writeTrace;

    // The software TLB, indexed regime << TLB_BITS | (VA bits 19:12).
    /**
     * The fast path's arrays, two longs an entry: the tag, then the addend
     * (RAM array offset = VA + addend), side by side so that a hit touches one
     * array and one cache line.
     */
    private final long[] readTlb = new long[4 * TLB_SIZE];
    private final long[] writeTlb = new long[4 * TLB_SIZE];
    private final long[] fetchTag = new long[2 * TLB_SIZE];
    /** The virtual page an entry translates (INVALID if none), whatever it permits. */
    private final long[] pageTag = new long[2 * TLB_SIZE];
    /** RAM array offset = VA + addend (RAM pages only), for fetches and the slow path. */
    private final long[] addend = new long[2 * TLB_SIZE];
    private final long[] physPage = new long[2 * TLB_SIZE];
    /**
     * The RAM page array of each entry whose page is RAM (the fast paths index it
     * with VA bits 11:0). Not state: it follows from physPage (see {@link #state}).
     */
    private final byte[][] memory = new byte[2 * TLB_SIZE][];
    private final int[] perms = new int[2 * TLB_SIZE];
    /** Level of the leaf descriptor, for permission faults. */
    private final int[] leafLevel = new int[2 * TLB_SIZE];
    private final boolean[] device = new boolean[2 * TLB_SIZE];
    /** The smallest aligned range covering every block larger than 4 KiB in the TLB (base -1: none). */
    private long largeBase = -1, largeMask;

    public Mmu(Cpu cpu, PhysicalBus bus) {
        this.cpu = cpu;
        this.bus = bus;
        this.ram = bus.ram;
        this.code = bus.code;
        this.walker = new TableWalker(ram);
        flushAll();
        ram.onCleaned(this::markWrites);
        code.onCodePage(this::markPageForBookkeeping);
    }

    public PhysicalBus bus() {
        return bus;
    }

    public void setWriteTrace(TraceSink sink) {
        this.writeTrace = sink;
        markWrites();
    }

    /**
     * The TLB is state: a guest that changes a descriptor without TLBI may
     * still see the old translation, so a restored machine must hold the same
     * entries to behave the same. The pending host-MMIO protocol too.
     */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        // The state is the TLB a run without a host debugger would hold: its marks come off while visited.
        boolean hostMarks = cpu.hostDebug.watchpointsArmed;
        if (hostMarks) retag(false);
        for (int i = 0; i < writeTlb.length; i += 2) {
            if (writeTlb[i] != INVALID) writeTlb[i] &= ~TAG_NOTDIRTY;
        }
        visitState(v);
        refreshMemory();
        if (hostMarks) retag(true);
        markWrites();
    }

    /** Points every valid RAM entry at its page's array (after a restore set the entries). */
    private void refreshMemory() {
        for (int i = 0; i < pageTag.length; i++) {
            long off = physPage[i] - ram.base;
            memory[i] = pageTag[i] != INVALID && Long.compareUnsigned(off, ram.size) < 0 ? ram.pageForAccess(Ram.page(off)) : null;
        }
    }

    private void visitState(io.deja.core.state.StateVisitor v) {
        v.u64s("read_tlb", readTlb);
        v.u64s("write_tlb", writeTlb);
        v.u64s("fetch_tag", fetchTag);
        v.u64s("page_tag", pageTag);
        v.u64s("addend", addend);
        v.u64s("phys_page", physPage);
        v.u32s("perms", perms);
        v.u32s("leaf_level", leafLevel);
        v.bools("device", device);
        largeBase = v.u64("large_base", largeBase);
        largeMask = v.u64("large_mask", largeMask);
        v.child("exits", exits);
    }

    // ---- Loads ---------------------------------------------------------------------------------
    public long read8(long va) { return read8(va, cpu.el); }
    public long read16(long va) { return read16(va, cpu.el); }
    public long read32(long va) { return read32(va, cpu.el); }
    public long read64(long va) { return read64(va, cpu.el); }

    /** Zero-extended read of 1 << sizeLog2 bytes at the current EL. */
    public long read(long va, int sizeLog2) {
        return read(va, sizeLog2, cpu.el);
    }

    /** A read with the permissions of EL0 (regime 0) or EL1 (regime 1): LDTR at EL1 passes 0. */
    public long read(long va, int sizeLog2, int regime) {
        return switch (sizeLog2) {
            case 0 -> read8(va, regime);
            case 1 -> read16(va, regime);
            case 2 -> read32(va, regime);
            default -> read64(va, regime);
        };
    }

    private long read8(long va, int regime) {
        int i = tlbIndex(va, regime);
        if (readTlb[i] == (va & PAGE_MASK)) return memory[i >> 1][(int) va & 0xFFF] & 0xFFL;
        return slowRead(va, 0, regime);
    }

    private long read16(long va, int regime) {
        int i = tlbIndex(va, regime);
        if (readTlb[i] == (va & ~0xFFEL)) return (short) Ram.LE16.get(memory[i >> 1], (int) va & 0xFFF) & 0xFFFFL;
        return slowRead(va, 1, regime);
    }

    private long read32(long va, int regime) {
        int i = tlbIndex(va, regime);
        if (readTlb[i] == (va & ~0xFFCL)) return (int) Ram.LE32.get(memory[i >> 1], (int) va & 0xFFF) & 0xFFFF_FFFFL;
        return slowRead(va, 2, regime);
    }

    private long read64(long va, int regime) {
        int i = tlbIndex(va, regime);
        if (readTlb[i] == (va & ~0xFF8L)) return (long) Ram.LE64.get(memory[i >> 1], (int) va & 0xFFF);
        return slowRead(va, 3, regime);
    }

    // ---- Stores --------------------------------------------------------------------------------
    public void write8(long va, long v) { write8(va, v, cpu.el); }
    public void write16(long va, long v) { write16(va, v, cpu.el); }
    public void write32(long va, long v) { write32(va, v, cpu.el); }
    public void write64(long va, long v) { write64(va, v, cpu.el); }

    public void write(long va, int sizeLog2, long v) {
        write(va, sizeLog2, v, cpu.el);
    }

    /** A write with the permissions of EL0 (regime 0) or EL1 (regime 1): STTR at EL1 passes 0. */
    public void write(long va, int sizeLog2, long v, int regime) {
        switch (sizeLog2) {
            case 0 -> write8(va, v, regime);
            case 1 -> write16(va, v, regime);
            case 2 -> write32(va, v, regime);
            default -> write64(va, v, regime);
        }
    }

    private void write8(long va, long v, int regime) {
        int i = tlbIndex(va, regime);
        if (writeTlb[i] == (va & PAGE_MASK)) {
            memory[i >> 1][(int) va & 0xFFF] = (byte) v;
            return;
        }
        slowWrite(va, 0, v & 0xFF, regime);
    }

    private void write16(long va, long v, int regime) {
        int i = tlbIndex(va, regime);
        if (writeTlb[i] == (va & ~0xFFEL)) {
            Ram.LE16.set(memory[i >> 1], (int) va & 0xFFF, (short) v);
            return;
        }
        slowWrite(va, 1, v & 0xFFFF, regime);
    }

    private void write32(long va, long v, int regime) {
        int i = tlbIndex(va, regime);
        if (writeTlb[i] == (va & ~0xFFCL)) {
            Ram.LE32.set(memory[i >> 1], (int) va & 0xFFF, (int) v);
            return;
        }
        slowWrite(va, 2, v & 0xFFFF_FFFFL, regime);
    }

    private void write64(long va, long v, int regime) {
        int i = tlbIndex(va, regime);
        if (writeTlb[i] == (va & ~0xFF8L)) {
            Ram.LE64.set(memory[i >> 1], (int) va & 0xFFF, v);
            return;
        }
        slowWrite(va, 3, v, regime);
    }

    /**
     * Bookkeeping after a store of size bytes at RAM offset off: dirty page,
     * trace, decoded code. The fast path skips it where the write tag has no
     * {@link #TAG_NOTDIRTY}: only where none of it has anything to do.
     */
    private void stored(long off, int size, long v) {
        int page = Ram.page(off);
        ram.markDirty(page);
        if (writeTrace != null) writeTrace.memWrite(cpu.executingInstruction(), ram.base + off, size, v);
        if (code.hasCode(page) && code.stored(off, size)) cpu.requestService();
        io.deja.core.cpu.GlobalMonitor m = cpu.monitor;
        if (m != null && m.watches(page)) m.stored(cpu, off, size);
    }

    /** The RAM offset va reads from at the current EL, or -1 (not RAM, or it would fault): for the global monitor. */
    public long ramOffsetForMonitor(long va) {
        long pa = translateQuietly(va, cpu.el, PERM_R);
        if (pa == -1) return -1;
        long off = pa - ram.base;
        return Long.compareUnsigned(off, ram.size) < 0 ? off : -1;
    }

    private static int index(long va, int regime) {
        return (regime << TLB_BITS) | ((int) (va >>> 12) & (TLB_SIZE - 1));
    }

    /** The position of entry index(va, regime) in readTlb and writeTlb. */
    private static int tlbIndex(long va, int regime) {
        return index(va, regime) << 1;
    }

    // ---- Host watchpoints ------------------------------------------------------------------------
    /**
     * The host debugger's watchpoints changed: entries for pages they cover
     * take the slow path from now on, others the fast path again. The TLB
     * keeps every entry (a flush would be visible to a guest that relies on
     * a stale translation); only the fast-path tags change.
     */
    public void hostWatchpointsChanged() {
        retag(true);
        cpu.requestService();
    }

    /** Sets the slow-path mark of every valid fast-path tag as fill would, with or without the host's watchpoints. */
    private void retag(boolean withHost) {
        for (int i = 0; i < pageTag.length; i++) {
            if (pageTag[i] == INVALID) continue;
            long vaPage = pageTag[i];
            boolean isRam = Long.compareUnsigned(physPage[i] - ram.base, ram.size) < 0;
            boolean slow = !isRam || guestWatched(vaPage) || (withHost && hostWatched(vaPage, physPage[i]));
            if (readTlb[2 * i] != INVALID) readTlb[2 * i] = slow ? vaPage | TAG_IO : vaPage;
            if (writeTlb[2 * i] != INVALID) writeTlb[2 * i] = slow ? vaPage | TAG_IO : vaPage;
        }
        markWrites();
    }

    /**
     * The watchpoints an access must pass before it is made: the host
     * debugger's first (it stops the run before the guest sees anything),
     * then the guest's own (which take a Watchpoint exception).
     */
    private void checkWatchpoints(long va, long pa, int size, boolean write, int regime) {
        if (cpu.hostDebug.watchpointsArmed && cpu.hostDebug.watchHit(va, pa, size, write)) throw hostStop();
        if (cpu.debug.watchpointsArmed) cpu.debug.checkWatchpoints(va, size, write, regime, false);
    }

    private boolean guestWatched(long vaPage) {
        return cpu.debug.watchpointsArmed && cpu.debug.watchesPage(vaPage);
    }

    private boolean hostWatched(long vaPage, long paPage) {
        return cpu.hostDebug.watchpointsArmed && cpu.hostDebug.watchesPage(vaPage, paPage);
    }

    /**
     * Abandons the executing instruction before its access (it has changed
     * nothing yet, as for an MMIO read exit) and stops the run for the host
     * debugger; running again executes it.
     */
    private ExceptionTaken hostStop() {
        cpu.cycles--;
        cpu.requestExit(io.deja.core.vm.ExitKind.CANCELLED, 0);
        return ExceptionTaken.INSTANCE;
    }

    // ---- The slow path ---------------------------------------------------------------------------
    private long slowRead(long va, int sizeLog2, int regime) {
        int size = 1 << sizeLog2;
        boolean misaligned = (va & (size - 1)) != 0;
        if (misaligned && strictAlignment()) throw alignmentFault(va, READ, false);
        int i = lookup(va, READ, regime, misaligned, va);
        long pa = physPage[i] | (va & 0xFFF);
        if (((va & 0xFFF) + size) > Ram.PAGE_SIZE) {
            // Crosses into the next page: both pages are translated before anything is
            // read; a fault on the second reports its first byte (as QEMU 7.2).
            long next = (va | 0xFFF) + 1;
            int j = lookup(next, READ, regime, true, next);
            checkWatchpoints(va, pa, size, false, regime);
            long value = 0;
            for (int b = size - 1; b >= 0; b--) {
                long byteVa = va + b;
                int e = (byteVa & PAGE_MASK) == (va & PAGE_MASK) ? i : j;
                value = (value << 8) | physicalRead(physPage[e] | (byteVa & 0xFFF), 0, byteVa);
            }
            return value;
        }
        checkWatchpoints(va, pa, size, false, regime);
        return physicalRead(pa, sizeLog2, va);
    }

    private void slowWrite(long va, int sizeLog2, long v, int regime) {
        int size = 1 << sizeLog2;
        boolean misaligned = (va & (size - 1)) != 0;
        if (misaligned && strictAlignment()) throw alignmentFault(va, WRITE, false);
        int i = lookup(va, WRITE, regime, misaligned, va);
        if (((va & 0xFFF) + size) > Ram.PAGE_SIZE) {
            long next = (va | 0xFFF) + 1;
            int j = lookup(next, WRITE, regime, true, next);
            checkWatchpoints(va, physPage[i] | (va & 0xFFF), size, true, regime);
            long ip = physPage[i], jp = physPage[j];
            for (int b = 0; b < size; b++) {
                long byteVa = va + b;
                long pa = ((byteVa & PAGE_MASK) == (va & PAGE_MASK) ? ip : jp) | (byteVa & 0xFFF);
                physicalWrite(pa, 0, (v >>> (8 * b)) & 0xFF, byteVa);
            }
            return;
        }
        checkWatchpoints(va, physPage[i] | (va & 0xFFF), size, true, regime);
        physicalWrite(physPage[i] | (va & 0xFFF), sizeLog2, v, va);
        long tag = writeTlb[2 * i];
        if (tag == (pageTag[i] | TAG_NOTDIRTY)) writeTlb[2 * i] = writeTag(pageTag[i], physPage[i]);
    }

    /** The write tag of a RAM page that no watchpoint covers: with TAG_NOTDIRTY unless stores to it need no bookkeeping. */
    private long writeTag(long vaPage, long physicalPage) {
        int page = Ram.page(physicalPage - ram.base);
        boolean quiet = writeTrace == null && ram.written(page) && !code.hasCode(page)
                && (cpu.monitor == null || !cpu.monitor.watches(page));
        return quiet ? vaPage : vaPage | TAG_NOTDIRTY;
    }

    /** Sets or clears TAG_NOTDIRTY in every write tag of a RAM page (after pages were cleaned, or the trace changed). */
    private void markWrites() {
        for (int i = 0; i < pageTag.length; i++) {
            long tag = writeTlb[2 * i];
            if (tag != INVALID && (tag & TAG_IO) == 0) writeTlb[2 * i] = writeTag(pageTag[i], physPage[i]);
        }
    }

    /**
     * Stores to RAM page ramPage have bookkeeping to do from now on: it got
     * decoded code (stores must find and forget what they overwrite) or an
     * exclusive reservation (stores by other CPUs must clear it).
     */
    public void markPageForBookkeeping(int ramPage) {
        long pa = ram.base + ((long) ramPage << Ram.PAGE_SHIFT);
        for (int i = 0; i < pageTag.length; i++) {
            long tag = writeTlb[2 * i];
            if (tag != INVALID && (tag & TAG_IO) == 0 && physPage[i] == pa) writeTlb[2 * i] = tag | TAG_NOTDIRTY;
        }
    }

    /** SCTLR_EL1.A: every misaligned data access faults, whatever the memory type. */
    private boolean strictAlignment() {
        return (cpu.sctlrEl1 & 2) != 0;
    }

    private long physicalRead(long pa, int sizeLog2, long va) {
        int size = 1 << sizeLog2;
        long off = pa - ram.base;
        if (Long.compareUnsigned(off, ram.size - size) <= 0) {
            // Never across a page: the slow path splits such accesses into bytes.
            byte[] bytes = ram.pageForAccess(Ram.page(off));
            int at = (int) off & (Ram.PAGE_SIZE - 1);
            return switch (sizeLog2) {
                case 0 -> bytes[at] & 0xFFL;
                case 1 -> (short) Ram.LE16.get(bytes, at) & 0xFFFFL;
                case 2 -> (int) Ram.LE32.get(bytes, at) & 0xFFFF_FFFFL;
                default -> (long) Ram.LE64.get(bytes, at);
            };
        }
        int region = bus.find(pa, size);
        if (region < 0) throw abort(va, FaultStatus.SYNC_EXTERNAL, READ, false);
        if (bus.region(region).device() != null) return bus.deviceRead(region, pa, size);
        if (exits.hasSuppliedRead()) return exits.nextSuppliedRead();
        // Abandon the instruction (it has changed nothing yet), exit, and re-execute
        // it once the host has supplied the value.
        cpu.cycles--;
        cpu.exitArg1 = size;
        cpu.requestExit(ExitKind.MMIO_READ, pa);
        throw ExceptionTaken.INSTANCE;
    }

    private void physicalWrite(long pa, int sizeLog2, long v, long va) {
        int size = 1 << sizeLog2;
        long off = pa - ram.base;
        if (Long.compareUnsigned(off, ram.size - size) <= 0) {
            byte[] bytes = ram.pageForAccess(Ram.page(off));
            int at = (int) off & (Ram.PAGE_SIZE - 1);
            switch (sizeLog2) {
                case 0 -> bytes[at] = (byte) v;
                case 1 -> Ram.LE16.set(bytes, at, (short) v);
                case 2 -> Ram.LE32.set(bytes, at, (int) v);
                default -> Ram.LE64.set(bytes, at, v);
            }
            stored(off, size, v);
            return;
        }
        int region = bus.find(pa, size);
        if (region < 0) throw abort(va, FaultStatus.SYNC_EXTERNAL, WRITE, false);
        if (writeTrace != null) writeTrace.memWrite(cpu.executingInstruction(), pa, size, v);
        if (bus.region(region).device() != null) {
            bus.deviceWrite(region, pa, size, v);
        } else {
            exits.queueWrite(pa, size, v);
        }
        // A device write may raise an interrupt: look before the next instruction.
        cpu.requestService();
    }

    /**
     * The TLB entry for va, filled by a walk on a miss, after the checks of
     * AArch64.FirstStageTranslate in their order: walk faults, then an
     * Alignment fault for a misaligned access to Device memory, then a
     * Permission fault. far is the address reported if it faults.
     */
    private int lookup(long va, int access, int regime, boolean misaligned, long far) {
        int i = index(va, regime);
        if (pageTag[i] != (va & PAGE_MASK)) fill(va, i, access, regime, far, false);
        if (misaligned && device[i] && access != FETCH) throw alignmentFault(far, access, false);
        int need = access == READ ? PERM_R : access == WRITE ? PERM_W : PERM_X;
        if ((perms[i] & need) == 0) throw abort(far, FaultStatus.PERMISSION + leafLevel[i], access, false);
        return i;
    }

    /** Walks va for regime and fills entry i; raises the walk's fault (cm: for a cache maintenance instruction). */
    private void fill(long va, int i, int access, int regime, long far, boolean cm) {
        long page;
        int attr, level, perm;
        boolean mmuOn = (cpu.sctlrEl1 & 1) != 0;
        if (!mmuOn) {
            int fsc = addressSizeFaultWithMmuOff(va);
            if (fsc >= 0) throw abort(far, fsc, access, cm);
            page = stripTag(va) & 0x0000_0FFF_FFFF_F000L;
            attr = 0x00; // Device-nGnRnE for data; fetches treat it as Normal (see lookup)
            level = 0;
            perm = PERM_R | PERM_W | PERM_X;
        } else {
            if (!walker.walk(cpu.sys, va)) throw abort(far, walker.fault, access, cm);
            page = walker.pa & PAGE_MASK;
            attr = walker.attr;
            level = walker.level;
            perm = permissions(regime);
            if (walker.blockShift > 12) addLargePage(va, walker.blockShift);
        }
        long vaPage = va & PAGE_MASK;
        long ramOff = page - ram.base;
        boolean isRam = Long.compareUnsigned(ramOff, ram.size) < 0;
        if (access != FETCH && i == index(cpu.pc, cpu.el) && pageTag[i] == (cpu.pc & PAGE_MASK)) {
            // A data access evicts the page the run loop executes from. The loop fetches on from its own copy
            // of that translation, and would look the page up again (putting it back here) at its next service
            // point, whose place depends on where the run was started, stopped and how often a debugger looks:
            // the state would then depend on them (issue 10). So the next boundary is a service point, always.
            cpu.requestService();
        }
        pageTag[i] = vaPage;
        physPage[i] = page;
        perms[i] = perm;
        leafLevel[i] = level;
        device[i] = TableWalker.isDevice(attr);
        addend[i] = ramOff - vaPage;
        memory[i] = isRam ? ram.pageForAccess(Ram.page(ramOff)) : null;
        // Pages a watchpoint covers take the slow path, where watchpoints are checked.
        long tag = isRam && !guestWatched(vaPage) && !hostWatched(vaPage, page) ? vaPage : vaPage | TAG_IO;
        readTlb[2 * i] = (perm & PERM_R) != 0 ? tag : INVALID;
        readTlb[2 * i + 1] = addend[i];
        writeTlb[2 * i] = (perm & PERM_W) == 0 ? INVALID : tag == vaPage ? writeTag(vaPage, page) : tag;
        writeTlb[2 * i + 1] = addend[i];
        fetchTag[i] = (perm & PERM_X) != 0 && isRam ? vaPage : INVALID;
    }

    /**
     * Stage-1 permissions of the walked leaf for regime 0 (EL0) or 1 (EL1), as
     * AArch64.CheckPermission in ARMv8.0: AP[2:1] after APTable; EL0 cannot
     * execute what it cannot read; EL1 cannot execute what EL0 can write (the
     * implicit PXN); SCTLR_EL1.WXN makes writable memory execute-never.
     */
    private int permissions(int regime) {
        int ap = walker.ap;
        boolean wxn = (cpu.sctlrEl1 & (1L << 19)) != 0;
        boolean userR = (ap & 1) != 0, userW = ap == 1, privW = (ap & 2) == 0;
        if (regime == 0) {
            boolean xn = !userR || walker.uxn || (userW && wxn);
            return (userR ? PERM_R : 0) | (userW ? PERM_W : 0) | (xn ? 0 : PERM_X);
        }
        boolean xn = walker.pxn || (privW && wxn) || userW;
        return PERM_R | (privW ? PERM_W : 0) | (xn ? 0 : PERM_X);
    }

    /** TBI: with TCR_EL1.TBI0/TBI1 set for va's half, the top byte is replaced by the sign extension of bit 55. */
    private long stripTag(long va) {
        int tbi = (va & (1L << 55)) == 0 ? 37 : 38;
        if ((cpu.sys.tcrEl1 & (1L << tbi)) == 0) return va;
        return va << 8 >> 8;
    }

    /**
     * MMU off (Arm ARM AArch64.TranslateAddressS1Off): an address with bits set
     * between the top of the 44-bit PA range and the top of the address (bit 55
     * when TBI applies, else 63) takes a level 0 Address size fault. -1 if none.
     */
    private int addressSizeFaultWithMmuOff(long va) {
        int tbi = (va & (1L << 55)) == 0 ? 37 : 38;
        int top = (cpu.sys.tcrEl1 & (1L << tbi)) != 0 ? 55 : 63;
        long above = (va >>> TableWalker.PA_BITS) & ((1L << (top - TableWalker.PA_BITS + 1)) - 1);
        return above != 0 ? FaultStatus.ADDRESS_SIZE : -1;
    }

    private void addLargePage(long va, int shift) {
        long mask = -(1L << shift);
        long base = stripTag(va) & mask;
        if (largeBase == -1) {
            largeBase = base;
            largeMask = mask;
            return;
        }
        mask &= largeMask;
        while (((largeBase ^ base) & mask) != 0) mask <<= 1;
        largeMask = mask;
        largeBase &= mask;
    }

    // ---- Faults ----------------------------------------------------------------------------------
    private RuntimeException alignmentFault(long va, int access, boolean cm) {
        return abort(va, FaultStatus.ALIGNMENT, access, cm);
    }

    /**
     * A Data Abort (or for fetches an Instruction Abort) at the current
     * instruction, ISS = DFSC | WnR | CM (ISV = 0: no instruction syndrome for
     * stage-1 faults taken to EL1, as QEMU). Never returns normally.
     */
    private RuntimeException abort(long va, int fsc, int access, boolean cm) {
        if (access == FETCH) {
            // The faulting fetch is the instruction's step, as an UNDEFINED one would be.
            cpu.cycles++;
            int ec = cpu.el == 0 ? ExceptionClass.INSN_ABORT_LOWER : ExceptionClass.INSN_ABORT_SAME;
            cpu.takeException(Cpu.VEC_SYNC, ec, fsc, true, va, cpu.pc);
            return ExceptionTaken.INSTANCE;
        }
        int ec = cpu.el == 0 ? ExceptionClass.DATA_ABORT_LOWER : ExceptionClass.DATA_ABORT_SAME;
        int iss = fsc | (access == WRITE || cm ? 1 << 6 : 0) | (cm ? 1 << 8 : 0);
        cpu.takeException(Cpu.VEC_SYNC, ec, iss, true, va, cpu.pc);
        return ExceptionTaken.INSTANCE;
    }

    // ---- Instructions other than loads and stores --------------------------------------------------
    /**
     * Checks that an access of the given alignment at va could be made, before
     * any translation (exclusives and acquire/release must be aligned on any
     * memory type: an Alignment fault outranks the MMU faults).
     */
    public void checkAlignment(long va, int alignment, boolean write) {
        if ((va & (alignment - 1)) != 0) throw alignmentFault(va, write ? WRITE : READ, false);
    }

    /**
     * A 128-bit SIMD&FP register access is made as two 64-bit accesses (Arm ARM
     * Mem[] for AccType_VEC) but must still be aligned to 16 where alignment is
     * checked: under SCTLR_EL1.A (AArch64.CheckAlignment) and on Device memory
     * (AArch64.MemSingle, after the translation faults). The halves catch an
     * address misaligned to 8 themselves; this catches one aligned to 8, not 16.
     */
    public void checkQuadAlignment(long va, boolean write) {
        if ((va & 15) == 0) return;
        int access = write ? WRITE : READ;
        if (strictAlignment()) throw alignmentFault(va, access, false);
        lookup(va, access, cpu.el, true, va);
    }

    /**
     * Takes the translation or permission fault an aligned access at va would
     * take now, without accessing memory (FAR = va); returns if there is none.
     * For instructions that check a whole group of accesses before making
     * any of them.
     */
    public void probe(long va, boolean write) {
        lookup(va, write ? WRITE : READ, cpu.el, false, va);
    }

    /** DC ZVA: zeroes the 64-byte block holding va; Device memory takes an Alignment fault. */
    public static final int ZVA_BYTES = 64;

    public void zeroBlock(long va) {
        long block = va & -ZVA_BYTES;
        int i = index(block, cpu.el);
        if (pageTag[i] != (block & PAGE_MASK)) fill(block, i, WRITE, cpu.el, block, false);
        if (device[i]) throw alignmentFault(block, WRITE, false);
        if ((perms[i] & PERM_W) == 0) throw abort(block, FaultStatus.PERMISSION + leafLevel[i], WRITE, false);
        long pa = physPage[i] | (block & 0xFFF);
        checkWatchpoints(block, pa, ZVA_BYTES, true, cpu.el);
        for (int b = 0; b < ZVA_BYTES; b += 8) physicalWrite(pa + b, 3, 0, block + b);
    }

    /**
     * DC CVAC, CVAU, CIVAC: no cache model, but the address is translated as a
     * read would be, and a fault is reported with CM = 1 (Arm ARM D8.11).
     * QEMU 7.2 treats these as no-ops that never fault.
     */
    public void cacheMaintenance(long va) {
        int regime = cpu.el;
        int i = index(va, regime);
        if (pageTag[i] != (va & PAGE_MASK)) fill(va, i, READ, regime, va, true);
        if ((perms[i] & PERM_R) == 0) throw abort(va, FaultStatus.PERMISSION + leafLevel[i], READ, true);
    }

    /** IC IVAU: forgets decoded code in the line holding va's physical address, if va translates. */
    public void invalidateCodeLine(long va) {
        long pa = translateQuietly(va, cpu.el, PERM_R);
        if (pa == -1) return;
        long off = pa - ram.base;
        if (Long.compareUnsigned(off, ram.size) < 0 && code.invalidateLine(off)) cpu.requestService();
    }

    /** IC IALLU(IS): forgets every decoded instruction. */
    public void invalidateAllCode() {
        code.invalidateAll();
        cpu.requestService();
    }

    /** The physical address of va for a read at regime, or -1 if it would fault (no exception, no TLB change). */
    private long translateQuietly(long va, int regime, int permission) {
        if ((cpu.sctlrEl1 & 1) == 0) {
            return addressSizeFaultWithMmuOff(va) >= 0 ? -1 : stripTag(va) & 0x0000_0FFF_FFFF_FFFFL;
        }
        if (!walker.walk(cpu.sys, va)) return -1;
        return (permissions(regime) & permission) != 0 ? walker.pa : -1;
    }

    // ---- Instruction fetch -----------------------------------------------------------------------
    /**
     * The RAM page holding the instruction at pc (4-byte aligned), translated for
     * execution at the current EL; -1 after taking the Instruction Abort.
     */
    public int fetchPage(long pc) {
        int i = index(pc, cpu.el);
        if (fetchTag[i] == (pc & PAGE_MASK)) return Ram.page(pc + addend[i]);
        try {
            int j = lookup(pc, FETCH, cpu.el, false, pc);
            if (fetchTag[j] == INVALID) throw abort(pc, FaultStatus.SYNC_EXTERNAL, FETCH, false); // not RAM
            return Ram.page(pc + addend[j]);
        } catch (ExceptionTaken taken) {
            return -1;
        }
    }

    /** Whether the instruction at pc could be fetched now (no exception taken, the TLB untouched). */
    public boolean fetchable(long pc) {
        return fetchAddress(pc) != -1;
    }

    /** The instruction word at pc if it can be fetched now, else 0 (no exception taken, the TLB untouched). */
    public int peekInstruction(long pc) {
        long pa = fetchAddress(pc);
        return pa == -1 ? 0 : ram.word(pa - ram.base);
    }

    /** The physical address of the instruction at pc if it could be fetched now (executable, in RAM), else -1. */
    private long fetchAddress(long pc) {
        long pa = translateQuietly(pc, cpu.el, PERM_X);
        return pa != -1 && ram.contains(pa, 4) ? pa : -1;
    }

    // ---- Address translation instructions ----------------------------------------------------------
    private static final long PAR_RES1 = 1L << 11, PAR_NS = 1L << 9, PAR_FAULT = 1;
    private static final int SH_OUTER = 0b10;

    /**
     * AT S1E1R/S1E1W/S1E0R/S1E0W: PAR_EL1 for va, translated with the
     * permissions of regime (0: EL0, 1: EL1) for a read or a write. AT never
     * takes the fault itself. PA[47:12], ATTR in 63:56, NS = 1 (Non-secure
     * state, as QEMU's virt) and SH as PAREncodeShareability: Device and
     * Normal Non-cacheable memory report Outer Shareable (QEMU 7.2 reports the
     * descriptor's SH, and 0b00 with the MMU off).
     */
    public long addressTranslate(long va, boolean write, int regime) {
        if ((cpu.sctlrEl1 & 1) == 0) {
            if (addressSizeFaultWithMmuOff(va) >= 0) return PAR_RES1 | PAR_FAULT;
            return (stripTag(va) & 0x0000_0FFF_FFFF_F000L) | PAR_RES1 | PAR_NS | ((long) SH_OUTER << 7);
        }
        if (!walker.walk(cpu.sys, va)) return PAR_RES1 | ((long) walker.fault << 1) | PAR_FAULT;
        int perm = permissions(regime);
        if ((perm & (write ? PERM_W : PERM_R)) == 0) {
            return PAR_RES1 | ((long) (FaultStatus.PERMISSION + walker.level) << 1) | PAR_FAULT;
        }
        int attr = walker.attr;
        boolean nonCacheable = TableWalker.isDevice(attr) || attr == 0x44;
        int sh = nonCacheable ? SH_OUTER : walker.shareability;
        return ((long) attr << 56) | (walker.pa & 0x0000_FFFF_FFFF_F000L) | PAR_RES1 | PAR_NS | ((long) sh << 7);
    }

    // ---- TLB maintenance --------------------------------------------------------------------------
    /** Forgets every cached translation (TLBI VMALLE1(IS), ASIDE1(IS), and changes to the translation registers). */
    public void flushAll() {
        Arrays.fill(readTlb, INVALID);
        Arrays.fill(writeTlb, INVALID);
        Arrays.fill(fetchTag, INVALID);
        Arrays.fill(pageTag, INVALID);
        largeBase = -1;
        largeMask = 0;
        cpu.requestService();
    }

    /**
     * TLBI VAE1, VAAE1, VALE1, VAALE1 (and IS): Xt[43:0] holds VA[55:12]. The
     * entry for that page is dropped in both regimes whatever its ASID (more
     * than required, which is allowed); if the page lies in a cached block
     * larger than 4 KiB, everything is.
     */
    public void flushPage(long xt) {
        long va = (xt << 20) >> 8; // VA[55:12], sign-extended from bit 55
        if (largeBase != -1 && (va & largeMask) == largeBase) {
            flushAll();
            return;
        }
        for (int regime = 0; regime < 2; regime++) {
            int i = index(va, regime);
            readTlb[2 * i] = writeTlb[2 * i] = fetchTag[i] = pageTag[i] = INVALID;
        }
        cpu.requestService();
    }
}
