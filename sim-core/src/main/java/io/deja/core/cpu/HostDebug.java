package io.deja.core.cpu;

import java.util.Arrays;

/**
 * Breakpoints and watchpoints set by a debugger on the host (the gdb stub),
 * apart from the guest's own debug architecture ({@link SelfHostedDebug}):
 * the guest cannot see them, and they change nothing it can observe. A hit
 * stops the run before the instruction executes (a breakpoint at its PC, a
 * watchpoint before its access, as gdb expects of AArch64, whose watchpoints
 * it steps over itself), and the vCPU returns a cancelled exit; {@link #stop()}
 * says why. Not state: snapshots and checkpoint hashes do not include it.
 *
 * A stop is never reported twice at the same place: resuming at the
 * instruction that stopped executes it (see {@link #resumeAt}).
 *
 * A watchpoint is set on virtual addresses, as gdb's are; given the physical
 * address they mapped to when it was set, it also stops accesses to those
 * bytes through any other virtual address (an alias), reporting the watched
 * virtual address of the byte touched.
 */
public final class HostDebug {
    /** What stopped the run: nothing, a breakpoint, or a watchpoint of the given access kind. */
    public static final int STOP_NONE = 0, STOP_BREAKPOINT = 1, STOP_WATCH_WRITE = 2, STOP_WATCH_READ = 3, STOP_WATCH_ACCESS = 4;
    /** Watchpoint kinds, as bits: which accesses it catches. */
    public static final int WATCH_WRITE = 1, WATCH_READ = 2, WATCH_ACCESS = WATCH_READ | WATCH_WRITE;

    private final Cpu cpu;
    /** Any breakpoint set: the run loop looks at every instruction boundary. */
    public boolean breakpointsArmed;
    /** Any watchpoint set: the MMU sends accesses to watched pages down its slow path. */
    public boolean watchpointsArmed;

    private long[] breakpoints = new long[8];
    private int breakpointCount;
    private long[] watchStart = new long[8], watchLength = new long[8];
    /** The physical address watchStart mapped to when it was set, or -1; it covers the bytes up to the end of that page. */
    private long[] watchPhys = new long[8];
    private int[] watchKind = new int[8];
    private int watchCount;

    /** The instruction (retired count and PC) at which the run last resumed: its breakpoint (and watchpoints, if so asked) do not stop it. */
    private long resumedAt = -1, resumedPc;
    private boolean skipWatchAtResume;
    private int stop = STOP_NONE;
    private long stopAddress;

    HostDebug(Cpu cpu) {
        this.cpu = cpu;
    }

    // ---- Setting them (between runs) ------------------------------------------------------------
    /** Adds a breakpoint at virtual address pc; false if there is one already. */
    public boolean addBreakpoint(long pc) {
        for (int i = 0; i < breakpointCount; i++) if (breakpoints[i] == pc) return false;
        if (breakpointCount == breakpoints.length) breakpoints = Arrays.copyOf(breakpoints, 2 * breakpointCount);
        breakpoints[breakpointCount++] = pc;
        breakpointsArmed = true;
        cpu.requestService();
        return true;
    }

    /** Removes the breakpoint at pc; false if there was none. */
    public boolean removeBreakpoint(long pc) {
        for (int i = 0; i < breakpointCount; i++) {
            if (breakpoints[i] == pc) {
                breakpoints[i] = breakpoints[--breakpointCount];
                breakpointsArmed = breakpointCount > 0;
                return true;
            }
        }
        return false;
    }

    /** Adds a watchpoint on the length bytes at virtual address start; false if the same one is set already. */
    public boolean addWatchpoint(long start, long length, int kind) {
        return addWatchpoint(start, length, kind, -1);
    }

    /**
     * As {@link #addWatchpoint(long, long, int)}, also watching the bytes from
     * physical address phys (what start maps to now; -1: none) to the end of
     * its page, whatever virtual address reaches them.
     */
    public boolean addWatchpoint(long start, long length, int kind, long phys) {
        if (length <= 0 || (kind & WATCH_ACCESS) == 0 || (kind & ~WATCH_ACCESS) != 0) {
            throw new IllegalArgumentException("watchpoint of " + length + " bytes, kind " + kind);
        }
        if (findWatch(start, length, kind) >= 0) return false;
        if (watchCount == watchStart.length) {
            watchStart = Arrays.copyOf(watchStart, 2 * watchCount);
            watchLength = Arrays.copyOf(watchLength, 2 * watchCount);
            watchKind = Arrays.copyOf(watchKind, 2 * watchCount);
            watchPhys = Arrays.copyOf(watchPhys, 2 * watchCount);
        }
        watchPhys[watchCount] = phys;
        watchStart[watchCount] = start;
        watchLength[watchCount] = length;
        watchKind[watchCount] = kind;
        watchCount++;
        watchpointsArmed = true;
        cpu.mmu.hostWatchpointsChanged();
        return true;
    }

