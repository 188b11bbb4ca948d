package io.deja.analysis.query;

import io.deja.analysis.SyntheticTrace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each view and macro of the standard library on the synthetic heisenbug trace (see SyntheticTrace for the events). */
class StdlibTest {
    @TempDir
    static Path tmp;
    static Database db;

    @BeforeAll
    static void load() {
        Path rec = tmp.resolve("rec");
        SyntheticTrace.write(rec);
        Path arrow = Query.defaultExportDir(rec);
        Query.ensureExported(rec, arrow);
        db = Database.open(arrow);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** The rows of a query, each value as text ("NULL" for null). */
    static List<List<String>> q(String sql) {
        return Query.run(db, sql).rows().stream()
                .map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList();
    }

    @Test
    void everyEntryHasAWorkingExample() {
        for (Stdlib.Entry e : Stdlib.entries()) {
            assertThat(Query.run(db, e.example()).columns()).as(e.name()).isNotEmpty();
            assertThat(Query.coverageNotes(db, e.example(), "REC")).as(e.name()).isNotNull();
        }
    }

    @Test
    void coverageSaysWhichIcountsEachLevelCovers() {
        long end = Long.parseLong(q("SELECT instructions FROM runs").get(0).get(0));
        assertThat(q("SELECT level, from_icount, to_icount FROM coverage")).containsExactly(
                List.of("events", "0", Long.toString(end)), List.of("insns", "0", Long.toString(end)), List.of("full", "0", Long.toString(end)));
        assertThat(q("SELECT covered('full', 0), covered('insns', " + end + "), covered('full', " + (end + 1) + "), covered('nope', 1)"))
                .containsExactly(List.of("true", "true", "false", "false"));
    }

    /** coverage's lists of tables, written in stdlib.sql, name every table under the level that records it. */
    @Test
    void coverageListsEveryTableUnderItsLevel() {
        for (String level : List.of("events", "insns", "full")) {
            List<String> expected = new java.util.ArrayList<>();
            for (io.deja.analysis.schema.TableDef t : io.deja.analysis.schema.Tables.ALL) {
                String l = t.source() == null ? "events" : t.source().level.name().toLowerCase(java.util.Locale.ROOT);
                if (l.equals(level)) expected.add(t.name());
            }
            assertThat(q("SELECT unnest(tables) FROM coverage WHERE level = '" + level + "'").stream().map(r -> r.get(0)).toList())
                    .as(level).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void regAtRefusesAnIcountOutsideTheFullTrace() {
        long end = Long.parseLong(q("SELECT instructions FROM runs").get(0).get(0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> q("SELECT * FROM reg_at('X9', " + (end + 5) + ")"))
                .hasMessageContaining("reg_at: icount " + (end + 5) + " is outside what this recording traced at level full")
                .hasMessageContaining("deja replay REC --trace full");
    }

    /** exceptions.pc is the SVC (icount 10, pc 0x1001c in the synthetic trace), elr the instruction after it. */
    @Test
    void exceptionsPcIsTheInstructionAndElrTheReturnAddress() {
        assertThat(q("SELECT pc, elr, ec FROM exceptions")).containsExactly(List.of(Long.toString(0x1001c), Long.toString(0x10020), "21"));
        assertThat(q("SELECT e.pc = i.pc FROM exceptions e JOIN insns i ON i.icount = e.icount - 1")).containsExactly(List.of("true"));
    }

    /**
     * Every address, register value, syndrome, encoding or code column, in every table and standard
     * library view, is unsigned: the table format prints it in hex wherever it appears.
     */
    @Test
    void everyAddressLikeColumnIsUnsignedSoItPrintsInHex() {
        List<List<String>> signed = q("""
                SELECT table_name, column_name, data_type FROM duckdb_columns()
                WHERE schema_name = 'main' AND NOT internal
                  AND regexp_matches(column_name, '^(pc|.*_pc|elr|far|esr|ec|address|addr|page|lowest|highest|value|old|new|old_lo|old_hi|new_lo|new_hi|encoding|opcode|entry|literal.*|dev_offset|x[0-7]|byte|kaslr_seed|stored|overwritten|loaded|x9_.*|.*hash.*)$')
                  AND data_type NOT IN ('UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'BLOB', 'VARCHAR')
                ORDER BY ALL""");
        assertThat(signed).isEmpty();
    }

    @Test
    void u64AcceptsNumbersHexStringsAndNegatives() {
        assertThat(q("SELECT u64(5), u64('0x10'), u64(-1)")).containsExactly(List.of("5", "16", "18446744073709551615"));
    }

    @Test
    void regNumberKnowsXWSpAndNzcv() {
        assertThat(q("SELECT reg_number('x9'), reg_number('W30'), reg_number('sp'), reg_number('NZCV'), reg_number(3), reg_number('X31')"))
                .containsExactly(List.of("9", "30", "31", "32", "3", "NULL"));
        assertThat(q("SELECT reg_number('fpcr'), reg_number('FPSR'), reg_number('V3')")).containsExactly(List.of("33", "34", "NULL"));
    }

    @Test
    void vregNumberAndBitsKnowVAndItsViews() {
        assertThat(q("SELECT vreg_number('v0'), vreg_number('Q31'), vreg_number('d3'), vreg_number('S3'), vreg_number('h7'), vreg_number('B1'), vreg_number('V32'), vreg_number('X3')"))
                .containsExactly(List.of("0", "31", "3", "3", "7", "1", "NULL", "NULL"));
        assertThat(q("SELECT vreg_bits('V3'), vreg_bits('q3'), vreg_bits('D3'), vreg_bits('s3'), vreg_bits('H3'), vreg_bits('b3'), vreg_bits('X3')"))
                .containsExactly(List.of("128", "128", "64", "32", "16", "8", "NULL"));
        assertThat(q("SELECT v128(1, 2), vreg_view(u64(-1), u64(-1), 32), u128('0x10000000000000002'), u128(-1), u128('0x2a')"))
                .containsExactly(List.of("18446744073709551618", "4294967295", "18446744073709551618", "18446744073709551615", "42"));
    }

    @Test
    void regHistoryOfAVRegisterHasAll128BitsBeforeAndAfter() {
        long mark = SyntheticTrace.MARK, one = SyntheticTrace.D_ONE;
        java.math.BigInteger markBoth = java.math.BigInteger.valueOf(mark).shiftLeft(64).or(java.math.BigInteger.valueOf(mark));
        java.math.BigInteger oneWithHigh = java.math.BigInteger.valueOf(0x1b).shiftLeft(64).or(java.math.BigInteger.valueOf(one));
        assertThat(q("SELECT icount, pc, disasm, reg_name, old, new FROM reg_history('V3')")).containsExactly(
                List.of("41", Long.toString(0x10060), "fmov d3, #1.00000000", "V3", markBoth.toString(), Long.toString(one)),
                List.of("42", Long.toString(0x10064), "fmov v3.d[1], x0", "V3", Long.toString(one), oneWithHigh.toString()));
        assertThat(q("SELECT icount, new FROM reg_history('v4')")).containsExactly(List.of("43", Long.toString(SyntheticTrace.D_INF)));
    }

    @Test
    void regHistoryOfAViewListsTheWritesThatChangedItsBits() {
        // icount 42 changed bits 127:64 only: not a change of D3, S3, H3 or B3.
        assertThat(q("SELECT icount, reg_name, old, new FROM reg_history('d3')")).containsExactly(
                List.of("41", "D3", Long.toString(SyntheticTrace.MARK), Long.toString(SyntheticTrace.D_ONE)));
        assertThat(q("SELECT icount, reg_name, old, new FROM reg_history('S3')")).containsExactly(
                List.of("41", "S3", Long.toString(0x5a5a_5a5aL), "0"));
        assertThat(q("SELECT icount FROM reg_history('Q3')")).containsExactly(List.of("41"), List.of("42"));
        assertThat(q("SELECT * FROM reg_history('B4')")).isEmpty(); // +inf has zero low bytes, as V4 had
    }

    @Test
    void insnsAroundListsVRegisterWritesWithAll128Bits() {
        assertThat(q("SELECT icount, writes FROM insns_around(42, 1)")).containsExactly(
                List.of("41", "V3=0x3ff0000000000000"),
                List.of("42", "V3=0x1b3ff0000000000000"),
                List.of("43", "FPSR=0x2 V4=0x7ff0000000000000"));
    }

    @Test
    void fpcrAndFpsrHaveAHistoryToo() {
        assertThat(q("SELECT icount, disasm, old, new FROM reg_history('FPSR')")).containsExactly(List.of("43", "fdiv d4, d3, d31", "0", "2"));
        assertThat(q("SELECT icount, disasm, new FROM reg_history('fpcr')")).containsExactly(List.of("44", "msr fpcr, x1", Long.toString(0x40_0000)));
    }

    @Test
    void firstWriteAndRegAtWorkOnVRegistersAndViews() {
        assertThat(q("SELECT icount FROM first_write('D3', '0x3ff0000000000000')")).containsExactly(List.of("41"));
        assertThat(q("SELECT icount FROM first_write('V3', '0x1b3ff0000000000000')")).containsExactly(List.of("42"));
        assertThat(q("SELECT icount, reg_name, value FROM reg_at('V3', 42)")).containsExactly(List.of("41", "V3", Long.toString(SyntheticTrace.D_ONE)));
        assertThat(q("SELECT icount, value FROM reg_at('FPSR', 50)")).containsExactly(List.of("43", "2"));
    }

    @Test
    void readsRegTellsSourcesFromDestinations() {
        assertThat(q("""
                SELECT reads_reg('cmp x9, #0x2a', 'X9'), reads_reg('movz x9, #1', 'X9'), reads_reg('add x0, x9, x1', 'x9'),
                       reads_reg('str x9, [x0]', 'X9'), reads_reg('ldp x9, x10, [sp]', 'X10'), reads_reg('ldp x0, x1, [x9]', 'X9'),
                       reads_reg('stxr w9, x0, [x1]', 'X9'), reads_reg('add x0, x19, #1', 'X9'), reads_reg('ldr x0, [sp, #8]', 'SP'),
                       reads_reg('movk x9, #0x1, lsl #16', 'X9'), reads_reg('ret', 'X30')"""))
                .containsExactly(List.of("true", "false", "true", "true", "false", "true", "false", "false", "true", "true", "false"));
    }

    @Test
    void regHistoryListsEveryWriteWithOldAndNew() {
        assertThat(q("SELECT icount, pc, disasm, old, new FROM reg_history('X9')")).containsExactly(
                List.of("1", Long.toString(0x10004), "movz x9, #0x2a", "42", "42"),
                List.of("5", Long.toString(0x884), "movz x9, #0x1", "42", "1"));
    }

    @Test
    void firstWriteFindsTheCulprit() {
        assertThat(q("SELECT icount, pc, disasm FROM first_write('X9', 1)"))
                .containsExactly(List.of("5", Long.toString(SyntheticTrace.CULPRIT_PC), "movz x9, #0x1"));
        assertThat(q("SELECT * FROM first_write('X9', '0x2a')")).hasSize(1);
        assertThat(q("SELECT * FROM first_write('X9', 12345)")).isEmpty();
    }

    @Test
    void regAtIsTheLastWriteBeforeAnIcount() {
        assertThat(q("SELECT icount, value FROM reg_at('X9', 5)")).containsExactly(List.of("1", "42"));
        assertThat(q("SELECT icount, value FROM reg_at('X9', 6)")).containsExactly(List.of("5", "1"));
    }

    @Test
    void firstReadAfterFindsTheUse() {
        assertThat(q("SELECT icount, disasm FROM first_read_after('X9', 5)")).containsExactly(List.of("8", "cmp x9, #0x2a"));
    }

    @Test
    void whoWroteFindsTheStoreAndTheByteItLeft() {
        assertThat(q("SELECT icount, pc, size, byte FROM who_wrote(" + SyntheticTrace.STORE_ADDRESS + ")"))
                .containsExactly(List.of("3", Long.toString(0x1000c), "8", "1"));
        assertThat(q("SELECT byte FROM who_wrote('0x40007')")).containsExactly(List.of("17"));
        assertThat(q("SELECT * FROM who_wrote('0x40008')")).isEmpty();
    }

    @Test
    void culpritShowsInterruptWriteAndRead() {
        assertThat(q("SELECT role, icount, pc FROM culprit('X9', 1)")).containsExactly(
                List.of("interrupt", "4", Long.toString(0x10010)),
                List.of("write", "5", Long.toString(0x884)),
                List.of("read", "8", Long.toString(0x10010)));
    }

    @Test
    void culpritSkipsValuesTheHandlerConsumedItself(@TempDir Path dir) {
        SyntheticTrace.writeTwoTicks(dir.resolve("rec"));
        Path arrow = Query.defaultExportDir(dir.resolve("rec"));
        Query.ensureExported(dir.resolve("rec"), arrow);
        try (Database two = Database.open(arrow)) {
            List<List<String>> rows = Query.run(two, "SELECT role, icount, disasm FROM culprit('X9', 1)").rows().stream()
                    .map(r -> Arrays.stream(r).map(ResultFormat::text).toList()).toList();
            assertThat(rows).containsExactly(
                    List.of("interrupt", "6", "cmp x9, x19, lsl #4"),
                    List.of("write", "6", "movz w9, #0x1"),
                    List.of("read", "8", "cmp x9, x19, lsl #4"));
            assertThat(Query.run(two, "SELECT icount FROM first_write('X9', 1)").rows().get(0)[0]).isEqualTo(0L);
        }
    }

    @Test
    void exitStatsCountsByKind() {
        assertThat(q("SELECT kind_name, exits, first_icount FROM exit_stats ORDER BY kind")).containsExactly(
                List.of("WFI", "1", "31"), List.of("MMIO write", "1", "40"), List.of("shutdown", "1", "50"));
    }

    @Test
    void irqLatencyRunsFromTheInterruptToItsEoi() {
        assertThat(q("SELECT icount, intid, handler_pc, ack_latency, latency FROM irq_latency")).containsExactly(
                List.of("4", "27", Long.toString(0x880), "0", "2"),
                List.of("45", "27", "NULL", "NULL", "NULL"));
    }

    @Test
    void consoleMacroFiltersLinesAndMeasuresTheStages() {
        assertThat(q("SELECT line, icount, text, delta FROM console('%')")).containsExactly(
                List.of("1", "12", "boot", "NULL"), List.of("2", "20", "X9 CORRUPT", "8"));
        assertThat(q("SELECT text FROM console('X9%')")).containsExactly(List.of("X9 CORRUPT"));
        assertThat(q("SELECT count(*) FROM console")).containsExactly(List.of("2"));
    }

    @Test
    void insnsAroundShowsRegisterWrites() {
        assertThat(q("SELECT icount, writes FROM insns_around(5, 1)")).containsExactly(
                List.of("4", "X0=0x1b"), List.of("5", "X9=0x1"), List.of("6", "NULL"));
    }

    @Test
    void theDataIsReadOnly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Query.run(db, "DELETE FROM insns"))
                .hasMessageContaining("read-only");
    }
}
