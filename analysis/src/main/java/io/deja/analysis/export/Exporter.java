package io.deja.analysis.export;

import io.deja.analysis.AnalysisException;
import io.deja.analysis.ReadProgress;
import io.deja.analysis.schema.Column;
import io.deja.analysis.schema.Names;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import io.deja.core.trace.CheckpointRegisters;
import io.deja.core.trace.EventField;
import io.deja.recorder.EventCursor;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingHeader;
import io.deja.core.trace.EventType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a recording as one Arrow IPC file per table (see {@link Tables}),
 * in one pass over its events. The derived columns are filled on the way:
 * names of codes, console lines, disassembly, the pc of register and memory
 * writes (the insns event of the same icount precedes them) and the value a
 * register write replaced.
 *
 * {@link ExportMarker} is written last: its absence means the export is
 * incomplete, and its time tells a later query whether the recording changed.
 */
public final class Exporter {
    private Exporter() {}

    /** What an export wrote: rows per table, events read, and the time it took (host time: a figure, not part of the data). */
    /**
     * @param cutShortAfter for a recording cut short (no END event), the icount
     *                      its complete part ends at; -1 for a whole recording
     */
    public record Result(Path dir, Map<String, Long> rows, long events, long nanos, long cutShortAfter) {
        public long totalRows() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }

