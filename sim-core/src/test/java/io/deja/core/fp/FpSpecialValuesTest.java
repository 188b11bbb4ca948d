package io.deja.core.fp;

import org.junit.jupiter.api.Test;

import static io.deja.core.fp.FpStatus.DZC;
import static io.deja.core.fp.FpStatus.IDC;
import static io.deja.core.fp.FpStatus.IOC;
import static io.deja.core.fp.FpStatus.IXC;
import static io.deja.core.fp.FpStatus.UFC;
import static org.assertj.core.api.Assertions.assertThat;

/** NaN, infinity, zero and denormal cases, each worked out from the Arm ARM pseudocode (double precision). */
class FpSpecialValuesTest {
    static final long QNAN_A = 0x7FF8_0000_0000_00AAL, QNAN_B = 0xFFF8_0000_0000_00BBL;
    static final long SNAN_A = 0x7FF0_0000_0000_00AAL, SNAN_B = 0xFFF0_0000_0000_00BBL;
    static final long DEFAULT_NAN = 0x7FF8_0000_0000_0000L;
    static final long PINF = 0x7FF0_0000_0000_0000L, NINF = 0xFFF0_0000_0000_0000L;
    static final long PZERO = 0, NZERO = 1L << 63, ONE = 0x3FF0_0000_0000_0000L, DENORM = 1;

    FpStatus st = new FpStatus();

    private FpStatus fpcr(int value) {
        st.fpcr = value;
        st.flags = 0;
        return st;
    }

