package io.deja.core.isa;

import io.deja.core.cpu.Cpu;

/**
 * Advanced SIMD structure loads and stores (Arm ARM C4.1.88, "Advanced SIMD
 * load/store multiple structures" and "single structure", with and without
 * post-index): LD1-LD4 and ST1-ST4 of whole registers (LD1/ST1 with one to
 * four registers), of one lane, and LD1R-LD4R. Register numbers wrap from
 * V31 to V0. Post-index by Rm = 31 adds the number of bytes transferred,
 * otherwise X[m].
 *
 * Every element is its own access of the element size (Mem[] with
 * AccType_VEC), so alignment (SCTLR_EL1.A, Device memory) is checked per
 * element, as in the pseudocode. QEMU 7.2 merges consecutive elements of
 * LD1/ST1 into 64-bit accesses but keeps the element alignment, which gives
 * the same faults on RAM.
 *
 * Loads gather every element into {@code c.simdScratch} before writing any
 * register: a fault part way (a page crossing into memory that faults) leaves
 * the registers and the base as they were. The Arm ARM makes the destination
 * registers UNKNOWN then, so this is one of its choices; QEMU 7.2 writes
 * each element into its register as it goes, so its registers would differ
 * after such a fault (the differential generator never produces one: its
 * page-crossing accesses cross into readable memory). Stores write element by
 * element, so memory before the faulting element is written, as in QEMU.
 */
public final class SimdStructures {
    private SimdStructures() {}

    private static final int POST_IMMEDIATE = 31;

    // ---- Multiple structures ----------------------------------------------------------------

    /** LD1-LD4 (multiple structures), no offset */
    public static void ldMulti(Cpu c, int q, int opcode, int size, int rn, int rt) { multi(c, true, q, opcode, size, rn, rt, false, 0); }
    /** ST1-ST4 (multiple structures), no offset */
    public static void stMulti(Cpu c, int q, int opcode, int size, int rn, int rt) { multi(c, false, q, opcode, size, rn, rt, false, 0); }
    /** LD1-LD4 (multiple structures), post-index */
    public static void ldMultiPost(Cpu c, int q, int rm, int opcode, int size, int rn, int rt) { multi(c, true, q, opcode, size, rn, rt, true, rm); }
    /** ST1-ST4 (multiple structures), post-index */
    public static void stMultiPost(Cpu c, int q, int rm, int opcode, int size, int rn, int rt) { multi(c, false, q, opcode, size, rn, rt, true, rm); }

    /**
     * opcode: 0000 LD4 (one pass, 4 interleaved registers), 0010 LD1 x4, 0100
     * LD3, 0110 LD1 x3, 0111 LD1 x1, 1000 LD2, 1010 LD1 x2; others unallocated.
     * The .1D arrangement (size 11, Q = 0) is only allowed for LD1/ST1.
     */
    private static void multi(Cpu c, boolean load, int q, int opcode, int size, int rn, int rt, boolean post, int rm) {
        int rpt, selem;
        switch (opcode) {
            case 0b0000 -> { rpt = 1; selem = 4; }
            case 0b0010 -> { rpt = 4; selem = 1; }
            case 0b0100 -> { rpt = 1; selem = 3; }
            case 0b0110 -> { rpt = 3; selem = 1; }
            case 0b0111 -> { rpt = 1; selem = 1; }
            case 0b1000 -> { rpt = 1; selem = 2; }
            case 0b1010 -> { rpt = 2; selem = 1; }
            default -> {
                c.undefined();
                return;
            }
        }
        if (size == 3 && q == 0 && selem != 1) {
            c.undefined();
            return;
        }
        if (!FpScalar.fpEnabled(c)) return;
        long address = LoadStore.base(c, rn);
        int ebytes = 1 << size;
        int elements = (8 << q) >>> size;
        int per = VectorLanes.perHalf(size);
        int regs = rpt * selem;
        long offs = 0;
        if (load) {
            long[] buf = c.simdScratch;
            for (int k = 0; k < 2 * regs; k++) buf[k] = 0;
            // rpt > 1 only with selem == 1, so register r + s of the list holds element e.
            for (int r = 0; r < rpt; r++) {
                for (int e = 0; e < elements; e++) {
                    int half = e >= per ? 1 : 0;
                    for (int s = 0; s < selem; s++) {
                        int k = 2 * (r + s) + half;
                        buf[k] = VectorLanes.withField(buf[k], e - half * per, size, c.mmu.read(address + offs, size));
                        offs += ebytes;
                    }
                }
            }
            for (int k = 0; k < regs; k++) {
                int t = (rt + k) & 31;
                c.v[2 * t] = buf[2 * k];
                c.v[2 * t + 1] = buf[2 * k + 1];
            }
        } else {
            for (int r = 0; r < rpt; r++) {
                for (int e = 0; e < elements; e++) {
                    // ST1 (selem 1): see probeChunk.
                    if (selem == 1 && size < 3 && (offs & 7) == 0) probeChunk(c, address + offs, size);
                    for (int s = 0; s < selem; s++) {
                        c.mmu.write(address + offs, size, VectorLanes.get(c, (rt + r + s) & 31, e, size));
                        offs += ebytes;
                    }
                }
            }
        }
        if (post) c.setXOrSp(rn, address + (rm == POST_IMMEDIATE ? offs : c.x[rm]));
        c.pc += 4;
    }

