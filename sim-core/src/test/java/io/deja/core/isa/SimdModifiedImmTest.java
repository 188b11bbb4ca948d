package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.q;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** MOVI/MVNI/ORR/BIC/FMOV (vector, immediate): one case per line of AdvSIMDExpandImm's cmode table. */
class SimdModifiedImmTest {
    @Test
    void moviAndMvniFollowTheCmodeTable() {
        long[] v = new long[64];
        java.util.Arrays.fill(v, -1L);
        TestMachine m = run("""
                movi v0.4s, #0xab, lsl #16
                movi v1.8h, #0xcd, lsl #8
                movi v2.4s, #0x12, msl #16
                movi v3.2s, #0x12, msl #8
                movi v4.16b, #0xe7
                movi d5, #0xff00ff0000ff00ff
                movi v6.2d, #0xff000000000000ff
                mvni v7.4h, #0x80, lsl #8
                mvni v8.4s, #0x34, msl #8
                mvni v9.2s, #0x01, lsl #24
                movi v10.4h, #0x5a
                """, v);
        assertThat(q(m, 0)).containsExactly(0x00AB_0000_00AB_0000L, 0x00AB_0000_00AB_0000L);
        assertThat(q(m, 1)).containsExactly(0xCD00_CD00_CD00_CD00L, 0xCD00_CD00_CD00_CD00L);
        assertThat(q(m, 2)).containsExactly(0x0012_FFFF_0012_FFFFL, 0x0012_FFFF_0012_FFFFL);
        assertThat(q(m, 3)).containsExactly(0x0000_12FF_0000_12FFL, 0);
        assertThat(q(m, 4)).containsExactly(0xE7E7_E7E7_E7E7_E7E7L, 0xE7E7_E7E7_E7E7_E7E7L);
        assertThat(q(m, 5)).containsExactly(0xFF00_FF00_00FF_00FFL, 0);
        assertThat(q(m, 6)).containsExactly(0xFF00_0000_0000_00FFL, 0xFF00_0000_0000_00FFL);
        assertThat(q(m, 7)).containsExactly(0x7FFF_7FFF_7FFF_7FFFL, 0);
        assertThat(q(m, 8)).containsExactly(0xFFFF_CB00_FFFF_CB00L, 0xFFFF_CB00_FFFF_CB00L);
        assertThat(q(m, 9)).containsExactly(0xFEFF_FFFF_FEFF_FFFFL, 0);
        assertThat(q(m, 10)).containsExactly(0x005A_005A_005A_005AL, 0);
    }

    @Test
    void orrAndBicModifyTheDestination() {
        long[] v = new long[64];
        v[0] = 0x1111_2222_3333_4444L;
        v[1] = 0x5555_6666_7777_8888L;
        v[2] = 0x1111_2222_3333_4444L;
        v[3] = 0x5555_6666_7777_8888L;
        v[4] = -1L;
        v[5] = -1L;
        TestMachine m = run("""
                orr v0.4s, #0x01, lsl #24
                bic v1.8h, #0xff
                orr v2.2s, #0x5
                """, v);
        assertThat(q(m, 0)).containsExactly(0x1111_2222_3333_4444L | 0x0100_0000_0100_0000L,
                0x5555_6666_7777_8888L | 0x0100_0000_0100_0000L);
        assertThat(q(m, 1)).containsExactly(0x1100_2200_3300_4400L, 0x5500_6600_7700_8800L);
        assertThat(q(m, 2)).as("Q = 0 clears the upper half").containsExactly(-1L, 0);
    }

    @Test
    void fmovExpandsTheEightBitFloat() {
        TestMachine m = run("""
                fmov v0.4s, #-1.5
                fmov v1.2d, #0.125
                fmov v2.2s, #31.0
                """, new long[0]);
        assertThat(q(m, 0)).containsExactly(0xBFC0_0000_BFC0_0000L, 0xBFC0_0000_BFC0_0000L);
        assertThat(q(m, 1)).containsExactly(0x3FC0_0000_0000_0000L, 0x3FC0_0000_0000_0000L);
        assertThat(q(m, 2)).containsExactly(0x41F8_0000_41F8_0000L, 0);
    }

    @Test
    void unallocatedCombinationsAreUndefined() {
        assertUndefined(0x2F00F400); // op = 1, cmode = 1111, Q = 0 (FMOV Dd would be 2D only)
        assertUndefined(0x0F00FC00); // o2 = 1, cmode = 1111: FMOV (half precision) is FEAT_FP16
    }
}
