package io.deja.core.trace;

import io.deja.core.cpu.ExceptionClass;
import io.deja.core.isa.SysRegs;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an event field is shown (divergence reports, diffs) and which name the
 * export derives from it (see events.schema). One place for what used to be
 * decided field name by field name in each report.
 */
public enum Display {
    /** Signed decimal (icount, cycles). */
    COUNT,
    /** Decimal. */
    DEC,
    /** 0x and hex digits. */
    HEX,
    /** An instruction word: 0x and 8 hex digits. */
    OPCODE,
    /** A byte written to the console: decimal, and the character when printable. */
    CHAR,
    /** A register number of reg_writes: its name (X0-X30, SP, NZCV, FPCR, FPSR). */
    REG,
    /** A register number of vreg_writes: its name (V0-V31). */
    VREG,
    /** A code of the field's CodeTable: the code and its name. */
    CODES,
    /** ESR_EL1.EC: hex and the exception class's name. */
    EC,
    /** A system register encoding: its name. */
    SYSREG,
    /** An index into the recording's device table: the index and the device's name. */
    DEVICE,
    /** Bytes as text (UTF-8). */
    TEXT,
    /** Registers as longs: their number. */
    REGISTERS;

    private static final String[] REGS = new String[TraceSink.REG_FPSR + 1];

    static {
        for (int i = 0; i < 31; i++) REGS[i] = "X" + i;
        REGS[TraceSink.REG_SP] = "SP";
        REGS[TraceSink.REG_NZCV] = "NZCV";
        REGS[TraceSink.REG_FPCR] = "FPCR";
        REGS[TraceSink.REG_FPSR] = "FPSR";
    }

    /** X0-X30, SP, NZCV, FPCR, FPSR; "R<n>" for a number outside them. */
    public static String regName(int reg) {
        return reg >= 0 && reg < REGS.length ? REGS[reg] : "R" + reg;
    }

    /** V0-V31; "V?<n>" for a number outside them. */
    public static String vregName(int reg) {
        return reg >= 0 && reg < 32 ? "V" + reg : "V?" + reg;
    }

    /** Whether the export adds a VARCHAR column naming the field's value. */
    public boolean named() {
        return switch (this) {
            case CODES, EC, SYSREG, DEVICE, TEXT -> true;
            default -> false;
        };
    }

    /**
     * The name of a value (the derived column): null when there is none (a device
     * index outside the table).
     */
    public String name(EventField f, long v, byte[] data, List<String> devices) {
        return switch (this) {
            case CODES -> f.codes().nameOf(v);
            case EC -> ExceptionClass.name((int) v);
            case SYSREG -> SysRegs.name((int) v);
            case DEVICE -> v >= 0 && v < devices.size() ? devices.get((int) v) : null;
            case TEXT -> new String(data, StandardCharsets.UTF_8);
            case REG -> regName((int) v);
            case VREG -> vregName((int) v);
            default -> null;
        };
    }

    /** The value as reports show it; data is the field's bytes (BYTES and LONGS fields). */
    public String format(EventField f, long v, byte[] data, List<String> devices) {
        if (f.type() == FieldType.BOOL) return Boolean.toString(v != 0);
        if (!f.type().scalar()) {
            if (data == null) return "null";
            return switch (this) {
                case REGISTERS -> "(" + data.length / 8 + " registers)";
                case TEXT -> quoted(data);
                default -> "0x" + java.util.HexFormat.of().formatHex(data);
            };
        }
        return switch (this) {
            case COUNT, DEC -> Long.toString(v);
            case HEX -> "0x" + Long.toHexString(v);
            case OPCODE -> String.format("0x%08x", (int) v);
            case CHAR -> v >= 0x20 && v < 0x7f ? v + " '" + (char) v + "'" : Long.toString(v);
            case REG -> regName((int) v);
            case VREG -> vregName((int) v);
            case CODES -> v + " (" + f.codes().nameOf(v) + ")";
            case EC -> "0x" + Long.toHexString(v) + " (" + ExceptionClass.name((int) v) + ")";
            case SYSREG -> SysRegs.name((int) v);
            case DEVICE -> v >= 0 && v < devices.size() ? v + " (" + devices.get((int) v) + ")" : Long.toString(v);
            case TEXT, REGISTERS -> Long.toString(v);
        };
    }

    private static String quoted(byte[] data) {
        StringBuilder s = new StringBuilder("\"");
        int n = Math.min(data.length, 64);
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xFF;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') s.append((char) b);
            else if (b == '\n') s.append("\\n");
            else s.append(String.format("\\x%02x", b));
        }
        if (data.length > n) s.append("...(").append(data.length).append(" bytes)");
        return s.append('"').toString();
    }
}
