package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.q;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** DUP, INS, UMOV, SMOV and scalar DUP; lanes worked out from the Arm ARM. */
class SimdCopyTest {
    static final long LO = 0x8877_6655_4433_2211L, HI = 0xFFEE_DDCC_BBAA_0099L;

    static long[] withV3() {
        long[] v = new long[64];
        java.util.Arrays.fill(v, 0x0123_4567_89AB_CDEFL);
        v[6] = LO;
        v[7] = HI;
        return v;
    }

    @Test
    void insKeepsTheOtherLanes() {
        TestMachine m = run("""
                ins v1.s[2], w0
                mov v2.h[5], v3.h[1]
                mov v4.b[0], v3.b[15]
                mov v5.d[1], x0
                """, withV3(), 0xCAFE_F00D_1234_5678L);
        long keep = 0x0123_4567_89AB_CDEFL;
        assertThat(q(m, 1)).containsExactly(keep, 0x0123_4567_1234_5678L);
        assertThat(q(m, 2)).containsExactly(keep, 0x0123_4567_4433_CDEFL);
        assertThat(q(m, 4)).containsExactly(0x0123_4567_89AB_CDFFL, keep);
        assertThat(q(m, 5)).containsExactly(keep, 0xCAFE_F00D_1234_5678L);
    }

    @Test
    void dupFillsEveryLaneAndQZeroClearsTheUpperHalf() {
        TestMachine m = run("""
                dup v4.8b, w0
                dup v5.2d, x0
                dup v6.4s, v3.s[3]
                dup v7.8h, v3.h[4]
                mov s8, v3.s[3]
                dup b9, v3.b[8]
                """, withV3(), 0xCAFE_F00D_1234_5678L);
        assertThat(q(m, 4)).containsExactly(0x7878_7878_7878_7878L, 0);
        assertThat(q(m, 5)).containsExactly(0xCAFE_F00D_1234_5678L, 0xCAFE_F00D_1234_5678L);
        assertThat(q(m, 6)).containsExactly(0xFFEE_DDCC_FFEE_DDCCL, 0xFFEE_DDCC_FFEE_DDCCL);
        assertThat(q(m, 7)).containsExactly(0x0099_0099_0099_0099L, 0x0099_0099_0099_0099L);
        assertThat(q(m, 8)).containsExactly(0xFFEE_DDCCL, 0);
        assertThat(q(m, 9)).containsExactly(0x99, 0);
    }

    @Test
    void umovZeroExtendsAndSmovSignExtends() {
        TestMachine m = run("""
                umov w1, v3.b[15]
                smov x2, v3.h[7]
                smov w3, v3.b[7]
                mov x4, v3.d[1]
                smov x5, v3.s[2]
                umov w6, v3.h[2]
                """, withV3(), 0, -1L, -1L, -1L, -1L, -1L, -1L);
        assertThat(m.x(1)).isEqualTo(0xFF);
        assertThat(m.x(2)).isEqualTo(0xFFFF_FFFF_FFFF_FFEEL);
        assertThat(m.x(3)).as("SMOV Wd zero-extends the 32-bit result").isEqualTo(0xFFFF_FF88L);
        assertThat(m.x(4)).isEqualTo(HI);
        assertThat(m.x(5)).isEqualTo(0xFFFF_FFFF_BBAA_0099L);
        assertThat(m.x(6)).isEqualTo(0x6655);
    }

    @Test
    void reservedSizesAreUndefined() {
        assertUndefined(0x0E100400); // DUP (element) with imm5 = 10000
        assertUndefined(0x0E080400); // DUP Vd.1D: 64-bit elements need Q = 1
        assertUndefined(0x4E013C00); // UMOV Xd from a byte
        assertUndefined(0x0E042C00); // SMOV Wd from a word
        assertUndefined(0x6E000400); // INS (element) with imm5 = 00000
        assertUndefined(0x0E011C00); // INS (general) with Q = 0: unallocated
    }
}
