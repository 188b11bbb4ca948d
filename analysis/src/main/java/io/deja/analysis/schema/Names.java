package io.deja.analysis.schema;

import io.deja.core.board.StopReason;
import io.deja.core.cpu.Exit;
import io.deja.core.trace.TraceSink;

import java.util.Locale;

/** Text for the coded values of recorded events (the derived *_name columns, diff and query output). */
public final class Names {
    private Names() {}

    private static final String[] REGS = new String[33];

    static {
        for (int i = 0; i < 31; i++) REGS[i] = "X" + i;
        REGS[TraceSink.REG_SP] = "SP";
        REGS[TraceSink.REG_NZCV] = "NZCV";
    }

    /** X0-X30, SP, NZCV; "R<n>" for a number outside the schema. */
    public static String reg(int reg) {
        return reg >= 0 && reg < REGS.length ? REGS[reg] : "R" + reg;
    }

    /** The register number of a name as reg() gives it (case-insensitive; W registers name their X); -1 if unknown. */
    public static int regNumber(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (int i = 0; i < REGS.length; i++) {
            if (REGS[i].equals(n)) return i;
        }
        if (n.startsWith("W")) return regNumber("X" + n.substring(1));
        return -1;
    }

    /** An exit kind (EXIT.kind) as text. */
    public static String exitKind(int kind) {
        return switch (kind) {
            case Exit.WFI -> "WFI";
            case Exit.WFE -> "WFE";
            case Exit.MMIO_READ -> "MMIO read";
            case Exit.MMIO_WRITE -> "MMIO write";
            case Exit.HVC -> "HVC";
            case Exit.SMC -> "SMC";
            case Exit.BRK -> "BRK";
            case Exit.HLT -> "HLT";
            case Exit.BUDGET -> "budget";
            case Exit.CANCELLED -> "cancelled";
            case TraceSink.EXIT_SHUTDOWN -> "shutdown";
            default -> "kind " + kind;
        };
    }

    /** END.reason (an ordinal of StopReason) as text: shutdown, budget_exhausted, ... */
    public static String stopReason(int ordinal) {
        StopReason[] all = StopReason.values();
        return ordinal >= 0 && ordinal < all.length ? all[ordinal].name().toLowerCase(Locale.ROOT) : "reason " + ordinal;
    }
}
