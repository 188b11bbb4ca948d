package io.deja.analysis.schema;

import io.deja.core.trace.Display;
import io.deja.core.trace.EventField;
import io.deja.core.trace.EventType;

import java.util.ArrayList;
import java.util.List;

import static io.deja.analysis.schema.ColumnType.BIGINT;
import static io.deja.analysis.schema.ColumnType.BOOLEAN;
import static io.deja.analysis.schema.ColumnType.IMAGE_LIST;
import static io.deja.analysis.schema.ColumnType.INT;
import static io.deja.analysis.schema.ColumnType.UBIGINT;
import static io.deja.analysis.schema.ColumnType.VARCHAR;
import static io.deja.analysis.schema.ColumnType.VARCHAR_LIST;

/**
 * Every exported table. A table of an event type has its fields' columns
 * (name, type and documentation from {@link EventType}, the one schema), a
 * cpu column after icount, and a name column for each field whose display
 * names its value; the other columns the exporter derives are declared and
 * documented here. analysis/TABLES.md is generated from this class
 * (TablesDoc) and a test keeps the two in step.
 */
public final class Tables {
    private Tables() {}

    private static final String CPU_DOC = "The CPU the event happened on (0 on a machine with one CPU).";

    public static final TableDef RUNS = new TableDef("runs",
            "One row: the recording's header (how to rebuild the machine) and how the run ended.", null, List.of(
            derived("format_version", INT, false, "Recording format version."),
            derived("deja_version", VARCHAR, false, "Version of Deja that recorded the run."),
            derived("board", VARCHAR, false, "Board layout: vibe or virt."),
            derived("ram_size", BIGINT, false, "Bytes of guest RAM."),
            derived("entry", UBIGINT, true, "Load and entry address given explicitly (NULL: the board's default)."),
            derived("command_line", VARCHAR, false, "Kernel command line (virt: /chosen/bootargs)."),
            derived("kaslr_seed", UBIGINT, false, "virt: /chosen/kaslr-seed."),
            derived("rng_seed", ColumnType.BLOB, false, "virt: /chosen/rng-seed."),
            derived("chaos_seed", BIGINT, true, "Seed of the interrupt-delivery jitter (NULL: no chaos)."),
            derived("checkpoint_interval", BIGINT, false, "Instructions between checkpoints (0: only at the end)."),
            derived("trace_level", VARCHAR, false, "events, insns or full: the richest level recorded."),
            derived("trace_from", BIGINT, true, "A re-traced window: first icount with insns/full events (NULL: the whole run)."),
            derived("trace_to", BIGINT, true, "A re-traced window: last icount with insns/full events, inclusive (NULL: the whole run)."),
            derived("devices", VARCHAR_LIST, false, "Device names; mmio.device indexes this list (from 0)."),
            derived("images", IMAGE_LIST, false, "Loaded images: path as given, SHA-256 (hex) and size in bytes."),
            derived("max_instructions", BIGINT, true, "Instruction budget the run was given (NULL: none)."),
            derived("start_time", VARCHAR, true, "Wall-clock start (ISO-8601 UTC). Metadata only: never seen by the guest."),
            derived("instructions", BIGINT, false, "Instructions retired at the end of the recording (the last event's icount if it was cut short)."),
            derived("cycles", BIGINT, true, "Virtual time at the end (NULL if the recording was cut short)."),
            derived("end_reason", VARCHAR, true, "Why the run stopped, an exit kind: shutdown, reset, cpu_off, budget, cancelled, or a debug exit (BRK, HLT, SMC); NULL if cut short."),
            derived("truncated", BOOLEAN, false, "True when the recording was cut short (crash, kill -9): it holds a prefix of the run."),
            derived("events", BIGINT, false, "Number of events in the recording.")));

    public static final TableDef CHECKPOINTS = fromEvent(EventType.CHECKPOINT).then(
            derived("pc", UBIGINT, true, "PC at the checkpoint (from regs; NULL if regs is not "
                    + io.deja.core.trace.CheckpointRegisters.COUNT + " values).")).build();

    public static final TableDef CONSOLE = new TableDef("console",
            "Console output as lines (the recording holds bytes; a line ends at \\n, which is not part of text).",
            EventType.CONSOLE, List.of(
            derived("line", INT, false, "Line number, from 1."),
            new Column("icount", BIGINT, false, field(EventType.CONSOLE, "icount"), "Instructions retired before the line's first byte was written."),
            cpu("The CPU that wrote the line's first byte."),
            derived("end_icount", BIGINT, false, "Instructions retired before its last byte (the newline, if any) was written."),
            derived("text", VARCHAR, false, "The line decoded as UTF-8 without its \\n (and a trailing \\r); a last line without \\n is included.")));