    /**
     * ST1 of bytes, halfwords or words stores each 8 bytes from the base as one
     * group: if a group crosses into a page that faults, none of its elements
     * is written. The Arm ARM leaves the memory an aborted store was to write
     * UNKNOWN, so writing the elements before the page boundary would be
     * allowed too; this is the choice QEMU 7.2 makes (it merges the elements
     * of one register into 64-bit accesses, checking the element alignment),
     * so that memory after such a fault is the same in both.
     */
    private static void probeChunk(Cpu c, long chunk, int size) {
        if ((chunk & 0xFFF) <= 0xFF8) return;
        // The group's first element is checked for alignment first, as QEMU's 64-bit access is.
        if ((c.sctlrEl1 & 2) != 0) c.mmu.checkAlignment(chunk, 1 << size, true);
        c.mmu.probe((chunk | 0xFFF) + 1, true);
    }

    // ---- Single structure (one lane) ----------------------------------------------------------

    /** LD1-LD4 (single structure), no offset */
    public static void ldSingle(Cpu c, int q, int r, int opcode, int s, int size, int rn, int rt) { single(c, true, q, r, opcode, s, size, rn, rt, false, 0); }
    /** ST1-ST4 (single structure), no offset */
    public static void stSingle(Cpu c, int q, int r, int opcode, int s, int size, int rn, int rt) { single(c, false, q, r, opcode, s, size, rn, rt, false, 0); }
    /** LD1-LD4 (single structure), post-index */
    public static void ldSinglePost(Cpu c, int q, int r, int rm, int opcode, int s, int size, int rn, int rt) { single(c, true, q, r, opcode, s, size, rn, rt, true, rm); }
    /** ST1-ST4 (single structure), post-index */
    public static void stSinglePost(Cpu c, int q, int r, int rm, int opcode, int s, int size, int rn, int rt) { single(c, false, q, r, opcode, s, size, rn, rt, true, rm); }

    /**
     * opcode<2:1> is the element size class (00 B, 01 H, 10 S or D; 11 is
     * replicate, which only the LD_repl rows allocate: S = 1 or a store is
     * unallocated), opcode<0>:R + 1 the number of registers. The lane index is
     * Q:S:size, with the bits size uses as part of the element size dropped.
     * A lane load leaves every other bit of the register, above 64 too.
     */
    private static void single(Cpu c, boolean load, int q, int r, int opcode, int s, int size, int rn, int rt, boolean post, int rm) {
        int scale = opcode >>> 1;
        int selem = (((opcode & 1) << 1) | r) + 1;
        int index;
        switch (scale) {
            case 0 -> index = (q << 3) | (s << 2) | size;
            case 1 -> {
                if ((size & 1) != 0) {
                    c.undefined();
                    return;
                }
                index = (q << 2) | (s << 1) | (size >>> 1);
            }
            case 2 -> {
                if ((size & 2) != 0) {
                    c.undefined();
                    return;
                }
                if ((size & 1) == 0) {
                    index = (q << 1) | s;
                } else {
                    if (s != 0) {
                        c.undefined();
                        return;
                    }
                    index = q;
                    scale = 3;
                }
            }
            default -> {
                c.undefined();
                return;
            }
        }
        if (!FpScalar.fpEnabled(c)) return;
        long address = LoadStore.base(c, rn);
        int ebytes = 1 << scale;
        long offs = 0;
        if (load) {
            long[] buf = c.simdScratch;
            for (int k = 0; k < selem; k++) {
                buf[k] = c.mmu.read(address + offs, scale);
                offs += ebytes;
            }
            for (int k = 0; k < selem; k++) VectorLanes.set(c, (rt + k) & 31, index, scale, buf[k]);
        } else {
            for (int k = 0; k < selem; k++) {
                c.mmu.write(address + offs, scale, VectorLanes.get(c, (rt + k) & 31, index, scale));
                offs += ebytes;
            }
        }
        if (post) c.setXOrSp(rn, address + (rm == POST_IMMEDIATE ? offs : c.x[rm]));
        c.pc += 4;
    }

    // ---- Load and replicate ---------------------------------------------------------------------

    /** LD1R-LD4R, no offset */
    public static void ldRepl(Cpu c, int q, int r, int o, int size, int rn, int rt) { replicate(c, q, r, o, size, rn, rt, false, 0); }
    /** LD1R-LD4R, post-index */
    public static void ldReplPost(Cpu c, int q, int r, int rm, int o, int size, int rn, int rt) { replicate(c, q, r, o, size, rn, rt, true, rm); }

    /** One element per register (o:R + 1 registers) copied to every lane; Q = 0 clears bits 127:64. */
    private static void replicate(Cpu c, int q, int r, int o, int size, int rn, int rt, boolean post, int rm) {
        int selem = ((o << 1) | r) + 1;
        if (!FpScalar.fpEnabled(c)) return;
        long address = LoadStore.base(c, rn);
        int ebytes = 1 << size;
        long[] buf = c.simdScratch;
        long offs = 0;
        for (int k = 0; k < selem; k++) {
            buf[k] = c.mmu.read(address + offs, size);
            offs += ebytes;
        }
        for (int k = 0; k < selem; k++) {
            long half = buf[k] * replicator(size);
            int t = (rt + k) & 31;
            c.v[2 * t] = half;
            c.v[2 * t + 1] = q != 0 ? half : 0;
        }
        if (post) c.setXOrSp(rn, address + (rm == POST_IMMEDIATE ? offs : c.x[rm]));
        c.pc += 4;
    }

    /** Multiplying a zero-extended element by this copies it to every lane of a 64-bit half. */
    private static long replicator(int size) {
        return switch (size) {
            case 0 -> 0x0101_0101_0101_0101L;
            case 1 -> 0x0001_0001_0001_0001L;
            case 2 -> 0x0000_0001_0000_0001L;
            default -> 1L;
        };
    }
}
