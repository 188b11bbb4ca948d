package io.deja.analysis.schema;

import io.deja.core.trace.Display;
import io.deja.core.trace.EventCodes;

import java.util.Locale;

/** Text for the coded values of recorded events (diff and query output), from the event schema's tables. */
public final class Names {
    private Names() {}

    /** X0-X30, SP, NZCV, FPCR, FPSR; "R<n>" for a number outside the schema. */
    public static String reg(int reg) {
        return Display.regName(reg);
    }

    /** V0-V31 (vreg_writes.reg). */
    public static String vreg(int reg) {
        return Display.vregName(reg);
    }

    /** The register number of a name as reg() gives it (case-insensitive; W registers name their X); -1 if unknown. */
    public static int regNumber(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (int i = 0; i <= io.deja.core.trace.TraceSink.REG_FPSR; i++) {
            if (reg(i).equals(n)) return i;
        }
        if (n.startsWith("W")) return regNumber("X" + n.substring(1));
        return -1;
    }

    /**
     * The instruction an exception was taken on, from its class and preferred return
     * address (ELR): an SVC, HVC or SMC (AArch64 or AArch32) returns to the
     * instruction after it, so it is 4 bytes before ELR; every other synchronous
     * exception returns to the instruction that took it. exceptions.pc.
     */
    public static long exceptionPc(int ec, long elr) {
        return switch (ec) {
            case 0x11, 0x12, 0x13, 0x15, 0x16, 0x17 -> elr - 4;
            default -> elr;
        };
    }

    /** An exit kind (EXIT.kind) as text. */
    public static String exitKind(int kind) {
        return EventCodes.EXIT_KIND.nameOf(kind);
    }

    /** END.reason (an exit kind's code) as text: shutdown, budget, BRK, ... */
    public static String stopReason(int code) {
        return EventCodes.EXIT_KIND.nameOf(code);
    }
}