    /**
     * pc first, the instruction the exception was taken on, as interrupts.pc is the interrupted one;
     * the recorded preferred return address is elr, so neither can be read as the other.
     */
    public static final TableDef EXCEPTIONS = exceptions();

    private static TableDef exceptions() {
        List<Column> columns = new ArrayList<>(fromEvent(EventType.EXCEPTION).columns);
        columns.add(2, derived("pc", UBIGINT, false, "The instruction the exception was taken on: the faulting or trapped"
                + " instruction, or the SVC, HVC or SMC itself (elr - 4 for those, elr for every other class)."));
        return new TableDef(EventType.EXCEPTION.table, EventType.EXCEPTION.doc, EventType.EXCEPTION, columns);
    }

    public static final TableDef INSNS = fromEvent(EventType.INSN).then(
            derived("disasm", ColumnType.VARCHAR_DICT, false, "Disassembly (Capstone, pc-relative targets resolved with pc); .inst 0x... when undefined.")).build();

    public static final TableDef REG_WRITES = new TableDef("reg_writes",
            EventType.REG_WRITE.doc + " The exporter adds the instruction's pc and the value before the write.",
            EventType.REG_WRITE, List.of(
            recorded(EventType.REG_WRITE, "icount"),
            cpu(CPU_DOC),
            derived("pc", UBIGINT, true, "PC of the writing instruction (joined from insns; NULL when the recording has no insns row at this icount)."),
            recorded(EventType.REG_WRITE, "reg"),
            derived("reg_name", ColumnType.VARCHAR_DICT, false, "X0-X30, SP, NZCV, FPCR or FPSR."),
            derived("old", UBIGINT, true, "Value before the write: the previous write to the register, or the preceding checkpoint's registers (a recording opens with one, a re-traced window too); NULL only in recordings made before Deja wrote opening checkpoints."),
            new Column("new", UBIGINT, false, field(EventType.REG_WRITE, "value"), "New value (NZCV: the flags in bits 31:28).")));

    /**
     * 128-bit values as two UBIGINT columns each (bits 63:0 and 127:64): the D view of a
     * register is its _lo column, S/H/B views are masks of it, and both halves compare and
     * filter as plain integers (v128(hi, lo) in the standard library makes one UHUGEINT).
     */
    public static final TableDef VREG_WRITES = new TableDef("vreg_writes",
            EventType.VREG_WRITE.doc + " One row per changed register with its whole new value; the exporter adds the"
                    + " instruction's pc and the value before the write. Values are split in two UBIGINT columns,"
                    + " bits 63:0 (_lo, also the D view) and bits 127:64 (_hi); v128(hi, lo) joins them into a UHUGEINT.",
            EventType.VREG_WRITE, List.of(
            recorded(EventType.VREG_WRITE, "icount"),
            cpu(CPU_DOC),
            derived("pc", UBIGINT, true, "PC of the writing instruction (joined from insns; NULL when the recording has no insns row at this icount)."),
            recorded(EventType.VREG_WRITE, "reg"),
            derived("reg_name", ColumnType.VARCHAR_DICT, false, "V0-V31."),
            derived("old_lo", UBIGINT, true, "Bits 63:0 before the write: the previous write to the register, or the preceding checkpoint's registers; NULL when neither is in the recording."),
            derived("old_hi", UBIGINT, true, "Bits 127:64 before the write (NULL as old_lo)."),
            new Column("new_lo", UBIGINT, false, field(EventType.VREG_WRITE, "lo"), "New value, bits 63:0 (the D view; S, H and B are its low 32, 16 and 8 bits)."),
            new Column("new_hi", UBIGINT, false, field(EventType.VREG_WRITE, "hi"), "New value, bits 127:64.")));

    public static final TableDef MEM_WRITES = new TableDef("mem_writes", EventType.MEM_WRITE.doc + " The exporter adds the storing instruction's pc.",
            EventType.MEM_WRITE, List.of(
            recorded(EventType.MEM_WRITE, "icount"),
            cpu(CPU_DOC),
            derived("pc", UBIGINT, true, "PC of the storing instruction (joined from insns; NULL without an insns row at this icount)."),
            recorded(EventType.MEM_WRITE, "address"),
            recorded(EventType.MEM_WRITE, "size"),
            recorded(EventType.MEM_WRITE, "value")));

