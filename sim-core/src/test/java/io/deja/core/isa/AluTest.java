package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.testing.TestMachine;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AluTest {
    private final Cpu c = new TestMachine().cpu;

    private static final int N = 8, Z = 4, C = 2, V = 1;

    private int flags() {
        return c.nzcv() >>> 28;
    }

    // ---- AddWithCarry ------------------------------------------------------------

    @Test
    void addWithCarry64SetsCarryZeroAndOverflow() {
        assertThat(Alu.addWithCarry64(c, -1L, 1, 0)).isZero();
        assertThat(flags()).isEqualTo(Z | C);
        assertThat(Alu.addWithCarry64(c, Long.MAX_VALUE, 0, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(flags()).isEqualTo(N | V);
        assertThat(Alu.addWithCarry64(c, Long.MIN_VALUE, Long.MIN_VALUE, 0)).isZero();
        assertThat(flags()).isEqualTo(Z | C | V);
        // x + NOT(x) + 1 = 0 with carry out: SUBS x, x.
        assertThat(Alu.addWithCarry64(c, 0x1234, ~0x1234L, 1)).isZero();
        assertThat(flags()).isEqualTo(Z | C);
        // Carry in alone can produce the carry out.
        assertThat(Alu.addWithCarry64(c, -1L, 0, 1)).isZero();
        assertThat(flags()).isEqualTo(Z | C);
    }

    @Test
    void addWithCarry32UsesOnlyTheLowWordsAndZeroExtends() {
        assertThat(Alu.addWithCarry32(c, 0xABCD_0000_FFFF_FFFFL, 1, 0)).isZero();
        assertThat(flags()).isEqualTo(Z | C);
        assertThat(Alu.addWithCarry32(c, 0x7FFF_FFFFL, 0, 1)).isEqualTo(0x8000_0000L);
        assertThat(flags()).isEqualTo(N | V);
        assertThat(Alu.addWithCarry32(c, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 1)).isEqualTo(0xFFFF_FFFFL);
        assertThat(flags()).isEqualTo(N | C);
    }

    @Test
    void fastAddAndSubtractAgreeWithAddWithCarry() {
        Random rnd = new Random(42);
        long[] edge = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x1_0000_0000L};
        for (int i = 0; i < 20_000; i++) {
            long x = i < 81 ? edge[i % 9] : rnd.nextLong();
            long y = i < 81 ? edge[i / 9] : (i % 3 == 0 ? x : rnd.nextLong());
            long expect = Alu.addWithCarry64(c, x, y, 0);
            int expectFlags = flags();
            assertThat(Alu.adds64(c, x, y)).isEqualTo(expect);
            assertThat(flags()).as("adds64 %x %x", x, y).isEqualTo(expectFlags);

            expect = Alu.addWithCarry64(c, x, ~y, 1);
            expectFlags = flags();
            assertThat(Alu.subs64(c, x, y)).isEqualTo(expect);
            assertThat(flags()).as("subs64 %x %x", x, y).isEqualTo(expectFlags);

            expect = Alu.addWithCarry32(c, x, ~y, 1);
            expectFlags = flags();
            assertThat(Alu.subs32(c, x, y)).isEqualTo(expect);
            assertThat(flags()).as("subs32 %x %x", x, y).isEqualTo(expectFlags);
        }
    }

    @Test
    void subtractionCarryMeansNoBorrow() {
        Alu.subs64(c, 0, 1);
        assertThat(flags()).isEqualTo(N);
        Alu.subs64(c, 5, 5);
        assertThat(flags()).isEqualTo(Z | C);
        Alu.subs64(c, Long.MIN_VALUE, 1);
        assertThat(flags()).isEqualTo(C | V);
        Alu.subs32(c, 0x8000_0000L, 1);
        assertThat(flags()).isEqualTo(C | V);
    }

    // ---- Shifts and extends ------------------------------------------------------------

    @Test
    void shiftsOf32BitOperandsStayInTheLowWord() {
        assertThat(Alu.shift32(0xFFFF_FFFF_8000_0001L, 1, 1)).isEqualTo(0x4000_0000L);
        assertThat(Alu.shift32(0x8000_0000L, 2, 4) & 0xFFFF_FFFFL).isEqualTo(0xF800_0000L);
        assertThat(Alu.shift32(1, 3, 1) & 0xFFFF_FFFFL).isEqualTo(0x8000_0000L);
        assertThat(Alu.shift64(1, 3, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Alu.shift64(Long.MIN_VALUE, 2, 63)).isEqualTo(-1L);
        assertThat(Alu.shift64(Long.MIN_VALUE, 1, 63)).isEqualTo(1L);
    }

    @Test
    void extendSelectsWidthAndSignThenShifts() {
        long v = 0x1234_5678_9ABC_DEF0L;
        assertThat(Alu.extend(v, 0, 0)).isEqualTo(0xF0L);
        assertThat(Alu.extend(v, 1, 1)).isEqualTo(0xDEF0L << 1);
        assertThat(Alu.extend(v, 2, 2)).isEqualTo(0x9ABC_DEF0L << 2);
        assertThat(Alu.extend(v, 3, 3)).isEqualTo(v << 3);
        assertThat(Alu.extend(v, 4, 0)).isEqualTo(-16L);
        assertThat(Alu.extend(v, 5, 4)).isEqualTo((long) (short) 0xDEF0 << 4);
        assertThat(Alu.extend(v, 6, 0)).isEqualTo(0xFFFF_FFFF_9ABC_DEF0L);
        assertThat(Alu.extend(v, 7, 0)).isEqualTo(v);
        assertThat(Alu.extend(0x7F, 4, 0)).isEqualTo(0x7F);
    }

    // ---- DecodeBitMasks ----------------------------------------------------------------

    /** Literal transcription of the Arm ARM pseudocode, with Replicate and ROR done bit by bit. */
    private static long[] referenceBitMasks(int immN, int imms, int immr, boolean immediate) {
        int combined = (immN << 6) | (~imms & 0x3F);
        int len = -1;
        for (int i = 6; i >= 0; i--) {
            if ((combined >> i & 1) != 0) {
                len = i;
                break;
            }
        }
        if (len < 1) return null;
        int levels = (1 << len) - 1;
        if (immediate && (imms & levels) == levels) return null;
        int s = imms & levels, r = immr & levels;
        int d = (s - r) & levels;
        int esize = 1 << len;
        long wmask = 0, tmask = 0;
        for (int bit = 0; bit < 64; bit++) {
            int e = bit % esize;
            if ((e + r) % esize <= s) wmask |= 1L << bit; // ROR(welem, R): bit e holds welem bit (e+R) mod esize
            if (e <= d) tmask |= 1L << bit;
        }
        return new long[] {wmask, tmask};
    }

    @Test
    void decodeBitMasksMatchesThePseudocodeForEveryEncoding() {
        for (int n = 0; n < 2; n++) {
            for (int immr = 0; immr < 64; immr++) {
                for (int imms = 0; imms < 64; imms++) {
                    long[] ref = referenceBitMasks(n, imms, immr, true);
                    long w = Alu.decodeWMask(n, imms, immr);
                    if (ref == null) {
                        assertThat(w).isEqualTo(Alu.RESERVED);
                    } else {
                        assertThat(w).as("N=%d immr=%d imms=%d", n, immr, imms).isEqualTo(ref[0]);
                        assertThat(w).isNotEqualTo(Alu.RESERVED);
                    }
                    long[] bitfield = referenceBitMasks(n, imms, immr, false);
                    if (bitfield != null) {
                        assertThat(Alu.decodeTMask(n, imms, immr)).isEqualTo(bitfield[1]);
                    }
                    assertThat(Alu.logicalImmediate(n, immr, imms)).isEqualTo(w);
                }
            }
        }
    }

    @Test
    void decodeBitMasksKnownValues() {
        assertThat(Alu.decodeWMask(1, 7, 0)).isEqualTo(0xFFL); // and x0, x0, #0xff
        assertThat(Alu.decodeWMask(0, 0b111100, 0)).isEqualTo(0x5555_5555_5555_5555L);
        assertThat(Alu.decodeWMask(0, 0b001111, 16)).isEqualTo(0xFFFF_0000_FFFF_0000L);
        assertThat(Alu.decodeWMask(1, 0, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Alu.decodeWMask(0, 0b111111, 0)).isEqualTo(Alu.RESERVED);
        assertThat(Alu.decodeWMask(0, 0b111110, 0)).isEqualTo(Alu.RESERVED);
        assertThat(Alu.decodeWMask(1, 0b111111, 0)).isEqualTo(Alu.RESERVED);
        assertThat(Alu.decodeWMask(0, 0b011111, 0)).isEqualTo(Alu.RESERVED); // all-ones 32-bit element
    }

    // ---- CRC32 ---------------------------------------------------------------------------

    /** Bit-serial reflected CRC over the low 'bytes' bytes, no inversion: the Arm ARM definition. */
    private static int referenceCrc(int poly, int acc, long value, int bytes) {
        int crc = acc;
        for (int i = 0; i < bytes * 8; i++) {
            int bit = (crc ^ (int) (value >>> i)) & 1;
            crc = (crc >>> 1) ^ (bit != 0 ? poly : 0);
        }
        return crc;
    }

    @Test
    void crcMatchesBitSerialDefinitionForEverySize() {
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            int acc = rnd.nextInt();
            long value = rnd.nextLong();
            for (int sz = 0; sz < 4; sz++) {
                assertThat(Alu.crc(false, acc, value, sz)).isEqualTo(referenceCrc(0xEDB8_8320, acc, value, 1 << sz));
                assertThat(Alu.crc(true, acc, value, sz)).isEqualTo(referenceCrc(0x82F6_3B78, acc, value, 1 << sz));
            }
        }
    }

    @Test
    void crcWithInversionMatchesJavaUtilZip() {
        byte[] data = "123456789abcdefg".getBytes();
        long lo = 0, hi = 0;
        for (int i = 0; i < 8; i++) {
            lo |= (data[i] & 0xFFL) << (8 * i);
            hi |= (data[8 + i] & 0xFFL) << (8 * i);
        }
        CRC32 crc32 = new CRC32();
        crc32.update(data);
        CRC32C crc32c = new CRC32C();
        crc32c.update(data);
        assertThat(~Alu.crc(false, Alu.crc(false, ~0, lo, 3), hi, 3) & 0xFFFF_FFFFL).isEqualTo(crc32.getValue());
        assertThat(~Alu.crc(true, Alu.crc(true, ~0, lo, 3), hi, 3) & 0xFFFF_FFFFL).isEqualTo(crc32c.getValue());
        // The famous check value of "123456789".
        int acc = ~0;
        for (int i = 0; i < 9; i++) acc = Alu.crc(false, acc, data[i], 0);
        assertThat(~acc).isEqualTo(0xCBF4_3926);
    }
}
