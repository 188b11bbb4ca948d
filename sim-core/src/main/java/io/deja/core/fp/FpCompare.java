package io.deja.core.fp;

import static io.deja.core.fp.FpFormat.SNAN;
import static io.deja.core.fp.FpFormat.ZERO;
import static io.deja.core.fp.FpFormat.isNan;
import static io.deja.core.fp.FpStatus.IOC;

/** FPCompare of the Arm ARM: the NZCV result of FCMP/FCMPE/FCCMP/FCCMPE. */
public final class FpCompare {
    private FpCompare() {}

    /** NZCV as a 4-bit value (N=8, Z=4, C=2, V=1). Single and double values are exact as Java doubles. */
    public static int compare(long op1, long op2, boolean signalAllNans, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) {
            if (signalAllNans || t1 == SNAN || t2 == SNAN) st.flags |= IOC;
            return 0b0011;
        }
        double v1 = t1 == ZERO ? 0.0 : toDouble(op1, d), v2 = t2 == ZERO ? 0.0 : toDouble(op2, d);
        if (v1 == v2) return 0b0110;
        return v1 < v2 ? 0b1000 : 0b0010;
    }

    /** FPCompareEQ (FCMEQ): false for NaNs, IOC only for a signalling one. */
    public static boolean equal(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) {
            if (t1 == SNAN || t2 == SNAN) st.flags |= IOC;
            return false;
        }
        return value(op1, t1, d) == value(op2, t2, d);
    }

    /** FPCompareGE (FCMGE, FACGE, FCMLE): false with IOC for any NaN. */
    public static boolean greaterEqual(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) {
            st.flags |= IOC;
            return false;
        }
        return value(op1, t1, d) >= value(op2, t2, d);
    }

    /** FPCompareGT (FCMGT, FACGT, FCMLT): false with IOC for any NaN. */
    public static boolean greaterThan(long op1, long op2, boolean d, FpStatus st) {
        int t1 = FpFormat.type(op1, d, st), t2 = FpFormat.type(op2, d, st);
        if (isNan(t1) || isNan(t2)) {
            st.flags |= IOC;
            return false;
        }
        return value(op1, t1, d) > value(op2, t2, d);
    }

    /** The value of a non-NaN operand; a flushed denormal is zero. */
    private static double value(long bits, int type, boolean d) {
        return type == ZERO ? 0.0 : toDouble(bits, d);
    }

    static double toDouble(long bits, boolean d) {
        return d ? Double.longBitsToDouble(bits) : Float.intBitsToFloat((int) bits);
    }
}