        public double rowsPerSecond() {
            return totalRows() / Math.max(1e-9, nanos / 1e9);
        }
    }

    public static Result export(Path recordingDir, Path outDir) {
        return export(recordingDir, outDir, null);
    }

    /** As {@link #export(Path, Path)}, publishing how far it has read to progress (null: nowhere). */
    public static Result export(Path recordingDir, Path outDir, ReadProgress progress) {
        long start = System.nanoTime();
        ExecutorService io = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("deja-export-io").daemon().factory());
        // Arrow's allocator and Capstone take half a second to start: on the io thread, while the recording opens.
        Future<BufferAllocator> allocator = io.submit(() -> (BufferAllocator) new RootAllocator());
        Future<Disassembler> disassembler = io.submit(() -> new Disassembler());
        try (Recording recording = Recording.open(recordingDir)) {
            createDirectory(outDir);
            ExportMarker.delete(outDir);
            Result r;
            try (Run run = new Run(recording.header(), outDir, get(allocator), io, get(disassembler))) {
                if (progress != null) progress.ends(recording.tail().lastIcount());
                try (EventCursor cursor = recording.events()) {
                    run.read(cursor, progress);
                }
                r = run.finish(outDir, start);
            }
            ExportMarker.write(outDir, r, ExportMarker.identity(recordingDir));
            return r;
        } finally {
            io.shutdownNow();
            if (allocator.isDone() && !allocator.isCancelled()) closeQuietly(allocator);
            if (disassembler.isDone() && !disassembler.isCancelled()) closeQuietly(disassembler);
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Closes what a future made, once everything that used it is closed. */
    private static void closeQuietly(Future<? extends AutoCloseable> f) {
        try {
            f.get().close();
        } catch (Exception ignored) {
            // it failed to start or is closed already; the export's own error, if any, is the one to report
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new AnalysisException(dir + ": exists and is not a directory (choose another --out)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The state of one export. */
    private static final class Run implements AutoCloseable {
        private final RecordingHeader header;
        private final BufferAllocator allocator;
        private final Path outDir;
        private final ExecutorService io;
        private final Map<EventType, TableWriter> writers = new EnumMap<>(EventType.class);
        private final Map<EventType, int[]> copies = new EnumMap<>(EventType.class);
        private final Map<EventType, int[]> namings = new EnumMap<>(EventType.class);
        /** Names already encoded, per event type and field: (field << 48 ^ value) -> UTF-8. */
        private final Map<Long, byte[]> names = new HashMap<>();
        private final List<String> devices;
        private final Disassembler disassembler;
        /** Per CPU number (a recording stores it in a byte; each CPU has its registers): the values that give reg_writes their old column. */
        private final RegisterTracker[] registers = new RegisterTracker[256];
        private final ConsoleLines console;

        private final TableWriter insns, regWrites, vregWrites, memWrites, consoleTable;
        private long events, lastIcount;
        /** The last instruction: its icount, CPU and pc (register and memory writes follow their instruction). */
        private long insnIcount = -1, insnPc;
        private int insnCpu;
        private int lineCpu;
        private int disasmDictionary;
        private boolean ended, truncated;
        private long endIcount, endCycles;
        private int endReason;

        Run(RecordingHeader header, Path outDir, BufferAllocator allocator, ExecutorService io, Disassembler disassembler) {
            this.header = header;
            this.disassembler = disassembler;
            this.allocator = allocator;
            this.outDir = outDir;
            this.io = io;
            for (TableDef t : Tables.ALL) {
                if (t.source() == null) continue;
                writers.put(t.source(), new TableWriter(t, outDir.resolve(t.fileName()), allocator, io));
                copies.put(t.source(), copyPlan(t));
                namings.put(t.source(), namePlan(t));
            }
            insns = writers.get(EventType.INSN);
            regWrites = writers.get(EventType.REG_WRITE);
            vregWrites = writers.get(EventType.VREG_WRITE);
            memWrites = writers.get(EventType.MEM_WRITE);
            consoleTable = writers.get(EventType.CONSOLE);
            devices = header.devices();
            for (int i = 0; i < 256; i++) regWrites.addToDictionary(4, utf8(Names.reg(i)));
            for (int i = 0; i < 256; i++) vregWrites.addToDictionary(4, utf8(Names.vreg(i)));
            console = new ConsoleLines((number, icount, endIcount, text) -> {
                consoleTable.setInt(0, number);
                consoleTable.setLong(1, icount);
                consoleTable.setInt(2, lineCpu);
                consoleTable.setLong(3, endIcount);
                consoleTable.setBytes(4, utf8(text));
                consoleTable.endRow();
            });
            checkColumnOrder();
        }

        /** The fixed column positions the hot paths below write to, checked once against the table definitions. */
        private static void checkColumnOrder() {
            expect(Tables.INSNS, "icount", "cpu", "pc", "opcode", "disasm");
            expect(Tables.REG_WRITES, "icount", "cpu", "pc", "reg", "reg_name", "old", "new");
            expect(Tables.VREG_WRITES, "icount", "cpu", "pc", "reg", "reg_name", "old_lo", "old_hi", "new_lo", "new_hi");
            expect(Tables.MEM_WRITES, "icount", "cpu", "pc", "address", "size", "value");
            expect(Tables.CONSOLE, "line", "icount", "cpu", "end_icount", "text");
        }

        private static void expect(TableDef t, String... names) {
            if (!t.columns().stream().map(Column::name).toList().equals(List.of(names))) {
                throw new IllegalStateException("the exporter's column order for " + t.name() + " is out of date");
            }
        }

        /** Pairs (column, field) of the columns copied as they are from the event (field Column.CPU: its CPU). */
        private static int[] copyPlan(TableDef t) {
            return t.columns().stream().filter(c -> !c.derived())
                    .flatMapToInt(c -> java.util.stream.IntStream.of(t.columns().indexOf(c), c.field())).toArray();
        }

        /** Pairs (column, field) of the columns naming a field's value (Display.named()). */
        private static int[] namePlan(TableDef t) {
            List<Integer> plan = new ArrayList<>();
            List<EventField> fields = t.source().fields;
            for (int f = 0; f < fields.size(); f++) {
                String column = fields.get(f).nameColumn();
                if (column == null || t.columns().stream().noneMatch(c -> c.name().equals(column))) continue;
                plan.add(t.index(column));
                plan.add(f);
            }
            return plan.stream().mapToInt(Integer::intValue).toArray();
        }

        void read(EventCursor c, ReadProgress progress) {
            while (c.next()) {
                events++;
                EventType type = c.type();
                long icount = c.icount();
                if (icount > lastIcount) lastIcount = icount;
                if (progress != null && (events & (ReadProgress.EVERY - 1)) == 0) progress.at(lastIcount, events);
                switch (type) {
                    case INSN -> insn(c, icount);
                    case REG_WRITE -> regWrite(c, icount);
                    case VREG_WRITE -> vregWrite(c, icount);
                    case MEM_WRITE -> memWrite(c, icount);
                    case CONSOLE -> {
                        if (console.atLineStart()) lineCpu = c.cpu();
                        console.add(icount, c.u8(1));
                    }
                    case END -> {
                        ended = true;
                        endIcount = icount;
                        endCycles = c.i64(1);
                        endReason = c.u8(2);
                    }
                    default -> other(type, c);
                }
            }
            console.finish();
            truncated = c.truncated();
        }

        private void insn(EventCursor c, long icount) {
            // An instruction that exits to the host (an MMIO access the host handles) is reported
            // again when it completes: one row per instruction.
            if (icount == insnIcount && c.cpu() == insnCpu) return;
            long pc = c.i64(1);
            int opcode = c.i32(2);
            TableWriter w = insns;
            w.setLong(0, icount);
            w.setInt(1, c.cpu());
            w.setLong(2, pc);
            w.setInt(3, opcode);
            int text = disassembler.id(pc, opcode);
            while (disasmDictionary <= text) w.addToDictionary(4, disassembler.utf8(disasmDictionary++));
            w.setInt(4, text);
            w.endRow();
            insnIcount = icount;
            insnCpu = c.cpu();
            insnPc = pc;
        }

        private void regWrite(EventCursor c, long icount) {
            int reg = c.u8(1);
            long value = c.i64(2);
            TableWriter w = regWrites;
            w.setLong(0, icount);
            w.setInt(1, c.cpu());
            if (icount == insnIcount && c.cpu() == insnCpu) w.setLong(2, insnPc); else w.setNull(2);
            w.setInt(3, reg);
            w.setInt(4, reg & 0xFF); // the reg_name dictionary holds the names of 0-255 in order
            if (tracker(c).known(reg)) w.setLong(5, tracker(c).value(reg)); else w.setNull(5);
            w.setLong(6, value);
            w.endRow();
            tracker(c).set(reg, value);
        }

        private RegisterTracker tracker(EventCursor c) {
            int cpu = c.cpu();
            RegisterTracker t = registers[cpu];
            if (t == null) registers[cpu] = t = new RegisterTracker();
            return t;
        }

        private void vregWrite(EventCursor c, long icount) {
            int reg = c.u8(1);
            long lo = c.i64(2), hi = c.i64(3);
            TableWriter w = vregWrites;
            w.setLong(0, icount);
            w.setInt(1, c.cpu());
            if (icount == insnIcount && c.cpu() == insnCpu) w.setLong(2, insnPc); else w.setNull(2);
            w.setInt(3, reg);
            w.setInt(4, reg & 0xFF); // the reg_name dictionary holds the names of 0-255 in order
            if (tracker(c).vKnown(reg)) {
                w.setLong(5, tracker(c).vLo(reg));
                w.setLong(6, tracker(c).vHi(reg));
            } else {
                w.setNull(5);
                w.setNull(6);
            }
            w.setLong(7, lo);
            w.setLong(8, hi);
            w.endRow();
            tracker(c).setV(reg, lo, hi);
        }

        private void memWrite(EventCursor c, long icount) {
            TableWriter w = memWrites;
            w.setLong(0, icount);
            w.setInt(1, c.cpu());
            if (icount == insnIcount && c.cpu() == insnCpu) w.setLong(2, insnPc); else w.setNull(2);
            w.setLong(3, c.i64(1));
            w.setInt(4, c.u8(2));
            w.setLong(5, c.i64(3));
            w.endRow();
        }

        private static final int EXC_EC = EventType.EXCEPTION.field("ec"), EXC_ELR = EventType.EXCEPTION.field("elr");

        /** The tables without a hot path of their own: copy the recorded fields, then name the values that have names. */
        private void other(EventType type, EventCursor c) {
            TableWriter w = writers.get(type);
            if (w == null) return; // a type without a table of its own (END is folded into runs)
            int[] plan = copies.get(type);
            for (int k = 0; k < plan.length; k += 2) {
                int col = plan[k], f = plan[k + 1];
                if (f == Column.CPU) {
                    w.setInt(col, c.cpu());
                    continue;
                }
                switch (type.type(f)) {
                    case I64, PC -> w.setLong(col, c.i64(f));
                    case I32 -> w.setInt(col, c.i32(f));
                    case U8 -> w.setInt(col, c.u8(f));
                    case BOOL -> w.setBool(col, c.bool(f));
                    case BYTES, LONGS -> w.setBytes(col, c.bytes(f));
                }
            }
            int[] naming = namings.get(type);
            for (int k = 0; k < naming.length; k += 2) {
                int col = naming[k], f = naming[k + 1];
                byte[] name = name(type, f, c);
                if (name == null) w.setNull(col); else w.setBytes(col, name);
            }
            if (type == EventType.EXCEPTION) {
                w.setLong(w.def().index("pc"), Names.exceptionPc(c.u8(EXC_EC), c.i64(EXC_ELR)));
            }
            if (type == EventType.CHECKPOINT) {
                byte[] regs = c.bytes(type.field("regs"));
                // A checkpoint before a re-traced window is stale by the window's start
                // (the writes between them are not recorded): only later ones are trusted.
                if (c.icount() >= header.traceFrom()) tracker(c).checkpoint(regs);
                TableDef t = w.def();
                if (regs.length == CheckpointRegisters.COUNT * 8) w.setLong(t.index("pc"), RegisterTracker.littleEndian(regs, CheckpointRegisters.PC));
                else w.setNull(t.index("pc"));
            }
            w.endRow();
        }

        /** The name of field f's value as UTF-8 (cached for scalar fields), or null when it has none. */
        private byte[] name(EventType type, int f, EventCursor c) {
            EventField field = type.fields.get(f);
            if (!type.type(f).scalar()) {
                String s = field.display().name(field, 0, c.bytes(f), devices);
                return s == null ? null : utf8(s);
            }
            long v = c.i64(f);
            if ((v >>> 48) != 0) {
                String s = field.display().name(field, v, null, devices);
                return s == null ? null : utf8(s);
            }
            Long key = (long) type.code << 56 ^ (long) f << 48 ^ v;
            byte[] cached = names.get(key);
            if (cached == null && !names.containsKey(key)) {
                String s = field.display().name(field, v, null, devices);
                cached = s == null ? null : utf8(s);
                names.put(key, cached);
            }
            return cached;
        }

        Result finish(Path dir, long start) {
            Map<String, Long> rows = new LinkedHashMap<>();
            rows.put(Tables.RUNS.name(), 1L);
            for (TableDef t : Tables.ALL) {
                if (t.source() != null) {
                    TableWriter w = writers.get(t.source());
                    w.close();
                    rows.put(t.name(), w.rows());
                }
            }
            writers.clear();
            RunsTable.write(outDir.resolve(Tables.RUNS.fileName()), allocator, io, header,
                    new RunsTable.End(ended ? endIcount : lastIcount, ended, endCycles, endReason, truncated, events));
            return new Result(dir, rows, events, System.nanoTime() - start, truncated ? lastIcount : -1);
        }

        /** After finish(): nothing left. After a failure: removes the unfinished files. */
        @Override
        public void close() {
            for (TableWriter w : writers.values()) w.abandon();
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
