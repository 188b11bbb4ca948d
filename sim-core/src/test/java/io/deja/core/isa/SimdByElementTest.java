package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.QC;
import static io.deja.core.isa.SimdTesting.q;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Integer multiplies by element; products worked out from the Arm ARM pseudocode. */
class SimdByElementTest {
    @Test
    void halfwordElementsIndexWithHLMAndTakeRmFromV0ToV15() {
        long[] v = new long[64];
        v[0] = 0x0004_0003_0002_0001L; // V0.8H = {1, 2, 3, 4, 5, 6, 7, 8}
        v[1] = 0x0008_0007_0006_0005L;
        v[30] = 0x0000_0000_0007_0000L; // V15.H[1] = 7
        v[62] = 0x0000_0000_0063_0000L; // V31.H[1] = 99: M = 1 is an index bit, not Rm<4>
        v[4] = 0x0001_0001_0001_0001L;  // V2 accumulates
        v[5] = 0x0001_0001_0001_0001L;
        TestMachine m = run("""
                mul v1.8h, v0.8h, v15.h[1]
                mla v2.8h, v0.8h, v15.h[1]
                mls v3.4h, v0.4h, v15.h[1]
                """, v);
        assertThat(q(m, 1)).containsExactly(0x001C_0015_000E_0007L, 0x0038_0031_002A_0023L);
        assertThat(q(m, 2)).containsExactly(0x001D_0016_000F_0008L, 0x0039_0032_002B_0024L);
        assertThat(q(m, 3)).containsExactly(0xFFE4_FFEB_FFF2_FFF9L, 0);
    }

    @Test
    void doublingHighHalvesSaturateOnlyForMinTimesMin() {
        long[] v = new long[64];
        v[0] = 0x4000_0000_8000_0000L; // V0.4S = {MIN, 2^30, 3, -3}
        v[1] = 0xFFFF_FFFD_0000_0003L;
        v[2] = 0x0000_0000_8000_0000L; // V1.S[0] = MIN
        TestMachine m = run("""
                sqdmulh v2.4s, v0.4s, v1.s[0]
                sqrdmulh s3, s0, v1.s[0]
                """, v);
        // 2 * a * MIN >> 32 = -a; MIN * MIN saturates
        assertThat(q(m, 2)).containsExactly(0xC000_0000_7FFF_FFFFL, 0x0000_0003_FFFF_FFFDL);
        assertThat(q(m, 3)).containsExactly(0x7FFF_FFFFL, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void longFormsReadTheUpperHalfForTheSecondPart() {
        long[] v = new long[64];
        v[0] = 0x0000_0000_0000_0000L;
        v[1] = 0xFFFF_8000_0002_FFFFL; // V0.H[4..7] = {-1, 2, MIN, -1}
        v[2] = 0x0000_0000_0000_0003L; // V1.H[0] = 3
        v[4] = 0x0000_0000_0000_000AL; // V2 accumulates
        v[5] = 0;
        TestMachine m = run("""
                smlal2 v2.4s, v0.8h, v1.h[0]
                umull2 v3.4s, v0.8h, v1.h[0]
                """, v);
        assertThat(q(m, 2)).containsExactly(0x0000_0006_0000_0007L, 0xFFFF_FFFD_FFFE_8000L);
        assertThat(q(m, 3)).containsExactly(0x0000_0006_0002_FFFDL, 0x0002_FFFD_0001_8000L);
        assertThat(m.cpu.fpsr).isZero();
    }

    @Test
    void saturatingDoublingLongAccumulateSaturatesTwice() {
        long[] v = new long[64];
        v[0] = 0x8000_0000L;            // S0 = MIN
        v[2] = 0x8000_0000L;            // V1.S[0] = MIN
        v[4] = 0x0000_0000_0000_0001L;  // D2 = 1
        v[6] = 0x8000_0000_0000_0000L;  // D3 = MIN
        v[8] = 0x0000_0000_0000_0002L;  // S4 = 2
        TestMachine m = run("""
                sqdmlal d2, s0, v1.s[0]
                sqdmlal d3, s4, v1.s[0]
                sqdmull d5, s4, v1.s[0]
                """, v);
        assertThat(q(m, 2)).as("2 * MIN * MIN saturates, then MAX + 1 again").containsExactly(Long.MAX_VALUE, 0);
        assertThat(q(m, 3)).as("MIN - 2^33 saturates").containsExactly(Long.MIN_VALUE, 0);
        assertThat(q(m, 5)).containsExactly(-(1L << 33), 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void byteAndDoublewordSizesAreUndefined() {
        assertUndefined(0x0F008000); // MUL by element, size = 00
        assertUndefined(0x0FC08000); // MUL by element, size = 11
        assertUndefined(0x5F00B000); // SQDMULL (scalar, by element), size = 00
    }
}
