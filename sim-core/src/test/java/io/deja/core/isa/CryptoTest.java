package io.deja.core.isa;

import io.deja.core.cpu.ExceptionClass;
import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.deja.core.isa.LoadStoreTest.D;
import static io.deja.core.isa.LoadStoreTest.assertNextPc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known-answer tests of the crypto extension: a whole AES-128 encryption and
 * decryption (FIPS-197 Appendix C.1) and one block of SHA-1 and SHA-256
 * (FIPS 180-4 examples, the message "abc") computed by guest code with
 * AESE/AESMC/AESD/AESIMC and SHA1C/P/M/H/SU0/SU1, SHA256H/H2/SU0/SU1, the
 * way real code uses them. Vector additions, copies and EOR are Advanced
 * SIMD data processing, which this group does not depend on: the guest does
 * them through general registers (FMOV to and from both halves).
 */
class CryptoTest {
    static final long KEYS = D, BLOCK = D + 0x400, OUT = D + 0x800;

    static TestMachine machine(String asm) {
        TestMachine m = TestMachine.withCode(".arch armv8-a+crypto\n" + asm);
        m.cpu.vbarEl1 = LoadStoreTest.VBAR;
        m.cpu.sys.cpacrEl1 = 3L << 20;
        return m;
    }

    static void run(TestMachine m, String asm) {
        long n = DataProcImmTest.instructionCount(asm);
        m.step(n);
        assertNextPc(m, (int) n);
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    static byte[] words(int... w) {
        ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) b.putInt(x);
        return b.array();
    }

