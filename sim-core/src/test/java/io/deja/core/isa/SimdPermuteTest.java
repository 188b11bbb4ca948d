package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.q;
import static io.deja.core.isa.SimdTesting.regs;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** ZIP/UZP/TRN on numbered lanes (Vn holds 0x0n, Vm 0x1n) and EXT; lanes worked out from the Arm ARM. */
class SimdPermuteTest {
    // V0.4S = {0, 1, 2, 3}, V1.4S = {0x10, 0x11, 0x12, 0x13}; V0.16B and V1.16B as bytes
    static final long[] V = regs(0x0000_0001_0000_0000L, 0x0000_0003_0000_0002L,
            0x0000_0011_0000_0010L, 0x0000_0013_0000_0012L,
            0x0706_0504_0302_0100L, 0x0F0E_0D0C_0B0A_0908L,
            0x1716_1514_1312_1110L, 0x1F1E_1D1C_1B1A_1918L);

    static long words(long w0, long w1) {
        return w1 << 32 | w0;
    }

    @Test
    void wordLanes() {
        TestMachine m = run("""
                zip1 v4.4s, v0.4s, v1.4s
                zip2 v5.4s, v0.4s, v1.4s
                uzp1 v6.4s, v0.4s, v1.4s
                uzp2 v7.4s, v0.4s, v1.4s
                trn1 v8.4s, v0.4s, v1.4s
                trn2 v9.4s, v0.4s, v1.4s
                """, V);
        assertThat(q(m, 4)).containsExactly(words(0, 0x10), words(1, 0x11));
        assertThat(q(m, 5)).containsExactly(words(2, 0x12), words(3, 0x13));
        assertThat(q(m, 6)).containsExactly(words(0, 2), words(0x10, 0x12));
        assertThat(q(m, 7)).containsExactly(words(1, 3), words(0x11, 0x13));
        assertThat(q(m, 8)).containsExactly(words(0, 0x10), words(2, 0x12));
        assertThat(q(m, 9)).containsExactly(words(1, 0x11), words(3, 0x13));
    }

    @Test
    void byteLanesOfA64BitVectorAndRdEqualToRn() {
        TestMachine m = run("""
                zip2 v4.8b, v2.8b, v3.8b
                uzp1 v5.8b, v2.8b, v3.8b
                trn2 v6.8b, v2.8b, v3.8b
                zip1 v2.16b, v2.16b, v3.16b
                """, V);
        assertThat(q(m, 4)).containsExactly(0x1707_1606_1505_1404L, 0);
        assertThat(q(m, 5)).containsExactly(0x1614_1210_0604_0200L, 0);
        assertThat(q(m, 6)).containsExactly(0x1707_1505_1303_1101L, 0);
        assertThat(q(m, 2)).containsExactly(0x1303_1202_1101_1000L, 0x1707_1606_1505_1404L);
    }

    @Test
    void extTakesBytesFromVnThenVm() {
        TestMachine m = run("""
                ext v4.8b, v2.8b, v3.8b, #3
                ext v5.16b, v2.16b, v3.16b, #15
                ext v6.16b, v2.16b, v3.16b, #8
                """, V);
        assertThat(q(m, 4)).as("Q = 0: the low halves only, upper half cleared")
                .containsExactly(0x1211_1007_0605_0403L, 0);
        assertThat(q(m, 5)).containsExactly(0x1615_1413_1211_100FL, 0x1E1D_1C1B_1A19_1817L);
        assertThat(q(m, 6)).containsExactly(0x0F0E_0D0C_0B0A_0908L, 0x1716_1514_1312_1110L);
    }

    @Test
    void reservedEncodingsAreUndefined() {
        assertUndefined(0x0EC03800); // ZIP1 with size = 11 and Q = 0
        assertUndefined(0x2E004000); // EXT with Q = 0 and imm4 = 8
    }
}
