package io.deja.analysis.export;

import io.deja.analysis.SyntheticTrace;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import io.deja.core.trace.EventType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Export of the synthetic heisenbug trace: every table, and each derived column. */
class ExporterTest {
    @TempDir
    static Path tmp;
    static Path arrow;
    static Exporter.Result result;

    @BeforeAll
    static void export() {
        Path rec = tmp.resolve("rec");
        SyntheticTrace.write(rec);
        arrow = tmp.resolve("arrow");
        result = Exporter.export(rec, arrow);
    }

    /** All rows of a table, each as a list of its column values (Arrow's getObject). */
    static List<List<Object>> rows(TableDef t) throws IOException {
        List<List<Object>> out = new ArrayList<>();
        try (BufferAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(arrow.resolve(t.fileName()));
             ArrowFileReader r = new ArrowFileReader(ch, a)) {
            assertThat(r.getVectorSchemaRoot().getSchema()).isEqualTo(t.arrowSchema());
            while (r.loadNextBatch()) {
                VectorSchemaRoot root = r.getVectorSchemaRoot();
                for (int i = 0; i < root.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector v : root.getFieldVectors()) {
                        Object value = v.getObject(i);
                        DictionaryEncoding enc = v.getField().getDictionary();
                        if (enc != null && value != null) value = r.getDictionaryVectors().get(enc.getId()).getVector().getObject((Integer) value);
                        row.add(value);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    static String cell(List<List<Object>> rows, TableDef t, int row, String column) {
        Object v = rows.get(row).get(t.index(column));
        return v == null ? null : v.toString();
    }

    @Test
    void everyTableIsWrittenWithItsRowCount() {
        for (TableDef t : Tables.ALL) assertThat(arrow.resolve(t.fileName())).isRegularFile();
        assertThat(result.rows()).containsEntry("runs", 1L).containsEntry("insns", 16L).containsEntry("reg_writes", 8L).containsEntry("vreg_writes", 3L)
                .containsEntry("mem_writes", 1L).containsEntry("interrupts", 2L).containsEntry("exceptions", 1L)
                .containsEntry("mmio", 2L).containsEntry("sysreg_writes", 1L).containsEntry("inputs", 1L)
                .containsEntry("checkpoints", 2L).containsEntry("console", 2L).containsEntry("exits", 3L);
        assertThat(ExportMarker.completed(arrow)).isNotNull();
    }

    @Test
    void regWritesCarryPcAndTheReplacedValue() throws IOException {
        TableDef t = Tables.REG_WRITES;
        List<List<Object>> r = rows(t);
        // X9: 0x2a from the checkpoint, rewritten with 0x2a, then 1 by the handler.
        assertThat(cell(r, t, 0, "reg_name")).isEqualTo("X9");
        assertThat(cell(r, t, 0, "old")).isEqualTo("42");
        assertThat(cell(r, t, 0, "pc")).isEqualTo(Long.toString(0x10004));
        assertThat(cell(r, t, 3, "icount")).isEqualTo("5");
        assertThat(cell(r, t, 3, "old")).isEqualTo("42");
        assertThat(cell(r, t, 3, "new")).isEqualTo("1");
        // X0 starts at 0 (checkpoint), then 1, then 27.
        assertThat(cell(r, t, 2, "old")).isEqualTo("1");
        // NZCV: the checkpoint's PSTATE had Z and C set.
        assertThat(cell(r, t, 4, "reg_name")).isEqualTo("NZCV");
        assertThat(cell(r, t, 4, "old")).isEqualTo(Long.toString(0x6000_0000L));
    }

    @Test
    void fpcrAndFpsrAreRegisterWritesWithTheCheckpointsValuesAsOld() throws IOException {
        TableDef t = Tables.REG_WRITES;
        List<List<Object>> r = rows(t);
        assertThat(cell(r, t, 6, "reg_name")).isEqualTo("FPSR");
        assertThat(cell(r, t, 6, "old")).isEqualTo("0");
        assertThat(cell(r, t, 6, "new")).isEqualTo("2");
        assertThat(cell(r, t, 7, "reg_name")).isEqualTo("FPCR");
        assertThat(cell(r, t, 7, "pc")).isEqualTo(Long.toString(0x1006c));
        assertThat(cell(r, t, 7, "new")).isEqualTo(Long.toString(0x40_0000));
    }

    @Test
    void vregWritesCarryBothHalvesPcAndTheReplacedValue() throws IOException {
        TableDef t = Tables.VREG_WRITES;
        List<List<Object>> r = rows(t);
        assertThat(r).hasSize(3);
        // V3: MARK in both halves at the checkpoint, then 1.0 (bits 127:64 cleared), then 0x1b inserted on top.
        assertThat(cell(r, t, 0, "reg_name")).isEqualTo("V3");
        assertThat(cell(r, t, 0, "pc")).isEqualTo(Long.toString(0x10060));
        assertThat(cell(r, t, 0, "old_lo")).isEqualTo(Long.toString(SyntheticTrace.MARK));
        assertThat(cell(r, t, 0, "old_hi")).isEqualTo(Long.toString(SyntheticTrace.MARK));
        assertThat(cell(r, t, 0, "new_lo")).isEqualTo(Long.toString(SyntheticTrace.D_ONE));
        assertThat(cell(r, t, 0, "new_hi")).isEqualTo("0");
        assertThat(cell(r, t, 1, "old_lo")).isEqualTo(Long.toString(SyntheticTrace.D_ONE));
        assertThat(cell(r, t, 1, "old_hi")).isEqualTo("0");
        assertThat(cell(r, t, 1, "new_hi")).isEqualTo("27");
        assertThat(cell(r, t, 2, "reg_name")).isEqualTo("V4");
        assertThat(cell(r, t, 2, "old_lo")).isEqualTo("0");
        assertThat(cell(r, t, 2, "new_lo")).isEqualTo(Long.toString(SyntheticTrace.D_INF));
    }

    @Test
    void insnsAreDisassembledWithPcRelativeTargetsResolved() throws IOException {
        TableDef t = Tables.INSNS;
        List<List<Object>> r = rows(t);
        assertThat(cell(r, t, 1, "disasm")).isEqualTo("movz x9, #0x2a");
        assertThat(cell(r, t, 9, "disasm")).isEqualTo("b.ne #0x1001c");
        assertThat(cell(r, t, 7, "disasm")).isEqualTo("eret");
        assertThat(cell(r, t, 8, "opcode")).isEqualTo(Integer.toString(0xf100a93f)); // Arrow Java shows UInt4 signed
    }

    @Test
    void consoleBytesBecomeLinesWithTheIcountOfTheirFirstByte() throws IOException {
        TableDef t = Tables.CONSOLE;
        List<List<Object>> r = rows(t);
        assertThat(r).hasSize(2);
        assertThat(cell(r, t, 0, "text")).isEqualTo("boot");
        assertThat(cell(r, t, 0, "icount")).isEqualTo("12");
        assertThat(cell(r, t, 1, "line")).isEqualTo("2");
        assertThat(cell(r, t, 1, "icount")).isEqualTo("20");
        assertThat(cell(r, t, 1, "end_icount")).isEqualTo("30");
        assertThat(cell(r, t, 1, "text")).isEqualTo("X9 CORRUPT");
    }

    @Test
    void codesGetNames() throws IOException {
        assertThat(cell(rows(Tables.of(EventType.EXIT)), Tables.of(EventType.EXIT), 2, "kind_name")).isEqualTo("shutdown");
        assertThat(cell(rows(Tables.of(EventType.EXCEPTION)), Tables.of(EventType.EXCEPTION), 0, "ec_name")).isEqualTo("SVC");
        assertThat(cell(rows(Tables.of(EventType.MMIO)), Tables.of(EventType.MMIO), 1, "device_name")).isEqualTo("gic-cpu");
        assertThat(cell(rows(Tables.of(EventType.SYSREG_WRITE)), Tables.of(EventType.SYSREG_WRITE), 0, "name")).isEqualTo("VBAR_EL1");
        assertThat(cell(rows(Tables.of(EventType.INPUT)), Tables.of(EventType.INPUT), 0, "text")).isEqualTo("hi");
        assertThat(cell(rows(Tables.MEM_WRITES), Tables.MEM_WRITES, 0, "pc")).isEqualTo(Long.toString(0x1000c));
    }

    @Test
    void theRunsRowHoldsTheHeaderAndTheEnd() throws IOException {
        TableDef t = Tables.RUNS;
        List<List<Object>> r = rows(t);
        assertThat(r).hasSize(1);
        assertThat(cell(r, t, 0, "board")).isEqualTo("vibe");
        assertThat(cell(r, t, 0, "trace_level")).isEqualTo("full");
        assertThat(cell(r, t, 0, "chaos_seed")).isEqualTo("7");
        assertThat(cell(r, t, 0, "devices")).isEqualTo("[\"gic-dist\",\"gic-cpu\",\"pl011\",\"virtio-console\"]");
        assertThat(cell(r, t, 0, "images")).contains("synthetic.raw");
        assertThat(cell(r, t, 0, "instructions")).isEqualTo("51");
        assertThat(cell(r, t, 0, "end_reason")).isEqualTo("shutdown");
        assertThat(cell(r, t, 0, "truncated")).isEqualTo("false");
        assertThat(cell(r, t, 0, "entry")).isNull();
    }

    @Test
    void aRecordingWithoutItsEndIsExportedAsATruncatedPrefix(@TempDir Path dir) throws IOException {
        SyntheticTrace.write(dir.resolve("rec"), 45, false);
        Exporter.Result r = Exporter.export(dir.resolve("rec"), dir.resolve("out"));
        assertThat(r.rows()).containsEntry("insns", 16L);
        try (BufferAllocator a = new RootAllocator();
             FileChannel ch = FileChannel.open(dir.resolve("out").resolve("runs.arrow"));
             ArrowFileReader reader = new ArrowFileReader(ch, a)) {
            reader.loadNextBatch();
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertThat(root.getVector("truncated").getObject(0)).isEqualTo(true);
            assertThat(root.getVector("end_reason").getObject(0)).isNull();
            assertThat(root.getVector("instructions").getObject(0)).isEqualTo(51L);
        }
        assertThat(Files.list(dir.resolve("rec")).map(p -> p.getFileName().toString())).doesNotContain("arrow");
    }
}
