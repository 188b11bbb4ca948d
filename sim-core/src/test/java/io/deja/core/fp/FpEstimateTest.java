package io.deja.core.fp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estimate tables and special inputs, worked out by hand from the Arm ARM
 * pseudocode (RecipEstimate, RecipSqrtEstimate, FPRecipEstimate,
 * FPRSqrtEstimate, FPRecpX); the differential test compares them with QEMU.
 */
class FpEstimateTest {
    static FpStatus st(int fpcr) {
        FpStatus s = new FpStatus();
        s.fpcr = fpcr;
        return s;
    }

    @Test
    void tableEndsAndMiddles() {
        assertThat(FpEstimate.recipEstimate(256)).isEqualTo(511);
        assertThat(FpEstimate.recipEstimate(511)).isEqualTo(256);
        assertThat(FpEstimate.recipEstimate(384)).as("1/0.75 = 1.333 -> 341.3").isEqualTo(341);
        assertThat(FpEstimate.recipSqrtEstimate(128)).isEqualTo(511);
        assertThat(FpEstimate.recipSqrtEstimate(255)).isEqualTo(362);
        assertThat(FpEstimate.recipSqrtEstimate(256)).isEqualTo(361);
        assertThat(FpEstimate.recipSqrtEstimate(257)).as("the bottom bit is discarded above 256").isEqualTo(361);
        assertThat(FpEstimate.recipSqrtEstimate(511)).isEqualTo(256);
        for (int a = 256; a < 512; a++) assertThat(FpEstimate.recipEstimate(a)).isBetween(256, 511);
        for (int a = 128; a < 512; a++) assertThat(FpEstimate.recipSqrtEstimate(a)).isBetween(256, 511);
    }

    @Test
    void recipOfDoubles() {
        FpStatus s = st(0);
        assertThat(FpEstimate.recip(0x3FF0_0000_0000_0000L, true, s)).isEqualTo(0x3FEF_F000_0000_0000L);
        assertThat(FpEstimate.recip(0xC000_0000_0000_0000L, true, s)).isEqualTo(0xBFDF_F000_0000_0000L);
        assertThat(FpEstimate.recip(0xFFF0_0000_0000_0000L, true, s)).as("1/-inf").isEqualTo(1L << 63);
        assertThat(s.flags).isZero();
        // below 2^-1024: overflow, to infinity in RN, to the largest normal in RZ
        assertThat(FpEstimate.recip(1L, true, s)).isEqualTo(0x7FF0_0000_0000_0000L);
        assertThat(s.flags).isEqualTo(FpStatus.OFC | FpStatus.IXC);
        assertThat(FpEstimate.recip(1L, true, st(FpStatus.RZ << FpStatus.RMODE_SHIFT))).isEqualTo(0x7FEF_FFFF_FFFF_FFFFL);
        // a signalling NaN is quieted, or the default NaN under DN
        s = st(0);
        assertThat(FpEstimate.recip(0x7FF0_0000_0000_0001L, true, s)).isEqualTo(0x7FF8_0000_0000_0001L);
        assertThat(s.flags).isEqualTo(FpStatus.IOC);
        assertThat(FpEstimate.recip(0x7FF0_0000_0000_0001L, true, st(FpStatus.DN))).isEqualTo(0x7FF8_0000_0000_0000L);
        // a denormal input under FZ is a zero: infinity, IDC and DZC
        s = st(FpStatus.FZ);
        assertThat(FpEstimate.recip(0x8000_0000_0010_0000L, true, s)).isEqualTo(0xFFF0_0000_0000_0000L);
        assertThat(s.flags).isEqualTo(FpStatus.IDC | FpStatus.DZC);
    }

    @Test
    void rsqrtOfSpecialsAndDenormals() {
        FpStatus s = st(0);
        assertThat(FpEstimate.rsqrt(1L, false, s)).as("2^-149: exponent -22 after normalising").isEqualTo(0x64B4_8000L);
        assertThat(FpEstimate.rsqrt(0x7F80_0000L, false, s)).isZero();
        assertThat(s.flags).isZero();
        assertThat(FpEstimate.rsqrt(0x8000_0000L, false, s)).isEqualTo(0xFF80_0000L);
        assertThat(s.flags).isEqualTo(FpStatus.DZC);
        s = st(0);
        assertThat(FpEstimate.rsqrt(0xBF80_0000L, false, s)).isEqualTo(0x7FC0_0000L);
        assertThat(s.flags).isEqualTo(FpStatus.IOC);
        assertThat(FpEstimate.rsqrt(0x3FF0_0000_0000_0000L, true, st(0))).isEqualTo(0x3FEF_F000_0000_0000L);
    }

    @Test
    void recpXInvertsTheExponent() {
        FpStatus s = st(0);
        assertThat(FpEstimate.recpX(0x3F80_0000L, false, s)).isEqualTo(0x4000_0000L);
        assertThat(FpEstimate.recpX(0x8000_0001L, false, s)).as("denormal").isEqualTo(0xFF00_0000L);
        assertThat(FpEstimate.recpX(0x7FF0_0000_0000_0000L, true, s)).as("infinity").isZero();
        assertThat(FpEstimate.recpX(0x3FF8_0000_0000_0000L, true, s)).as("fraction dropped").isEqualTo(0x4000_0000_0000_0000L);
        assertThat(s.flags).isZero();
        s = st(FpStatus.FZ);
        FpEstimate.recpX(1L, false, s);
        assertThat(s.flags).isEqualTo(FpStatus.IDC);
    }

    @Test
    void unsignedEstimates() {
        assertThat(FpEstimate.unsignedRecip(0xFFFF_FFFFL)).isEqualTo(256L << 23);
        assertThat(FpEstimate.unsignedRsqrt(0xFFFF_FFFFL)).isEqualTo(256L << 23);
        assertThat(FpEstimate.unsignedRsqrt(0x4000_0000L)).isEqualTo(511L << 23);
    }

    @Test
    void roundToOddConversion() {
        FpStatus s = st(0);
        // 1 + 2^-24 + 2^-30 truncates to 1, made odd
        long d = 0x3FF0_0000_1000_0000L | (1L << 22);
        assertThat(FpConvert.convert(d, true, FpStatus.ODD, s)).isEqualTo(0x3F80_0001L);
        assertThat(s.flags).isEqualTo(FpStatus.IXC);
        s = st(0);
        assertThat(FpConvert.convert(0x3FF0_0000_2000_0000L, true, FpStatus.ODD, s)).as("exact").isEqualTo(0x3F80_0001L);
        assertThat(s.flags).isZero();
        // a value that truncates to an odd significand stays there, even when RN would round up
        s = st(0);
        assertThat(FpConvert.convert(0x3FF0_0000_3FFF_FFFFL, true, FpStatus.ODD, s)).isEqualTo(0x3F80_0001L);
        // denormal results are made odd too
        s = st(0);
        assertThat(FpConvert.convert(0x3690_0000_0000_0000L, true, FpStatus.ODD, s)).as("2^-150").isEqualTo(1L);
        assertThat(s.flags).isEqualTo(FpStatus.UFC | FpStatus.IXC);
    }
}
