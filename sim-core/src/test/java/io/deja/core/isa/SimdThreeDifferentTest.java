package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.QC;
import static io.deja.core.isa.SimdTesting.assertV;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Advanced SIMD three different (vector and scalar); expected values worked out from the Arm ARM pseudocode. */
class SimdThreeDifferentTest {
    static final long MAX = Long.MAX_VALUE;

    @Test
    void doublingMultiplyLongSaturatesIntMinSquared() {
        TestMachine m = run("sqdmull v2.2d, v0.2s, v1.2s", 0x0000_0003_8000_0000L, 0, 0xFFFF_FFFE_8000_0000L, 0);
        assertV(m, 2, MAX, -12);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void doublingMultiplyAccumulateSaturatesTheSum() {
        TestMachine m = run("sqdmlal d3, s0, s1", 1, 0, 1, 0, 0, 0, MAX, 0);
        assertV(m, 3, MAX, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        m = run("sqdmlsl s3, h0, h1", 1, 0, 1, 0, 0, 0, 0x8000_0000L, 0);
        assertV(m, 3, 0x8000_0000L, 0);
        assertThat(m.cpu.fpsr).isEqualTo(QC);

        // Upper halves (the "2" form): lane 0 saturates twice, lane 1 is 1 + 2 * 2 * 3.
        m = run("sqdmlal2 v3.4s, v0.8h, v1.8h", 0, 0x0002_8000L, 0, 0x0003_8000L, 0, 0,
                0x0000_0001_0000_0001L, 0x0000_0001_0000_0001L);
        assertV(m, 3, 0x0000_000D_7FFF_FFFFL, 0x0000_0001_0000_0001L);
        assertThat(m.cpu.fpsr).isEqualTo(QC);
    }

    @Test
    void narrowingHighHalvesRoundAndKeepTheOtherHalf() {
        long a = 0x0000_0000_00FF_1280L, b = 0x0000_0000_0001_0000L;
        TestMachine m = run("""
                addhn v2.8b, v0.8h, v1.8h
                raddhn v3.8b, v0.8h, v1.8h
                subhn2 v4.16b, v1.8h, v0.8h
                """, a, 0, b, 0, 0, 0, 0, 0, 0x1234, 0x5678);
        assertV(m, 2, 0x0112, 0);
        assertV(m, 3, 0x0113, 0);
        // 0x0000 - 0x1280 = 0xED80 -> 0xED; 0x0001 - 0x00FF = 0xFF02 -> 0xFF; 0 - 0 -> 0
        assertV(m, 4, 0x1234, 0xFFEDL);
    }

    @Test
    void polynomialMultiplyLong() {
        TestMachine m = run("""
                .arch armv8-a+crypto
                pmull v2.1q, v0.1d, v1.1d
                pmull2 v3.1q, v0.2d, v1.2d
                pmull v4.8h, v0.8b, v5.8b
                """, 0x8000_0000_0000_0001L, -1, 3, 2, 0, 0, 0, 0, 0, 0, 0xFF, 0);
        assertV(m, 2, 0x8000_0000_0000_0003L, 1);
        assertV(m, 3, 0xFFFF_FFFF_FFFF_FFFEL, 1);
        assertV(m, 4, 0xFF, 0);
        m = run("pmull v2.8h, v0.8b, v1.8b", 0xFF, 0, 0xFF, 0);
        assertV(m, 2, 0x5555, 0);
    }

    @Test
    void longAndWideFormsExtendBySignedness() {
        TestMachine m = run("""
                umull v2.2d, v0.2s, v0.2s
                smull v3.2d, v0.2s, v0.2s
                usubw2 v4.2d, v1.2d, v0.4s
                ssubw2 v5.2d, v1.2d, v0.4s
                sabal v6.8h, v0.8b, v1.8b
                """, 0xFFFF_FFFFL, 0xFFFF_FFFF_0000_0003L, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0x7FFF, 0);
        assertV(m, 2, 0xFFFF_FFFE_0000_0001L, 0);
        assertV(m, 3, 1, 0);
        assertV(m, 4, 7, 20 - 0xFFFF_FFFFL);
        assertV(m, 5, 7, 21);
        // lane 0: 0x7FFF + |(-1) - 10| = 0x800A; lanes 1-3: 0 + |(-1) - 0|
        assertV(m, 6, 0x0001_0001_0001_800AL, 0);
    }

    @Test
    void reservedSizesAreUndefined() {
        assertUndefined(0x0EE00000);   // SADDL size 11
        assertUndefined(0x0E60E000);   // PMULL size 01
        assertUndefined(0x0E20D000);   // SQDMULL size 00
        assertUndefined(0x5E20D000);   // SQDMULL (scalar) size 00
    }
}
