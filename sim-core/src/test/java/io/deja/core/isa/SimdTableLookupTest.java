package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static io.deja.core.isa.SimdTesting.q;
import static io.deja.core.isa.SimdTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

/** TBL/TBX: table registers wrap from V31 to V0; out-of-range indices give 0 or keep Vd's byte. */
class SimdTableLookupTest {
    /** Vr's byte i is 16 * r + i, so a looked-up byte names its register and position. */
    static long[] numbered() {
        long[] v = new long[64];
        for (int r = 0; r < 32; r++) {
            for (int i = 0; i < 16; i++) v[2 * r + i / 8] |= (long) ((16 * r + i) & 0xFF) << (8 * (i % 8));
        }
        return v;
    }

    @Test
    void tableWrapsFromV31ToV0() {
        long[] v = numbered();
        // V5 = indices {0, 15, 16, 31, 32, 255, 17, 1 | 8..15: 31 each}
        v[10] = 0x0111_FF20_1F10_0F00L;
        v[11] = 0x1F1F_1F1F_1F1F_1F1FL;
        TestMachine m = run("tbl v6.16b, {v31.16b, v0.16b}, v5.16b", v);
        // V31 bytes are 0xF0.., V0 bytes 0x00..
        assertThat(q(m, 6)).containsExactly(0xF101_0000_0F00_FFF0L, 0x0F0F_0F0F_0F0F_0F0FL);
    }

    @Test
    void tbxKeepsTheDestinationBytesOfOutOfRangeIndices() {
        long[] v = numbered();
        v[10] = 0x0140_3F30_2010_0F00L; // V5: indices 0, 15, 16, 32, 48, 63, 64, 1
        v[11] = 0xFFFF_FFFF_FFFF_FFFFL;
        TestMachine m = run("""
                tbx v7.16b, {v1.16b, v2.16b, v3.16b}, v5.16b
                tbx v8.8b, {v30.16b, v31.16b, v0.16b, v1.16b}, v5.8b
                """, v);
        // V7 = 0x7F..0x70; table V1..V3 is 48 bytes: 48, 63, 64 and 255 are out of range
        assertThat(q(m, 7)).containsExactly(0x1176_7574_3020_1F10L, 0x7F7E_7D7C_7B7A_7978L);
        // table V30, V31, V0, V1: 64 bytes; index 64 keeps V8's byte 6; Q = 0 clears the upper half
        assertThat(q(m, 8)).containsExactly(0xE186_1F10_00F0_EFE0L, 0);
    }
}