    /**
     * Every table, in the order the documentation lists them: runs, then one per event
     * type in schema order (END has none: it fills runs). A new event type gets its
     * table here without a line of its own.
     */
    public static final List<TableDef> ALL = all();

    private static List<TableDef> all() {
        List<TableDef> special = List.of(CHECKPOINTS, CONSOLE, EXCEPTIONS, INSNS, REG_WRITES, VREG_WRITES, MEM_WRITES);
        List<TableDef> all = new ArrayList<>();
        all.add(RUNS);
        for (EventType t : EventType.values()) {
            if (t == EventType.END) continue;
            all.add(special.stream().filter(d -> d.source() == t).findFirst().orElseGet(() -> fromEvent(t).build()));
        }
        return List.copyOf(all);
    }

    /** The table of an event type's rows. */
    public static TableDef of(EventType type) {
        for (TableDef t : ALL) {
            if (t.source() == type) return t;
        }
        throw new IllegalArgumentException(type + " has no table of its own");
    }

    public static TableDef byName(String name) {
        for (TableDef t : ALL) {
            if (t.name().equals(name)) return t;
        }
        throw new IllegalArgumentException("no table " + name);
    }

    /**
     * The column type a recorded field becomes: counts and decimal fields are signed; addresses, values,
     * opcodes, system register encodings and hashes unsigned (so the table format prints them in hex).
     */
    public static ColumnType typeOf(EventField f) {
        return switch (f.type()) {
            case U8 -> f.display() == Display.EC ? ColumnType.UINT : INT; // ESR's EC reads in hex, as in the Arm ARM
            case I32 -> f.display() == Display.OPCODE || f.display() == Display.SYSREG ? ColumnType.UINT : INT;
            case I64 -> f.display() == Display.COUNT || f.display() == Display.DEC ? BIGINT : UBIGINT;
            case PC -> UBIGINT;
            case BOOL -> BOOLEAN;
            case BYTES, LONGS -> ColumnType.BLOB;
        };
    }

    private static Column cpu(String doc) {
        return new Column("cpu", INT, false, Column.CPU, doc);
    }

    /** The derived column naming the value of field f (see Display.named()). */
    private static Column nameColumn(EventField f) {
        String doc = switch (f.display()) {
            case CODES -> f.name() + " as text: " + String.join(", ", f.codes().names()) + ".";
            case EC -> "Exception class as text (SVC, data abort, UNDEFINED, ...).";
            case SYSREG -> "Architectural register name (SCTLR_EL1, ...), or the generic S3_1_C15_C2_0 form.";
            case DEVICE -> "Name of the device (runs.devices[" + f.name() + " + 1]); NULL if the index is out of range.";
            case TEXT -> f.name() + " decoded as UTF-8 (invalid bytes become U+FFFD).";
            default -> throw new IllegalArgumentException(f.name() + ": display " + f.display() + " names nothing");
        };
        return derived(f.nameColumn(), VARCHAR, f.display() == Display.DEVICE, doc);
    }

    private static Column derived(String name, ColumnType type, boolean nullable, String doc) {
        return new Column(name, type, nullable, Column.DERIVED, doc);
    }

    private static Column recorded(EventType t, String name) {
        int i = field(t, name);
        EventField f = t.fields.get(i);
        return new Column(f.name(), typeOf(f), false, i, f.doc());
    }

    private static int field(EventType t, String name) {
        for (int i = 0; i < t.fields.size(); i++) {
            if (t.fields.get(i).name().equals(name)) return i;
        }
        throw new ExceptionInInitializerError(t + " has no field " + name);
    }

    /** A table with every field of the event type in recorded order (cpu after icount), then their name columns. */
    private static Builder fromEvent(EventType t) {
        Builder b = new Builder(t);
        for (EventField f : t.fields) {
            b.columns.add(recorded(t, f.name()));
            if (f.name().equals("icount")) b.columns.add(cpu(CPU_DOC));
        }
        for (EventField f : t.fields) {
            if (f.nameColumn() != null) b.columns.add(nameColumn(f));
        }
        return b;
    }

    private static final class Builder {
        final EventType type;
        final List<Column> columns = new ArrayList<>();

        Builder(EventType type) {
            this.type = type;
        }

        Builder then(Column... derived) {
            columns.addAll(List.of(derived));
            return this;
        }

        TableDef build() {
            return new TableDef(type.table, type.doc, type, columns);
        }
    }
}
