package io.deja.core.fp;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Half-precision conversions against Java's own IEEE binary16 conversions
 * (Float.float16ToFloat, and Float.floatToFloat16 which rounds to nearest
 * even), plus the alternative format of FPCR.AHP worked out by hand.
 */
class FpHalfTest {
    private static FpStatus status(int fpcr) {
        FpStatus st = new FpStatus();
        st.fpcr = fpcr;
        return st;
    }

    @Test
    void everyHalfWidensExactly() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0) continue; // NaNs: below
            FpStatus st = status(0);
            long s = FpHalf.toSingleOrDouble(h, false, st);
            assertThat(s).as("%04x", h).isEqualTo(Float.floatToRawIntBits(Float.float16ToFloat((short) h)) & 0xFFFF_FFFFL);
            long d = FpHalf.toSingleOrDouble(h, true, status(FpStatus.FZ));
            assertThat(d).as("%04x", h).isEqualTo(Double.doubleToRawLongBits(Float.float16ToFloat((short) h)));
            assertThat(st.flags).isZero();
        }
    }

    @Test
    void singlesNarrowToNearestEven() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            int f = r.nextInt();
            if (i % 2 == 0) f = (f & 0x807F_FFFF) | ((100 + r.nextInt(50)) << 23); // around half's range
            if (Float.isNaN(Float.intBitsToFloat(f))) continue;
            long got = FpHalf.fromSingleOrDouble(f & 0xFFFF_FFFFL, false, status(0));
            assertThat(got).as("%08x", f).isEqualTo(Float.floatToFloat16(Float.intBitsToFloat(f)) & 0xFFFFL);
        }
    }

    @Test
    void alternativeHalfPrecisionHasNoInfinityOrNan() {
        FpStatus st = status(FpHalf.AHP);
        assertThat(FpHalf.toSingleOrDouble(0x7C00, false, st)).as("2^16").isEqualTo(Float.floatToRawIntBits(65536f));
        assertThat(FpHalf.toSingleOrDouble(0x7FFF, false, st)).isEqualTo(Float.floatToRawIntBits(131008f));
        assertThat(st.flags).isZero();
        assertThat(FpHalf.fromSingleOrDouble(Float.floatToRawIntBits(131008f), false, st)).isEqualTo(0x7FFF);
        assertThat(st.flags).isZero();
        assertThat(FpHalf.fromSingleOrDouble(Float.floatToRawIntBits(200000f), false, st)).isEqualTo(0x7FFF);
        assertThat(st.flags).as("overflow is Invalid Operation, not Overflow").isEqualTo(FpStatus.IOC);
        st = status(FpHalf.AHP);
        assertThat(FpHalf.fromSingleOrDouble(0xFFC0_0000L, false, st)).as("a NaN becomes a signed zero").isEqualTo(0x8000);
        assertThat(st.flags).isEqualTo(FpStatus.IOC);
    }

    @Test
    void nanPayloadsKeepTheirTopBits() {
        FpStatus st = status(0);
        assertThat(FpHalf.fromSingleOrDouble(0xFFC1_2345L, false, st)).isEqualTo(0xFE09);
        assertThat(st.flags).isZero();
        assertThat(FpHalf.toSingleOrDouble(0xFD01, false, st)).isEqualTo(0xFFE0_2000L);
        assertThat(st.flags).as("a signalling NaN is quieted").isEqualTo(FpStatus.IOC);
        assertThat(FpHalf.toSingleOrDouble(0x7F3F, true, status(0))).isEqualTo(0x7FFC_FC00_0000_0000L);
        assertThat(FpHalf.toSingleOrDouble(0x7F3F, true, status(FpStatus.DN))).isEqualTo(0x7FF8_0000_0000_0000L);
    }
}
