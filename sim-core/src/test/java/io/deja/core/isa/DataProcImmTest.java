package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/** Data processing (immediate): expected values worked out by hand from the Arm ARM. */
class DataProcImmTest {
    static final int N = 8, Z = 4, C = 2, V = 1;
    static final long VBAR = 0x4010_0000L;
    static final long SP = TestMachine.RAM_BASE + TestMachine.RAM_SIZE;

    /** Loads x0, x1, ... with regs, runs every line of asm, returns the machine. */
    static TestMachine run(String asm, long... regs) {
        TestMachine m = TestMachine.withCode(asm);
        for (int i = 0; i < regs.length; i++) m.cpu.x[i] = regs[i];
        long lines = instructionCount(asm);
        m.step(lines);
        assertThat(m.cpu.pc).as("no exception").isEqualTo(CODE + 4 * lines);
        return m;
    }

    /** Lines that assemble to one instruction each: not blank, not a directive other than .inst. */
    static long instructionCount(String asm) {
        return asm.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && (!l.startsWith(".") || l.startsWith(".inst")))
                .count();
    }

    static int flags(TestMachine m) {
        return m.cpu.nzcv() >>> 28;
    }

    /** The word takes UNDEFINED: EC 0 to VBAR+0x200, nothing written. */
    static void assertUndefined(int word) {
        TestMachine m = TestMachine.withCode(".inst 0x" + Integer.toHexString(word));
        m.cpu.vbarEl1 = VBAR;
        for (int i = 0; i < 31; i++) m.cpu.x[i] = 0x5A5A_0000L + i;
        m.cpu.setNzcv(0);
        m.step(1);
        assertThat(m.cpu.pc).as("vector for %08x", word).isEqualTo(VBAR + 0x200);
        assertThat(m.cpu.esrEl1).isEqualTo(0x0200_0000L);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.spsrEl1 >>> 28).as("flags untouched").isZero();
        for (int i = 0; i < 31; i++) assertThat(m.x(i)).isEqualTo(0x5A5A_0000L + i);
        assertThat(m.cpu.sp).isEqualTo(SP);
    }

    // ---- ADR / ADRP -------------------------------------------------------------------

    @Test
    void adrAddsSignedByteOffsetToPc() {
        TestMachine m = run("adr x0, . + 8\nadr x1, . - 4\nadr x2, . + 0xFFFFF\nadr x3, . - 0x100000\nadr xzr, .");
        assertThat(m.x(0)).isEqualTo(CODE + 8);
        assertThat(m.x(1)).isEqualTo(CODE + 4 - 4);
        assertThat(m.x(2)).isEqualTo(CODE + 8 + 0xFFFFF);
        assertThat(m.x(3)).isEqualTo(CODE + 12 - 0x100000);
        assertThat(m.cpu.x[31]).isZero();
    }

    @Test
    void adrpUsesThe4KPageOfPc() {
        TestMachine m = run("adr x9, .\nadrp x0, . + 0x5123\nadrp x1, . - 0x1000\nadrp x2, . + 0xFFFFF000");
        assertThat(m.x(0)).isEqualTo(CODE + 0x5000);
        assertThat(m.x(1)).isEqualTo(CODE - 0x1000);
        assertThat(m.x(2)).isEqualTo(CODE + 0xFFFFF000L);
    }

    // ---- ADD / SUB (immediate) ----------------------------------------------------------

    @Test
    void addImmediateWithOptionalShift() {
        TestMachine m = run("movz x1, #5\nadd x0, x1, #3\nadd x2, x1, #1, lsl #12");
        assertThat(m.x(0)).isEqualTo(8);
        assertThat(m.x(2)).isEqualTo(0x1005);
    }

    @Test
    void addAndSubImmediateUseSpForRegister31() {
        TestMachine m = run("add x0, sp, #16\nsub sp, sp, #0x20\nmov x1, sp\nadd x2, sp, #0");
        assertThat(m.x(0)).isEqualTo(SP + 16);
        assertThat(m.cpu.sp).isEqualTo(SP - 0x20);
        assertThat(m.x(1)).isEqualTo(SP - 0x20);
        assertThat(m.x(2)).isEqualTo(SP - 0x20);
        assertThat(m.cpu.x[31]).isZero();
    }

    @Test
    void thirtyTwoBitAddWrapsAndZeroExtendsEvenIntoSp() {
        TestMachine m = run("add w0, w1, #1\nsub w2, w3, #1\nadd wsp, w4, #0", 0, -1L, 0, 0, 0xFFFF_FFFF_1234_5678L);
        assertThat(m.x(0)).isZero();
        assertThat(m.x(2)).isEqualTo(0xFFFF_FFFFL);
        assertThat(m.cpu.sp).isEqualTo(0x1234_5678L);
    }

    @Test
    void addsImmediateSetsFlagsAndTreats31AsXzrForRd() {
        TestMachine m = run("adds x0, x1, #1", 0, -1L);
        assertThat(m.x(0)).isZero();
        assertThat(flags(m)).isEqualTo(Z | C);

        m = run("adds w0, w1, #1", 0, 0x7FFF_FFFFL);
        assertThat(m.x(0)).isEqualTo(0x8000_0000L);
        assertThat(flags(m)).isEqualTo(N | V);

        m = run("cmn x1, #1", 0, -1L);
        assertThat(flags(m)).isEqualTo(Z | C);
        assertThat(m.cpu.sp).isEqualTo(SP);
        assertThat(m.cpu.x[31]).isZero();
    }

    @Test
    void subsImmediateFlagsAndCmpAgainstSp() {
        TestMachine m = run("subs x0, x1, #1", 0, 0);
        assertThat(m.x(0)).isEqualTo(-1L);
        assertThat(flags(m)).isEqualTo(N);

        // The 32-bit compare sees only the low word (zero), so it borrows.
        m = run("subs w0, w1, #1", 0, 0x1_0000_0000L);
        assertThat(m.x(0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(flags(m)).isEqualTo(N);

        m = run("cmp sp, #1, lsl #12");
        assertThat(flags(m)).isEqualTo(C); // SP = 0x4100_0000 > 0x1000
        assertThat(m.cpu.sp).isEqualTo(SP);

        m = run("subs w0, w1, #1", 0, 0x8000_0000L);
        assertThat(m.x(0)).isEqualTo(0x7FFF_FFFFL);
        assertThat(flags(m)).isEqualTo(C | V);
    }

    // ---- Logical (immediate) --------------------------------------------------------------

    @Test
    void logicalImmediates() {
        TestMachine m = run("""
                and x0, x1, #0xff
                orr x2, xzr, #0x5555555555555555
                eor w3, w1, #0xf0f0f0f0
                orr x4, x1, #0x8000000000000001
                and w5, w1, #0x7
                """, 0, 0x1234_5678_9ABC_DEF0L);
        assertThat(m.x(0)).isEqualTo(0xF0L);
        assertThat(m.x(2)).isEqualTo(0x5555_5555_5555_5555L);
        assertThat(m.x(3)).isEqualTo(0x9ABC_DEF0L ^ 0xF0F0_F0F0L);
        assertThat(m.x(4)).isEqualTo(0x9234_5678_9ABC_DEF1L);
        assertThat(m.x(5)).isZero();
    }

    @Test
    void logicalImmediateNonFlagSettingFormsCanWriteSp() {
        TestMachine m = run("orr sp, xzr, #0x7ffffff0\nand wsp, w1, #0xfffffff0\neor x0, xzr, #1", 0, -1L);
        assertThat(m.cpu.sp).isEqualTo(0xFFFF_FFF0L);
        assertThat(m.x(0)).isEqualTo(1);
    }

    @Test
    void andsImmediateSetsNAndZAndClearsCV() {
        TestMachine m = TestMachine.withCode("ands x0, x1, #0x8000000000000000\ntst w1, #1");
        m.cpu.x[1] = 0x8000_0000_0000_0002L;
        m.cpu.setNzcv(0x3L << 28);
        m.step(1);
        assertThat(m.x(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(flags(m)).isEqualTo(N);
        m.step(1);
        assertThat(flags(m)).isEqualTo(Z);
    }

    @Test
    void reservedBitmaskImmediatesAreUndefined() {
        assertUndefined(0x1240_0020); // and w0, w1 with N = 1
        assertUndefined(0x9200_FC20); // N = 0, imms = 111111: no element size
        assertUndefined(0x9200_F820); // N = 0, imms = 111110: element size 1
        assertUndefined(0x9240_FC20); // N = 1, imms = 111111: all ones
        assertUndefined(0x1200_7C20); // 32-bit element, all ones
        assertUndefined(0xF240_FC3F); // ANDS, all ones
    }

    // ---- Move wide ------------------------------------------------------------------------

    @Test
    void moveWide() {
        TestMachine m = run("""
                movz x0, #0x1234, lsl #48
                movn x1, #0
                movn w2, #0
                movn x3, #0x1, lsl #16
                movz x4, #0xdead, lsl #16
                movk x4, #0xbeef
                movk x4, #0xcafe, lsl #32
                movk w5, #1, lsl #16
                movn w6, #0x8000, lsl #16
                """, 0, 0, 0, 0, 0, -1L, 0);
        assertThat(m.x(0)).isEqualTo(0x1234_0000_0000_0000L);
        assertThat(m.x(1)).isEqualTo(-1L);
        assertThat(m.x(2)).isEqualTo(0xFFFF_FFFFL);
        assertThat(m.x(3)).isEqualTo(~0x10000L);
        assertThat(m.x(4)).isEqualTo(0x0000_CAFE_DEAD_BEEFL);
        assertThat(m.x(5)).isEqualTo(0x0001_FFFFL);
        assertThat(m.x(6)).isEqualTo(0x7FFF_FFFFL);
    }

    @Test
    void moveWide32BitWithHwAbove1IsUndefined() {
        assertUndefined(0x52C0_0000); // movz w0, #0, lsl #32
        assertUndefined(0x12E0_0000); // movn w0, #0, lsl #48
        assertUndefined(0x72C0_0000); // movk w0, #0, lsl #32
    }

    // ---- Bitfield -------------------------------------------------------------------------

    @Test
    void signedBitfieldMoves() {
        TestMachine m = run("""
                asr x0, x1, #4
                sxtb x2, w1
                sxtw x3, w1
                sbfx x4, x1, #8, #4
                sbfiz x5, x1, #56, #8
                asr w6, w7, #31
                sxth w8, w1
                sbfx w9, w7, #28, #4
                sbfiz w10, w1, #4, #8
                """, 0, 0xF000_0000_8000_0B80L, 0, 0, 0, 0, 0, 0x8000_0000L);
        assertThat(m.x(0)).isEqualTo(0xFF00_0000_0800_00B8L);
        assertThat(m.x(2)).isEqualTo(0xFFFF_FFFF_FFFF_FF80L);
        assertThat(m.x(3)).isEqualTo(0xFFFF_FFFF_8000_0B80L);
        assertThat(m.x(4)).isEqualTo(-5L); // bits 11:8 = 0b1011
        assertThat(m.x(5)).isEqualTo(Long.MIN_VALUE); // 0x80 sign-extended, shifted out but for bit 63
        assertThat(m.x(6)).isEqualTo(0xFFFF_FFFFL);
        assertThat(m.x(8)).isEqualTo(0x0000_0B80L);
        assertThat(m.x(9)).isEqualTo(0xFFFF_FFF8L);
        assertThat(m.x(10)).isEqualTo(0xFFFF_F800L); // 0x80 sign-extended, shifted by 4, in a W register
    }

    @Test
    void unsignedBitfieldMoves() {
        TestMachine m = run("""
                lsl x0, x1, #4
                lsr x2, x1, #60
                ubfx x3, x1, #8, #8
                ubfiz w4, w1, #28, #4
                uxtb w5, w1
                lsl w6, w1, #31
                lsr w7, w1, #4
                ubfiz x8, x1, #63, #1
                """, 0, 0xF234_5678_9ABC_DEF1L);
        assertThat(m.x(0)).isEqualTo(0x2345_6789_ABCD_EF10L);
        assertThat(m.x(2)).isEqualTo(0xFL);
        assertThat(m.x(3)).isEqualTo(0xDEL);
        assertThat(m.x(4)).isEqualTo(0x1000_0000L);
        assertThat(m.x(5)).isEqualTo(0xF1L);
        assertThat(m.x(6)).isEqualTo(0x8000_0000L);
        assertThat(m.x(7)).isEqualTo(0x09AB_CDEFL);
        assertThat(m.x(8)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void bitfieldInsertKeepsTheOtherBitsOfRd() {
        TestMachine m = run("""
                bfi x0, x1, #8, #8
                bfxil x2, x1, #4, #8
                bfi w3, w1, #28, #4
                bfxil w4, w1, #0, #32
                bfi x5, x1, #0, #64
                """, -1L, 0x1234_5678_9ABC_DE00L, -1L, -1L, -1L, 0);
        assertThat(m.x(0)).isEqualTo(0xFFFF_FFFF_FFFF_00FFL);
        assertThat(m.x(2)).isEqualTo(0xFFFF_FFFF_FFFF_FFE0L);
        assertThat(m.x(3)).isEqualTo(0x0FFF_FFFFL);
        assertThat(m.x(4)).isEqualTo(0x9ABC_DE00L);
        assertThat(m.x(5)).isEqualTo(0x1234_5678_9ABC_DE00L);
    }

    @Test
    void bitfieldWithNNotEqualSfOrWideFieldsIn32BitIsUndefined() {
        assertUndefined(0x9300_0000); // SBFM sf=1 N=0
        assertUndefined(0xB300_0000); // BFM sf=1 N=0
        assertUndefined(0xD300_0000); // UBFM sf=1 N=0
        assertUndefined(0x1340_0000); // SBFM sf=0 N=1
        assertUndefined(0x5340_0000); // UBFM sf=0 N=1
        assertUndefined(0x1320_0000); // SBFM sf=0 immr=32
        assertUndefined(0x3300_8000); // BFM sf=0 imms=32
    }

    // ---- EXTR ---------------------------------------------------------------------------

    @Test
    void extractFromRegisterPair() {
        TestMachine m = run("""
                extr x0, x1, x2, #16
                ror x3, x1, #8
                extr x4, x1, x2, #0
                extr w5, w1, w2, #8
                extr w6, w1, w2, #0
                ror w7, w1, #31
                """, 0, 0x1122_3344_5566_7788L, 0x99AA_BBCC_DDEE_FF00L);
        assertThat(m.x(0)).isEqualTo(0x7788_99AA_BBCC_DDEEL);
        assertThat(m.x(3)).isEqualTo(0x8811_2233_4455_6677L);
        assertThat(m.x(4)).isEqualTo(0x99AA_BBCC_DDEE_FF00L);
        assertThat(m.x(5)).isEqualTo(0x88DD_EEFFL);
        assertThat(m.x(6)).isEqualTo(0xDDEE_FF00L);
        assertThat(m.x(7)).isEqualTo(0xAACC_EF10L); // 0x55667788 rotated left by 1
    }

    @Test
    void extractWithNNotEqualSfOrLsbAbove31In32BitIsUndefined() {
        assertUndefined(0x9380_0000); // sf=1 N=0
        assertUndefined(0x13C0_0000); // sf=0 N=1
        assertUndefined(0x1380_8000); // sf=0 imms=32
    }
}
