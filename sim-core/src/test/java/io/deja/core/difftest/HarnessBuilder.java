package io.deja.core.difftest;

import io.deja.core.difftest.InstructionGenerator.Unit;
import io.deja.core.testing.GuestAssembler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the flat binary both emulators run, linked at 0x4008_0000 (where
 * QEMU's virt board loads a raw -kernel image and jumps after its boot stub):
 *
 * <pre>
 *   LOAD      prologue: VBAR_EL1 = VECTORS; SP_EL1 = SP_EL0 = initial SP; MAIR_EL1, TCR_EL1 and
 *             TTBR0_EL1 from REGS; SCTLR_EL1 |= its RES1 bits and, if the setup asks, A and M;
 *             V0-V31 and FPCR from REGS (FP enabled for that), FPSR = 0, then CPACR_EL1 from REGS
 *             (FPEN 0b11, or 0 in a few blocks: FP instructions trap there);
 *             X0-X30 from REGS; ERET to BLOCK with the SPSR from REGS (NZCV, and EL1h, EL1t or EL0t)
 *   VECTORS   16 identical handlers: X26 = ESR_EL1, X27 = FAR_EL1 (compared at that step, then
 *             reused); SVC #0xFFFF powers off, other SVCs return
 *             (ELR is already the next instruction), anything else returns to the word after
 *             ELR (aligned down: PC alignment faults come back too) with SPSR.IL cleared
 *             (after an illegal exception return the block goes on)
 *   EPILOGUE  X28 = SCRATCH; LDP X0, X1, [X28], #16 over the scratch area (so the per-step
 *             register comparison compares memory); SVC #0xFFFF
 *   POWEROFF  (EL1) PSCI SYSTEM_OFF over HVC
 *   REGS      initial X0-X30, SP, SPSR (seeded random), SCTLR_EL1 bits to set, MAIR, TCR, TTBR0,
 *             CPACR_EL1, FPCR; at +0x200 V0-V31 (seeded special and random FP values)
 *   SCRATCH   the area every generated load and store accesses (seeded random bytes)
 *   BLOCK     generated units, then B EPILOGUE
 *   TABLES    (MMU blocks only) the translation tables, from the first 4 KiB boundary after the block
 * </pre>
 * In MMU blocks the tables map the harness's own pages with their identity
 * addresses, Normal write-back memory, 4K granule: every page of the image
 * read-only and executable at EL0 and EL1, SCRATCH read-write at both and
 * never executable; everything else is unmapped.
 * The handlers use only X26 and X27 (and NZCV, which ERET restores); the
 * generator never writes X26-X28 and never uses SVC #0xFFFF.
 */
final class HarnessBuilder {
    static final long LOAD = 0x4008_0000L;
    static final long VECTORS = LOAD + 0x800;
    static final long EPILOGUE = LOAD + 0x1000;
    static final long REGS = LOAD + 0x2000;
    static final long SCRATCH = LOAD + 0x3000;
    static final int SCRATCH_SIZE = 0x1000;
    static final long BLOCK = LOAD + 0x4000;
    /** Where in REGS the initial V0-V31 are, 16 bytes each (low half first). */
    static final int V_OFFSET = 0x200;
    /** CPACR_EL1.FPEN = 0b11: FP/SIMD instructions do not trap at EL0 or EL1. */
    static final long CPACR_FPEN = 3L << 20;
    /** The FPCR bits a Cortex-A57 implements in AArch64: AHP, DN, FZ, RMode (26:22). */
    static final long FPCR_BITS = 0x07C0_0000L;
    /** SCTLR_EL1.A: alignment checking for every data access. SCTLR_EL1.M: the stage-1 MMU. */
    static final long SCTLR_A = 1L << 1, SCTLR_M = 1;
    /** MAIR_EL1 of MMU blocks: attribute 0 Device-nGnRnE, attribute 1 Normal write-back. */
    static final long MMU_MAIR = 0xFF00;
    /** TCR_EL1 of MMU blocks: T0SZ 25 (39-bit VAs, walks from level 1), write-back walks, Inner Shareable, TG0 4K, EPD1, IPS 44 bits. */
    static final long MMU_TCR = 25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (4L << 32);
    /** Leaf descriptor bits: page, AttrIndx 1, Inner Shareable, AF; AP = 11 (read-only at EL0 and EL1) or 01 (read-write) with UXN. */
    private static final long PAGE_RO = 0x3 | (1 << 2) | (3 << 8) | (1 << 10) | (3 << 6);
    private static final long PAGE_RW_XN = 0x3 | (1 << 2) | (3 << 8) | (1 << 10) | (1 << 6) | (1L << 54);
    /**
     * The bits of SCTLR_EL1 that are RES1 in ARMv8.0 (29, 28, 23, 22, 20, 11).
     * Software must write them as ones, as Linux does; the reset value of a
     * Cortex-A57 (0x00C5_0838) has 29, 28 and 20 clear, so the prologue sets them.
     */
    static final long SCTLR_RES1 = (1L << 29) | (1L << 28) | (1L << 23) | (1L << 22) | (1L << 20) | (1L << 11);
    /** The SVC immediate that ends a run. */
    static final int POWER_OFF_SVC = 0xFFFF;

