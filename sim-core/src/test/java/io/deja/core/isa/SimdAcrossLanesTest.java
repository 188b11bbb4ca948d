package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.DataProcImmTest.assertUndefined;
import static io.deja.core.isa.SimdTesting.assertV;
import static io.deja.core.isa.SimdTesting.run;

/** Advanced SIMD across lanes, integer; values from the Arm ARM pseudocode. */
class SimdAcrossLanesTest {
    @Test
    void reductionsWriteAScalarAndClearTheRest() {
        // 16 bytes: 0x80, 0x7F, then fourteen 0x01.
        long lo = 0x0101_0101_0101_7F80L, hi = 0x0101_0101_0101_0101L;
        TestMachine m = run("""
                addv b1, v0.16b
                saddlv h2, v0.16b
                uaddlv h3, v0.16b
                smaxv b4, v0.16b
                umaxv b5, v0.16b
                sminv b6, v0.16b
                uminv b7, v0.8b
                """, lo, hi);
        assertV(m, 1, (0x80 + 0x7F + 14) & 0xFF, 0);
        assertV(m, 2, -128 + 127 + 14, 0);
        assertV(m, 3, 0x80 + 0x7F + 14, 0);
        assertV(m, 4, 0x7F, 0);
        assertV(m, 5, 0x80, 0);
        assertV(m, 6, 0x80, 0);
        assertV(m, 7, 0x01, 0);

        m = run("saddlv d1, v0.4s\numinv s2, v0.4s", 0xFFFF_FFFF_8000_0000L, 0x0000_0002_0000_0001L);
        assertV(m, 1, -0x8000_0000L - 1 + 1 + 2, 0);
        assertV(m, 2, 1, 0);
    }

    @Test
    void reservedSizesAreUndefined() {
        assertUndefined(0x0EB1B800);   // ADDV Vn.2S (size 10, Q = 0)
        assertUndefined(0x4EF1B800);   // ADDV size 11
        assertUndefined(0x5EB1B800);   // ADDP (scalar) size 10
    }
}
