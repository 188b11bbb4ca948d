package io.deja.analysis.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rewriting of hex literals, and the scanner that keeps it out of strings, identifiers and comments. */
class SqlTextTest {
    @Test
    void hexLiteralsBecomeTheirDecimalValue() {
        assertThat(SqlText.hexLiterals("SELECT * FROM insns WHERE pc = 0x11a00")).isEqualTo("SELECT * FROM insns WHERE pc = 72192");
        assertThat(SqlText.hexLiterals("SELECT 0X10+0xff,0x1_0000")).isEqualTo("SELECT 16+255,65536");
        assertThat(SqlText.hexLiterals("WHERE pc BETWEEN 0x40080000 AND 0x4008ffff")).isEqualTo("WHERE pc BETWEEN 1074266112 AND 1074331647");
    }

    @Test
    void valuesAboveBigintAreTypedSoTheyCompareAsUnsigned() {
        assertThat(SqlText.hexLiterals("x = 0x7fffffffffffffff")).isEqualTo("x = 9223372036854775807");
        assertThat(SqlText.hexLiterals("x = 0xffff000008001234")).isEqualTo("x = CAST(18446462598867063348 AS UBIGINT)");
        assertThat(SqlText.hexLiterals("x = 0x10000000000000000")).isEqualTo("x = CAST(18446744073709551616 AS UHUGEINT)");
        assertThat(SqlText.hexLiterals("x = 0xffffffffffffffffffffffffffffffff"))
                .isEqualTo("x = CAST('340282366920938463463374607431768211455' AS UHUGEINT)");
    }

    @Test
    void stringsIdentifiersAndCommentsAreLeftAlone() {
        String sql = "SELECT u64('0x10'), \"0x20\", E'\\'0x30', $$0x40$$ -- 0x50\n/* 0x60 /* 0x61 */ 0x62 */ 0x70";
        assertThat(SqlText.hexLiterals(sql)).isEqualTo(sql.replace("0x70", "112"));
        assertThat(SqlText.hexLiterals("SELECT 'it''s 0x1', 0x2")).isEqualTo("SELECT 'it''s 0x1', 2");
    }

    @Test
    void partsOfWordsAndNumbersAreNotLiterals() {
        for (String s : new String[] {"SELECT col0x1", "SELECT 10x1", "SELECT 0x1g", "SELECT 1.0x5", "SELECT x0x1", "SELECT 0x"}) {
            assertThat(SqlText.hexLiterals(s)).as(s).isEqualTo(s);
        }
    }

    @Test
    void codeBlanksStringsAndCommentsAndCompleteFindsTheEndOfAStatement() {
        assertThat(SqlText.code("SELECT 'insns' -- reg_writes\nFROM t")).isEqualTo("SELECT " + " ".repeat(7) + " " + " ".repeat(13) + "\nFROM t");
        assertThat(SqlText.complete("SELECT 1;")).isTrue();
        assertThat(SqlText.complete("SELECT 1; -- done")).isTrue();
        assertThat(SqlText.complete("SELECT ';'")).isFalse();
        assertThat(SqlText.complete("SELECT 1 -- ;")).isFalse();
        assertThat(SqlText.complete("SELECT 'a;\n")).isFalse();
        assertThat(SqlText.complete("SELECT 1 /* ; */")).isFalse();
        assertThat(SqlText.complete("SELECT 1\nFROM t\n;")).isTrue();
    }

    @Test
    void statementsSplitAtSemicolonsOutsideStringsAndComments() {
        assertThat(SqlText.statements("SELECT ';'; -- a; b\nSELECT 2 ;\n-- only a comment;\n"))
                .containsExactly("SELECT ';'", "-- a; b\nSELECT 2");
        assertThat(SqlText.statements("SELECT 1")).containsExactly("SELECT 1");
        assertThat(SqlText.statements(" ; ;")).isEmpty();
    }
}