    @Test
    void nanOrderSignallingFirstThenFirstOperand() {
        assertThat(FpArith.add(QNAN_A, QNAN_B, true, fpcr(0))).isEqualTo(QNAN_A);
        assertThat(st.flags).isZero();
        assertThat(FpArith.add(QNAN_A, SNAN_B, true, fpcr(0))).isEqualTo(SNAN_B | 1L << 51);
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpArith.mul(SNAN_A, SNAN_B, true, fpcr(0))).isEqualTo(SNAN_A | 1L << 51);
        assertThat(FpArith.sqrt(SNAN_B, true, fpcr(FpStatus.DN))).isEqualTo(DEFAULT_NAN);
        assertThat(st.flags).isEqualTo(IOC);
        // FPMulAdd: addend first, then the multiplicands
        assertThat(FpArith.mulAdd(QNAN_A, SNAN_B, ONE, true, fpcr(0))).isEqualTo(SNAN_B | 1L << 51);
        assertThat(FpArith.mulAdd(QNAN_A, QNAN_B, ONE, true, fpcr(0))).isEqualTo(QNAN_A);
        // a quiet NaN addend with infinity times zero is the default NaN and Invalid Operation
        assertThat(FpArith.mulAdd(QNAN_A, PINF, PZERO, true, fpcr(0))).isEqualTo(DEFAULT_NAN);
        assertThat(st.flags).isEqualTo(IOC);
    }

    @Test
    void infinitiesAndZeros() {
        assertThat(FpArith.add(PINF, NINF, true, fpcr(0))).isEqualTo(DEFAULT_NAN);
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpArith.sub(PINF, PINF, true, fpcr(0))).isEqualTo(DEFAULT_NAN);
        assertThat(FpArith.add(NZERO, NZERO, true, fpcr(0))).isEqualTo(NZERO);
        assertThat(FpArith.add(NZERO, PZERO, true, fpcr(0))).isEqualTo(PZERO);
        assertThat(FpArith.add(NZERO, PZERO, true, fpcr(FpStatus.RM << FpStatus.RMODE_SHIFT))).isEqualTo(NZERO);
        assertThat(FpArith.div(ONE, NZERO, true, fpcr(0))).isEqualTo(NINF);
        assertThat(st.flags).isEqualTo(DZC);
        assertThat(FpArith.div(PINF, PZERO, true, fpcr(0))).isEqualTo(PINF);
        assertThat(st.flags).as("infinity / 0 is not a division by zero").isZero();
        assertThat(FpArith.div(PZERO, PZERO, true, fpcr(0))).isEqualTo(DEFAULT_NAN);
        assertThat(FpArith.sqrt(NZERO, true, fpcr(0))).isEqualTo(NZERO);
        assertThat(FpArith.sqrt(ONE | 1L << 63, true, fpcr(0))).isEqualTo(DEFAULT_NAN);
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpArith.mulAdd(NINF, PINF, ONE, true, fpcr(0))).isEqualTo(DEFAULT_NAN);
        assertThat(FpArith.mulAdd(NZERO, NZERO, ONE, true, fpcr(0))).isEqualTo(NZERO);
        assertThat(FpArith.mulAdd(PZERO, NZERO, ONE, true, fpcr(0))).isEqualTo(PZERO);
    }

    @Test
    void flushToZero() {
        assertThat(FpArith.mul(DENORM, ONE, true, fpcr(0))).isEqualTo(DENORM);
        assertThat(st.flags).isZero();
        assertThat(FpArith.mul(DENORM, ONE, true, fpcr(FpStatus.FZ))).isEqualTo(PZERO);
        assertThat(st.flags).isEqualTo(IDC);
        assertThat(FpArith.mul(DENORM | 1L << 63, ONE, true, fpcr(FpStatus.FZ))).isEqualTo(NZERO);
        // output flush: by the unrounded value, even if it would round up to the smallest normal
        long justBelow = 0x000F_FFFF_FFFF_FFFFL; // largest denormal
        long halfPlus = 0x3FF0_0000_0000_0001L; // 1 + 2^-52: product rounds to 2^-1022
        assertThat(FpArith.mul(justBelow, halfPlus, true, fpcr(0))).isEqualTo(0x0010_0000_0000_0000L);
        assertThat(st.flags).as("tiny before rounding and inexact").isEqualTo(UFC | IXC);
        assertThat(FpArith.mul(0x0010_0000_0000_0000L, 0x3FEF_FFFF_FFFF_FFFFL, true, fpcr(FpStatus.FZ))).isEqualTo(PZERO);
        assertThat(st.flags).isEqualTo(UFC);
        assertThat(FpCompare.compare(DENORM, PZERO, false, true, fpcr(FpStatus.FZ))).isEqualTo(0b0110);
        assertThat(st.flags).isEqualTo(IDC);
    }

    @Test
    void maxNumPrefersNumbersToQuietNaNsOnly() {
        assertThat(FpArith.maxNum(QNAN_A, NINF, true, fpcr(0))).isEqualTo(NINF);
        assertThat(FpArith.minNum(ONE, QNAN_B, true, fpcr(0))).isEqualTo(ONE);
        assertThat(FpArith.maxNum(SNAN_A, ONE, true, fpcr(0))).isEqualTo(SNAN_A | 1L << 51);
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpArith.maxNum(QNAN_A, QNAN_B, true, fpcr(0))).isEqualTo(QNAN_A);
        assertThat(FpArith.max(QNAN_A, ONE, true, fpcr(0))).isEqualTo(QNAN_A);
        assertThat(FpArith.min(PZERO, NZERO, true, fpcr(0))).isEqualTo(NZERO);
        assertThat(FpArith.max(NZERO, PZERO, true, fpcr(0))).isEqualTo(PZERO);
    }

    @Test
    void compareTable() {
        assertThat(FpCompare.compare(ONE, PINF, false, true, fpcr(0))).isEqualTo(0b1000);
        assertThat(FpCompare.compare(PZERO, NZERO, false, true, fpcr(0))).isEqualTo(0b0110);
        assertThat(FpCompare.compare(QNAN_A, ONE, false, true, fpcr(0))).isEqualTo(0b0011);
        assertThat(st.flags).isZero();
        assertThat(FpCompare.compare(ONE, SNAN_A, false, true, fpcr(0))).isEqualTo(0b0011);
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpCompare.compare(ONE, QNAN_A, true, true, fpcr(0))).isEqualTo(0b0011);
        assertThat(st.flags).isEqualTo(IOC);
    }

    @Test
    void conversionsOfSpecialValues() {
        assertThat(FpConvert.toFixed(QNAN_A, 0, false, 64, FpStatus.RZ, true, fpcr(0))).isZero();
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpConvert.toFixed(NINF, 0, false, 32, FpStatus.RZ, true, fpcr(0))).isEqualTo(0x8000_0000L);
        assertThat(FpConvert.toFixed(PINF, 0, true, 64, FpStatus.RZ, true, fpcr(0))).isEqualTo(-1L);
        assertThat(FpConvert.toFixed(DENORM, 0, false, 64, FpStatus.RP, true, fpcr(0))).isEqualTo(1);
        assertThat(st.flags).isEqualTo(IXC);
        assertThat(FpConvert.toFixed(DENORM, 0, false, 64, FpStatus.RP, true, fpcr(FpStatus.FZ))).isZero();
        assertThat(st.flags).isEqualTo(IDC);
        assertThat(FpConvert.convert(QNAN_B, true, fpcr(0))).isEqualTo(0xFFC0_0000L);
        assertThat(FpConvert.convert(SNAN_A, true, fpcr(FpStatus.DN))).isEqualTo(0x7FC0_0000L);
        assertThat(st.flags).isEqualTo(IOC);
        assertThat(FpConvert.convert(0x7F7F_FFFFL, false, fpcr(0))).isEqualTo(Double.doubleToRawLongBits(Float.MAX_VALUE));
        assertThat(FpConvert.convert(Double.doubleToRawLongBits(1e300), true, fpcr(0))).isEqualTo(0x7F80_0000L);
        assertThat(FpConvert.roundInt(NZERO, FpStatus.RP, true, true, fpcr(0))).isEqualTo(NZERO);
        assertThat(FpConvert.roundInt(SNAN_A, FpStatus.RN, false, true, fpcr(0))).isEqualTo(SNAN_A | 1L << 51);
    }
}