    /** Removes a watchpoint added with the same arguments; false if there was none. */
    public boolean removeWatchpoint(long start, long length, int kind) {
        int i = findWatch(start, length, kind);
        if (i < 0) return false;
        watchCount--;
        watchStart[i] = watchStart[watchCount];
        watchLength[i] = watchLength[watchCount];
        watchKind[i] = watchKind[watchCount];
        watchPhys[i] = watchPhys[watchCount];
        watchpointsArmed = watchCount > 0;
        cpu.mmu.hostWatchpointsChanged();
        return true;
    }

    /** Removes every breakpoint and watchpoint (a debugger detached). */
    public void clear() {
        breakpointCount = 0;
        breakpointsArmed = false;
        if (watchCount > 0) {
            watchCount = 0;
            watchpointsArmed = false;
            cpu.mmu.hostWatchpointsChanged();
        }
        stop = STOP_NONE;
    }

    private int findWatch(long start, long length, int kind) {
        for (int i = 0; i < watchCount; i++) {
            if (watchStart[i] == start && watchLength[i] == length && watchKind[i] == kind) return i;
        }
        return -1;
    }

    // ---- Running -----------------------------------------------------------------------------------
    /**
     * Call before every run: the instruction about to execute does not stop
     * for a breakpoint at its PC or a watchpoint on its accesses (the debugger
     * is stepping over the stop it was shown). Clears the last stop.
     */
    public void resumeAt(long instructions, long pc) {
        resumeAt(instructions, pc, true);
    }

    /**
     * As {@link #resumeAt(long, long)}; the instruction's watchpoints are
     * skipped only if skipWatchpoints (the debugger steps over a watchpoint
     * stop it was shown): otherwise stepping or continuing from a breakpoint
     * stops before an access the instruction makes to watched bytes.
     */
    public void resumeAt(long instructions, long pc, boolean skipWatchpoints) {
        resumedAt = instructions;
        resumedPc = pc;
        skipWatchAtResume = skipWatchpoints;
        stop = STOP_NONE;
    }

    /** Why the last run stopped for the debugger (STOP_*), or STOP_NONE. */
    public int stop() {
        return stop;
    }

    /** The watched address that the stopping access touched (its first byte inside the watchpoint). */
    public long stopAddress() {
        return stopAddress;
    }

    /** At an instruction boundary: whether a breakpoint stops the run here (and records the stop). */
    public boolean breakpointHit(long pc, long instructions) {
        if (instructions == resumedAt && pc == resumedPc) return false;
        for (int i = 0; i < breakpointCount; i++) {
            if (breakpoints[i] == pc) {
                stop = STOP_BREAKPOINT;
                stopAddress = pc;
                return true;
            }
        }
        return false;
    }

    /** Whether any watchpoint covers a byte of the 4 KiB virtual page starting at vaPage, or of the physical page paPage. */
    public boolean watchesPage(long vaPage, long paPage) {
        for (int i = 0; i < watchCount; i++) {
            if (overlaps(watchStart[i], watchLength[i], vaPage, 4096)) return true;
            if (watchPhys[i] != -1 && (watchPhys[i] & ~0xFFFL) == paPage) return true;
        }
        return false;
    }

    /** The bytes from watch i's physical address that it watches: its length, up to the end of that page. */
    private long physLength(int i) {
        return Math.min(watchLength[i], 4096 - (watchPhys[i] & 0xFFF));
    }

    /**
     * Before a data access of size bytes at va by the executing instruction:
     * whether a watchpoint stops the run (and records the stop). The caller
     * then abandons the instruction before it changes anything.
     */
    public boolean watchHit(long va, long pa, int size, boolean write) {
        if (skipWatchAtResume && cpu.executingInstruction() == resumedAt && cpu.pc == resumedPc) return false;
        int need = write ? WATCH_WRITE : WATCH_READ;
        // The physical part checked is the access's bytes in its first page (the rest of a page-crossing access by address).
        long paSize = Math.min(size, 4096 - (pa & 0xFFF));
        for (int i = 0; i < watchCount; i++) {
            if ((watchKind[i] & need) == 0) continue;
            long at;
            if (overlaps(watchStart[i], watchLength[i], va, size)) {
                at = Long.compareUnsigned(va, watchStart[i]) > 0 ? va : watchStart[i];
            } else if (watchPhys[i] != -1 && pa != -1 && overlaps(watchPhys[i], physLength(i), pa, paSize)) {
                // Through an alias: gdb is told the watched virtual address of the first byte touched.
                at = watchStart[i] + (Long.compareUnsigned(pa, watchPhys[i]) > 0 ? pa - watchPhys[i] : 0);
            } else {
                continue;
            }
            stop = watchKind[i] == WATCH_ACCESS ? STOP_WATCH_ACCESS : write ? STOP_WATCH_WRITE : STOP_WATCH_READ;
            stopAddress = at;
            return true;
        }
        return false;
    }

    private static boolean overlaps(long aStart, long aLength, long bStart, long bLength) {
        // Unsigned offsets: correct for ranges that end at the top of the address space.
        return Long.compareUnsigned(bStart - aStart, aLength) < 0 || Long.compareUnsigned(aStart - bStart, bLength) < 0;
    }
}