    static int[] readWords(TestMachine m, long pa, int n) {
        ByteBuffer b = ByteBuffer.wrap(m.vm.readMemory(pa, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = b.getInt();
        return r;
    }

    /** Loads a data address (below 4 GiB) into a general register. */
    static String movAddress(String reg, long address) {
        return "movz " + reg + ", #" + (address >>> 16) + ", lsl #16\nmovk " + reg + ", #" + (address & 0xFFFF) + "\n";
    }

    // ---- Vector helpers made of scalar instructions (x9-x15 are scratch) ----------------

    /** Vd = Vs */
    static String mov(int d, int s) {
        return "fmov x9, d" + s + "\nfmov x10, v" + s + ".d[1]\nfmov d" + d + ", x9\nfmov v" + d + ".d[1], x10\n";
    }

    /** Vd = Va EOR Vb */
    static String eor(int d, int a, int b) {
        return "fmov x9, d" + a + "\nfmov x10, v" + a + ".d[1]\nfmov x11, d" + b + "\nfmov x12, v" + b + ".d[1]\n"
                + "eor x9, x9, x11\neor x10, x10, x12\nfmov d" + d + ", x9\nfmov v" + d + ".d[1], x10\n";
    }

    /** Vd.4S = Va.4S + Vb.4S */
    static String add4s(int d, int a, int b) {
        StringBuilder s = new StringBuilder();
        s.append("fmov x9, d").append(a).append("\nfmov x10, v").append(a).append(".d[1]\n");
        s.append("fmov x11, d").append(b).append("\nfmov x12, v").append(b).append(".d[1]\n");
        for (String[] h : new String[][] {{"9", "11"}, {"10", "12"}}) {
            s.append("add w13, w").append(h[0]).append(", w").append(h[1]).append('\n');
            s.append("lsr x14, x").append(h[0]).append(", #32\nlsr x15, x").append(h[1]).append(", #32\n");
            s.append("add w14, w14, w15\norr x").append(h[0]).append(", x13, x14, lsl #32\n");
        }
        s.append("fmov d").append(d).append(", x9\nfmov v").append(d).append(".d[1], x10\n");
        return s.toString();
    }

    // ---- AES -------------------------------------------------------------------------------

    /** The AES-128 key schedule (FIPS-197 5.2), written independently of CryptoAes: 11 round keys of 16 bytes. */
    static byte[] expandKey(byte[] key) {
        int[] sbox = new int[256];
        for (int x = 0; x < 256; x++) {
            int inv = 0;
            for (int y = 1; y < 256 && x != 0; y++) if (CryptoAes.gmul(x, y) == 1) inv = y;
            int s = inv;
            for (int k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >>> (8 - k))) & 0xFF;
            sbox[x] = s ^ 0x63;
        }
        byte[] w = new byte[176];
        System.arraycopy(key, 0, w, 0, 16);
        int rcon = 1;
        for (int i = 16; i < 176; i += 4) {
            int[] t = {w[i - 4] & 0xFF, w[i - 3] & 0xFF, w[i - 2] & 0xFF, w[i - 1] & 0xFF};
            if (i % 16 == 0) {
                t = new int[] {sbox[t[1]] ^ rcon, sbox[t[2]], sbox[t[3]], sbox[t[0]]};
                rcon = CryptoAes.gmul(rcon, 2);
            }
            for (int j = 0; j < 4; j++) w[i + j] = (byte) (w[i - 16 + j] ^ t[j]);
        }
        return w;
    }

    @Test
    void aes128EncryptsAndDecryptsTheFips197Example() {
        StringBuilder asm = new StringBuilder();
        // Round keys in v20-v30, the block in v0.
        asm.append(movAddress("x1", KEYS));
        asm.append("ld1 {v20.16b, v21.16b, v22.16b, v23.16b}, [x1], #64\n");
        asm.append("ld1 {v24.16b, v25.16b, v26.16b, v27.16b}, [x1], #64\n");
        asm.append("ld1 {v28.16b, v29.16b, v30.16b}, [x1]\n");
        asm.append(movAddress("x2", BLOCK));
        asm.append("ldr q0, [x2]\n");
        for (int r = 0; r < 9; r++) asm.append("aese v0.16b, v").append(20 + r).append(".16b\naesmc v0.16b, v0.16b\n");
        asm.append("aese v0.16b, v29.16b\n");
        asm.append(eor(0, 0, 30));
        asm.append("str q0, [x2, #16]\n");
        // Equivalent inverse cipher: AESD with InvMixColumns applied to the middle round keys.
        asm.append("aesd v0.16b, v30.16b\n");
        for (int r = 9; r >= 1; r--) {
            asm.append("aesimc v0.16b, v0.16b\n");
            asm.append("aesimc v1.16b, v").append(20 + r).append(".16b\n");
            asm.append("aesd v0.16b, v1.16b\n");
        }
        asm.append(eor(0, 0, 20));
        asm.append("str q0, [x2, #32]\n");
        String code = asm.toString();
        TestMachine m = machine(code);
        m.vm.writeMemory(KEYS, expandKey(hex("000102030405060708090a0b0c0d0e0f")));
        m.vm.writeMemory(BLOCK, hex("00112233445566778899aabbccddeeff"));
        run(m, code);
        assertThat(m.vm.readMemory(BLOCK + 16, 16)).isEqualTo(hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
        assertThat(m.vm.readMemory(BLOCK + 32, 16)).isEqualTo(hex("00112233445566778899aabbccddeeff"));
    }

    @Test
    void oneAesRoundStepMatchesFips197AppendixB() {
        // FIPS-197 Appendix B, round 1: start 193de3be..., after SubBytes d42711ae...,
        // after ShiftRows d4bf5d30..., after MixColumns 046681e5... (AESE with a zero key).
        String code = "aese v0.16b, v1.16b\naesmc v2.16b, v0.16b\n";
        TestMachine m = machine(code);
        ByteBuffer start = ByteBuffer.wrap(hex("193de3bea0f4e22b9ac68d2ae9f84808")).order(ByteOrder.LITTLE_ENDIAN);
        m.cpu.v[0] = start.getLong();
        m.cpu.v[1] = start.getLong();
        run(m, code);
        ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(m.cpu.v[0]).putLong(m.cpu.v[1]).putLong(m.cpu.v[4]).putLong(m.cpu.v[5]);
        byte[] b = out.array();
        assertThat(java.util.Arrays.copyOfRange(b, 0, 16)).isEqualTo(hex("d4bf5d30e0b452aeb84111f11e2798e5"));
        assertThat(java.util.Arrays.copyOfRange(b, 16, 32)).isEqualTo(hex("046681e5e0cb199a48f8d37a2806264c"));
    }

    // ---- SHA-256 ---------------------------------------------------------------------------

    static final int[] K256 = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    /** "abc" padded to one 512-bit block, as the big-endian words W0-W15. */
    static final int[] ABC_BLOCK = {0x61626380, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x18};

    @Test
    void sha256OfAbc() {
        StringBuilder asm = new StringBuilder();
        asm.append(movAddress("x1", KEYS));
        for (int i = 0; i < 4; i++) asm.append("ld1 {v").append(16 + 4 * i).append(".4s-v").append(19 + 4 * i).append(".4s}, [x1], #64\n");
        asm.append(movAddress("x2", BLOCK));
        asm.append("ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [x2], #64\n");
        asm.append("ld1 {v0.4s, v1.4s}, [x2]\n"); // the initial hash value (abcd, efgh)
        asm.append(mov(8, 0)).append(mov(9, 1));
        for (int q = 0; q < 16; q++) {
            int w = 4 + (q & 3);
            asm.append(add4s(3, w, 16 + q));
            asm.append(mov(2, 0));
            asm.append("sha256h q0, q1, v3.4s\nsha256h2 q1, q2, v3.4s\n");
            if (q < 12) {
                asm.append("sha256su0 v").append(w).append(".4s, v").append(4 + ((q + 1) & 3)).append(".4s\n");
                asm.append("sha256su1 v").append(w).append(".4s, v").append(4 + ((q + 2) & 3))
                        .append(".4s, v").append(4 + ((q + 3) & 3)).append(".4s\n");
            }
        }
        asm.append(add4s(0, 0, 8)).append(add4s(1, 1, 9));
        asm.append(movAddress("x3", OUT));
        asm.append("st1 {v0.4s, v1.4s}, [x3]\n");
        String code = asm.toString();
        TestMachine m = machine(code);
        m.vm.writeMemory(KEYS, words(K256));
        m.vm.writeMemory(BLOCK, words(ABC_BLOCK));
        m.vm.writeMemory(BLOCK + 64, words(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19));
        run(m, code);
        assertThat(readWords(m, OUT, 8)).containsExactly(0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                                         0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad);
    }

    // ---- SHA-1 -----------------------------------------------------------------------------

    @Test
    void sha1OfAbc() {
        StringBuilder asm = new StringBuilder();
        asm.append(movAddress("x1", KEYS));
        // K for each 20 rounds, replicated to four lanes.
        asm.append("ld1r {v16.4s}, [x1], #4\nld1r {v17.4s}, [x1], #4\nld1r {v18.4s}, [x1], #4\nld1r {v19.4s}, [x1]\n");
        asm.append(movAddress("x2", BLOCK));
        asm.append("ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [x2], #64\n");
        asm.append("ldr q0, [x2], #16\nldr s1, [x2]\n"); // abcd, e
        asm.append(mov(8, 0)).append(mov(9, 1));
        String[] op = {"c", "p", "m", "p"};
        for (int q = 0; q < 20; q++) {
            int w = 4 + (q & 3);
            int e = (q & 1) == 0 ? 1 : 2, eNext = (q & 1) == 0 ? 2 : 1;
            asm.append(add4s(3, w, 16 + q / 5));
            asm.append("sha1h s").append(eNext).append(", s0\n");
            asm.append("sha1").append(op[q / 5]).append(" q0, s").append(e).append(", v3.4s\n");
            if (q < 16) {
                asm.append("sha1su0 v").append(w).append(".4s, v").append(4 + ((q + 1) & 3))
                        .append(".4s, v").append(4 + ((q + 2) & 3)).append(".4s\n");
                asm.append("sha1su1 v").append(w).append(".4s, v").append(4 + ((q + 3) & 3)).append(".4s\n");
            }
        }
        // 20 quads: e ends in v1 again.
        asm.append(add4s(0, 0, 8)).append(add4s(1, 1, 9));
        asm.append(movAddress("x3", OUT));
        asm.append("str q0, [x3]\nstr s1, [x3, #16]\n");
        String code = asm.toString();
        TestMachine m = machine(code);
        m.vm.writeMemory(KEYS, words(0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6));
        m.vm.writeMemory(BLOCK, words(ABC_BLOCK));
        m.vm.writeMemory(BLOCK + 64, words(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0));
        run(m, code);
        assertThat(readWords(m, OUT, 5)).containsExactly(0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d);
    }

    @Test
    void reservedSizesAreUnallocatedAndFpDisabledTraps() {
        DataProcImmTest.assertUndefined(0x4E684820); // AESE with size 01
        DataProcImmTest.assertUndefined(0x5E400020); // SHA1C with size 01
        DataProcImmTest.assertUndefined(0x5E680820); // SHA1H with size 01
        TestMachine m = TestMachine.withCode(".arch armv8-a+crypto\nsha256h q0, q1, v2.4s");
        m.step(1);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(ExceptionClass.FP_ACCESS);
    }
}
