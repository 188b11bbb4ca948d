package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.C;
import static io.deja.core.isa.DataProcImmTest.N;
import static io.deja.core.isa.DataProcImmTest.SP;
import static io.deja.core.isa.DataProcImmTest.V;
import static io.deja.core.isa.DataProcImmTest.Z;
import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.DataProcImmTest.flags;
import static org.assertj.core.api.Assertions.assertThat;

/** Data processing (register): expected values worked out by hand from the Arm ARM. */
class DataProcRegTest {
    static TestMachine run(String asm, long... regs) {
        return DataProcImmTest.run(asm, regs);
    }

    /** Like run, but with NZCV preset (bits N=8, Z=4, C=2, V=1). */
    static TestMachine runWithFlags(int nzcv, String asm, long... regs) {
        TestMachine m = TestMachine.withCode(asm);
        for (int i = 0; i < regs.length; i++) m.cpu.x[i] = regs[i];
        m.cpu.setNzcv((long) nzcv << 28);
        long lines = DataProcImmTest.instructionCount(asm);
        m.step(lines);
        assertThat(m.cpu.pc).as("no exception").isEqualTo(TestMachine.CODE + 4 * lines);
        return m;
    }

    // ---- Logical (shifted register) --------------------------------------------------

    @Test
    void logicalShiftedRegister() {
        TestMachine m = run("""
                and x0, x1, x2, lsl #4
                bic x3, x1, x2
                orr x4, xzr, x2, ror #8
                mvn x5, x1
                eor w6, w1, w2, asr #4
                eon x7, x1, x2, lsr #60
                orr w8, wzr, w2, ror #4
                orn w9, wzr, w1
                """, 0, 0x0F0F_0F0F_F0F0_F0F0L, 0x8000_0000_8000_00FFL);
        assertThat(m.x(0)).isEqualTo(0x0F0F_0F0F_F0F0_F0F0L & 0x0000_0008_0000_0FF0L);
        assertThat(m.x(3)).isEqualTo(0x0F0F_0F0F_70F0_F000L);
        assertThat(m.x(4)).isEqualTo(0xFF80_0000_0080_0000L);
        assertThat(m.x(5)).isEqualTo(0xF0F0_F0F0_0F0F_0F0FL);
        assertThat(m.x(6)).isEqualTo(0xF0F0_F0F0L ^ 0xF800_000FL);
        assertThat(m.x(7)).isEqualTo(0x0F0F_0F0F_F0F0_F0F0L ^ ~8L);
        assertThat(m.x(8)).isEqualTo(0xF800_000FL); // 32-bit rotate of 0x800000FF
        assertThat(m.x(9)).isEqualTo(0x0F0F_0F0FL);
    }

