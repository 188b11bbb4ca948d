package io.deja.core.isa;

import io.deja.core.cpu.ExceptionClass;
import io.deja.core.mmu.FaultStatus;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.LoadStoreTest.CODE;
import static io.deja.core.isa.LoadStoreTest.D;
import static io.deja.core.isa.LoadStoreTest.VBAR;
import static io.deja.core.isa.LoadStoreTest.assertDataAbort;
import static io.deja.core.isa.LoadStoreTest.assertNextPc;
import static io.deja.core.isa.LoadStoreTest.assertSpAlignmentFault;
import static io.deja.core.isa.LoadStoreTest.fillData;
import static io.deja.core.isa.LoadStoreTest.peek64;
import static io.deja.core.isa.LoadStoreTest.poke64;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIMD&FP register loads and stores run as guest code (MMU off: the data is
 * Device memory, where misaligned accesses fault). Expected values follow the
 * Arm ARM: a load writes the whole register (bits above the access cleared),
 * a store writes the low bytes, memory is little-endian.
 */
class SimdLoadStoreTest {
    static final long RAM_END = TestMachine.RAM_BASE + TestMachine.RAM_SIZE;

    /** A machine with FP enabled and every V register set to a recognisable pattern. */
    static TestMachine machine(String asm) {
        TestMachine m = LoadStoreTest.machine(asm);
        m.cpu.sys.cpacrEl1 = 3L << 20;
        for (int i = 0; i < 64; i++) m.cpu.v[i] = 0x5A5A_5A5A_0000_0000L | i;
        return m;
    }

    static void run(TestMachine m, int instructions) {
        m.step(instructions);
        assertNextPc(m, instructions);
    }

    @Test
    void unsignedOffsetLoadsEverySizeAndClearTheRest() {
        TestMachine m = machine("""
                ldr b0, [x1, #9]
                ldr h1, [x1, #10]
                ldr s2, [x1, #12]
                ldr d3, [x1, #8]
                ldr q4, [x1, #16]
                ldr q5, [x1, #65520]
                """);
        fillData(m);
        poke64(m, D + 65520, 0x1111_2222_3333_4444L);
        poke64(m, D + 65528, 0x5555_6666_7777_8888L);
        m.cpu.x[1] = D;
        run(m, 6);
        assertThat(m.cpu.v[0]).isEqualTo(0x90);
        assertThat(m.cpu.v[1]).isZero();
        assertThat(m.cpu.v[2]).isEqualTo(0xB0A0);
        assertThat(m.cpu.v[4]).isEqualTo(0xF0E0D0C0L);
        assertThat(m.cpu.v[6]).isEqualTo(0xF0E0D0C0B0A09080L);
        assertThat(m.cpu.v[7]).isZero();
        assertThat(m.cpu.v[8]).isEqualTo(0x0123456789ABCDEFL);
        assertThat(m.cpu.v[9]).isEqualTo(0xFEDCBA9876543210L);
        assertThat(m.cpu.v[10]).isEqualTo(0x1111_2222_3333_4444L);
        assertThat(m.cpu.v[11]).isEqualTo(0x5555_6666_7777_8888L);
    }

    @Test
    void storesWriteOnlyTheLowBytesOfEverySize() {
        TestMachine m = machine("""
                str b0, [x1]
                str h1, [x1, #2]
                str s2, [x1, #4]
                str d3, [x1, #8]
                str q4, [x1, #16]
                """);
        m.cpu.v[0] = 0x11;
        m.cpu.v[2] = 0xAA22;
        m.cpu.v[4] = 0xFFFF_FFFF_4433_3333L;
        m.cpu.v[6] = 0x8877_6655_4433_2211L;
        m.cpu.v[8] = 0x0123_4567_89AB_CDEFL;
        m.cpu.v[9] = 0xFEDC_BA98_7654_3210L;
        poke64(m, D, -1);
        m.cpu.x[1] = D;
        run(m, 5);
        assertThat(peek64(m, D)).isEqualTo(0x4433_3333_AA22_FF11L);
        assertThat(peek64(m, D + 8)).isEqualTo(0x8877_6655_4433_2211L);
        assertThat(peek64(m, D + 16)).isEqualTo(0x0123_4567_89AB_CDEFL);
        assertThat(peek64(m, D + 24)).isEqualTo(0xFEDC_BA98_7654_3210L);
    }

