package io.deja.core.difftest;

import java.util.SplittableRandom;

/**
 * Seed values for V0-V31: the operands where floating-point implementations
 * differ (signed zeros, infinities, quiet and signalling NaNs with payloads,
 * denormals, the extreme normals, ties and other rounding boundaries, the
 * limits of the integer conversions) and random bits, in half, single and
 * double precision.
 */
final class FpValues {
    private FpValues() {}

    /** 64 bits of a V register: one double, two singles or four halves. */
    static long half(SplittableRandom rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> value(rnd, 11, 52);
            case 1 -> value(rnd, 8, 23) | value(rnd, 8, 23) << 32;
            default -> {
                long h = 0;
                for (int i = 0; i < 4; i++) h |= value(rnd, 5, 10) << (16 * i);
                yield h;
            }
        };
    }

    /** The bits of an interesting value of a format with e exponent and f fraction bits. */
    static long value(SplittableRandom rnd, int e, int f) {
        long bias = (1L << (e - 1)) - 1, maxExp = (1L << e) - 1, fracMask = (1L << f) - 1;
        long sign = rnd.nextBoolean() ? 1L << (e + f) : 0;
        long frac = rnd.nextLong() & fracMask;
        long magnitude = switch (rnd.nextInt(16)) {
            case 0 -> 0;                                                       // zero
            case 1 -> maxExp << f;                                             // infinity
            case 2 -> maxExp << f | 1L << (f - 1) | (frac & (fracMask >> 1));  // quiet NaN, payload
            case 3 -> maxExp << f | Math.max(1, frac & (fracMask >> 1));       // signalling NaN, payload
            case 4 -> Math.max(1, frac);                                       // denormal
            case 5 -> rnd.nextBoolean() ? 1 : fracMask;                        // smallest, largest denormal
            case 6 -> (maxExp - 1) << f | (rnd.nextBoolean() ? fracMask : 0);  // largest normals
            case 7 -> 1L << f | (rnd.nextBoolean() ? 0 : 1);                   // smallest normals
            case 8 -> bias << f;                                               // 1.0
            case 9 -> (bias + rnd.nextInt(4)) << f | 1L << (f - 1 - Math.min(rnd.nextInt(3), f - 1)); // 1.5, 2.5, 1.25 ...: ties
            case 10 -> {                                                       // near an integer rounding boundary
                long exp = bias + rnd.nextInt((int) Math.min(f + 2, maxExp - 1 - bias));
                long low = rnd.nextInt(4) - 2;
                yield (exp << f | (frac & ~3L)) + low;
            }
            case 11 -> {                                                       // near the limits of integer conversions
                int[] limits = {15, 16, 31, 32, 63, 64};
                long exp = Math.min(bias + limits[rnd.nextInt(limits.length)] + rnd.nextInt(3) - 1, maxExp - 1);
                yield exp << f | (rnd.nextBoolean() ? 0 : rnd.nextBoolean() ? fracMask : frac);
            }
            case 12 -> (1L + rnd.nextInt(2 + f)) << f | frac;                  // tiny normals: underflow, flush
            case 13 -> (bias + rnd.nextInt(8) - 4) << f | frac;                // ordinary, near 1
            default -> rnd.nextLong() & ((1L << (e + f)) - 1);                 // random bits
        };
        return sign | (magnitude & ((1L << (e + f)) - 1));
    }
}
