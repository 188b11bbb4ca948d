package io.deja.core.difftest;

import io.deja.core.decode.A64Decoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random valid instructions drawn from the decoder's own table (a64.decode),
 * each with the fix-ups that make it safe to run in both emulators.
 *
 * <p>Variable bits are filled at random, then constrained per tag:
 * <ul>
 * <li>{@code @mem}: Rn (and Rm) are pointed by fix-ups at the scratch area so
 *     that every access is inside it and naturally aligned (Deja faults on
 *     unaligned accesses with the MMU off as the Arm ARM requires, QEMU 7.2
 *     does not); CONSTRAINED UNPREDICTABLE register overlaps are avoided;
 *     store-exclusives are preceded by a matching load-exclusive or CLREX.</li>
 * <li>{@code @branch}: forward targets inside the block (skipping 0-3 units);
 *     BR/BLR/RET get an ADR fix-up.</li>
 * <li>{@code @sys}: hints that are NOPs in both (never WFI), MRS/MSR from
 *     {@link SysRegList}.</li>
 * <li>Some {@code @nogen} opcodes the harness can take: SVC, BRK, MSR
 *     (immediate), SYS from {@link SysRegList#SYS_OPS}, ERET (legal and
 *     illegal returns), and HVC in blocks that run at EL0 (UNDEFINED there).</li>
 * <li>With {@link HarnessBuilder.Setup#strictAlignment()} a quarter of the
 *     accesses are misaligned: SCTLR_EL1.A makes QEMU fault them too.</li>
 * <li>1% of the units rewrite a later instruction (self-modifying code).</li>
 * </ul>
 * Every word is re-decoded: the decoder must return the opcode it was drawn for.
 * X26 and X27 belong to the harness (exception handler, fix-up temporaries) and
 * X28 holds the scratch base, so generated code never writes them.
 */
final class InstructionGenerator {
    static final int TEMP_A = 26, TEMP_B = 27, SCRATCH_REG = 28;
    /** Percentage of draws with a reserved field value (UNDEFINED in both) that are kept. */
    static final int RESERVED_PERCENT = 3;

    /** Opcodes tagged @nogen that the harness can still run (its vector table handles the exceptions). */
    static final Set<String> EXTRA = Set.of("SVC", "BRK", "MSR_imm", "SYS", "ERET");

    /** Where a unit's branch or literal field points once the block is laid out. */
    enum Patch { NONE, IMM26, IMM19, IMM14, ADR, ADR_OWN_NOP, LITERAL, REWRITE }

    /** The instruction under test and the fix-ups that precede it (and, for some, barriers after it). */
    static final class Unit {
        final int op;
        final int[] words;
        final int mainIndex;
        final Patch patch;
        /**
         * Branches: how many following units the taken branch skips; self-modifying stores: which unit
         * they rewrite; ADR_OWN_NOP: the byte offset from the unit's NOP (1-3: a misaligned target).
         */
        final int skip;
        /** Literal loads: the address read. */
        final long literalTarget;
        /** Self-modifying stores: the instruction word they write. */
        int replacement;
        /** Loads and stores: the first byte accessed, how many bytes (0: none) and the alignment required. */
        final long memTarget;
        final int memSpan;
        final int memAlign;
        final boolean memWrite;
        long address;
        /** Set at layout when a self-modifying store rewrites this unit's instruction. */
        int rewrittenTo;
        boolean rewritten;

        Unit(int op, int[] words, int mainIndex, Patch patch, int skip, long literalTarget,
             long memTarget, int memSpan, int memAlign, boolean memWrite) {
            this.op = op;
            this.words = words;
            this.mainIndex = mainIndex;
            this.patch = patch;
            this.skip = skip;
            this.literalTarget = literalTarget;
            this.memTarget = memTarget;
            this.memSpan = memSpan;
            this.memAlign = memAlign;
            this.memWrite = memWrite;
        }

        static Unit plain(int op, int word) {
            return of(op, new int[] {word}, Patch.NONE, 0);
        }

        /** A unit whose last word is the instruction under test. */
        static Unit of(int op, int[] words, Patch patch, int skip) {
            return new Unit(op, words, words.length - 1, patch, skip, 0, -1, 0, 0, false);
        }

        int main() { return words[mainIndex]; }

        long mainAddress() { return address + 4L * mainIndex; }
    }

    private final SplittableRandom rnd;
    private final int[] generable;
    private final boolean rewritable;
    private final boolean strictAlignment;
    /** The block runs with the MMU on: memory is Normal (see HarnessBuilder.Setup). */
    private final boolean mmu;
    private final List<SysRegList.Spec> readable, writable, readOnly;

    InstructionGenerator(SplittableRandom rnd, SkipList skip) {
        this(rnd, skip, new HarnessBuilder.Setup(HarnessBuilder.Mode.EL1H, false));
    }

    /**
     * A generator for blocks run with setup: at EL0 HVC is generated too (it is
     * UNDEFINED there); with SCTLR_EL1.A set, a quarter of the accesses are
     * misaligned on purpose (both emulators then take an Alignment fault).
     */
    InstructionGenerator(SplittableRandom rnd, SkipList skip, HarnessBuilder.Setup setup) {
        this.rnd = rnd;
        this.generable = generableOps(skip, setup.mode());
        // A focused soak (DEJA_DIFFTEST_ONLY) may leave no data-processing row to rewrite with.
        this.rewritable = java.util.Arrays.stream(generable).anyMatch(InstructionGenerator::rewritableInto);
        this.strictAlignment = setup.strictAlignment();
        this.mmu = setup.mmu();
        this.readable = SysRegList.READABLE.stream().filter(r -> !skip.skipsSysreg(r.name())).toList();
        // With the MMU on a random MAIR_EL1 would turn the harness's memory into Device memory.
        this.writable = SysRegList.WRITABLE.stream().filter(r -> !skip.skipsSysreg(r.name()))
                .filter(r -> !(mmu && r.name().equals("MAIR_EL1"))).toList();
        this.readOnly = SysRegList.READ_ONLY.stream().filter(r -> !skip.skipsSysreg(r.name())).toList();
    }

    /** Every opcode the generator draws from in any mode. */
    static int[] generableOps(SkipList skip) {
        return generableOps(skip, HarnessBuilder.Mode.EL0T);
    }

    /**
     * The opcodes drawn in a block that starts in mode: all but @nogen, plus
     * {@link #EXTRA}, plus HVC in EL0 blocks (they never leave EL0: ERET is
     * UNDEFINED there), minus the skip list.
     */
    static int[] generableOps(SkipList skip, HarnessBuilder.Mode mode) {
        List<Integer> ops = new ArrayList<>();
        for (int op = 1; op < A64Decoder.count(); op++) {
            String name = A64Decoder.name(op);
            boolean extra = EXTRA.contains(name) || (name.equals("HVC") && mode == HarnessBuilder.Mode.EL0T);
            boolean nogen = tagged(op, "nogen") && !extra;
            if (!nogen && !skip.skipsOp(name)) ops.add(op);
        }
        return ops.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] generable() { return generable.clone(); }

    static boolean tagged(int op, String tag) {
        for (String t : A64Decoder.tags(op).split(" ")) if (t.equals(tag)) return true;
        return false;
    }

    /** The Arm ARM top-level encoding group (C4.1) of an opcode. */
    static String group(int op) {
        int op0 = (A64Decoder.value(op) >>> 25) & 0xF;
        if ((op0 & 0b1110) == 0b1000) return "data processing (immediate)";
        if ((op0 & 0b1110) == 0b1010) return "branches, exceptions, system";
        if ((op0 & 0b0101) == 0b0100) return "loads and stores";
        if ((op0 & 0b0111) == 0b0101) return "data processing (register)";
        return "other";
    }

    List<Unit> block(int count) {
        List<Unit> units = new ArrayList<>(count);
        for (int i = 0; i < count; i++) units.add(next());
        return units;
    }

    /** Percentage of units that rewrite a later instruction (self-modifying code). */
    static final int REWRITE_PERCENT = 1;

    Unit next() {
        // With the MMU on the code is read-only: a rewrite would only fault.
        if (!mmu && rewritable && rnd.nextInt(100) < REWRITE_PERCENT) return rewrite();
        return generate(generable[rnd.nextInt(generable.length)]);
    }

    /**
     * Self-modifying code, done as the Arm ARM asks (B2.4.4): store a new
     * data-processing instruction over the instruction of one of the next
     * three units, then DC CVAU, DSB ISH, IC IVAU, DSB ISH, ISB. Both
     * emulators must execute the new instruction.
     */
    private static boolean rewritableInto(int op) {
        return group(op).startsWith("data processing") && A64Decoder.tags(op).isEmpty();
    }

    private Unit rewrite() {
        int replacement;
        do {
            int op = generable[rnd.nextInt(generable.length)];
            replacement = rewritableInto(op) ? generate(op).main() : 0;
        } while (replacement == 0);
        int n = randomRegNot(31, 31, 31), t = randomRegNot(31, n, 31);
        int store = 0xB9000000 | (n << 5) | t; // STR Wt, [Xn]
        int[] words = {
            Enc.adr(n),
            0x52800000 | ((replacement & 0xFFFF) << 5) | t,              // MOVZ Wt, #lo
            0x72A00000 | ((replacement >>> 16) << 5) | t,                // MOVK Wt, #hi, LSL #16
            store,
            Enc.sys(3, 7, 11, 1, n),                                     // DC CVAU, Xn
            0xD5033B9F,                                                  // DSB ISH
            Enc.sys(3, 7, 5, 1, n),                                      // IC IVAU, Xn
            0xD5033B9F,                                                  // DSB ISH
            0xD5033FDF,                                                  // ISB
        };
        Unit u = new Unit(A64Decoder.decode(store), words, 3, Patch.REWRITE, 1 + rnd.nextInt(3), 0, -1, 4, 4, true);
        u.replacement = replacement;
        return u;
    }

    Unit generate(int op) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int w = A64Decoder.value(op) | (rnd.nextInt() & ~A64Decoder.mask(op));
            Unit u = shape(op, w);
            if (u != null && A64Decoder.decode(u.main()) == op) return u;
        }
        throw new IllegalStateException("cannot generate " + A64Decoder.name(op) + ": pattern shadowed by a more specific one?");
    }

    private Unit shape(int op, int w) {
        String name = A64Decoder.name(op);
        w = freeReservedRegisters(op, w);
        if (Reserved.isReserved(name, w) && rnd.nextInt(100) >= RESERVED_PERCENT) return null;
        if (tagged(op, "mem")) return memory(op, name, w);
        if (tagged(op, "branch")) return branch(op, name, w);
        return switch (name) {
            case "HINT" -> ((w >>> 5) & 0x7F) == 3 ? null : Unit.plain(op, w); // never WFI
            case "MRS" -> mrs(op, w);
            case "MSR_reg" -> msr(op, w);
            case "SYS" -> sys(op);
            case "SVC" -> ((w >>> 5) & 0xFFFF) == HarnessBuilder.POWER_OFF_SVC ? null : Unit.plain(op, w);
            case "ERET" -> eret(op, w);
            default -> Unit.plain(op, w);
        };
    }

    // ---- Registers ---------------------------------------------------------------

    static boolean reserved(int r) {
        return r >= TEMP_A && r <= SCRATCH_REG;
    }

    private int randomReg() {
        int r;
        do r = rnd.nextInt(32); while (reserved(r));
        return r;
    }

    private int randomRegNot(int a, int b, int c) {
        int r;
        do r = randomReg(); while (r == a || r == b || r == c);
        return r;
    }

    /** The letter of a 5-bit register field at bit lo, or 0 if the pattern has none there. */
    static char registerField(String pattern, int lo) {
        char c = pattern.charAt(31 - lo);
        if (!Character.isLetter(c)) return 0;
        for (int b = lo; b < lo + 5; b++) if (pattern.charAt(31 - b) != c) return 0;
        if (lo + 5 <= 31 && pattern.charAt(31 - (lo + 5)) == c) return 0;
        if (lo > 0 && pattern.charAt(31 - (lo - 1)) == c) return 0;
        return c;
    }

    /** Re-rolls destination fields (and, for loads/stores and register branches, Rn/Rm) that name X26-X28. */
    private int freeReservedRegisters(int op, int w) {
        String pattern = A64Decoder.pattern(op);
        boolean mem = tagged(op, "mem");
        boolean branch = tagged(op, "branch");
        for (int lo : new int[] {0, 5, 10, 16}) {
            char f = registerField(pattern, lo);
            boolean protect = switch (f) {
                case 'd', 'u', 's' -> true;
                case 't' -> !branch;
                case 'n' -> mem || branch;
                case 'm' -> mem;
                default -> false;
            };
            if (protect && reserved((w >>> lo) & 31)) w = (w & ~(31 << lo)) | (randomReg() << lo);
        }
        return w;
    }

    private static int setField(int w, int lo, int v) {
        return (w & ~(31 << lo)) | (v << lo);
    }

    // ---- Loads and stores ----------------------------------------------------------

    private Unit memory(int op, String name, int w) {
        int size = w >>> 30;
        if (name.startsWith("LDR_lit") || name.equals("LDRSW_lit") || name.equals("LDR_v_lit")) {
            int align = name.equals("LDR_lit_x") ? 8 : name.equals("LDR_v_lit") ? Math.min(4 << (w >>> 30), 16) : 4;
            long lo = HarnessBuilder.REGS, hi = HarnessBuilder.SCRATCH + HarnessBuilder.SCRATCH_SIZE;
            long target = lo + align * (long) rnd.nextInt((int) ((hi - lo) / align));
            return new Unit(op, new int[] {w}, 0, Patch.LITERAL, 0, target, target, align, align, false);
        }
        int n = (w >>> 5) & 31, t = w & 31, t2 = (w >>> 10) & 31, s = (w >>> 16) & 31;
        Enc.IntList fix = new Enc.IntList();
        int elemLog2, count = 1;
        boolean writeback = false, exclusivePair = false, structure = false, isStore;
        long disp;
        switch (name) {
            case "STXR", "STLXR", "LDXR", "LDAXR", "STLR", "LDAR" -> {
                elemLog2 = size;
                disp = 0;
                isStore = name.startsWith("ST");
                w = setField(w, 10, 31); // Rt2: should be one
                if (!name.equals("STXR") && !name.equals("STLXR")) w = setField(w, 16, 31); // Rs: should be one
            }
            case "STXP", "STLXP", "LDXP", "LDAXP" -> {
                elemLog2 = 2 + ((w >>> 30) & 1);
                count = 2;
                exclusivePair = true;
                disp = 0;
                isStore = name.startsWith("ST");
                if (!isStore) w = setField(w, 16, 31);
            }
            case "STP", "LDP", "LDPSW" -> {
                int opc = w >>> 30;
                elemLog2 = name.equals("LDPSW") || opc == 0 ? 2 : 3;
                count = 2;
                int pp = (w >>> 23) & 3;
                int imm7 = (w << 10) >> 25;
                writeback = pp == 1 || pp == 3;
                disp = pp == 1 ? 0 : (long) imm7 << elemLog2;
                isStore = name.equals("STP");
            }
            case "STUR", "LDUR", "LDURS", "STTR", "LDTR", "LDTRS", "STR_pre", "LDR_pre", "LDRS_pre",
                 "STR_post", "LDR_post", "LDRS_post" -> {
                elemLog2 = size;
                int align = 1 << elemLog2;
                int imm9 = (w << 11) >> 23;
                boolean post = name.endsWith("_post");
                writeback = post || name.endsWith("_pre");
                if (n == 31 && !post && (imm9 & (align - 1)) != 0) {
                    imm9 &= ~(align - 1);
                    w = (w & ~(0x1FF << 12)) | ((imm9 & 0x1FF) << 12);
                }
                disp = post ? 0 : imm9;
                isStore = name.startsWith("ST");
            }
            case "STR_reg", "LDR_reg", "LDRS_reg", "PRFM_reg" -> {
                elemLog2 = size;
                int m = (w >>> 16) & 31;
                if (m == n) {
                    m = randomRegNot(n, 31, 31);
                    w = setField(w, 16, m);
                }
                int option = (w >>> 13) & 7;
                int shift = (w & (1 << 12)) != 0 ? elemLog2 : 0;
                int align = 1 << elemLog2;
                long index = rnd.nextInt(33) - 16;
                if ((option & 4) == 0 && index < 0) index = -index; // UXTW/UXTX: keep it small and positive
                if (shift < elemLog2) index &= ~(align - 1L);
                long rm;
                switch (option) {
                    case 2 -> rm = (rnd.nextLong() & 0xFFFF_FFFF_0000_0000L) | (index & 0xFFFF_FFFFL); // UXTW ignores the top
                    case 6 -> rm = (rnd.nextLong() & 0xFFFF_FFFF_0000_0000L) | (index & 0xFFFF_FFFFL); // SXTW ignores the top
                    default -> rm = index;
                }
                disp = m == 31 ? 0 : index << shift;
                if (m != 31) Enc.movImm(fix, m, rm);
                isStore = name.startsWith("ST");
            }
            case "STR_uimm", "LDR_uimm", "LDRS_uimm", "LDR_x_uimm", "STR_x_uimm" -> {
                elemLog2 = size;
                disp = (long) ((w >>> 10) & 0xFFF) << elemLog2;
                isStore = name.startsWith("ST");
            }
            case "STR_v_uimm", "LDR_v_uimm" -> {
                elemLog2 = simdScale(w);
                disp = (long) ((w >>> 10) & 0xFFF) << elemLog2;
                isStore = name.startsWith("ST");
            }
            case "STUR_v", "LDUR_v", "STR_v_post", "LDR_v_post", "STR_v_pre", "LDR_v_pre" -> {
                elemLog2 = simdScale(w);
                int align = 1 << elemLog2;
                int imm9 = (w << 11) >> 23;
                boolean post = name.endsWith("_post");
                writeback = post || name.endsWith("_pre");
                if (n == 31 && !post && (imm9 & (align - 1)) != 0) {
                    imm9 &= ~(align - 1);
                    w = (w & ~(0x1FF << 12)) | ((imm9 & 0x1FF) << 12);
                }
                disp = post ? 0 : imm9;
                isStore = name.startsWith("ST");
            }
            case "STR_v_reg", "LDR_v_reg" -> {
                elemLog2 = simdScale(w);
                int m = (w >>> 16) & 31;
                if (m == n) {
                    m = randomRegNot(n, 31, 31);
                    w = setField(w, 16, m);
                }
                int option = (w >>> 13) & 7;
                int shift = (w & (1 << 12)) != 0 ? elemLog2 : 0;
                long index = rnd.nextInt(33) - 16;
                if ((option & 4) == 0 && index < 0) index = -index;
                if (shift < elemLog2) index &= ~((1L << elemLog2) - 1);
                long rm = (option & 3) == 2 ? (rnd.nextLong() & 0xFFFF_FFFF_0000_0000L) | (index & 0xFFFF_FFFFL) : index;
                disp = m == 31 ? 0 : index << shift;
                if (m != 31) Enc.movImm(fix, m, rm);
                isStore = name.startsWith("ST");
            }
            case "STP_v", "LDP_v" -> {
                elemLog2 = 2 + Math.min(w >>> 30, 2);
                count = 2;
                int pp = (w >>> 23) & 3;
                int imm7 = (w << 10) >> 25;
                writeback = pp == 1 || pp == 3;
                disp = pp == 1 ? 0 : (long) imm7 << elemLog2;
                isStore = name.startsWith("ST");
            }
            case "ST_multi", "LD_multi", "ST_multi_post", "LD_multi_post",
                 "ST_single", "LD_single", "ST_single_post", "LD_single_post", "LD_repl", "LD_repl_post" -> {
                int[] shape = structureShape(name, w);
                elemLog2 = shape[0];
                count = shape[1];
                disp = 0;
                isStore = name.startsWith("ST");
                if (name.endsWith("_post")) {
                    writeback = true;
                    int m = (w >>> 16) & 31;
                    // Rm = 31 post-indexes by the bytes transferred; otherwise by X[m], small and random.
                    if (m != 31 && rnd.nextInt(3) == 0) {
                        m = 31;
                        w = setField(w, 16, m);
                    }
                    if (m == n && n != 31) {
                        m = randomRegNot(n, 31, 31);
                        w = setField(w, 16, m);
                    }
                    if (m != 31) Enc.movImm(fix, m, rnd.nextInt(129) - 64);
                }
                // Rt names V registers and bits 14:10 are not Rt2: no overlap fix-up applies.
                structure = true;
            }
            default -> throw new IllegalStateException("no addressing rule for @mem " + name);
        }
        int elem = 1 << elemLog2;
        int span = elem * count;
        int align = exclusivePair ? span : elem;
        boolean load = !isStore && !name.startsWith("PRFM");

        // CONSTRAINED UNPREDICTABLE overlaps (Arm ARM K1.2): writeback into a transfer register,
        // a pair loaded into one register, a store-exclusive status that is also an operand.
        boolean pair = count == 2 && !structure;
        if (structure) t = -1;
        if (load && pair && t == t2) {
            t2 = randomRegNot(t, 31, 31);
            w = setField(w, 10, t2);
        }
        if (writeback && n != 31) {
            if (t == n) {
                t = randomRegNot(n, pair ? t2 : -1, -1);
                w = setField(w, 0, t);
            }
            if (pair && t2 == n) {
                t2 = randomRegNot(n, t, -1);
                w = setField(w, 10, t2);
            }
        }
        if ((name.equals("STXR") || name.equals("STLXR") || name.equals("STXP") || name.equals("STLXP"))) {
            if (s == t || (s == n && n != 31) || (pair && s == t2)) {
                s = randomRegNot(t, n == 31 ? -1 : n, pair ? t2 : -1);
                w = setField(w, 16, s);
            }
        }

        long scratch = HarnessBuilder.SCRATCH, room = HarnessBuilder.SCRATCH_SIZE;
        long target;
        if (n == 31) {
            // SP must stay 16-byte aligned (SCTLR_EL1.SA): the target is congruent to disp modulo 16.
            long slots = (room - span - 16) / 16;
            target = scratch + 16 * rnd.nextLong(slots) + (disp & 15);
        } else {
            long slots = (room - span - align) / align + 1;
            target = scratch + align * rnd.nextLong(slots);
            // Not store-exclusives: whether a misaligned one faults when the monitor check fails anyway
            // is IMPLEMENTATION DEFINED (Arm ARM AArch64.ExclusiveMonitorsPass); QEMU does not fault.
            boolean storeExclusive = Set.of("STXR", "STLXR", "STXP", "STLXP").contains(name);
            boolean exclusive = name.contains("XR") || name.contains("XP") || name.startsWith("LDAR") || name.startsWith("STLR");
            if (strictAlignment && align > 1 && !storeExclusive && rnd.nextInt(4) == 0) target += 1 + rnd.nextInt(align - 1);
            // Normal memory: misaligned accesses, and some that cross into the (read-only) code page after the scratch.
            if (mmu && !strictAlignment && !exclusive && align > 1 && rnd.nextInt(4) == 0) target += 1 + rnd.nextInt(align - 1);
            if (mmu && !exclusive && span > 1 && rnd.nextInt(16) == 0) target = scratch + room - 1 - rnd.nextInt((int) span - 1);
        }
        Enc.setReg(fix, n, target - disp, scratch);
        if (name.equals("STXR") || name.equals("STLXR") || name.equals("STXP") || name.equals("STLXP")) {
            // The monitor must hold exactly this address and size for the store to be predictable.
            if (rnd.nextInt(5) == 0) fix.add(Enc.CLREX);
            else if (exclusivePair) fix.add(Enc.ldxp((w >>> 30) & 1, TEMP_A, TEMP_B, n));
            else fix.add(Enc.ldxr(size, TEMP_A, n));
        }
        fix.add(w);
        boolean touches = !name.startsWith("PRFM");
        return new Unit(op, fix.toArray(), fix.size() - 1, Patch.NONE, 0, 0, touches ? target : -1, touches ? span : 0, align, isStore);
    }

    /** SIMD&FP single register: log2 of the access size, opc<1>:size (reserved values above 4 are clamped). */
    private static int simdScale(int w) {
        return Math.min((((w >>> 23) & 1) << 2) | (w >>> 30), 4);
    }

    /**
     * Advanced SIMD structures: {log2 of the element size, number of elements
     * accessed}, per the Arm ARM decode (reserved encodings get a harmless shape).
     */
    static int[] structureShape(String name, int w) {
        int q = (w >>> 30) & 1, size = (w >>> 10) & 3;
        if (name.contains("multi")) {
            int regs = switch ((w >>> 12) & 15) {
                case 0b0000, 0b0010 -> 4;
                case 0b0100, 0b0110 -> 3;
                case 0b1000, 0b1010 -> 2;
                default -> 1;
            };
            return new int[] {size, regs * ((8 << q) >>> size)};
        }
        int r = (w >>> 21) & 1;
        int opcode = (w >>> 13) & 7;
        int selem = (((opcode & 1) << 1) | r) + 1;
        if (name.contains("repl")) return new int[] {size, selem};
        int scale = opcode >>> 1;
        if (scale == 2 && (size & 1) != 0) scale = 3;
        return new int[] {Math.min(scale, 3), selem};
    }

    // ---- Branches ----------------------------------------------------------------------

    private Unit branch(int op, String name, int w) {
        int skip = rnd.nextInt(4);
        boolean register = name.equals("BR") || name.equals("BLR") || name.equals("RET");
        // BR XZR would branch to 0.
        if (register && ((w >>> 5) & 31) == 31) return null;
        if (register && rnd.nextInt(20) == 0) {
            // A misaligned target: the PC alignment fault comes back to the unit's own NOP's successor.
            int[] words = {Enc.adr((w >>> 5) & 31), w, Enc.NOP};
            return new Unit(op, words, 1, Patch.ADR_OWN_NOP, 1 + rnd.nextInt(3), 0, -1, 0, 0, false);
        }
        return switch (name) {
            case "B", "BL" -> Unit.of(op, new int[] {w}, Patch.IMM26, skip);
            case "B_cond", "CBZ", "CBNZ" -> Unit.of(op, new int[] {w}, Patch.IMM19, skip);
            case "TBZ", "TBNZ" -> Unit.of(op, new int[] {w}, Patch.IMM14, skip);
            case "BR", "BLR", "RET" -> Unit.of(op, new int[] {Enc.adr((w >>> 5) & 31), w}, Patch.ADR, skip);
            default -> throw new IllegalStateException("no target rule for @branch " + name);
        };
    }

    // ---- System ------------------------------------------------------------------------

    /**
     * ERET with a random SPSR: usually a legal mode (EL1h, EL1t, EL0t) and a
     * target 1-4 units ahead; sometimes an illegal one (EL2, EL3, M[1] set)
     * or SPSR.IL set, which leaves PSTATE.IL set so that the next
     * instruction takes the Illegal Execution state exception instead of
     * running. Those land on a NOP of their own (the handler skips it and
     * clears SPSR.IL), never on another unit's fix-ups.
     */
    private Unit eret(int op, int w) {
        int[] legal = {0b0101, 0b0100, 0b0000};
        // Not M[4] = 1 (AArch32): QEMU's Cortex-A57 runs AArch32 at EL0 and EL1, Deja has no AArch32.
        int[] illegal = {0b1001, 0b1000, 0b1101, 0b1100, 0b0010, 0b0011, 0b0110, 0b0111};
        boolean isIllegal = rnd.nextInt(10) == 0;
        int mode = isIllegal ? illegal[rnd.nextInt(illegal.length)] : legal[rnd.nextInt(legal.length)];
        long spsr = ((long) rnd.nextInt(16) << 28) | ((long) rnd.nextInt(16) << 6) | mode;
        if (rnd.nextInt(20) == 0) {
            spsr |= 1L << 20; // IL
            isIllegal = true;
        }
        if (rnd.nextInt(20) == 0) spsr |= 1L << 21; // SS (not active: MDSCR_EL1.SS = 0)
        Enc.IntList fix = new Enc.IntList();
        fix.add(Enc.adr(TEMP_A));
        fix.add(Enc.sysreg(false, 3, 0, 4, 0, 1, TEMP_A));   // MSR ELR_EL1, X26
        Enc.movImm(fix, TEMP_B, spsr);
        fix.add(Enc.sysreg(false, 3, 0, 4, 0, 0, TEMP_B));   // MSR SPSR_EL1, X27
        fix.add(w);
        int eretIndex = fix.size() - 1;
        boolean misaligned = rnd.nextInt(20) == 0;
        if (isIllegal || misaligned) {
            // Lands on (or, misaligned, next to) a NOP of its own, which the exception handler skips.
            fix.add(Enc.NOP);
            return new Unit(op, fix.toArray(), eretIndex, Patch.ADR_OWN_NOP, misaligned ? 1 + rnd.nextInt(3) : 0, 0, -1, 0, 0, false);
        }
        return Unit.of(op, fix.toArray(), Patch.ADR, rnd.nextInt(4));
    }

    private Unit mrs(int op, int w) {
        SysRegList.Spec r = readable.get(rnd.nextInt(readable.size()));
        return Unit.plain(op, Enc.sysreg(true, r.op0(), r.op1(), r.crn(), r.crm(), r.op2(), w & 31));
    }

    private Unit msr(int op, int w) {
        int t = w & 31;
        SysRegList.Spec r = rnd.nextInt(10) == 0
                ? readOnly.get(rnd.nextInt(readOnly.size())) // UNDEFINED in both
                : writable.get(rnd.nextInt(writable.size()));
        Enc.IntList fix = new Enc.IntList();
        if (r.writeMask() != 0 && t != 31) Enc.movImm(fix, t, rnd.nextLong() & r.writeMask());
        fix.add(Enc.sysreg(false, r.op0(), r.op1(), r.crn(), r.crm(), r.op2(), t));
        return Unit.of(op, fix.toArray(), Patch.NONE, 0);
    }

    private Unit sys(int op) {
        List<SysRegList.SysOp> ops = mmu ? SysRegList.SYS_OPS_MMU : SysRegList.SYS_OPS;
        SysRegList.SysOp s = ops.get(rnd.nextInt(ops.size()));
        Enc.IntList fix = new Enc.IntList();
        int t = 31;
        if (s.takesAddress()) {
            t = randomRegNot(31, 31, 31);
            long addr = HarnessBuilder.SCRATCH + rnd.nextLong(HarnessBuilder.SCRATCH_SIZE);
            Enc.setReg(fix, t, addr, HarnessBuilder.SCRATCH);
        }
        fix.add(Enc.sys(s.op1(), s.crn(), s.crm(), s.op2(), t));
        return Unit.of(op, fix.toArray(), Patch.NONE, 0);
    }
}
