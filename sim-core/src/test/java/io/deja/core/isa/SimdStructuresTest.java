package io.deja.core.isa;

import io.deja.core.mmu.FaultStatus;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.LoadStoreTest.D;
import static io.deja.core.isa.LoadStoreTest.assertDataAbort;
import static io.deja.core.isa.LoadStoreTest.assertNextPc;
import static io.deja.core.isa.LoadStoreTest.peek64;
import static io.deja.core.isa.SimdLoadStoreTest.RAM_END;
import static io.deja.core.isa.SimdLoadStoreTest.machine;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LD1-LD4/ST1-ST4 (multiple and single structures) and LD1R-LD4R as guest
 * code. Memory at D holds the bytes 0, 1, 2, ... so that each expected lane
 * is its byte offset, worked out from the Arm ARM's element order
 * (structure by structure, register by register inside a structure).
 */
class SimdStructuresTest {
    /** Bytes 0..255 at D. */
    static TestMachine withCountingData(String asm) {
        TestMachine m = machine(asm);
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        m.vm.writeMemory(D, b);
        return m;
    }

    /** The 8 bytes first, first + step, first + 2 step, ... as a little-endian doubleword. */
    static long bytes(int first, int step) {
        long r = 0;
        for (int i = 0; i < 8; i++) r |= (long) ((first + i * step) & 0xFF) << (8 * i);
        return r;
    }

    static void run(TestMachine m, int instructions) {
        m.step(instructions);
        assertNextPc(m, instructions);
    }

    @Test
    void ld1WithFourRegistersFillsThemInOrderAndWrapsAt31() {
        TestMachine m = withCountingData("ld1 {v30.16b, v31.16b, v0.16b, v1.16b}, [x1]");
        m.cpu.x[1] = D;
        run(m, 1);
        assertThat(m.cpu.v[60]).isEqualTo(bytes(0, 1));
        assertThat(m.cpu.v[61]).isEqualTo(bytes(8, 1));
        assertThat(m.cpu.v[62]).isEqualTo(bytes(16, 1));
        assertThat(m.cpu.v[0]).isEqualTo(bytes(32, 1));
        assertThat(m.cpu.v[3]).isEqualTo(bytes(56, 1));
        assertThat(m.x(1)).isEqualTo(D);
    }

    @Test
    void ld2Ld3Ld4DeinterleaveAndA64BitArrangementClearsTheTop() {
        TestMachine m = withCountingData("""
                ld2 {v0.8h, v1.8h}, [x1]
                ld3 {v2.8b, v3.8b, v4.8b}, [x1]
                ld4 {v5.4s, v6.4s, v7.4s, v8.4s}, [x1]
                """);
        m.cpu.x[1] = D;
        run(m, 3);
        assertThat(m.cpu.v[0]).isEqualTo(0x0D0C_0908_0504_0100L);
        assertThat(m.cpu.v[2]).isEqualTo(0x0F0E_0B0A_0706_0302L);
        assertThat(m.cpu.v[4]).isEqualTo(bytes(0, 3));
        assertThat(m.cpu.v[5]).isZero();
        assertThat(m.cpu.v[6]).isEqualTo(bytes(1, 3));
        assertThat(m.cpu.v[8]).isEqualTo(bytes(2, 3));
        assertThat(m.cpu.v[9]).isZero();
        // ld4 .4s: register k lane e = word 4e + k.
        assertThat(m.cpu.v[10]).isEqualTo(0x1312_1110_0302_0100L);
        assertThat(m.cpu.v[11]).isEqualTo(0x3332_3130_2322_2120L);
        assertThat(m.cpu.v[16]).isEqualTo(0x1F1E_1D1C_0F0E_0D0CL);
    }

