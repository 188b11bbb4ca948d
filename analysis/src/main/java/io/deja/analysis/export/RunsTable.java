package io.deja.analysis.export;

import io.deja.analysis.schema.Names;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import io.deja.core.board.MachineConfig;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.RecordingHeader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.complex.writer.BaseWriter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

/** The one row of the runs table: the header, and how the run ended. */
final class RunsTable {
    private RunsTable() {}

    /** How the recording ended: the END event's values when it has one. */
    record End(long instructions, boolean ended, long cycles, int reason, boolean truncated, long events) {}

    static void write(Path file, BufferAllocator allocator, ExecutorService io, RecordingHeader h, End end) {
        TableDef t = Tables.RUNS;
        try (TableWriter w = new TableWriter(t, file, allocator, io)) {
            w.setInt(t.index("format_version"), h.formatVersion());
            text(w, "deja_version", h.dejaVersion());
            text(w, "board", h.board().cliName());
            w.setLong(t.index("ram_size"), h.ramSize());
            if (h.entry() == MachineConfig.DEFAULT_ENTRY) w.setNull(t.index("entry"));
            else w.setLong(t.index("entry"), h.entry());
            text(w, "command_line", h.commandLine());
            w.setLong(t.index("kaslr_seed"), h.kaslrSeed());
            w.setBytes(t.index("rng_seed"), h.rngSeed());
            if (h.chaosSeed().isPresent()) w.setLong(t.index("chaos_seed"), h.chaosSeed().getAsLong());
            else w.setNull(t.index("chaos_seed"));
            w.setLong(t.index("checkpoint_interval"), h.checkpointInterval());
            text(w, "trace_level", h.traceLevel().name().toLowerCase(Locale.ROOT));
            if (h.wholeRun()) {
                w.setNull(t.index("trace_from"));
                w.setNull(t.index("trace_to"));
            } else {
                w.setLong(t.index("trace_from"), h.traceFrom());
                w.setLong(t.index("trace_to"), h.traceTo());
            }
            devices(w, (ListVector) w.vector(t.index("devices")), h);
            images(w, (ListVector) w.vector(t.index("images")), h);
            if (h.maxInstructions() < 0) w.setNull(t.index("max_instructions"));
            else w.setLong(t.index("max_instructions"), h.maxInstructions());
            text(w, "start_time", Instant.ofEpochMilli(h.startTimeMillis()).toString());
            w.setLong(t.index("instructions"), end.instructions());
            if (end.ended()) {
                w.setLong(t.index("cycles"), end.cycles());
                text(w, "end_reason", Names.stopReason(end.reason()));
            } else {
                w.setNull(t.index("cycles"));
                w.setNull(t.index("end_reason"));
            }
            w.setBool(t.index("truncated"), end.truncated());
            w.setLong(t.index("events"), end.events());
            w.endRow();
        }
    }

    private static void text(TableWriter w, String column, String value) {
        w.setBytes(w.def().index(column), value.getBytes(StandardCharsets.UTF_8));
    }

    private static void devices(TableWriter w, ListVector v, RecordingHeader h) {
        UnionListWriter lw = v.getWriter();
        lw.setPosition(w.row());
        lw.startList();
        for (String d : h.devices()) lw.writeVarChar(d);
        lw.endList();
        v.setValueCount(w.row() + 1);
    }

    private static void images(TableWriter w, ListVector v, RecordingHeader h) {
        UnionListWriter lw = v.getWriter();
        lw.setPosition(w.row());
        lw.startList();
        for (RecordedImage img : h.images()) {
            BaseWriter.StructWriter s = lw.struct();
            s.start();
            s.varChar("path").writeVarChar(img.path());
            s.varChar("sha256").writeVarChar(img.sha256());
            s.bigInt("size").writeBigInt(img.size());
            s.end();
        }
        lw.endList();
        v.setValueCount(w.row() + 1);
    }
}
