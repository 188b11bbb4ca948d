package io.deja.core.fp;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FP core against an independent reference: every operation on finite
 * nonzero operands is computed exactly as a rational num/den * 2^k with
 * BigInteger (a square root with 200 extra bits and a sticky half), then
 * rounded by a direct reading of the Arm ARM's FPRound: the four rounding
 * modes, overflow, underflow with tininess before rounding, inexact. Seeded,
 * so a failure names a reproducible case.
 */
class FpArithTest {
    private static final int CASES = 4000;
    private static final int[] MODES = {FpStatus.RN, FpStatus.RP, FpStatus.RM, FpStatus.RZ};

    /** Finite nonzero operands biased toward the interesting places: cancellation, limits, denormals. */
    static long operand(SplittableRandom r, boolean d) {
        int f = d ? 52 : 23, bias = d ? 1023 : 127, emaxField = d ? 2046 : 254;
        long frac = r.nextLong() & ((1L << f) - 1);
        if (r.nextInt(4) == 0) frac &= -1L << r.nextInt(f); // short significands: exact results
        long exp = switch (r.nextInt(6)) {
            case 0 -> 1 + r.nextInt(emaxField); // anywhere
            case 1, 2 -> bias - 4 + r.nextInt(9); // near 1: cancellation
            case 3 -> r.nextInt(3); // denormal or near the smallest normal
            case 4 -> emaxField - r.nextInt(3); // near the largest
            default -> bias + r.nextInt(bias / 2) * (r.nextBoolean() ? 1 : -1);
        };
        if (exp == 0 && frac == 0) frac = 1;
        long sign = r.nextBoolean() ? 1 : 0;
        return (sign << (d ? 63 : 31)) | (exp << f) | frac;
    }

    // ---- the reference ------------------------------------------------------------

    record Exact(int sign, BigInteger num, BigInteger den, int k) {}

    static BigInteger mant(long bits, boolean d) {
        int f = d ? 52 : 23;
        long exp = (bits >>> f) & (d ? 0x7FF : 0xFF), frac = bits & ((1L << f) - 1);
        return BigInteger.valueOf(exp == 0 ? frac : frac | (1L << f));
    }

    static int scale(long bits, boolean d) {
        int f = d ? 52 : 23, bias = d ? 1023 : 127;
        long exp = (bits >>> f) & (d ? 0x7FF : 0xFF);
        return (int) Math.max(exp, 1) - bias - f;
    }

    static BigInteger signed(long bits, boolean d) {
        BigInteger m = mant(bits, d);
        return FpFormat.signOf(bits, d) == 1 ? m.negate() : m;
    }

    /** a*2^ka + b*2^kb as an exact signed integer times 2^min(ka, kb). */
    static Exact sum(BigInteger a, int ka, BigInteger b, int kb) {
        int k = Math.min(ka, kb);
        BigInteger s = a.shiftLeft(ka - k).add(b.shiftLeft(kb - k));
        return new Exact(s.signum() < 0 ? 1 : 0, s.abs(), BigInteger.ONE, k);
    }

    static final class Flags {
        int value;
    }

    /** FPRound of num/den*2^k (> 0), or the exact zero of an exact sum. */
    static long round(Exact x, boolean d, int mode, Flags fl) {
        if (x.num.signum() == 0) return FpFormat.zero(mode == FpStatus.RM ? 1 : 0, d);
        int f = d ? 52 : 23, emin = d ? -1022 : -126, emax = d ? 1023 : 127, bias = d ? 1023 : 127;
        BigInteger num = x.num, den = x.den;
        int e0 = num.bitLength() - den.bitLength();
        boolean below = e0 >= 0 ? num.compareTo(den.shiftLeft(e0)) < 0 : num.shiftLeft(-e0).compareTo(den) < 0;
        if (below) e0--;
        int bigE = e0 + x.k;
        int e = Math.max(bigE, emin);
        int qe = e - f;
        BigInteger n = x.k - qe >= 0 ? num.shiftLeft(x.k - qe) : num;
        BigInteger dd = x.k - qe >= 0 ? den : den.shiftLeft(qe - x.k);
        BigInteger[] qr = n.divideAndRemainder(dd);
        BigInteger q = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(dd);
        boolean inexact = qr[1].signum() != 0;
        boolean up = switch (mode) {
            case FpStatus.RN -> half > 0 || (half == 0 && q.testBit(0));
            case FpStatus.RP -> inexact && x.sign == 0;
            case FpStatus.RM -> inexact && x.sign == 1;
            default -> false;
        };
        if (up) q = q.add(BigInteger.ONE);
        if (bigE < emin && inexact) fl.value |= FpStatus.UFC;
        boolean overflow = e > emax || (e == emax && q.bitLength() > f + 1);
        long signBit = x.sign == 1 ? (d ? 1L << 63 : 1L << 31) : 0;
        if (overflow) {
            fl.value |= FpStatus.OFC | FpStatus.IXC;
            boolean toInf = mode == FpStatus.RN || (mode == FpStatus.RP && x.sign == 0) || (mode == FpStatus.RM && x.sign == 1);
            long inf = d ? 0x7FF0_0000_0000_0000L : 0x7F80_0000L;
            return signBit | (toInf ? inf : inf - 1);
        }
        if (inexact) fl.value |= FpStatus.IXC;
        if (q.bitLength() > f + 1) {
            q = q.shiftRight(1);
            qe++;
        }
        long qv = q.longValueExact();
        if (qv < (1L << f)) return signBit | qv; // denormal or zero
        return signBit | ((long) (qe + f + bias) << f) | (qv - (1L << f));
    }

