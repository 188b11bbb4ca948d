package io.deja.recorder.schema;

import io.deja.core.trace.TraceLevel;

import java.util.List;

import static io.deja.recorder.schema.Field.bool;
import static io.deja.recorder.schema.Field.bytes;
import static io.deja.recorder.schema.Field.i32;
import static io.deja.recorder.schema.Field.i64;
import static io.deja.recorder.schema.Field.icount;
import static io.deja.recorder.schema.Field.pc;
import static io.deja.recorder.schema.Field.u8;

/**
 * Every event a recording holds: the one schema shared by the recorder (which
 * encodes these fields in this order), the replayer (which decodes and
 * compares them) and the exporter (whose tables have these columns, plus the
 * derived ones it documents). Codes are part of the recording format: never
 * renumber; add new types at the end and bump the format version.
 * Mirrors the methods of io.deja.core.trace.TraceSink.
 */
public enum EventType {
    EXIT(1, "exits", TraceLevel.EVENTS, "A vCPU exit to the host.",
            icount(), pc("PC the vCPU stopped at (for WFI/WFE/HVC/MMIO writes: the next instruction)."),
            u8("kind", "Exit kind: 1 WFI, 2 WFE, 3 MMIO read, 4 MMIO write, 5 HVC, 6 SMC, 7 BRK, 8 HLT, 9 budget, 10 cancelled, 100 shutdown."),
            i64("arg0", "Immediate of HVC/SMC/BRK/HLT, or MMIO address."),
            i64("arg1", "MMIO access size in bytes."),
            i64("arg2", "MMIO value written.")),
    INTERRUPT(2, "interrupts", TraceLevel.EVENTS, "An IRQ or FIQ taken.",
            icount(), pc("The interrupted instruction (ELR_EL1 after entry)."),
            i32("intid", "GIC interrupt ID that was highest pending when it was taken (-1 if unknown)."),
            bool("fiq", "True for FIQ, false for IRQ."),
            u8("from_el", "Exception level that was interrupted (target is always EL1).")),
    EXCEPTION(3, "exceptions", TraceLevel.EVENTS, "A synchronous exception (or SError) taken to EL1.",
            icount(), pc("Preferred return address (ELR_EL1)."),
            u8("ec", "Exception class, ESR_EL1.EC."),
            i64("esr", "ESR_EL1 as written."),
            i64("far", "FAR_EL1 (meaningful for aborts and alignment faults)."),
            u8("from_el", "Exception level the exception came from."),
            u8("to_el", "Exception level it was taken to.")),
    MMIO(4, "mmio", TraceLevel.EVENTS, "A device register access.",
            icount(), pc("The accessing instruction."),
            u8("device", "Index into the recording's device table (runs.devices)."),
            // Not "offset": OFFSET is an SQL keyword, and this is a column of the exported mmio table.
            i64("dev_offset", "Offset from the device's base address."),
            u8("size", "Access size in bytes."),
            bool("write", "True for a write."),
            i64("value", "Value read or written.")),
    SYSREG_WRITE(5, "sysreg_writes", TraceLevel.EVENTS, "A system register written by MSR.",
            icount(), pc("The MSR instruction."),
            i32("encoding", "op0:op1:CRn:CRm:op2 as 16 bits (the exporter adds the register name)."),
            i64("old", "Value before the write."),
            i64("new", "Value after the write.")),
    INPUT(6, "inputs", TraceLevel.EVENTS, "Bytes from outside the guest, delivered at icount.",
            icount(), u8("source", "0 = PL011 receive."), bytes("data", "The bytes.")),
    CONSOLE(7, "console", TraceLevel.EVENTS, "One byte written to the guest console (exported as lines).",
            icount(), u8("value", "The byte.")),
    CHECKPOINT(8, "checkpoints", TraceLevel.EVENTS, "State hashes and registers: at the start (and a re-traced window's start), every N instructions and at the end.",
            icount(), i64("cycles", "Virtual time in cycles."),
            i64("cpu_hash", "Hash of registers and system registers."),
            i64("ram_hash", "Hash of RAM."),
            i64("device_hash", "Hash of device state (GIC, UART, timer)."),
            bytes("regs", "X0-X30, SP, PC, PSTATE as 34 little-endian 64-bit values.")),
    INSN(9, "insns", TraceLevel.INSNS, "An instruction about to execute.",
            icount(), pc("Address of the instruction."), i32("opcode", "The instruction word.")),
    REG_WRITE(10, "reg_writes", TraceLevel.FULL, "A register whose value an instruction changed.",
            icount(), u8("reg", "0-30 = X0-X30, 31 = SP, 32 = NZCV (bits 31:28)."), i64("value", "New value.")),
    MEM_WRITE(11, "mem_writes", TraceLevel.FULL, "A guest store.",
            icount(), i64("address", "Physical address."), u8("size", "Bytes written (1, 2, 4, 8)."), i64("value", "Value stored.")),
    END(12, "ends", TraceLevel.EVENTS, "The recording finished cleanly (absent when it was cut short).",
            icount(), i64("cycles", "Virtual time at the end."), u8("reason", "Why the run stopped: ordinal of io.deja.core.board.StopReason."));

    public final int code;
    public final String table;
    public final TraceLevel level;
    public final String doc;
    public final List<Field> fields;

    EventType(int code, String table, TraceLevel level, String doc, Field... fields) {
        this.code = code;
        this.table = table;
        this.level = level;
        this.doc = doc;
        this.fields = List.of(fields);
    }

    private static final EventType[] BY_CODE = new EventType[256];

    static {
        for (EventType t : values()) {
            if (BY_CODE[t.code] != null) throw new ExceptionInInitializerError("duplicate event code " + t.code);
            BY_CODE[t.code] = t;
        }
    }

    /** The type with this code, or null if the code is unknown (a corrupted or newer recording). */
    public static EventType byCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