    @Test
    void preAndPostIndexWriteBackAndUnscaledOffsetsMayBeNegative() {
        TestMachine m = machine("""
                ldr q0, [x1, #16]!
                ldr d1, [x1], #-8
                ldur s2, [x1, #-4]
                str q0, [x2], #16
                str h1, [x2, #-2]!
                stur b2, [x2, #-1]
                """);
        fillData(m);
        m.cpu.x[1] = D;
        m.cpu.x[2] = D + 0x100;
        run(m, 6);
        assertThat(m.cpu.v[0]).isEqualTo(0x0123456789ABCDEFL);
        assertThat(m.cpu.v[1]).isEqualTo(0xFEDCBA9876543210L);
        assertThat(m.cpu.v[2]).isEqualTo(0x0123456789ABCDEFL);
        assertThat(m.cpu.v[4]).isEqualTo(0x88776655L);
        assertThat(m.x(1)).isEqualTo(D + 8);
        assertThat(m.x(2)).isEqualTo(D + 0x10E);
        assertThat(peek64(m, D + 0x100)).isEqualTo(0x0123456789ABCDEFL);
        // q0's high half, then h1 over its top two bytes and b2 below them.
        assertThat(peek64(m, D + 0x108)).isEqualTo(0xCDEF_5598_7654_3210L);
    }

    @Test
    void registerOffsetsExtendAndScaleByTheAccessSize() {
        TestMachine m = machine("""
                ldr q0, [x1, x2, lsl #4]
                ldr d1, [x1, w3, sxtw #3]
                ldr s2, [x1, w4, uxtw]
                str q0, [x5, x2, lsl #4]
                """);
        fillData(m);
        m.cpu.x[1] = D + 16;
        m.cpu.x[2] = -1;
        m.cpu.x[3] = 0xFFFF_FFFF_0000_0001L; // SXTW: 1
        m.cpu.x[4] = 0x1234_5678_0000_0004L; // UXTW: 4
        m.cpu.x[5] = D + 0x110;
        run(m, 4);
        assertThat(m.cpu.v[0]).isEqualTo(0x8877665544332211L);
        assertThat(m.cpu.v[1]).isEqualTo(0xF0E0D0C0B0A09080L);
        assertThat(m.cpu.v[2]).isEqualTo(0xFEDCBA9876543210L);
        assertThat(m.cpu.v[4]).isEqualTo(0x01234567L);
        assertThat(peek64(m, D + 0x100)).isEqualTo(0x8877665544332211L);
        assertThat(peek64(m, D + 0x108)).isEqualTo(0xF0E0D0C0B0A09080L);
    }

    @Test
    void literalLoadsReadSDAndQ() {
        TestMachine m = machine("""
                ldr s0, lit
                ldr d1, lit
                ldr q2, lit
                nop
                lit: .quad 0x1122334455667788, 0x99AABBCCDDEEFF00
                """);
        m.step(3);
        assertThat(m.cpu.pc).isEqualTo(CODE + 12);
        assertThat(m.cpu.v[0]).isEqualTo(0x55667788L);
        assertThat(m.cpu.v[2]).isEqualTo(0x1122334455667788L);
        assertThat(m.cpu.v[3]).isZero();
        assertThat(m.cpu.v[4]).isEqualTo(0x1122334455667788L);
        assertThat(m.cpu.v[5]).isEqualTo(0x99AABBCCDDEEFF00L);
    }

