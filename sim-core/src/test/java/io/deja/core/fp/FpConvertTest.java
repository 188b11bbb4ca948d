package io.deja.core.fp;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static io.deja.core.fp.FpArithTest.Exact;
import static io.deja.core.fp.FpArithTest.mant;
import static io.deja.core.fp.FpArithTest.operand;
import static io.deja.core.fp.FpArithTest.round;
import static io.deja.core.fp.FpArithTest.scale;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conversions against BigInteger references: FPConvert (double to single
 * rounds with FPRound), FixedToFP, FPToFixed (rounding to an integer by mode,
 * saturation with IOC, IXC only in range) and FPRoundInt.
 */
class FpConvertTest {
    private static final int CASES = 4000;
    private static final int[] MODES = {FpStatus.RN, FpStatus.RP, FpStatus.RM, FpStatus.RZ, FpStatus.TIEAWAY};

    private static FpStatus status(int mode) {
        FpStatus st = new FpStatus();
        st.fpcr = (mode & 3) << FpStatus.RMODE_SHIFT;
        return st;
    }

    @Test
    void doubleToSingleRoundsAndSingleToDoubleIsExact() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < CASES; i++) {
            long a = operand(r, true);
            int mode = MODES[i & 3];
            FpStatus st = status(mode);
            FpArithTest.Flags fl = new FpArithTest.Flags();
            long want = round(new Exact(FpFormat.signOf(a, true), mant(a, true), BigInteger.ONE, scale(a, true)), false, mode, fl);
            assertThat(Long.toHexString(FpConvert.convert(a, true, st))).as("%x mode %d", a, mode).isEqualTo(Long.toHexString(want));
            assertThat(st.flags).as("%x mode %d flags", a, mode).isEqualTo(fl.value);
            long s = operand(r, false);
            st = status(mode);
            assertThat(FpConvert.convert(s, false, st))
                    .isEqualTo(Double.doubleToRawLongBits(Float.intBitsToFloat((int) s)));
            assertThat(st.flags).isZero();
        }
    }

    @Test
    void fixedToFloatRounds() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < CASES; i++) {
            long v = r.nextLong() >> r.nextInt(64);
            int fbits = r.nextInt(65);
            boolean unsigned = r.nextBoolean(), d = r.nextBoolean();
            int mode = MODES[i & 3];
            FpStatus st = status(mode);
            long got = FpConvert.fromFixed(v, fbits, unsigned, mode, d, st);
            BigInteger big = unsigned ? new BigInteger(Long.toUnsignedString(v)) : BigInteger.valueOf(v);
            FpArithTest.Flags fl = new FpArithTest.Flags();
            long want = round(new Exact(big.signum() < 0 ? 1 : 0, big.abs(), BigInteger.ONE, -fbits), d, mode, fl);
            if (v == 0) want = 0;
            String what = String.format("%x fbits %d unsigned %b double %b mode %d", v, fbits, unsigned, d, mode);
            assertThat(Long.toHexString(got)).as(what).isEqualTo(Long.toHexString(want));
            assertThat(st.flags).as(what).isEqualTo(fl.value);
        }
    }

    @Test
    void fixedToFloatAtTheEdgeOfTheExactFastPath() {
        // magnitudes below 2^53 (double) or 2^24 (single) take the fast path; from there on, rounding
        for (boolean d : new boolean[] {false, true}) {
            long edge = d ? 1L << 53 : 1L << 24;
            for (long v : new long[] {edge - 1, edge, edge + 1, edge + 3, -(edge - 1), -edge, -(edge + 1), 1, -1}) {
                for (int fbits : new int[] {0, 1, 64}) {
                    for (boolean unsigned : new boolean[] {false, true}) {
                        for (int mode : new int[] {FpStatus.RN, FpStatus.RP, FpStatus.RM, FpStatus.RZ}) { // the reference's modes
                            FpStatus st = status(mode);
                            long got = FpConvert.fromFixed(v, fbits, unsigned, mode, d, st);
                            BigInteger big = unsigned ? new BigInteger(Long.toUnsignedString(v)) : BigInteger.valueOf(v);
                            FpArithTest.Flags fl = new FpArithTest.Flags();
                            long want = round(new Exact(big.signum() < 0 ? 1 : 0, big.abs(), BigInteger.ONE, -fbits), d, mode, fl);
                            String what = String.format("%x fbits %d unsigned %b double %b mode %d", v, fbits, unsigned, d, mode);
                            assertThat(Long.toHexString(got)).as(what).isEqualTo(Long.toHexString(want));
                            assertThat(st.flags).as(what).isEqualTo(fl.value);
                        }
                    }
                }
            }
        }
    }

    /** The value rounded to an integer in a mode (ties-away included), exactly. */
    static BigInteger roundToInteger(long a, boolean d, int fbits, int mode) {
        BigInteger m = mant(a, d);
        int k = scale(a, d) + fbits;
        boolean neg = FpFormat.signOf(a, d) == 1;
        BigInteger num = k >= 0 ? m.shiftLeft(k) : m, den = k >= 0 ? BigInteger.ONE : BigInteger.ONE.shiftLeft(-k);
        if (neg) num = num.negate();
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        BigInteger err = num.subtract(floor.multiply(den)); // in [0, den)
        int half = err.shiftLeft(1).compareTo(den);
        boolean inexact = err.signum() != 0;
        boolean up = switch (mode) {
            case FpStatus.RN -> half > 0 || (half == 0 && floor.testBit(0));
            case FpStatus.TIEAWAY -> half > 0 || (half == 0 && floor.signum() >= 0);
            case FpStatus.RP -> inexact;
            case FpStatus.RM -> false;
            default -> inexact && floor.signum() < 0;
        };
        return up ? floor.add(BigInteger.ONE) : floor;
    }

    @Test
    void floatToFixedRoundsAndSaturates() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < CASES * 2; i++) {
            boolean d = r.nextBoolean(), unsigned = r.nextBoolean();
            int bits = r.nextBoolean() ? 64 : 32;
            int fbits = r.nextInt(4) == 0 ? r.nextInt(bits + 1) : 0;
            long a = d ? Double.doubleToRawLongBits(r.nextDouble(-1, 1) * Math.scalb(1.0, r.nextInt(70)))
                    : Float.floatToRawIntBits((float) (r.nextDouble(-1, 1) * Math.scalb(1.0, r.nextInt(70)))) & 0xFFFF_FFFFL;
            if (FpFormat.type(a, d, new FpStatus()) != FpFormat.NONZERO) continue;
            int mode = MODES[r.nextInt(5)];
            FpStatus st = status(0);
            long got = FpConvert.toFixed(a, fbits, unsigned, bits, mode, d, st);
            BigInteger v = roundToInteger(a, d, fbits, mode);
            BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            int flags;
            if (v.compareTo(min) < 0) {
                v = min;
                flags = FpStatus.IOC;
            } else if (v.compareTo(max) > 0) {
                v = max;
                flags = FpStatus.IOC;
            } else {
                BigInteger exact = roundToInteger(a, d, fbits, FpStatus.RZ);
                boolean inexact = !exact.equals(roundToInteger(a, d, fbits, FpStatus.RP))
                        || !exact.equals(roundToInteger(a, d, fbits, FpStatus.RM));
                flags = inexact ? FpStatus.IXC : 0;
            }
            long want = v.longValue() & (bits == 64 ? -1L : 0xFFFF_FFFFL);
            String what = String.format("%x fbits %d unsigned %b bits %d double %b mode %d", a, fbits, unsigned, bits, d, mode);
            assertThat(Long.toHexString(got)).as(what).isEqualTo(Long.toHexString(want));
            assertThat(st.flags).as(what).isEqualTo(flags);
        }
    }

    @Test
    void roundToIntegralKeepsTheSignOfZero() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < CASES; i++) {
            boolean d = r.nextBoolean();
            long a = d ? Double.doubleToRawLongBits(r.nextDouble(-1, 1) * Math.scalb(1.0, r.nextInt(60)))
                    : Float.floatToRawIntBits((float) (r.nextDouble(-1, 1) * Math.scalb(1.0, r.nextInt(30)))) & 0xFFFF_FFFFL;
            if (FpFormat.type(a, d, new FpStatus()) != FpFormat.NONZERO) continue;
            int mode = MODES[r.nextInt(5)];
            boolean exact = r.nextBoolean();
            FpStatus st = status(0);
            long got = FpConvert.roundInt(a, mode, exact, d, st);
            BigInteger v = roundToInteger(a, d, 0, mode);
            double want = v.doubleValue();
            long wantBits;
            if (v.signum() == 0) wantBits = FpFormat.zero(FpFormat.signOf(a, d), d);
            else wantBits = d ? Double.doubleToRawLongBits(want) : Float.floatToRawIntBits((float) want) & 0xFFFF_FFFFL;
            boolean inexact = !roundToInteger(a, d, 0, FpStatus.RP).equals(roundToInteger(a, d, 0, FpStatus.RM));
            String what = String.format("%x mode %d", a, mode);
            assertThat(Long.toHexString(got)).as(what).isEqualTo(Long.toHexString(wantBits));
            assertThat(st.flags).as(what).isEqualTo(exact && inexact ? FpStatus.IXC : 0);
        }
    }

    @Test
    void expandImmediateCoversTheFmovTable() {
        assertThat(FpConvert.expandImm(0x70, true)).isEqualTo(Double.doubleToRawLongBits(1.0));
        assertThat(FpConvert.expandImm(0x00, true)).isEqualTo(Double.doubleToRawLongBits(2.0));
        assertThat(FpConvert.expandImm(0xFF, false)).isEqualTo(Float.floatToRawIntBits(-1.9375f) & 0xFFFF_FFFFL);
        assertThat(FpConvert.expandImm(0x60, false)).isEqualTo(Float.floatToRawIntBits(0.5f) & 0xFFFF_FFFFL);
        assertThat(FpConvert.expandImm(0x40, false)).isEqualTo(Float.floatToRawIntBits(0.125f) & 0xFFFF_FFFFL);
        assertThat(FpConvert.expandImm(0x1F, true)).isEqualTo(Double.doubleToRawLongBits(7.75));
    }
}