    // ---- the comparison -----------------------------------------------------------

    interface Op {
        long core(long a, long b, long c, boolean d, FpStatus st);

        Exact reference(long a, long b, long c, boolean d);
    }

    static void check(String name, Op op) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        FpStatus st = new FpStatus();
        for (boolean d : new boolean[] {false, true}) {
            for (int i = 0; i < CASES; i++) {
                long a = operand(r, d), b = operand(r, d), c = operand(r, d);
                int mode = MODES[i & 3];
                st.fpcr = mode << FpStatus.RMODE_SHIFT;
                st.flags = 0;
                long got = op.core(a, b, c, d, st);
                Flags fl = new Flags();
                long want = round(op.reference(a, b, c, d), d, mode, fl);
                String what = String.format("%s %s mode %d of %x %x %x", name, d ? "double" : "single", mode, a, b, c);
                assertThat(Long.toHexString(got)).as(what).isEqualTo(Long.toHexString(want));
                assertThat(st.flags).as(what + " flags").isEqualTo(fl.value);
            }
        }
    }

    @Test
    void addMatchesTheExactReference() {
        check("add", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.add(a, b, d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                return sum(signed(a, d), scale(a, d), signed(b, d), scale(b, d));
            }
        });
    }

    @Test
    void subMatchesTheExactReference() {
        check("sub", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.sub(a, b, d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                return sum(signed(a, d), scale(a, d), signed(b, d).negate(), scale(b, d));
            }
        });
    }

    @Test
    void mulMatchesTheExactReference() {
        check("mul", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mul(a, b, d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                return new Exact(FpFormat.signOf(a, d) ^ FpFormat.signOf(b, d), mant(a, d).multiply(mant(b, d)),
                        BigInteger.ONE, scale(a, d) + scale(b, d));
            }
        });
    }

    @Test
    void divMatchesTheExactReference() {
        check("div", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.div(a, b, d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                return new Exact(FpFormat.signOf(a, d) ^ FpFormat.signOf(b, d), mant(a, d), mant(b, d),
                        scale(a, d) - scale(b, d));
            }
        });
    }

    @Test
    void fusedMulAddMatchesTheExactReference() {
        check("fma", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mulAdd(a, b, c, d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                return sum(signed(a, d), scale(a, d), signed(b, d).multiply(signed(c, d)), scale(b, d) + scale(c, d));
            }
        });
    }

    @Test
    void sqrtMatchesTheExactReference() {
        check("sqrt", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.sqrt(FpFormat.abs(a, d), d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                BigInteger m = mant(a, d);
                int k = scale(a, d);
                if ((k & 1) != 0) {
                    m = m.shiftLeft(1);
                    k--;
                }
                BigInteger radicand = m.shiftLeft(400);
                BigInteger root = radicand.sqrt();
                int sticky = root.multiply(root).equals(radicand) ? 0 : 1;
                return new Exact(0, root.shiftLeft(1).add(BigInteger.valueOf(sticky)), BigInteger.ONE, k / 2 - 201);
            }
        });
    }

    /** -(b*c) rounded, or a where that is not a finite nonzero number. */
    static long negatedProduct(long a, long b, long c, boolean d) {
        long p = FpFormat.neg(FpArith.mul(b, c, d, new FpStatus()), d);
        return FpFormat.type(p, d, new FpStatus()) == FpFormat.NONZERO ? p : a;
    }

    @Test
    void fusedMulAddNearCancellationOfTheProduct() {
        // a + b*c where the addend almost cancels the product: the rounding of b*c alone would lose it
        check("fma-cancel", new Op() {
            public long core(long a, long b, long c, boolean d, FpStatus st) {
                return FpArith.mulAdd(negatedProduct(a, b, c, d), b, c, d, st);
            }

            public Exact reference(long a, long b, long c, boolean d) {
                long p = negatedProduct(a, b, c, d);
                return sum(signed(p, d), scale(p, d), signed(b, d).multiply(signed(c, d)), scale(b, d) + scale(c, d));
            }
        });
    }
}