    /** The exception level and stack pointer a block runs with. */
    enum Mode {
        EL1H(0x3C5), EL1T(0x3C4), EL0T(0x3C0);

        /** SPSR_EL1 bits 9:0 for the ERET into the block (DAIF masked, M[3:0]). */
        final int spsr;

        Mode(int spsr) { this.spsr = spsr; }

        static Mode random(SplittableRandom rnd) {
            int r = rnd.nextInt(20);
            return r < 10 ? EL1H : r < 17 ? EL0T : EL1T;
        }
    }

    /**
     * How a block runs: its starting mode, whether the prologue sets
     * SCTLR_EL1.A, and whether it turns the MMU on. With A set QEMU checks
     * alignment too, so the generator may emit unaligned accesses and both
     * must take the same Alignment fault; with the MMU on memory is Normal, so
     * unaligned and page-crossing accesses and DC ZVA are generated too.
     */
    record Setup(Mode mode, boolean strictAlignment, boolean mmu) {
        Setup(Mode mode, boolean strictAlignment) {
            this(mode, strictAlignment, false);
        }

        static Setup random(SplittableRandom rnd) {
            return new Setup(Mode.random(rnd), rnd.nextInt(4) == 0, rnd.nextInt(3) == 0);
        }

        String label() {
            return mode.name().toLowerCase() + (strictAlignment ? "-align" : "") + (mmu ? "-mmu" : "");
        }
    }

    private static final String FIXED = """
              ldr x0, =0x%1$x
              msr vbar_el1, x0
              isb
              ldr x30, =0x%4$x
              ldr x0, [x30, #248]
              mov sp, x0
              msr sp_el0, x0
              ldr x0, [x30, #256]
              msr spsr_el1, x0
              ldr x0, [x30, #272]
              msr mair_el1, x0
              ldr x0, [x30, #280]
              msr tcr_el1, x0
              ldr x0, [x30, #288]
              msr ttbr0_el1, x0
              isb
              mrs x0, sctlr_el1
              ldr x1, [x30, #264]
              orr x0, x0, x1
              msr sctlr_el1, x0
              isb
              mov x0, #(3 << 20)
              msr cpacr_el1, x0
              isb
              add x29, x30, #0x%8$x
              .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
              ldp x0, x1, [x29, #(16 * \\n)]
              fmov d\\n, x0
              fmov v\\n\\().d[1], x1
              .endr
              ldr x0, [x30, #304]
              msr fpcr, x0
              msr fpsr, xzr
              ldr x0, [x30, #296]
              msr cpacr_el1, x0
              isb
              ldr x0, =block
              msr elr_el1, x0
              ldp x0, x1, [x30, #0]
              ldp x2, x3, [x30, #16]
              ldp x4, x5, [x30, #32]
              ldp x6, x7, [x30, #48]
              ldp x8, x9, [x30, #64]
              ldp x10, x11, [x30, #80]
              ldp x12, x13, [x30, #96]
              ldp x14, x15, [x30, #112]
              ldp x16, x17, [x30, #128]
              ldp x18, x19, [x30, #144]
              ldp x20, x21, [x30, #160]
              ldp x22, x23, [x30, #176]
              ldp x24, x25, [x30, #192]
              ldp x26, x27, [x30, #208]
              ldp x28, x29, [x30, #224]
              ldr x30, [x30, #240]
              eret
              .ltorg
              .org 0x800
            vectors:
              .rept 16
              mrs x26, esr_el1
              mrs x27, far_el1
              lsr x27, x26, #26
              cmp x27, #0x15
              b.ne 2f
              movz x27, #0x%7$x
              movk x27, #0x5600, lsl #16
              cmp x26, x27
              b.eq poweroff
              eret
            2: mrs x27, elr_el1
              and x27, x27, #~3
              add x27, x27, #4
              msr elr_el1, x27
              mrs x27, spsr_el1
              bic x27, x27, #(1 << 20)
              msr spsr_el1, x27
              eret
              .balign 128
              .endr
              .org 0x1000
            epilogue:
              movz x28, #0x%2$x
              movk x28, #0x%3$x, lsl #16
              .rept %5$d
              ldp x0, x1, [x28], #16
              .endr
              svc #0x%7$x
            poweroff:
              movz x0, #0x0008
              movk x0, #0x8400, lsl #16
              hvc #0
              .org 0x%6$x
            block:
            """.formatted(VECTORS, SCRATCH & 0xFFFF, SCRATCH >>> 16, REGS, SCRATCH_SIZE / 16, BLOCK - LOAD, POWER_OFF_SVC, V_OFFSET);