    @Test
    void flagSettingLogicalClearsCarryAndOverflow() {
        TestMachine m = runWithFlags(C | V, "ands x0, x1, x2", 0, -1L, Long.MIN_VALUE);
        assertThat(m.x(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(flags(m)).isEqualTo(N);

        m = runWithFlags(C | V, "bics w0, w1, w1", 0, 0x1234L);
        assertThat(m.x(0)).isZero();
        assertThat(flags(m)).isEqualTo(Z);

        // Bit 32 is outside a W register: the 32-bit result is zero even though the X value is not.
        m = runWithFlags(N, "tst w1, w2", 0, 0x1_0000_0000L, 0x1_0000_0000L);
        assertThat(flags(m)).isEqualTo(Z);

        m = run("bics x0, x1, x2, lsl #1", 0, -1L, 0x4000_0000_0000_0000L);
        assertThat(m.x(0)).isEqualTo(0x7FFF_FFFF_FFFF_FFFFL);
        assertThat(flags(m)).isEqualTo(0);
    }

    @Test
    void logicalShiftOf32OrMoreIn32BitFormIsUndefined() {
        assertUndefined(0x0A00_8000); // and w0, w0, w0, lsl #32
        assertUndefined(0x2AC0_FC00); // orr w0, w0, w0, ror #63
        assertUndefined(0x6A20_8000); // bics w0, w0, w0, lsl #32
    }

    // ---- Add/subtract (shifted register) ---------------------------------------------

    @Test
    void addSubShiftedRegister() {
        TestMachine m = run("""
                add x0, x1, x2, lsl #3
                sub x3, x1, x2, asr #1
                neg x4, x2
                add w5, w1, w2, lsr #31
                add x6, xzr, x2
                sub w7, wzr, w1
                """, 0, 100, -8L);
        assertThat(m.x(0)).isEqualTo(100 - 64);
        assertThat(m.x(3)).isEqualTo(104);
        assertThat(m.x(4)).isEqualTo(8);
        assertThat(m.x(5)).isEqualTo(101); // low word 0xFFFFFFF8 >>> 31 = 1
        assertThat(m.x(6)).isEqualTo(-8L); // register 31 is XZR here, not SP
        assertThat(m.x(7)).isEqualTo(0xFFFF_FF9CL);
    }

    @Test
    void addsSubsShiftedRegisterFlags() {
        TestMachine m = run("adds x0, x1, x2", 0, Long.MAX_VALUE, 1);
        assertThat(m.x(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(flags(m)).isEqualTo(N | V);

        m = run("cmp w1, w2", 0, 0xFFFF_FFFF_0000_0001L, 2);
        assertThat(flags(m)).isEqualTo(N);
        assertThat(m.cpu.sp).isEqualTo(SP);

        m = run("subs x0, x1, x2, lsl #63", 0, 0, 1);
        assertThat(m.x(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(flags(m)).isEqualTo(N | V); // 0 - MIN overflows and borrows

        m = run("adds w0, w1, w2", 0, 0xFFFF_FFFFL, 1);
        assertThat(m.x(0)).isZero();
        assertThat(flags(m)).isEqualTo(Z | C);

        m = run("negs x0, x1", 0, 0);
        assertThat(flags(m)).isEqualTo(Z | C);
    }

    @Test
    void addSubShiftedWithRorOrWideShiftIn32BitIsUndefined() {
        assertUndefined(0x8BC0_0000); // add x0, x0, x0, ror #0
        assertUndefined(0x6BC0_0000); // subs w0, w0, w0, ror #0
        assertUndefined(0x0B00_8000); // add w0, w0, w0, lsl #32
    }

    // ---- Add/subtract (extended register) --------------------------------------------

    @Test
    void addSubExtendedRegisterUsesSpForRnAndRd() {
        TestMachine m = run("""
                add x0, sp, w1, uxtw #2
                add x2, x3, w1, sxtw
                sub sp, sp, x4, lsl #4
                add w5, w3, w1, sxth #1
                add x6, x3, w1, uxtb #4
                """, 0, 0x8000_FFFFL, 0, 0x1000, 2);
        assertThat(m.x(0)).isEqualTo(SP + 4 * 0x8000_FFFFL);
        assertThat(m.x(2)).isEqualTo(0x1000 + (long) (int) 0x8000_FFFF);
        assertThat(m.cpu.sp).isEqualTo(SP - 0x20);
        assertThat(m.x(5)).isEqualTo(0x1000 - 2);
        assertThat(m.x(6)).isEqualTo(0x1000 + 0xFF0);
    }

    @Test
    void addsSubsExtendedWriteXzrAndSetFlags() {
        TestMachine m = run("cmp sp, x1", 0, SP);
        assertThat(flags(m)).isEqualTo(Z | C);
        assertThat(m.cpu.sp).isEqualTo(SP);

        m = run("adds x0, x1, w2, sxtb", 0, 0x80, 0x80);
        assertThat(m.x(0)).isZero();
        assertThat(flags(m)).isEqualTo(Z | C);

        m = run("subs w0, wsp, w1, uxth", 0, 0x1_0001L);
        assertThat(m.x(0)).isEqualTo((SP - 1) & 0xFFFF_FFFFL);
        assertThat(flags(m)).isEqualTo(C);

        m = run("adds x0, sp, x1, uxtx #4", 0, 1);
        assertThat(m.x(0)).isEqualTo(SP + 16);
    }

    @Test
    void extendedShiftAbove4IsUndefined() {
        assertUndefined(0x8B20_1400); // add x0, x0, w0, uxtb #5
        assertUndefined(0xAB20_1C00); // adds x0, x0, w0, uxtb #7
        assertUndefined(0x4B20_1800); // sub w0, w0, w0, uxtb #6
    }

    // ---- Add/subtract with carry -------------------------------------------------------

    @Test
    void addWithCarryChainsA128BitSum() {
        // (2^64 - 1) + 1 = 2^64: low word 0 with carry, high word 0 + 0 + carry.
        TestMachine m = run("adds x0, x1, x2\nadcs x3, x4, x5", 0, -1L, 1, 0, 0, 0);
        assertThat(m.x(0)).isZero();
        assertThat(m.x(3)).isEqualTo(1);
        assertThat(flags(m)).isEqualTo(0);
    }

    @Test
    void adcAndSbcUseTheCarryFlag() {
        TestMachine m = runWithFlags(C, "adc x0, x1, x2\nsbc x3, x1, x2\nngc w4, w2\nadc w5, w6, w6", 0, 10, 3, 0, 0, 0, 0xFFFF_FFFFL);
        assertThat(m.x(0)).isEqualTo(14);
        assertThat(m.x(3)).isEqualTo(7);
        assertThat(m.x(4)).isEqualTo(0xFFFF_FFFDL);
        assertThat(m.x(5)).isEqualTo(0xFFFF_FFFFL); // 0xFFFFFFFF * 2 + 1, low word
        m = runWithFlags(0, "sbc x3, x1, x2", 0, 10, 3);
        assertThat(m.x(3)).isEqualTo(6);
    }

    @Test
    void adcsAndSbcsFlags() {
        TestMachine m = runWithFlags(C, "adcs x0, x1, x2", 0, -1L, 0);
        assertThat(m.x(0)).isZero();
        assertThat(flags(m)).isEqualTo(Z | C);

        m = runWithFlags(C, "adcs w0, w1, w2", 0, 0x7FFF_FFFFL, 0);
        assertThat(m.x(0)).isEqualTo(0x8000_0000L);
        assertThat(flags(m)).isEqualTo(N | V);

        // SBCS with C clear borrows one more: 5 - 5 - 1 = -1, no carry.
        m = runWithFlags(0, "sbcs x0, x1, x2", 0, 5, 5);
        assertThat(m.x(0)).isEqualTo(-1L);
        assertThat(flags(m)).isEqualTo(N);

        m = runWithFlags(C, "sbcs w0, w1, w2", 0, 0x8000_0000L, 1);
        assertThat(m.x(0)).isEqualTo(0x7FFF_FFFFL);
        assertThat(flags(m)).isEqualTo(C | V);
    }

    // ---- Conditional compare ----------------------------------------------------------

    @Test
    void conditionalCompareComparesWhenTheConditionHolds() {
        TestMachine m = runWithFlags(Z, "ccmp x1, x2, #0xf, eq", 0, 3, 5);
        assertThat(flags(m)).isEqualTo(N);
        m = runWithFlags(Z, "ccmp x1, x2, #0x5, ne", 0, 3, 5);
        assertThat(flags(m)).isEqualTo(Z | V);
        m = runWithFlags(0, "ccmn w1, #1, #0, ne", 0, 0xFFFF_FFFFL);
        assertThat(flags(m)).isEqualTo(Z | C);
        m = runWithFlags(0, "ccmp x1, #31, #8, eq", 0, 31);
        assertThat(flags(m)).isEqualTo(N);
        m = runWithFlags(N | V, "ccmp x1, #31, #0, ge", 0, 31);
        assertThat(flags(m)).isEqualTo(Z | C);
        m = runWithFlags(0, "ccmn x1, x2, #0, al", 0, Long.MAX_VALUE, 1);
        assertThat(flags(m)).isEqualTo(N | V);
        m = runWithFlags(Z, "ccmp w1, w2, #0, eq", 0, 0x1_0000_0000L, 1);
        assertThat(flags(m)).isEqualTo(N); // 0 - 1 in 32 bits
    }

    @Test
    void conditionNvBehavesAsAlways() {
        TestMachine m = runWithFlags(0, ".inst 0xFA42F022", 0, 3, 3); // ccmp x1, x2, #2, nv
        assertThat(flags(m)).isEqualTo(Z | C);
    }

    // ---- Conditional select -----------------------------------------------------------

    @Test
    void conditionalSelect() {
        TestMachine m = runWithFlags(Z, """
                csel x0, x1, x2, eq
                csel x3, x1, x2, ne
                csinc x4, x1, x2, ne
                cset w5, eq
                csetm x6, eq
                cneg x7, x1, eq
                csinv w8, w1, w2, ne
                csinc w9, w1, w10, ne
                csneg w11, w1, w1, ne
                csel w12, w13, w2, eq
                """, 0, 5, 7, 0, 0, 0, 0, 0, 0, 0, 0xFFFF_FFFFL, 0, 0, 0xAAAA_BBBB_CCCC_DDDDL);
        assertThat(m.x(0)).isEqualTo(5);
        assertThat(m.x(3)).isEqualTo(7);
        assertThat(m.x(4)).isEqualTo(8);
        assertThat(m.x(5)).isEqualTo(1);
        assertThat(m.x(6)).isEqualTo(-1L);
        assertThat(m.x(7)).isEqualTo(-5L);
        assertThat(m.x(8)).isEqualTo(0xFFFF_FFF8L);
        assertThat(m.x(9)).isZero();
        assertThat(m.x(11)).isEqualTo(0xFFFF_FFFBL);
        assertThat(m.x(12)).isEqualTo(0xCCCC_DDDDL);
    }

    // ---- Data processing, 1 source ------------------------------------------------------

    @Test
    void bitAndByteReversal() {
        TestMachine m = run("""
                rbit x0, x1
                rbit w2, w1
                rev16 x3, x1
                rev16 w4, w1
                rev32 x5, x1
                rev w6, w1
                rev x7, x1
                """, 0, 0x0102_0304_0506_0780L);
        assertThat(m.x(0)).isEqualTo(0x01E0_60A0_20C0_4080L);
        assertThat(m.x(2)).isEqualTo(0x01E0_60A0L);
        assertThat(m.x(3)).isEqualTo(0x0201_0403_0605_8007L);
        assertThat(m.x(4)).isEqualTo(0x0605_8007L);
        assertThat(m.x(5)).isEqualTo(0x0403_0201_8007_0605L);
        assertThat(m.x(6)).isEqualTo(0x8007_0605L);
        assertThat(m.x(7)).isEqualTo(0x8007_0605_0403_0201L);
    }

    @Test
    void countLeadingZerosAndSignBits() {
        TestMachine m = run("""
                clz x0, x1
                clz w2, wzr
                clz x3, xzr
                cls x4, x1
                cls w5, w6
                cls x7, xzr
                cls x8, x9
                clz w10, w1
                cls w11, w1
                """, 0, 0x0000_1000_8000_0000L, 0, 0, 0, 0, 0xFFFF_FFFFL, 0, 0, 0xFFF0_0000_0000_0000L);
        assertThat(m.x(0)).isEqualTo(19);
        assertThat(m.x(2)).isEqualTo(32);
        assertThat(m.x(3)).isEqualTo(64);
        assertThat(m.x(4)).isEqualTo(18);
        assertThat(m.x(5)).isEqualTo(31);
        assertThat(m.x(7)).isEqualTo(63);
        assertThat(m.x(8)).isEqualTo(11);
        assertThat(m.x(10)).isZero();
        assertThat(m.x(11)).isZero();
    }

    @Test
    void rev64With32BitSfIsUnallocated() {
        assertUndefined(0x5AC0_0C00);
    }

    // ---- Data processing, 2 source ------------------------------------------------------

    @Test
    void divisionRoundsTowardZeroAndNeverTraps() {
        TestMachine m = run("""
                udiv x0, x1, x2
                udiv x3, x1, xzr
                sdiv x4, x5, x6
                sdiv w7, w8, w9
                sdiv x10, x11, x2
                udiv w12, w6, w2
                sdiv w13, w11, w2
                sdiv x14, x1, xzr
                udiv x15, x6, x2
                """, 0, 100, 2, 0, 0, Long.MIN_VALUE, -1L, 0, 0x8000_0000L, 0xFFFF_FFFFL, 0, -7L);
        assertThat(m.x(0)).isEqualTo(50);
        assertThat(m.x(3)).isZero();
        assertThat(m.x(4)).isEqualTo(Long.MIN_VALUE);
        assertThat(m.x(7)).isEqualTo(0x8000_0000L);
        assertThat(m.x(10)).isEqualTo(-3L);
        assertThat(m.x(12)).isEqualTo(0x7FFF_FFFFL);
        assertThat(m.x(13)).isEqualTo(0xFFFF_FFFDL);
        assertThat(m.x(14)).isZero();
        assertThat(m.x(15)).isEqualTo(0x7FFF_FFFF_FFFF_FFFFL);
    }

    @Test
    void variableShiftsTakeTheAmountModuloTheWidth() {
        TestMachine m = run("""
                lslv x0, x1, x2
                lsrv w3, w1, w4
                asrv x5, x6, x7
                asrv w8, w6, w4
                rorv x9, x1, x7
                rorv w10, w1, w4
                lsl x11, x1, x12
                """, 0, 0x8000_0000_8000_0001L, 65, 0, 33, 0, 0x8000_0000_0000_0000L, 127);
        assertThat(m.x(0)).isEqualTo(0x0000_0001_0000_0002L);
        assertThat(m.x(3)).isEqualTo(0x4000_0000L);
        assertThat(m.x(5)).isEqualTo(-1L);
        assertThat(m.x(8)).isZero(); // low word of x6 is 0
        assertThat(m.x(9)).isEqualTo(0x0000_0001_0000_0003L);
        assertThat(m.x(10)).isEqualTo(0xC000_0000L);
        assertThat(m.x(11)).isEqualTo(0x8000_0000_8000_0001L);
    }

    /** CRC32 is optional in ARMv8.0: the assembler needs telling (a Cortex-A57 has it). */
    private static final String CRC = ".arch armv8-a+crc\n";

    @Test
    void crc32OfKnownStrings() {
        byte[] data = "12345678".getBytes(StandardCharsets.US_ASCII);
        long word = 0;
        for (int i = 7; i >= 0; i--) word = (word << 8) | data[i];
        CRC32 crc = new CRC32();
        crc.update(data);
        CRC32C crcc = new CRC32C();
        crcc.update(data);
        // The accumulator is Wn: the upper half of X1 must be ignored.
        TestMachine m = run(CRC + "crc32x w0, w1, x2\ncrc32cx w3, w1, x2\nmvn w0, w0\nmvn w3, w3", 0, 0xDEAD_BEEF_FFFF_FFFFL, word);
        assertThat(m.x(0)).isEqualTo(crc.getValue());
        assertThat(m.x(3)).isEqualTo(crcc.getValue());
    }

    @Test
    void crc32ByteHalfwordAndWordFormsGiveTheCheckValues() {
        // "123456789" (x1 = "1234", x2 = "5678", x3 = "9", x5 = "34") through B, H and W forms,
        // with the usual pre- and post-inversion: check values CBF43926 and E3069283.
        long[] regs = {0, 0x3433_3231L, 0x3837_3635L, 0xFFFF_FF39L, 0, 0x3433L};
        TestMachine m = run(CRC + "movn w0, #0\ncrc32w w0, w0, w1\ncrc32w w0, w0, w2\ncrc32b w0, w0, w3\nmvn w0, w0", regs);
        assertThat(m.x(0)).isEqualTo(0xCBF4_3926L);
        m = run(CRC + "movn w0, #0\ncrc32h w0, w0, w1\ncrc32h w0, w0, w5\ncrc32w w0, w0, w2\ncrc32b w0, w0, w3\nmvn w0, w0", regs);
        assertThat(m.x(0)).isEqualTo(0xCBF4_3926L);
        m = run(CRC + "movn w0, #0\ncrc32cw w0, w0, w1\ncrc32cw w0, w0, w2\ncrc32cb w0, w0, w3\nmvn w0, w0", regs);
        assertThat(m.x(0)).isEqualTo(0xE306_9283L);
        m = run(CRC + "movn w0, #0\ncrc32ch w0, w0, w1\ncrc32ch w0, w0, w5\ncrc32cw w0, w0, w2\ncrc32cb w0, w0, w3\nmvn w0, w0", regs);
        assertThat(m.x(0)).isEqualTo(0xE306_9283L);
    }

    @Test
    void crcSizeMustMatchSf() {
        assertUndefined(0x1AC2_4C20); // crc32x with sf = 0
        assertUndefined(0x9AC2_4020); // crc32b with sf = 1
        assertUndefined(0x1AC2_5C20); // crc32cx with sf = 0
        assertUndefined(0x9AC2_5420); // crc32ch with sf = 1
    }

    // ---- Data processing, 3 source ------------------------------------------------------

    @Test
    void multiplyAccumulate() {
        TestMachine m = run("""
                madd x0, x1, x2, x3
                msub x4, x1, x2, x3
                mul w5, w1, w6
                mneg x7, x1, x2
                madd w8, w6, w6, w3
                """, 0, 7, -3L, 100, 0, 0, 0x8000_0001L);
        assertThat(m.x(0)).isEqualTo(79);
        assertThat(m.x(4)).isEqualTo(121);
        assertThat(m.x(5)).isEqualTo(0x8000_0007L); // 7 * 0x80000001 = 0x3_8000_0007, low word
        assertThat(m.x(7)).isEqualTo(21);
        assertThat(m.x(8)).isEqualTo(0x0000_0065L); // 0x80000001^2 = 0x4000_0001_0000_0001, low word 1, + 100
    }

    @Test
    void longAndHighMultiplies() {
        TestMachine m = run("""
                smaddl x0, w1, w2, x3
                smull x4, w1, w2
                umaddl x5, w1, w2, x3
                umull x6, w2, w2
                smsubl x7, w1, w2, x3
                umsubl x8, w1, w2, x3
                smulh x9, x10, x10
                umulh x11, x12, x12
                smulh x13, x12, x14
                umulh x15, x12, x14
                """, 0, 0xFFFF_FFFF_FFFF_FFFEL, 0x1234_5678_FFFF_FFFDL, 100, 0, 0, 0, 0, 0, 0,
                Long.MIN_VALUE, 0, -1L, 0, 5);
        assertThat(m.x(0)).isEqualTo(106); // (-2) * (-3) + 100: upper words ignored
        assertThat(m.x(4)).isEqualTo(6);
        assertThat(m.x(5)).isEqualTo(0xFFFF_FFFEL * 0xFFFF_FFFDL + 100);
        assertThat(m.x(6)).isEqualTo(0xFFFF_FFFDL * 0xFFFF_FFFDL);
        assertThat(m.x(7)).isEqualTo(94);
        assertThat(m.x(8)).isEqualTo(100 - 0xFFFF_FFFEL * 0xFFFF_FFFDL);
        assertThat(m.x(9)).isEqualTo(0x4000_0000_0000_0000L);
        assertThat(m.x(11)).isEqualTo(0xFFFF_FFFF_FFFF_FFFEL);
        assertThat(m.x(13)).isEqualTo(-1L); // -1 * 5 = -5: high half all ones
        assertThat(m.x(15)).isEqualTo(4); // (2^64 - 1) * 5 = 4 * 2^64 + (2^64 - 5)
    }
}