    @Test
    void pairsOfSDAndQInEveryIndexMode() {
        TestMachine m = machine("""
                ldp s0, s1, [x1, #4]
                ldp d2, d3, [x1], #16
                ldp q4, q5, [x2, #-32]!
                ldnp d6, d7, [x2, #8]
                stp q4, q5, [x3, #32]
                stp s0, s1, [x3], #-8
                stnp d2, d3, [x4, #-16]
                """);
        fillData(m);
        m.cpu.x[1] = D;
        m.cpu.x[2] = D + 32;
        m.cpu.x[3] = D + 0x100;
        m.cpu.x[4] = D + 0x200;
        run(m, 7);
        assertThat(m.cpu.v[0]).isEqualTo(0x88776655L);
        assertThat(m.cpu.v[2]).isEqualTo(0xB0A09080L);
        assertThat(m.cpu.v[4]).isEqualTo(0x8877665544332211L);
        assertThat(m.cpu.v[6]).isEqualTo(0xF0E0D0C0B0A09080L);
        assertThat(new long[] {m.cpu.v[8], m.cpu.v[9], m.cpu.v[10], m.cpu.v[11]})
                .containsExactly(0x8877665544332211L, 0xF0E0D0C0B0A09080L, 0x0123456789ABCDEFL, 0xFEDCBA9876543210L);
        assertThat(m.cpu.v[12]).isEqualTo(0xF0E0D0C0B0A09080L);
        assertThat(m.cpu.v[14]).isEqualTo(0x0123456789ABCDEFL);
        assertThat(m.cpu.v[13]).isZero();
        assertThat(m.x(1)).isEqualTo(D + 16);
        assertThat(m.x(2)).isEqualTo(D);
        assertThat(m.x(3)).isEqualTo(D + 0xF8);
        assertThat(peek64(m, D + 0x120)).isEqualTo(0x8877665544332211L);
        assertThat(peek64(m, D + 0x138)).isEqualTo(0xFEDCBA9876543210L);
        assertThat(peek64(m, D + 0x100)).isEqualTo(0xB0A0908088776655L);
        assertThat(peek64(m, D + 0x1F0)).isEqualTo(0x8877665544332211L);
        assertThat(peek64(m, D + 0x1F8)).isEqualTo(0xF0E0D0C0B0A09080L);
    }

    @Test
    void reservedSizesAreUndefinedBeforeTheFpTrap() {
        // size 01/10/11 with opc<1> = 1 (LDR/STR), opc 11 (pairs, literal), unprivileged forms, option<1> = 0.
        for (int word : new int[] {0x7DC00020, 0xBD800020, 0xFDC00020, 0x7C800020, 0x3C400820,
                                   0xDC000000, 0xED400400, 0xEC800400, 0x3C600820, 0x3C602820}) {
            DataProcImmTest.assertUndefined(word);
        }
    }

    @Test
    void fpDisabledTrapsBeforeAnyAccessOrWriteback() {
        TestMachine m = LoadStoreTest.machine("ldr q0, [x1], #16");
        m.cpu.x[1] = 0x1000; // unmapped: the trap must come first
        m.step(1);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(ExceptionClass.FP_ACCESS);
        assertThat(m.x(1)).isEqualTo(0x1000);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
    }

    @Test
    void misalignedSpTakesTheSpAlignmentFault() {
        TestMachine m = machine("str q0, [sp, #16]");
        m.cpu.sp = D + 8;
        m.cpu.sctlrEl1 |= LoadStoreTest.SCTLR_SA;
        m.step(1);
        assertSpAlignmentFault(m, 0x200);
    }

    @Test
    void aQRegisterOnDeviceMemoryMustBeAlignedTo16() {
        TestMachine m = machine("ldr q0, [x1]");
        m.cpu.x[1] = D + 8;
        m.step(1);
        assertDataAbort(m, D + 8, FaultStatus.ALIGNMENT, false);
        assertThat(m.cpu.v[0]).isEqualTo(0x5A5A_5A5A_0000_0000L);

        m = machine("str d0, [x1]");
        m.cpu.x[1] = D + 4;
        m.step(1);
        assertDataAbort(m, D + 4, FaultStatus.ALIGNMENT, true);
    }

    @Test
    void aFaultOnTheSecondElementLeavesTheRegistersAndBaseButNotTheFirstStore() {
        TestMachine m = machine("ldp q0, q1, [x1], #32");
        m.cpu.x[1] = RAM_END - 16;
        m.step(1);
        assertDataAbort(m, RAM_END, FaultStatus.SYNC_EXTERNAL, false);
        assertThat(m.cpu.v[0]).isEqualTo(0x5A5A_5A5A_0000_0000L);
        assertThat(m.cpu.v[2]).isEqualTo(0x5A5A_5A5A_0000_0002L);
        assertThat(m.x(1)).isEqualTo(RAM_END - 16);

        m = machine("stp d0, d1, [x1], #16");
        m.cpu.x[1] = RAM_END - 8;
        m.step(1);
        assertDataAbort(m, RAM_END, FaultStatus.SYNC_EXTERNAL, true);
        assertThat(peek64(m, RAM_END - 8)).isEqualTo(0x5A5A_5A5A_0000_0000L);
        assertThat(m.x(1)).isEqualTo(RAM_END - 8);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
    }
}
