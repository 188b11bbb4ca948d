package io.deja.core.isa;

import io.deja.core.cpu.ExceptionClass;
import io.deja.core.mmu.FaultStatus;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads and stores: every addressing mode, size and extension, pairs,
 * literals, exclusives, acquire/release, the faults they take and the
 * CONSTRAINED UNPREDICTABLE choices (which match QEMU 7.2; the ones marked
 * "QEMU 7.2" were run there and gave the same registers and memory).
 *
 * The tests set registers directly and execute only load/store instructions,
 * so that they depend on nothing but this group.
 */
class LoadStoreTest {
    static final long D = TestMachine.DATA;
    static final long CODE = TestMachine.CODE;
    static final long VBAR = TestMachine.RAM_BASE + 0x1_0000;
    /** SCTLR_EL1.SA (EL1 SP alignment check) and SA0 (EL0). */
    static final long SCTLR_SA = 1L << 3, SCTLR_SA0 = 1L << 4;
    static final long UNMAPPED = 0x1000;

    static TestMachine machine(String asm) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.vbarEl1 = VBAR;
        return m;
    }

    static void poke64(TestMachine m, long pa, long value) {
        m.vm.writeMemory(pa, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    static long peek64(TestMachine m, long pa) {
        return ByteBuffer.wrap(m.vm.readMemory(pa, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Fills [D, D+32) with four distinct doublewords whose bytes are all different. */
    static void fillData(TestMachine m) {
        poke64(m, D, 0x8877665544332211L);
        poke64(m, D + 8, 0xF0E0D0C0B0A09080L);
        poke64(m, D + 16, 0x0123456789ABCDEFL);
        poke64(m, D + 24, 0xFEDCBA9876543210L);
    }

    static void assertNextPc(TestMachine m, int instructions) {
        assertThat(m.cpu.pc).isEqualTo(CODE + 4L * instructions);
        assertThat(m.cpu.esrEl1).as("no exception taken").isZero();
    }

    static void assertUndefined(TestMachine m) {
        assertThat(m.cpu.esrEl1).isEqualTo(0x0200_0000L);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
    }

    static void assertDataAbort(TestMachine m, long far, int dfsc, boolean write) {
        long esr = m.cpu.esrEl1;
        assertThat(esr >>> 26).as("EC").isEqualTo(ExceptionClass.DATA_ABORT_SAME);
        assertThat(esr & 0x3F).as("DFSC").isEqualTo(dfsc);
        assertThat((esr >>> 6) & 1).as("WnR").isEqualTo(write ? 1 : 0);
        assertThat(m.cpu.farEl1).as("FAR").isEqualTo(far);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
    }

    static void assertSpAlignmentFault(TestMachine m, long vectorOffset) {
        assertThat(m.cpu.esrEl1).isEqualTo(((long) ExceptionClass.SP_ALIGNMENT << 26) | (1L << 25));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
        assertThat(m.cpu.pc).isEqualTo(VBAR + vectorOffset);
    }

    @Nested
    class UnsignedOffset {
        @Test
        void loadsZeroExtendEverySize() {
            TestMachine m = machine("""
                    ldrb w0, [x1, #9]
                    ldrh w2, [x1, #10]
                    ldr w3, [x1, #12]
                    ldr x4, [x1, #8]
                    ldr x5, [x1, #32760]
                    """);
            fillData(m);
            poke64(m, D + 32760, 0x5555_6666_7777_8888L);
            m.cpu.x[1] = D;
            m.cpu.x[0] = m.cpu.x[2] = m.cpu.x[3] = -1;
            m.step(5);
            assertNextPc(m, 5);
            assertThat(m.x(0)).isEqualTo(0x90);
            assertThat(m.x(2)).isEqualTo(0xB0A0);
            assertThat(m.x(3)).isEqualTo(0xF0E0D0C0L);
            assertThat(m.x(4)).isEqualTo(0xF0E0D0C0B0A09080L);
            assertThat(m.x(5)).isEqualTo(0x5555_6666_7777_8888L);
        }

        @Test
        void signedLoadsExtendToWOrX() {
            TestMachine m = machine("""
                    ldrsb w0, [x1, #15]
                    ldrsb x2, [x1, #15]
                    ldrsh w3, [x1, #14]
                    ldrsh x4, [x1, #14]
                    ldrsw x5, [x1, #12]
                    ldrsb x6, [x1]
                    ldrsw x7, [x1]
                    ldrsh w8, [x1, #2]
                    """);
            fillData(m);
            m.cpu.x[1] = D;
            m.cpu.x[8] = -1;
            m.step(8);
            assertNextPc(m, 8);
            assertThat(m.x(0)).isEqualTo(0xFFFF_FFF0L);
            assertThat(m.x(2)).isEqualTo(0xFFFF_FFFF_FFFF_FFF0L);
            assertThat(m.x(3)).isEqualTo(0xFFFF_F0E0L);
            assertThat(m.x(4)).isEqualTo(0xFFFF_FFFF_FFFF_F0E0L);
            assertThat(m.x(5)).isEqualTo(0xFFFF_FFFF_F0E0_D0C0L);
            assertThat(m.x(6)).isEqualTo(0x11);
            assertThat(m.x(7)).isEqualTo(0x4433_2211L);
            assertThat(m.x(8)).as("positive W result clears the upper half").isEqualTo(0x4433);
        }

        @Test
        void storesWriteOnlyTheirSize() {
            TestMachine m = machine("""
                    strb w0, [x1, #1]
                    strh w0, [x1, #2]
                    str w0, [x1, #4]
                    str x0, [x1, #8]
                    str x0, [x1, #32760]
                    """);
            poke64(m, D, -1);
            m.cpu.x[0] = 0x1122334455667788L;
            m.cpu.x[1] = D;
            m.step(5);
            assertNextPc(m, 5);
            assertThat(peek64(m, D)).isEqualTo(0x55667788_778888FFL);
            assertThat(peek64(m, D + 8)).isEqualTo(0x1122334455667788L);
            assertThat(peek64(m, D + 32760)).isEqualTo(0x1122334455667788L);
        }

        @Test
        void registerThirtyOneIsTheZeroRegisterForData() {
            TestMachine m = machine("""
                    str xzr, [x1]
                    ldr xzr, [x1, #8]
                    strb wzr, [x1, #16]
                    """);
            fillData(m);
            m.cpu.x[1] = D;
            m.step(3);
            assertNextPc(m, 3);
            assertThat(peek64(m, D)).isZero();
            assertThat(m.cpu.x[31]).isZero();
            assertThat(peek64(m, D + 16)).isEqualTo(0x0123456789ABCD00L);
        }

        @Test
        void spIsTheBaseForRegisterThirtyOne() {
            TestMachine m = machine("""
                    str x0, [sp, #8]
                    ldr w2, [sp, #8]
                    """);
            m.cpu.sp = D + 32;
            m.cpu.x[0] = 0xAAAA_BBBB_CCCC_DDDDL;
            m.step(2);
            assertNextPc(m, 2);
            assertThat(peek64(m, D + 40)).isEqualTo(0xAAAA_BBBB_CCCC_DDDDL);
            assertThat(m.x(2)).isEqualTo(0xCCCC_DDDDL);
        }
    }

    @Nested
    class Imm9Forms {
        @Test
        void unscaledOffsetsAreSignedBytes() {
            TestMachine m = machine("""
                    ldur x0, [x1, #-8]
                    stur w2, [x1, #-4]
                    ldursb x3, [x1, #-1]
                    ldurh w4, [x1, #-2]
                    ldursw x5, [x1, #-4]
                    ldursh w6, [x1, #-2]
                    sturb w2, [x1, #255]
                    ldurb w7, [x1, #255]
                    ldur x8, [x1, #-256]
                    """);
            fillData(m);
            m.cpu.x[1] = D + 256;
            poke64(m, D + 248, 0x1234);
            poke64(m, D, 0x5678);
            m.cpu.x[2] = 0xFFFF_FFFF_8000_00C3L;
            m.step(9);
            assertNextPc(m, 9);
            assertThat(m.x(0)).isEqualTo(0x1234);
            assertThat(peek64(m, D + 248)).isEqualTo(0x8000_00C3_0000_1234L);
            assertThat(m.x(3)).isEqualTo(-128);
            assertThat(m.x(4)).isEqualTo(0x8000);
            assertThat(m.x(5)).isEqualTo(0xFFFF_FFFF_8000_00C3L);
            assertThat(m.x(6)).isEqualTo(0xFFFF_8000L);
            assertThat(m.x(7)).isEqualTo(0xC3);
            assertThat(m.x(8)).isEqualTo(0x5678);
            assertThat(m.x(1)).as("no writeback").isEqualTo(D + 256);
        }

        @Test
        void preIndexAccessesBasePlusOffsetAndWritesItBack() {
            TestMachine m = machine("""
                    ldr x0, [x1, #-8]!
                    str w2, [x3, #4]!
                    ldrsh x4, [x5, #-2]!
                    ldrb w6, [x7, #255]!
                    strh w2, [x8, #-256]!
                    ldrsw x9, [x10, #4]!
                    """);
            fillData(m);
            m.cpu.x[1] = D + 16;
            m.cpu.x[2] = 0x7766_5544_3322_1100L;
            m.cpu.x[3] = D + 32;
            m.cpu.x[5] = D + 16;
            m.cpu.x[7] = D - 240;
            m.cpu.x[8] = D + 296;
            m.cpu.x[10] = D + 8;
            m.step(6);
            assertNextPc(m, 6);
            assertThat(m.x(0)).isEqualTo(0xF0E0D0C0B0A09080L);
            assertThat(m.x(1)).isEqualTo(D + 8);
            assertThat(peek64(m, D + 32)).isEqualTo(0x3322_1100_0000_0000L);
            assertThat(m.x(3)).isEqualTo(D + 36);
            assertThat(m.x(4)).isEqualTo(0xFFFF_FFFF_FFFF_F0E0L);
            assertThat(m.x(5)).isEqualTo(D + 14);
            assertThat(m.x(6)).isEqualTo(0xF0);
            assertThat(m.x(7)).isEqualTo(D + 15);
            assertThat(peek64(m, D + 40)).isEqualTo(0x1100);
            assertThat(m.x(8)).isEqualTo(D + 40);
            assertThat(m.x(9)).isEqualTo(0xFFFF_FFFF_F0E0_D0C0L);
            assertThat(m.x(10)).isEqualTo(D + 12);
        }

        @Test
        void postIndexAccessesTheBaseThenWritesBack() {
            TestMachine m = machine("""
                    ldr x0, [x1], #16
                    strh w2, [x3], #-2
                    ldrsw x4, [x5], #4
                    ldrsb w6, [x7], #1
                    ldr w8, [x9], #-256
                    """);
            fillData(m);
            m.cpu.x[1] = D;
            m.cpu.x[2] = 0xABCD;
            m.cpu.x[3] = D + 32;
            m.cpu.x[5] = D + 12;
            m.cpu.x[7] = D + 15;
            m.cpu.x[9] = D + 4;
            m.step(5);
            assertNextPc(m, 5);
            assertThat(m.x(0)).isEqualTo(0x8877665544332211L);
            assertThat(m.x(1)).isEqualTo(D + 16);
            assertThat(peek64(m, D + 32)).isEqualTo(0xABCD);
            assertThat(m.x(3)).isEqualTo(D + 30);
            assertThat(m.x(4)).isEqualTo(0xFFFF_FFFF_F0E0_D0C0L);
            assertThat(m.x(5)).isEqualTo(D + 16);
            assertThat(m.x(6)).isEqualTo(0xFFFF_FFF0L);
            assertThat(m.x(7)).isEqualTo(D + 16);
            assertThat(m.x(8)).isEqualTo(0x8877_6655L);
            assertThat(m.x(9)).isEqualTo(D + 4 - 256);
        }

        @Test
        void spWritebackPushesAndPops() {
            TestMachine m = machine("""
                    str x0, [sp, #-16]!
                    ldr x1, [sp], #16
                    str wzr, [sp, #-16]!
                    """);
            m.cpu.sp = D + 64;
            poke64(m, D + 48, -1);
            m.cpu.x[0] = 0x0102_0304_0506_0708L;
            m.step(2);
            assertThat(peek64(m, D + 48)).isEqualTo(0x0102_0304_0506_0708L);
            assertThat(m.x(1)).isEqualTo(0x0102_0304_0506_0708L);
            assertThat(m.cpu.sp).isEqualTo(D + 64);
            m.step(1);
            assertNextPc(m, 3);
            assertThat(peek64(m, D + 48)).isEqualTo(0x0102_0304_0000_0000L);
            assertThat(m.cpu.sp).isEqualTo(D + 48);
        }

        @Test
        void unprivilegedFormsBehaveAsOrdinaryAccessesWithoutWriteback() {
            TestMachine m = machine("""
                    sttr x0, [x1, #8]
                    ldtr x2, [x1, #8]
                    sttrb w0, [x1, #-1]
                    ldtrsb x3, [x1, #-1]
                    sttrh w0, [x1, #-4]
                    ldtrh w4, [x1, #-4]
                    ldtrsh w5, [x1, #-4]
                    ldtrsw x6, [x1, #8]
                    sttr w0, [x1, #16]
                    ldtr w7, [x1, #16]
                    ldtrb w8, [x1, #-1]
                    """);
            m.cpu.x[0] = 0x8000_0000_8000_80F1L;
            m.cpu.x[1] = D + 16;
            m.step(11);
            assertNextPc(m, 11);
            assertThat(m.x(2)).isEqualTo(0x8000_0000_8000_80F1L);
            assertThat(m.x(3)).isEqualTo(0xFFFF_FFFF_FFFF_FFF1L);
            assertThat(m.x(4)).isEqualTo(0x80F1);
            assertThat(m.x(5)).isEqualTo(0xFFFF_80F1L);
            assertThat(m.x(6)).isEqualTo(0xFFFF_FFFF_8000_80F1L);
            assertThat(m.x(7)).isEqualTo(0x8000_80F1L);
            assertThat(m.x(8)).isEqualTo(0xF1);
            assertThat(m.x(1)).isEqualTo(D + 16);
        }
    }

    @Nested
    class RegisterOffset {
        @Test
        void indexIsExtendedAndScaledByTheAccessSize() {
            TestMachine m = machine("""
                    ldr x0, [x1, x2, lsl #3]
                    ldr w4, [x1, w5, uxtw #2]
                    ldr x6, [x7, w8, sxtw]
                    ldr x9, [x10, x11, sxtx #3]
                    ldrb w12, [x1, x13, lsl #0]
                    ldrh w14, [x1, x15, lsl #1]
                    ldrsw x18, [x1, w19, uxtw #2]
                    ldrsb w20, [x1, x21]
                    ldr x22, [x1, xzr]
                    ldrsh x23, [x1, x24, sxtx]
                    ldr w25, [x1, w26, uxtw]
                    """);
            fillData(m);
            m.cpu.x[1] = D;
            m.cpu.x[2] = 2;
            m.cpu.x[5] = 0xFFFF_FFFF_0000_0002L;
            m.cpu.x[7] = D + 16;
            m.cpu.x[8] = 0x1234_5678_FFFF_FFF8L;
            m.cpu.x[10] = D + 16;
            m.cpu.x[11] = -1;
            m.cpu.x[13] = 3;
            m.cpu.x[15] = 3;
            m.cpu.x[19] = 0x8000_0000_0000_0003L;
            m.cpu.x[21] = 15;
            m.cpu.x[24] = 14;
            m.cpu.x[26] = 0xFFFF_FFFF_0000_0004L;
            m.step(11);
            assertNextPc(m, 11);
            assertThat(m.x(0)).isEqualTo(0x0123456789ABCDEFL);
            assertThat(m.x(4)).isEqualTo(0xB0A0_9080L);
            assertThat(m.x(6)).isEqualTo(0xF0E0D0C0B0A09080L);
            assertThat(m.x(9)).isEqualTo(0xF0E0D0C0B0A09080L);
            assertThat(m.x(12)).isEqualTo(0x44);
            assertThat(m.x(14)).isEqualTo(0x8877);
            assertThat(m.x(18)).isEqualTo(0xFFFF_FFFF_F0E0_D0C0L);
            assertThat(m.x(20)).isEqualTo(0xFFFF_FFF0L);
            assertThat(m.x(22)).isEqualTo(0x8877665544332211L);
            assertThat(m.x(23)).isEqualTo(0xFFFF_FFFF_FFFF_F0E0L);
            assertThat(m.x(25)).isEqualTo(0x8877_6655L);
        }

        @Test
        void storesUseTheSameAddressing() {
            TestMachine m = machine("""
                    strh w0, [x1, x2, lsl #1]
                    str x0, [x1, w3, sxtw #3]
                    strb w0, [x1, x4]
                    str w0, [x1, w5, uxtw #2]
                    """);
            m.cpu.x[0] = 0x1122_3344_5566_7788L;
            m.cpu.x[1] = D + 32;
            m.cpu.x[2] = 1;
            m.cpu.x[3] = 0xFFFF_FFFEL;
            m.cpu.x[4] = 8;
            m.cpu.x[5] = 0x1_0000_0003L;
            m.step(4);
            assertNextPc(m, 4);
            assertThat(peek64(m, D + 32)).isEqualTo(0x7788_0000L);
            assertThat(peek64(m, D + 16)).isEqualTo(0x1122_3344_5566_7788L);
            assertThat(peek64(m, D + 40)).isEqualTo(0x5566_7788_0000_0088L);
        }

        @Test
        void byteOrHalfwordIndexIsUndefined() {
            // ldr x0,[x1,x2] / str x0,[x1,x2] / ldrsw x0,[x1,x2] / prfm [x1,x2] with option 000, 001, 100, 101.
            int[] bases = {0xF8626820, 0xF8226820, 0xB8A26820, 0xF8A26820};
            for (int base : bases) {
                for (int option : new int[] {0, 1, 4, 5}) {
                    int insn = (base & ~(7 << 13)) | (option << 13);
                    TestMachine m = machine(".inst 0x" + Integer.toHexString(insn));
                    m.cpu.x[1] = D;
                    m.step(1);
                    assertUndefined(m);
                }
            }
        }
    }

    @Test
    void reservedSizeAndOpcCombinationsAreUndefined() {
        int[] reserved = {
            0xB9C00020, // LDRS (unsigned offset) size 10 opc 11
            0xF9C00020, // LDRS (unsigned offset) size 11 opc 11
            0xB8C00020, // LDURS size 10 opc 11
            0xF8C00020, // LDURS size 11 opc 11
            0xF8808C20, // LDRS pre-index size 11 opc 10 (no PRFM in this form)
            0xF8808420, // LDRS post-index size 11 opc 10
            0xF8800820, // LDTRS size 11 opc 10
            0xF8C08C20, // LDRS pre-index size 11 opc 11
            0xB8E26820, // LDRS (register) size 10 opc 11
            0xE9400440, // LDP opc 11
            0xE8400440, // LDNP opc 11
            0x69000440, // STP opc 01 (STGP, ARMv8.5)
            0x68000440, // STNP opc 01
            0x68400440, // LDNP opc 01 (LDPSW has no no-allocate form)
        };
        for (int insn : reserved) {
            TestMachine m = machine(".inst 0x" + Integer.toHexString(insn));
            m.cpu.x[1] = D;
            m.cpu.x[2] = D;
            m.cpu.x[0] = 0x5A5A;
            m.step(1);
            assertThat(m.cpu.esrEl1).as("0x%08x", insn).isEqualTo(0x0200_0000L);
            assertThat(m.cpu.elrEl1).isEqualTo(CODE);
            assertThat(m.x(0)).isEqualTo(0x5A5A);
        }
    }

    @Test
    void prefetchesAreHintsThatNeverFault() {
        TestMachine m = machine("""
                prfm pldl1keep, [x1]
                prfm pstl2strm, [sp, #8]
                prfum pldl1keep, [x1, #-3]
                prfm pldl1keep, [x1, x2, lsl #3]
                prfm plil3keep, [sp, w2, sxtw]
                prfm pldl1keep, .
                prfm #0x1f, [x1]
                """);
        m.cpu.x[1] = UNMAPPED + 1;
        m.cpu.x[2] = 7;
        m.cpu.sp = D + 3;
        m.step(7);
        assertNextPc(m, 7);
    }

    @Test
    void literalLoadsArePcRelativeInBothDirections() {
        TestMachine m = machine("""
                0:  .quad 0x8877665544332211
                    .word 0x80000001
                    .word 0
                    ldr x0, 0b
                    ldr w1, 0b
                    ldrsw x2, 0b + 8
                    ldr w3, 1f
                    ldrsw x4, 1f
                    ldr x5, 2f
                    prfm pldl1keep, 0b
                1:  .word 0x7FFFFFFF
                2:  .quad 0x0102030405060708
                """);
        m.cpu.pc = CODE + 16;
        m.cpu.x[1] = -1;
        m.step(7);
        assertThat(m.cpu.pc).isEqualTo(CODE + 16 + 7 * 4);
        assertThat(m.x(0)).isEqualTo(0x8877665544332211L);
        assertThat(m.x(1)).isEqualTo(0x44332211L);
        assertThat(m.x(2)).isEqualTo(0xFFFF_FFFF_8000_0001L);
        assertThat(m.x(3)).isEqualTo(0x7FFF_FFFFL);
        assertThat(m.x(4)).isEqualTo(0x7FFF_FFFFL);
        assertThat(m.x(5)).isEqualTo(0x0102030405060708L);
    }

    @Nested
    class Pairs {
        @Test
        void storePairInEveryMode() {
            TestMachine m = machine("""
                    stp x0, x1, [x2, #16]
                    stp w0, w1, [x3, #-8]!
                    stp x0, x1, [x4], #-16
                    stnp w1, w0, [x5, #4]
                    stnp x1, x0, [x6, #-512]
                    stp w0, w1, [x7, #252]
                    """);
            m.cpu.x[0] = 0x1111_1111_AAAA_AAAAL;
            m.cpu.x[1] = 0x2222_2222_BBBB_BBBBL;
            m.cpu.x[2] = D;
            m.cpu.x[3] = D + 40;
            m.cpu.x[4] = D + 48;
            m.cpu.x[5] = D + 60;
            m.cpu.x[6] = D + 512 + 80;
            m.cpu.x[7] = D + 96 - 252;
            m.step(6);
            assertNextPc(m, 6);
            assertThat(peek64(m, D + 16)).isEqualTo(0x1111_1111_AAAA_AAAAL);
            assertThat(peek64(m, D + 24)).isEqualTo(0x2222_2222_BBBB_BBBBL);
            assertThat(peek64(m, D + 32)).isEqualTo(0xBBBB_BBBB_AAAA_AAAAL);
            assertThat(m.x(3)).isEqualTo(D + 32);
            assertThat(peek64(m, D + 48)).isEqualTo(0x1111_1111_AAAA_AAAAL);
            assertThat(peek64(m, D + 56)).isEqualTo(0x2222_2222_BBBB_BBBBL);
            assertThat(m.x(4)).isEqualTo(D + 32);
            assertThat(peek64(m, D + 64)).isEqualTo(0xAAAA_AAAA_BBBB_BBBBL);
            assertThat(m.x(5)).as("no-allocate form has no writeback").isEqualTo(D + 60);
            assertThat(peek64(m, D + 80)).isEqualTo(0x2222_2222_BBBB_BBBBL);
            assertThat(peek64(m, D + 88)).isEqualTo(0x1111_1111_AAAA_AAAAL);
            assertThat(peek64(m, D + 96)).isEqualTo(0xBBBB_BBBB_AAAA_AAAAL);
        }

        @Test
        void loadPairInEveryMode() {
            TestMachine m = machine("""
                    ldp x0, x1, [x2, #16]
                    ldp w3, w4, [x5, #-8]!
                    ldp x6, x7, [x8], #16
                    ldnp w9, w10, [x11, #4]
                    ldnp x12, x13, [x14, #-512]
                    """);
            fillData(m);
            m.cpu.x[2] = D;
            m.cpu.x[3] = m.cpu.x[4] = -1;
            m.cpu.x[5] = D + 16;
            m.cpu.x[8] = D;
            m.cpu.x[11] = D + 4;
            m.cpu.x[14] = D + 512;
            m.step(5);
            assertNextPc(m, 5);
            assertThat(m.x(0)).isEqualTo(0x0123456789ABCDEFL);
            assertThat(m.x(1)).isEqualTo(0xFEDCBA9876543210L);
            assertThat(m.x(3)).isEqualTo(0xB0A0_9080L);
            assertThat(m.x(4)).isEqualTo(0xF0E0_D0C0L);
            assertThat(m.x(5)).isEqualTo(D + 8);
            assertThat(m.x(6)).isEqualTo(0x8877665544332211L);
            assertThat(m.x(7)).isEqualTo(0xF0E0D0C0B0A09080L);
            assertThat(m.x(8)).isEqualTo(D + 16);
            assertThat(m.x(9)).isEqualTo(0xB0A0_9080L);
            assertThat(m.x(10)).isEqualTo(0xF0E0_D0C0L);
            assertThat(m.x(11)).isEqualTo(D + 4);
            assertThat(m.x(12)).isEqualTo(0x8877665544332211L);
            assertThat(m.x(13)).isEqualTo(0xF0E0D0C0B0A09080L);
        }

        @Test
        void ldpswSignExtendsBothWords() {
            TestMachine m = machine("""
                    ldpsw x0, x1, [x2, #8]
                    ldpsw x3, x4, [x5, #-16]!
                    ldpsw x6, x7, [x8], #8
                    """);
            fillData(m);
            m.cpu.x[2] = D;
            m.cpu.x[5] = D + 16;
            m.cpu.x[8] = D + 16;
            m.step(3);
            assertNextPc(m, 3);
            assertThat(m.x(0)).isEqualTo(0xFFFF_FFFF_B0A0_9080L);
            assertThat(m.x(1)).isEqualTo(0xFFFF_FFFF_F0E0_D0C0L);
            assertThat(m.x(3)).isEqualTo(0x4433_2211L);
            assertThat(m.x(4)).isEqualTo(0xFFFF_FFFF_8877_6655L);
            assertThat(m.x(5)).isEqualTo(D);
            assertThat(m.x(6)).isEqualTo(0xFFFF_FFFF_89AB_CDEFL);
            assertThat(m.x(7)).isEqualTo(0x0123_4567L);
            assertThat(m.x(8)).isEqualTo(D + 24);
        }

        @Test
        void spPushAndPopOfAFramePair() {
            TestMachine m = machine("""
                    stp x29, x30, [sp, #-32]!
                    ldp x0, x1, [sp], #32
                    """);
            m.cpu.sp = D + 128;
            m.cpu.x[29] = 0x29;
            m.cpu.x[30] = 0x30;
            m.step(2);
            assertNextPc(m, 2);
            assertThat(peek64(m, D + 96)).isEqualTo(0x29);
            assertThat(peek64(m, D + 104)).isEqualTo(0x30);
            assertThat(m.x(0)).isEqualTo(0x29);
            assertThat(m.x(1)).isEqualTo(0x30);
            assertThat(m.cpu.sp).isEqualTo(D + 128);
        }

        @Test
        void faultOnTheSecondElementChangesNoRegister() {
            long lastWord = TestMachine.RAM_BASE + TestMachine.RAM_SIZE - 8;
            TestMachine m = machine("ldp x0, x1, [x2], #16");
            m.cpu.x[0] = 0xA;
            m.cpu.x[1] = 0xB;
            m.cpu.x[2] = lastWord;
            m.step(1);
            assertDataAbort(m, lastWord + 8, FaultStatus.SYNC_EXTERNAL, false);
            assertThat(m.x(0)).isEqualTo(0xA);
            assertThat(m.x(1)).isEqualTo(0xB);
            assertThat(m.x(2)).isEqualTo(lastWord);
        }
    }

    @Nested
    class Exclusives {
        @Test
        void storeExclusiveSucceedsOnceAfterLoadExclusive() {
            TestMachine m = machine("""
                    ldxr x0, [x1]
                    stxr w2, x3, [x1]
                    stxr w4, x5, [x1]
                    """);
            poke64(m, D, 5);
            m.cpu.x[1] = D;
            m.cpu.x[2] = m.cpu.x[4] = -1;
            m.cpu.x[3] = 0x33;
            m.cpu.x[5] = 0x55;
            m.step(1);
            assertThat(m.x(0)).isEqualTo(5);
            assertThat(m.cpu.exclusiveValid).isTrue();
            m.step(1);
            assertThat(m.x(2)).as("success").isZero();
            assertThat(peek64(m, D)).isEqualTo(0x33);
            assertThat(m.cpu.exclusiveValid).isFalse();
            m.step(1);
            assertThat(m.x(4)).as("monitor was cleared: failure").isEqualTo(1);
            assertThat(peek64(m, D)).isEqualTo(0x33);
            assertNextPc(m, 3);
        }

        @Test
        void storeExclusiveWithoutMonitorFailsAndStoresNothing() {
            TestMachine m = machine("stlxr w2, x3, [x1]");
            poke64(m, D, 5);
            m.cpu.x[1] = D;
            m.cpu.x[2] = -1;
            m.step(1);
            assertNextPc(m, 1);
            assertThat(m.x(2)).isEqualTo(1);
            assertThat(peek64(m, D)).isEqualTo(5);
        }

        @Test
        void storeExclusiveToAnotherAddressOrSizeFailsAndClearsTheMonitor() {
            TestMachine m = machine("""
                    ldxr x0, [x1]
                    stxr w2, x3, [x4]
                    stxr w5, x3, [x1]
                    ldxr x0, [x1]
                    stxr w6, w3, [x1]
                    ldxr w0, [x1]
                    stxp w7, w3, w3, [x1]
                    """);
            m.cpu.x[1] = D;
            m.cpu.x[3] = 0x77;
            m.cpu.x[4] = D + 8;
            m.step(7);
            assertNextPc(m, 7);
            assertThat(m.x(2)).isEqualTo(1);
            assertThat(m.x(5)).as("failed STXR cleared the monitor").isEqualTo(1);
            assertThat(m.x(6)).as("32-bit STXR after 64-bit LDXR").isEqualTo(1);
            assertThat(m.x(7)).as("pair after single").isEqualTo(1);
            assertThat(peek64(m, D)).isZero();
            assertThat(peek64(m, D + 8)).isZero();
        }

        @Test
        void everySizeLoadsAndStoresOnlyItsBytes() {
            TestMachine m = machine("""
                    ldxrb w0, [x1]
                    stxrb w10, w20, [x1]
                    ldaxrh w2, [x3]
                    stlxrh w11, w20, [x3]
                    ldxr w4, [x5]
                    stxr w12, w20, [x5]
                    ldaxr x6, [x7]
                    stlxr w13, x20, [x7]
                    """);
            fillData(m);
            m.cpu.x[1] = D + 1;
            m.cpu.x[3] = D + 10;
            m.cpu.x[5] = D + 20;
            m.cpu.x[7] = D + 24;
            m.cpu.x[20] = 0x0102_0304_0506_0708L;
            m.cpu.x[10] = m.cpu.x[11] = m.cpu.x[12] = m.cpu.x[13] = -1;
            m.step(8);
            assertNextPc(m, 8);
            assertThat(m.x(0)).isEqualTo(0x22);
            assertThat(m.x(2)).isEqualTo(0xB0A0);
            assertThat(m.x(4)).isEqualTo(0x0123_4567L);
            assertThat(m.x(6)).isEqualTo(0xFEDCBA9876543210L);
            assertThat(new long[] {m.x(10), m.x(11), m.x(12), m.x(13)}).containsOnly(0);
            assertThat(peek64(m, D)).isEqualTo(0x8877665544330811L);
            assertThat(peek64(m, D + 8)).isEqualTo(0xF0E0D0C0_0708_9080L);
            assertThat(peek64(m, D + 16)).isEqualTo(0x0506_0708_89ABCDEFL);
            assertThat(peek64(m, D + 24)).isEqualTo(0x0102_0304_0506_0708L);
        }

        @Test
        void pairsOf32BitWords() {
            TestMachine m = machine("""
                    ldxp w0, w1, [x2]
                    stxp w3, w4, w5, [x2]
                    """);
            fillData(m);
            m.cpu.x[0] = m.cpu.x[1] = -1;
            m.cpu.x[2] = D + 8;
            m.cpu.x[4] = 0xFFFF_FFFF_0000_0004L;
            m.cpu.x[5] = 0x5;
            m.step(2);
            assertNextPc(m, 2);
            assertThat(m.x(0)).isEqualTo(0xB0A0_9080L);
            assertThat(m.x(1)).isEqualTo(0xF0E0_D0C0L);
            assertThat(m.x(3)).isZero();
            assertThat(peek64(m, D + 8)).isEqualTo(0x0000_0005_0000_0004L);
        }

        @Test
        void pairsOf64BitWords() {
            TestMachine m = machine("""
                    ldaxp x0, x1, [x2]
                    stlxp w3, x4, x5, [x2]
                    stxp w6, x5, x4, [x2]
                    """);
            fillData(m);
            m.cpu.x[2] = D + 16;
            m.cpu.x[4] = 0x4444;
            m.cpu.x[5] = 0x5555;
            m.step(3);
            assertNextPc(m, 3);
            assertThat(m.x(0)).isEqualTo(0x0123456789ABCDEFL);
            assertThat(m.x(1)).isEqualTo(0xFEDCBA9876543210L);
            assertThat(m.x(3)).isZero();
            assertThat(m.x(6)).isEqualTo(1);
            assertThat(peek64(m, D + 16)).isEqualTo(0x4444);
            assertThat(peek64(m, D + 24)).isEqualTo(0x5555);
        }

        @Test
        void failingStoreExclusiveToAnUnmappedAddressDoesNotFault() {
            // The monitor check fails before translation (AArch64.ExclusiveMonitorsPass): no access, no abort.
            TestMachine m = machine("stxr w2, x3, [x1]");
            m.cpu.x[1] = UNMAPPED;
            m.step(1);
            assertNextPc(m, 1);
            assertThat(m.x(2)).isEqualTo(1);
        }

        @Test
        void loadAcquireAndStoreReleaseEverySize() {
            TestMachine m = machine("""
                    ldarb w0, [x1]
                    ldarh w2, [x3]
                    ldar w4, [x5]
                    ldar x6, [x7]
                    stlrb w20, [x1]
                    stlrh w20, [x3]
                    stlr w20, [x5]
                    stlr x20, [x7]
                    """);
            fillData(m);
            m.cpu.x[1] = D + 1;
            m.cpu.x[3] = D + 10;
            m.cpu.x[5] = D + 20;
            m.cpu.x[7] = D + 24;
            m.cpu.x[20] = 0x0102_0304_0506_0708L;
            m.step(8);
            assertNextPc(m, 8);
            assertThat(m.x(0)).isEqualTo(0x22);
            assertThat(m.x(2)).isEqualTo(0xB0A0);
            assertThat(m.x(4)).isEqualTo(0x0123_4567L);
            assertThat(m.x(6)).isEqualTo(0xFEDCBA9876543210L);
            assertThat(peek64(m, D)).isEqualTo(0x8877665544330811L);
            assertThat(peek64(m, D + 8)).isEqualTo(0xF0E0D0C0_0708_9080L);
            assertThat(peek64(m, D + 16)).isEqualTo(0x0506_0708_89ABCDEFL);
            assertThat(peek64(m, D + 24)).isEqualTo(0x0102_0304_0506_0708L);
        }

        @Test
        void acquireReleaseDoesNotTouchTheMonitor() {
            TestMachine m = machine("""
                    ldxr x0, [x1]
                    ldar x2, [x1]
                    stlr x3, [x1]
                    stxr w4, x5, [x1]
                    """);
            m.cpu.x[1] = D;
            m.cpu.x[5] = 0x55;
            m.step(4);
            assertNextPc(m, 4);
            assertThat(m.x(4)).isZero();
            assertThat(peek64(m, D)).isEqualTo(0x55);
        }
    }

    @Nested
    class AlignmentFaults {
        @Test
        void misalignedLoadFaultsWithFarAndLeavesRegistersAlone() {
            TestMachine m = machine("ldr x0, [x1]");
            m.cpu.x[0] = 0xA;
            m.cpu.x[1] = D + 4;
            m.step(1);
            assertDataAbort(m, D + 4, FaultStatus.ALIGNMENT, false);
            assertThat(m.x(0)).isEqualTo(0xA);
        }

        @Test
        void misalignedStoreFaultsAsAWrite() {
            TestMachine m = machine("str w0, [x1, #2]");
            m.cpu.x[1] = D;
            m.step(1);
            assertDataAbort(m, D + 2, FaultStatus.ALIGNMENT, true);
        }

        @Test
        void faultingWritebackFormsDoNotWriteBack() {
            for (String asm : new String[] {"ldr x0, [x1, #8]!", "ldrh w0, [x1], #2", "strh w0, [x1, #-2]!", "ldp x0, x2, [x1], #16", "stp w0, w2, [x1, #-8]!"}) {
                TestMachine m = machine(asm);
                m.cpu.x[0] = 0xA;
                m.cpu.x[1] = D + 1;
                m.step(1);
                assertThat(m.cpu.esrEl1 >>> 26).as(asm).isEqualTo(ExceptionClass.DATA_ABORT_SAME);
                assertThat(m.cpu.esrEl1 & 0x3F).as(asm).isEqualTo(FaultStatus.ALIGNMENT);
                assertThat(m.x(0)).as(asm).isEqualTo(0xA);
                assertThat(m.x(1)).as(asm).isEqualTo(D + 1);
            }
        }

        @Test
        void misalignedLiteralLoadFaults() {
            // MMU off: Device memory, so even a PC-relative 8-byte load must be aligned (QEMU 7.2 does not fault).
            TestMachine m = machine("""
                    ldr x0, 1f
                    1: .word 0, 0
                    """);
            m.step(1);
            assertDataAbort(m, CODE + 4, FaultStatus.ALIGNMENT, false);
        }

        @Test
        void exclusivesAndAcquireReleaseNeedNaturalAlignment() {
            record Case(String asm, long address, boolean write) {}
            Case[] cases = {
                new Case("ldxr w0, [x1]", D + 2, false),
                new Case("ldaxrh w0, [x1]", D + 1, false),
                new Case("stxr w2, w0, [x1]", D + 2, true), // faults even though the monitor would fail
                new Case("stlxrh w2, w0, [x1]", D + 3, true),
                new Case("ldxp x0, x3, [x1]", D + 8, false), // 64-bit pair: 16-byte aligned
                new Case("stxp w2, x0, x3, [x1]", D + 8, true),
                new Case("ldxp w0, w3, [x1]", D + 4, false), // 32-bit pair: 8-byte aligned
                new Case("stlxp w2, w0, w3, [x1]", D + 4, true),
                new Case("ldarh w0, [x1]", D + 1, false),
                new Case("ldar x0, [x1]", D + 4, false),
                new Case("stlr x0, [x1]", D + 4, true),
                new Case("stlrh w0, [x1]", D + 1, true),
            };
            for (Case k : cases) {
                TestMachine m = machine(k.asm);
                m.cpu.x[0] = 0xA;
                m.cpu.x[1] = k.address;
                m.cpu.x[2] = 0xB;
                m.step(1);
                assertThat(m.cpu.esrEl1 & 0x3F).as(k.asm).isEqualTo(FaultStatus.ALIGNMENT);
                assertDataAbort(m, k.address, FaultStatus.ALIGNMENT, k.write);
                assertThat(m.x(0)).as(k.asm).isEqualTo(0xA);
                assertThat(m.x(2)).as(k.asm).isEqualTo(0xB);
                assertThat(m.cpu.exclusiveValid).as(k.asm).isFalse();
            }
        }

        @Test
        void misalignedStoreExclusiveKeepsTheMonitor() {
            TestMachine m = machine("""
                    ldxr x0, [x1]
                    stxr w2, x3, [x4]
                    """);
            m.cpu.x[1] = D;
            m.cpu.x[4] = D + 4;
            m.step(2);
            assertThat(m.cpu.esrEl1 & 0x3F).isEqualTo(FaultStatus.ALIGNMENT);
            assertThat(m.cpu.elrEl1).isEqualTo(CODE + 4);
            assertThat(m.cpu.exclusiveValid).isTrue();
        }
    }

    @Nested
    class SpAlignment {
        @Test
        void everyFormThroughAMisalignedSpFaults() {
            String[] forms = {
                "ldr x0, [sp]", "str x0, [sp, #8]", "ldrb w0, [sp, #1]", "ldr x0, [sp, #-8]!", "str x0, [sp], #8",
                "ldur w0, [sp, #-4]", "ldtr x0, [sp]", "ldrsh x0, [sp, #2]", "ldr x0, [sp, x1]", "strb w0, [sp, w1, uxtw]",
                "stp x0, x1, [sp, #-16]!", "ldp w0, w1, [sp]", "ldpsw x0, x1, [sp]", "ldxr x0, [sp]", "stxr w0, x1, [sp]",
                "ldxp x0, x1, [sp]", "stlxp w0, x1, x2, [sp]", "ldar x0, [sp]", "stlr x0, [sp]",
            };
            for (String asm : forms) {
                TestMachine m = machine(asm);
                m.cpu.sp = D + 8;
                m.cpu.x[0] = 0xA;
                m.step(1);
                assertThat(m.cpu.esrEl1 >>> 26).as(asm).isEqualTo(ExceptionClass.SP_ALIGNMENT);
                assertSpAlignmentFault(m, 0x200);
                assertThat(m.x(0)).as(asm).isEqualTo(0xA);
                assertThat(m.cpu.sp).as(asm).isEqualTo(D + 8);
            }
        }

        @Test
        void checkIsOnSpItselfNotOnTheAddress() {
            TestMachine m = machine("ldr x0, [sp, #8]");
            m.cpu.sp = D + 8;
            m.step(1);
            assertSpAlignmentFault(m, 0x200);

            m = machine("ldr x0, [sp, #8]");
            m.cpu.sp = D;
            poke64(m, D + 8, 0x42);
            m.step(1);
            assertNextPc(m, 1);
            assertThat(m.x(0)).isEqualTo(0x42);
        }

        @Test
        void otherBaseRegistersNeedNo16ByteAlignment() {
            TestMachine m = machine("ldp x0, x2, [x1]");
            m.cpu.x[1] = D + 8;
            m.step(1);
            assertNextPc(m, 1);
        }

        @Test
        void sctlrSaClearDisablesTheCheckAtEl1() {
            TestMachine m = machine("ldr x0, [sp]");
            m.cpu.sctlrEl1 &= ~SCTLR_SA;
            m.cpu.sp = D + 8;
            poke64(m, D + 8, 0x42);
            m.step(1);
            assertNextPc(m, 1);
            assertThat(m.x(0)).isEqualTo(0x42);
        }

        @Test
        void el0IsGovernedBySa0() {
            TestMachine m = machine("ldr x0, [sp]");
            m.vm.setPstate(0); // EL0t
            m.cpu.sp = D + 8;
            m.step(1);
            assertSpAlignmentFault(m, 0x400);

            m = machine("ldr x0, [sp]");
            m.vm.setPstate(0);
            m.cpu.sctlrEl1 &= ~SCTLR_SA0;
            m.cpu.sp = D + 8;
            poke64(m, D + 8, 0x42);
            m.step(1);
            assertNextPc(m, 1);
            assertThat(m.x(0)).isEqualTo(0x42);

            m = machine("ldr x0, [sp]");
            m.vm.setPstate(0);
            m.cpu.sctlrEl1 &= ~SCTLR_SA; // SA alone does not govern EL0
            m.cpu.sp = D + 8;
            m.step(1);
            assertSpAlignmentFault(m, 0x400);
        }
    }

    @Nested
    class UnmappedAddresses {
        @Test
        void loadTakesSynchronousExternalAbort() {
            TestMachine m = machine("ldr x0, [x1, #8]");
            m.cpu.x[1] = UNMAPPED;
            m.step(1);
            assertDataAbort(m, UNMAPPED + 8, FaultStatus.SYNC_EXTERNAL, false);
        }

        @Test
        void storeTakesSynchronousExternalAbortAsAWrite() {
            TestMachine m = machine("strb w0, [x1]");
            m.cpu.x[1] = UNMAPPED + 3;
            m.step(1);
            assertDataAbort(m, UNMAPPED + 3, FaultStatus.SYNC_EXTERNAL, true);
        }

        @Test
        void fromEl0TheAbortComesFromALowerEl() {
            TestMachine m = machine("ldr x0, [x1]");
            m.vm.setPstate(0);
            m.cpu.x[1] = UNMAPPED;
            m.step(1);
            assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(ExceptionClass.DATA_ABORT_LOWER);
            assertThat(m.cpu.esrEl1 & 0x3F).isEqualTo(FaultStatus.SYNC_EXTERNAL);
            assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);
        }
    }

    /** The CONSTRAINED UNPREDICTABLE choices; each was run on QEMU 7.2 with the same outcome. */
    @Nested
    class ConstrainedUnpredictable {
        @Test
        void loadWithWritebackIntoTheBaseKeepsTheWrittenBackAddress() {
            TestMachine m = machine("""
                    ldr x1, [x1, #8]!
                    ldr x2, [x2], #8
                    ldpsw x3, x4, [x3, #8]!
                    ldp x5, x6, [x5], #16
                    """);
            fillData(m);
            m.cpu.x[1] = m.cpu.x[2] = m.cpu.x[3] = m.cpu.x[5] = D;
            m.step(4);
            assertNextPc(m, 4);
            assertThat(m.x(1)).isEqualTo(D + 8);
            assertThat(m.x(2)).isEqualTo(D + 8);
            assertThat(m.x(3)).isEqualTo(D + 8);
            assertThat(m.x(4)).isEqualTo(0xFFFF_FFFF_F0E0_D0C0L);
            assertThat(m.x(5)).isEqualTo(D + 16);
            assertThat(m.x(6)).isEqualTo(0xF0E0D0C0B0A09080L);
        }

        @Test
        void storeWithWritebackOfTheBaseStoresItsOriginalValue() {
            TestMachine m = machine("""
                    str x1, [x1, #16]!
                    stp x2, x3, [x2, #-16]!
                    """);
            m.cpu.x[1] = D;
            m.cpu.x[2] = D + 64;
            m.cpu.x[3] = 5;
            m.step(2);
            assertNextPc(m, 2);
            assertThat(peek64(m, D + 16)).isEqualTo(D);
            assertThat(m.x(1)).isEqualTo(D + 16);
            assertThat(peek64(m, D + 48)).isEqualTo(D + 64);
            assertThat(m.x(2)).isEqualTo(D + 48);
        }

        @Test
        void loadPairIntoOneRegisterKeepsTheFirstElement() {
            TestMachine m = machine("""
                    ldp x0, x0, [x1]
                    ldp w2, w2, [x1]
                    ldpsw x3, x3, [x1]
                    """);
            fillData(m);
            m.cpu.x[1] = D;
            m.step(3);
            assertNextPc(m, 3);
            assertThat(m.x(0)).isEqualTo(0x8877665544332211L);
            assertThat(m.x(2)).isEqualTo(0x4433_2211L);
            assertThat(m.x(3)).isEqualTo(0x4433_2211L);
        }

        @Test
        void loadExclusivePairIntoOneRegisterKeepsTheSecondElement() {
            TestMachine m = machine("""
                    ldxp x0, x0, [x1]
                    ldxp w2, w2, [x1]
                    """);
            fillData(m);
            m.cpu.x[1] = D;
            m.step(2);
            assertNextPc(m, 2);
            assertThat(m.x(0)).isEqualTo(0xF0E0D0C0B0A09080L);
            assertThat(m.x(2)).isEqualTo(0x8877_6655L);
        }

        @Test
        void storeExclusiveWithStatusOverlappingDataOrBaseUsesTheOriginalValues() {
            TestMachine m = machine("""
                    ldxr x3, [x1]
                    stxr w0, x0, [x1]
                    ldxr x3, [x2]
                    stxr w2, x4, [x2]
                    """);
            m.cpu.x[0] = 0x77;
            m.cpu.x[1] = D;
            m.cpu.x[2] = D + 32;
            m.cpu.x[4] = 0x99;
            m.step(4);
            assertNextPc(m, 4);
            assertThat(m.x(0)).isZero();
            assertThat(peek64(m, D)).isEqualTo(0x77);
            assertThat(m.x(2)).isZero();
            assertThat(peek64(m, D + 32)).isEqualTo(0x99);
        }
    }
}
