package io.deja.core.cpu;

/** ESR_ELx.EC values (Arm ARM D17.2.37) that this CPU raises. */
public final class ExceptionClass {
    private ExceptionClass() {}

    public static final int UNKNOWN = 0x00;
    public static final int WFX = 0x01;
    public static final int FP_ACCESS = 0x07;
    public static final int ILLEGAL_STATE = 0x0E;
    public static final int SVC64 = 0x15;
    public static final int HVC64 = 0x16;
    public static final int SMC64 = 0x17;
    public static final int SYSREG = 0x18;
    public static final int INSN_ABORT_LOWER = 0x20;
    public static final int INSN_ABORT_SAME = 0x21;
    public static final int PC_ALIGNMENT = 0x22;
    public static final int DATA_ABORT_LOWER = 0x24;
    public static final int DATA_ABORT_SAME = 0x25;
    public static final int SP_ALIGNMENT = 0x26;
    public static final int SERROR = 0x2F;
    public static final int BREAKPOINT_LOWER = 0x30;
    public static final int BREAKPOINT_SAME = 0x31;
    public static final int SOFTWARE_STEP_LOWER = 0x32;
    public static final int SOFTWARE_STEP_SAME = 0x33;
    public static final int WATCHPOINT_LOWER = 0x34;
    public static final int WATCHPOINT_SAME = 0x35;
    public static final int BRK64 = 0x3C;


    public static String name(int ec) {
        return switch (ec) {
            case UNKNOWN -> "UNDEFINED";
            case WFX -> "WFI/WFE trap";
            case FP_ACCESS -> "FP/SIMD access trap";
            case ILLEGAL_STATE -> "illegal execution state";
            case SVC64 -> "SVC";
            case HVC64 -> "HVC";
            case SMC64 -> "SMC";
            case SYSREG -> "MSR/MRS/SYS trap";
            case INSN_ABORT_LOWER, INSN_ABORT_SAME -> "instruction abort";
            case PC_ALIGNMENT -> "PC alignment fault";
            case DATA_ABORT_LOWER, DATA_ABORT_SAME -> "data abort";
            case SP_ALIGNMENT -> "SP alignment fault";
            case SERROR -> "SError";
            case BRK64 -> "BRK";
            default -> "EC 0x" + Integer.toHexString(ec);
        };
    }
}