    @Test
    void st2InterleavesAndPostIndexAddsTheBytesTransferredOrRm() {
        TestMachine m = machine("""
                st2 {v31.4s, v0.4s}, [x1], #32
                st1 {v2.1d}, [x1], x3
                st4 {v4.b, v5.b, v6.b, v7.b}[9], [x2], #4
                """);
        m.cpu.v[62] = 0x0000_0002_0000_0001L;
        m.cpu.v[63] = 0x0000_0004_0000_0003L;
        m.cpu.v[0] = 0x0000_0020_0000_0010L;
        m.cpu.v[1] = 0x0000_0040_0000_0030L;
        m.cpu.v[4] = 0x1122_3344_5566_7788L;
        for (int k = 4; k < 8; k++) m.cpu.v[2 * k + 1] = 0xA0L * (k - 3) << 8;
        m.cpu.x[1] = D;
        m.cpu.x[2] = D + 0x100;
        m.cpu.x[3] = -8;
        run(m, 3);
        assertThat(peek64(m, D)).isEqualTo(0x0000_0010_0000_0001L);
        assertThat(peek64(m, D + 8)).isEqualTo(0x0000_0020_0000_0002L);
        assertThat(peek64(m, D + 24)).isEqualTo(0x0000_0040_0000_0004L);
        assertThat(peek64(m, D + 32)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(m.x(1)).isEqualTo(D + 24);
        assertThat(peek64(m, D + 0x100) & 0xFFFF_FFFFL).isEqualTo(0x80E0_40A0L & 0xFFFF_FFFFL);
        assertThat(m.x(2)).isEqualTo(D + 0x104);
    }

    @Test
    void singleLaneLoadsKeepEveryOtherBitAndWrap() {
        TestMachine m = withCountingData("""
                ld1 {v0.s}[3], [x1]
                ld4 {v30.b, v31.b, v0.b, v1.b}[15], [x1], #4
                ld2 {v2.d, v3.d}[1], [x1], x2
                ld3 {v4.h, v5.h, v6.h}[2], [x1]
                """);
        m.cpu.x[1] = D + 12;
        m.cpu.x[2] = 32;
        run(m, 4);
        long fill0 = 0x5A5A_5A5A_0000_0000L;
        assertThat(m.cpu.v[0]).isEqualTo(fill0);
        assertThat(m.cpu.v[1]).isEqualTo(0x0E0E_0D0C_0000_0001L); // lane 3 from ld1, then byte 15 from ld4
        assertThat(m.cpu.v[61]).isEqualTo(0x0C5A_5A5A_0000_003DL);
        assertThat(m.cpu.v[63]).isEqualTo(0x0D5A_5A5A_0000_003FL);
        assertThat(m.cpu.v[3]).isEqualTo(0x0F5A_5A5A_0000_0003L);
        assertThat(m.cpu.v[4]).isEqualTo(0x5A5A_5A5A_0000_0004L);
        assertThat(m.cpu.v[5]).isEqualTo(0x1716_1514_1312_1110L);
        assertThat(m.cpu.v[7]).isEqualTo(0x1F1E_1D1C_1B1A_1918L);
        assertThat(m.cpu.v[8]).isEqualTo(0x5A5A_3130_0000_0008L);
        assertThat(m.cpu.v[10]).isEqualTo(0x5A5A_3332_0000_000AL);
        assertThat(m.cpu.v[12]).isEqualTo(0x5A5A_3534_0000_000CL);
        assertThat(m.x(1)).isEqualTo(D + 48);
    }

    @Test
    void replicateCopiesOneElementToEveryLane() {
        TestMachine m = withCountingData("""
                ld4r {v31.2d, v0.2d, v1.2d, v2.2d}, [x3], x4
                ld1r {v0.8b}, [x1]
                ld2r {v1.4s, v2.4s}, [x1], #8
                ld3r {v3.4h, v4.4h, v5.4h}, [x1]
                """);
        m.cpu.x[1] = D + 4;
        m.cpu.x[3] = D + 64;
        m.cpu.x[4] = 3;
        run(m, 4);
        assertThat(m.cpu.v[62]).isEqualTo(0x4746_4544_4342_4140L);
        assertThat(m.cpu.v[63]).isEqualTo(0x4746_4544_4342_4140L);
        assertThat(m.x(3)).isEqualTo(D + 67);
        assertThat(m.cpu.v[0]).isEqualTo(0x0404_0404_0404_0404L);
        assertThat(m.cpu.v[1]).isZero();
        assertThat(m.cpu.v[2]).isEqualTo(0x0706_0504_0706_0504L);
        assertThat(m.cpu.v[3]).isEqualTo(0x0706_0504_0706_0504L);
        assertThat(m.cpu.v[4]).isEqualTo(0x0B0A_0908_0B0A_0908L);
        assertThat(m.cpu.v[5]).isEqualTo(0x0B0A_0908_0B0A_0908L);
        assertThat(m.x(1)).isEqualTo(D + 12);
        assertThat(m.cpu.v[6]).isEqualTo(0x0D0C_0D0C_0D0C_0D0CL);
        assertThat(m.cpu.v[7]).isZero();
        assertThat(m.cpu.v[8]).isEqualTo(0x0F0E_0F0E_0F0E_0F0EL);
        assertThat(m.cpu.v[10]).isEqualTo(0x1110_1110_1110_1110L);
    }

    @Test
    void ld1rOfBytesWithoutQClearsTheTop() {
        TestMachine m = withCountingData("ld1r {v0.8b}, [x1]");
        m.cpu.x[1] = D + 7;
        run(m, 1);
        assertThat(m.cpu.v[0]).isEqualTo(0x0707_0707_0707_0707L);
        assertThat(m.cpu.v[1]).isZero();
    }

    @Test
    void reservedEncodingsAreUndefined() {
        for (int word : new int[] {
                0x0C400C20, // LD4 .1D (size 11, Q = 0)
                0x0C401020, // multiple structures, opcode 0001
                0x0D00C020, // ST1 single, opcode 110 (replicate is load only)
                0x0D40D020, // LD1R with S = 1
                0x0D404420, // LD1 single .h with size<0> = 1
                0x0D408820, // LD1 single .s with size<1> = 1
                0x0D409420, // LD1 single .d with S = 1
        }) {
            DataProcImmTest.assertUndefined(word);
        }
    }

    @Test
    void aFaultPartWayLeavesRegistersAndBaseAndStoresWhatCameBefore() {
        TestMachine m = machine("ld1 {v0.2d, v1.2d}, [x1], #32");
        m.cpu.x[1] = RAM_END - 24;
        m.step(1);
        assertDataAbort(m, RAM_END, FaultStatus.SYNC_EXTERNAL, false);
        assertThat(m.cpu.v[0]).isEqualTo(0x5A5A_5A5A_0000_0000L);
        assertThat(m.cpu.v[2]).isEqualTo(0x5A5A_5A5A_0000_0002L);
        assertThat(m.x(1)).isEqualTo(RAM_END - 24);

        m = machine("st3 {v0.4h, v1.4h, v2.4h}, [x1], #24");
        m.cpu.x[1] = RAM_END - 8;
        m.step(1);
        assertDataAbort(m, RAM_END, FaultStatus.SYNC_EXTERNAL, true);
        assertThat(peek64(m, RAM_END - 8)).isEqualTo(0x0000_0004_0002_0000L);
        assertThat(m.x(1)).isEqualTo(RAM_END - 8);
    }

    @Test
    void everyElementIsCheckedForAlignmentOnDeviceMemory() {
        TestMachine m = machine("ld1 {v0.4s}, [x1]");
        m.cpu.x[1] = D + 2;
        m.step(1);
        assertDataAbort(m, D + 2, FaultStatus.ALIGNMENT, false);

        m = withCountingData("ld1 {v0.16b}, [x1]");
        m.cpu.x[1] = D + 3;
        run(m, 1);
        assertThat(m.cpu.v[0]).isEqualTo(bytes(3, 1));
    }

    /**
     * Identity-maps CODE's 2 MiB block and the data page at D (Normal memory,
     * EL1 read/write) with the MMU on; the page after D is unmapped.
     */
    static void mapDataPageOnly(TestMachine m) {
        long l1 = TestMachine.RAM_BASE + 0x20_0000, l2 = l1 + 0x1000, l3 = l1 + 0x2000;
        LoadStoreTest.poke64(m, l1 + 8 * 1, l2 | 3);                                        // 0x4000_0000: table
        LoadStoreTest.poke64(m, l2, TestMachine.RAM_BASE | (1 << 10) | (3 << 8) | 1);        // 2 MiB block with CODE
        LoadStoreTest.poke64(m, l2 + 8 * ((D >>> 21) & 511), l3 | 3);
        LoadStoreTest.poke64(m, l3 + 8 * ((D >>> 12) & 511), D | (1 << 10) | (3 << 8) | 3);  // D's page only
        m.cpu.sys.mairEl1 = 0xFF;
        m.cpu.sys.tcrEl1 = 25;                                                             // T0SZ: 39-bit VAs, 4 KiB granule
        m.cpu.sys.ttbr0El1 = l1;
        m.cpu.sctlrEl1 |= 1;
        m.cpu.mmu.flushAll();
    }

    @Test
    void st1StoresEachEightByteGroupWholeWhenItCrossesIntoAFaultingPage() {
        // 12 bytes before the unmapped page: the first group (8 bytes) is stored, the
        // second (4 bytes here, 4 beyond) is not, as in QEMU; the Arm ARM allows both.
        TestMachine m = machine("st1 {v0.16b}, [x1]");
        mapDataPageOnly(m);
        m.cpu.v[0] = 0x1111_1111_1111_1111L;
        m.cpu.v[1] = 0x2222_2222_2222_2222L;
        long page = D + 0x1000;
        m.cpu.x[1] = page - 12;
        m.step(1);
        assertDataAbort(m, page, FaultStatus.TRANSLATION + 3, true);
        assertThat(peek64(m, page - 12)).isEqualTo(0x1111_1111_1111_1111L);
        assertThat(peek64(m, page - 8) >>> 32).as("the second group's bytes before the page").isZero();

        // ST2 stores element by element: everything before the page is written.
        m = machine("st2 {v0.8b, v1.8b}, [x1]");
        mapDataPageOnly(m);
        m.cpu.v[0] = 0x1111_1111_1111_1111L;
        m.cpu.v[2] = 0x2222_2222_2222_2222L;
        m.cpu.x[1] = page - 12;
        m.step(1);
        assertDataAbort(m, page, FaultStatus.TRANSLATION + 3, true);
        assertThat(peek64(m, page - 8)).isEqualTo(0x2211_2211_2211_2211L);
    }
}