    /** The prologue, vectors and epilogue, assembled once. */
    static byte[] fixedPart() {
        byte[] fixed = GuestAssembler.assemble(FIXED, LOAD);
        if (fixed.length > REGS - LOAD && !zeroFrom(fixed, (int) (REGS - LOAD))) {
            throw new IllegalStateException("harness code overlaps its data");
        }
        return fixed;
    }

    private static boolean zeroFrom(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] != 0) return false;
        return true;
    }

    /** A laid-out harness: the image, its units at their addresses, and the initial register values. */
    record Harness(byte[] image, List<Unit> units, long blockEnd, Setup setup, long[] initialRegs, long initialSp, long initialSpsr) {
        /** Index of the unit containing address, or -1. */
        int unitAt(long address) {
            if (address < BLOCK || address >= blockEnd) return -1;
            int lo = 0, hi = units.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (units.get(mid).address <= address) lo = mid; else hi = mid - 1;
            }
            return lo;
        }

        int word(long address) {
            long off = address - LOAD;
            if (off < 0 || off + 4 > image.length) return 0;
            return ByteBuffer.wrap(image, (int) off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        static boolean inVectors(long pc) {
            return pc >= VECTORS && pc < VECTORS + 0x800;
        }

        static boolean inEpilogue(long pc) {
            return pc >= EPILOGUE && pc < REGS;
        }
    }

    /** Lays the units out at BLOCK, resolves branch and literal fields, and fills registers and scratch from rnd. */
    static Harness build(List<Unit> units, SplittableRandom rnd) {
        return build(units, rnd, new Setup(Mode.random(rnd), false));
    }

    static Harness build(List<Unit> units, SplittableRandom rnd, Setup setup) {
        Mode mode = setup.mode();
        long address = BLOCK;
        for (Unit u : units) {
            u.address = address;
            address += 4L * u.words.length;
        }
        long blockEnd = address;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            int targetIndex = Math.min(i + 1 + u.skip, units.size());
            long target = targetIndex == units.size() ? blockEnd : units.get(targetIndex).address;
            long at = u.mainAddress();
            int main = u.main();
            switch (u.patch) {
                case IMM26 -> u.words[u.mainIndex] = Enc.patchImm26(main, at, target);
                case IMM19 -> u.words[u.mainIndex] = Enc.patchImm19(main, at, target);
                case IMM14 -> u.words[u.mainIndex] = Enc.patchImm14(main, at, target);
                case ADR -> u.words[0] = Enc.patchAdr(u.words[0], u.address, target);
                case ADR_OWN_NOP -> u.words[0] = Enc.patchAdr(u.words[0], u.address, u.address + 4L * (u.words.length - 1) + u.skip);
                case LITERAL -> u.words[u.mainIndex] = Enc.patchImm19(main, at, u.literalTarget);
                case REWRITE -> {
                    // Rewrites the instruction of a later unit; with none left, a harmless word of scratch.
                    int victim = i + u.skip;
                    long where = HarnessBuilder.SCRATCH + 0x800;
                    if (victim < units.size()) {
                        Unit v = units.get(victim);
                        where = v.mainAddress();
                        v.rewritten = true;
                        v.rewrittenTo = u.replacement;
                    }
                    u.words[0] = Enc.patchAdr(u.words[0], u.address, where);
                }
                case NONE -> { }
            }
        }
        byte[] fixed = fixedPart();
        long tables = (blockEnd + 4 + 0xFFF) & ~0xFFFL;
        long imageEnd = setup.mmu() ? tables + 3 * 0x1000 : blockEnd + 4;
        ByteBuffer image = ByteBuffer.allocate((int) (imageEnd - LOAD)).order(ByteOrder.LITTLE_ENDIAN);
        image.put(0, fixed, 0, (int) Math.min(fixed.length, REGS - LOAD));

        long[] regs = new long[31];
        for (int r = 0; r < 31; r++) regs[r] = interestingValue(rnd);
        regs[InstructionGenerator.SCRATCH_REG] = SCRATCH;
        long sp = interestingValue(rnd);
        long spsr = ((long) rnd.nextInt(16) << 28) | mode.spsr;
        for (int r = 0; r < 31; r++) image.putLong((int) (REGS - LOAD) + 8 * r, regs[r]);
        image.putLong((int) (REGS - LOAD) + 248, sp);
        image.putLong((int) (REGS - LOAD) + 256, spsr);
        image.putLong((int) (REGS - LOAD) + 264, SCTLR_RES1 | (setup.strictAlignment() ? SCTLR_A : 0) | (setup.mmu() ? SCTLR_M : 0));
        if (setup.mmu()) {
            image.putLong((int) (REGS - LOAD) + 272, MMU_MAIR);
            image.putLong((int) (REGS - LOAD) + 280, MMU_TCR);
            image.putLong((int) (REGS - LOAD) + 288, tables);
            identityMap(image, tables, imageEnd);
        }

        long cpacr = rnd.nextInt(8) == 0 ? 0 : CPACR_FPEN;
        long fpcr = ((long) rnd.nextInt(32) << 22) & FPCR_BITS;
        image.putLong((int) (REGS - LOAD) + 296, cpacr);
        image.putLong((int) (REGS - LOAD) + 304, fpcr);
        for (int i = 0; i < 64; i++) image.putLong((int) (REGS - LOAD) + V_OFFSET + 8 * i, FpValues.half(rnd));

        for (int i = 0; i < SCRATCH_SIZE; i += 8) image.putLong((int) (SCRATCH - LOAD) + i, interestingValue(rnd));

        for (Unit u : units) {
            for (int k = 0; k < u.words.length; k++) image.putInt((int) (u.address - LOAD) + 4 * k, u.words[k]);
        }
        image.putInt((int) (blockEnd - LOAD), Enc.b(blockEnd, EPILOGUE));
        return new Harness(image.array(), List.copyOf(units), blockEnd, setup, regs, sp, spsr);
    }

    /**
     * Three tables at tables: level 1 (its entry for [1G, 2G) points at the
     * level 2 table), level 2 (its first entry, [1G, 1G + 2M), at the level 3
     * table), level 3 (a page descriptor for every page of the image).
     */
    private static void identityMap(ByteBuffer image, long tables, long imageEnd) {
        long l2 = tables + 0x1000, l3 = tables + 0x2000;
        image.putLong((int) (tables - LOAD) + 8, l2 | 3);
        image.putLong((int) (l2 - LOAD), l3 | 3);
        for (long page = LOAD; page < imageEnd; page += 0x1000) {
            long bits = page == SCRATCH ? PAGE_RW_XN : PAGE_RO;
            image.putLong((int) (l3 - LOAD) + 8 * (int) ((page - 0x4000_0000L) >>> 12), page | bits);
        }
    }

    /** Operand values that exercise carries, overflows, sign and zero extension, and shifts. */
    static long interestingValue(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> 0;
            case 1 -> rnd.nextInt(16);
            case 2 -> -1L - rnd.nextInt(4);
            case 3 -> 0x7FFF_FFFFL + rnd.nextInt(3) - 1;
            case 4 -> 0xFFFF_FFFFL - rnd.nextInt(2);
            case 5 -> Long.MAX_VALUE - rnd.nextInt(2);
            case 6 -> Long.MIN_VALUE + rnd.nextInt(2);
            case 7 -> rnd.nextInt() & 0xFFFF_FFFFL;
            case 8 -> (long) rnd.nextInt();
            case 9 -> 1L << rnd.nextInt(64);
            default -> rnd.nextLong();
        };
    }
}
