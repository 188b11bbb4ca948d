package io.deja.core.decode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** What the generated decoder tables mean: decode results, block ends and the fields handed to handlers. */
class A64DecoderTest {

    /**
     * The rule the decoder used before the table declared its overlaps: the
     * matching pattern with the most fixed bits wins, ties to the row listed
     * first. The build now rejects every overlap that is not a strict nesting
     * (and today's table has no overlap group), so both rules must agree.
     */
    private static final int[] MOST_FIXED_BITS_FIRST = mostFixedBitsFirst();

    private static int[] mostFixedBitsFirst() {
        List<Integer> ops = new ArrayList<>();
        for (int op = 1; op < A64Decoder.count(); op++) ops.add(op);
        ops.sort(Comparator.comparingInt((Integer op) -> -Integer.bitCount(A64Decoder.mask(op))).thenComparingInt(op -> op));
        return ops.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int decodeByMostFixedBits(int insn) {
        for (int op : MOST_FIXED_BITS_FIRST) {
            if ((insn & A64Decoder.mask(op)) == A64Decoder.value(op)) return op;
        }
        return A64Patterns.UNALLOCATED;
    }

    @Test
    void decodeOrderAgreesWithMostFixedBitsFirstOnASweepOfEveryBucket() {
        SplittableRandom rnd = new SplittableRandom(7);
        long words = 0;
        // Every value of the 12 bucketed bits, with random low bits.
        for (int hi = 0; hi < 1 << 12; hi++) {
            for (int k = 0; k < 1024; k++) {
                int w = hi << 20 | (rnd.nextInt() >>> 12);
                assertThat(A64Decoder.decode(w)).as("%08x", w).isEqualTo(decodeByMostFixedBits(w));
                words++;
            }
        }
        // Words near every pattern: its value with random variable bits, and with a few fixed bits flipped.
        for (int op = 1; op < A64Decoder.count(); op++) {
            int mask = A64Decoder.mask(op), value = A64Decoder.value(op);
            for (int k = 0; k < 4096; k++) {
                int w = value | (rnd.nextInt() & ~mask);
                if (k % 2 == 1) w ^= (1 << rnd.nextInt(32)) & mask;
                assertThat(A64Decoder.decode(w)).as("%08x near %s", w, A64Decoder.name(op)).isEqualTo(decodeByMostFixedBits(w));
                words++;
            }
        }
        assertThat(words).isGreaterThan(4_000_000);
    }

    /**
     * Blocks end after exactly the instructions of the Arm ARM's "branches,
     * exception generating and system instructions" group (op0 = 101x), as the
     * translator decided by handler class before the table carried the tags.
     */
    @Test
    void blocksEndAfterExactlyTheBranchExceptionAndSystemRows() {
        for (int op = 1; op < A64Decoder.count(); op++) {
            boolean branchOrSystemGroup = ((A64Decoder.value(op) >>> 26) & 0b111) == 0b101;
            assertThat(A64Decoder.endsBlock(op)).as(A64Decoder.name(op)).isEqualTo(branchOrSystemGroup);
        }
        assertThat(A64Decoder.endsBlock(A64Patterns.UNALLOCATED)).isFalse();
    }

    private static List<String> arguments(int insn) {
        int op = A64Decoder.decode(insn);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < A64Decoder.argumentCount(op); i++) {
            args.add(A64Decoder.argumentName(op, i) + "=" + A64Decoder.argument(op, i, insn));
        }
        return args;
    }

    @Test
    void handlersReceiveTheNamedFieldsSignExtendedAndScaled() {
        // add x3, sp, #0x123, lsl #12
        assertThat(arguments(0x91448FE3)).containsExactly("sf=1", "sh=1", "imm12=291", "rn=31", "rd=3");
        // adr x7, .-1 (immhi:immlo = -1)
        assertThat(arguments(0x70FFFFE7)).containsExactly("adr_imm=-1", "rd=7");
        // adrp x0, .+0x4000_0000 (+0x40000 pages: immlo 0, immhi 0x10000)
        assertThat(arguments(0x90200000)).containsExactly("adr_imm=262144", "rd=0");
        // and w1, w2, #0xff: N=0 immr=0 imms=7
        assertThat(arguments(0x12001C41)).containsExactly("sf=0", "n=0", "immr=0", "imms=7", "rn=2", "rd=1");
        // movk x9, #0xbeef, lsl #48
        assertThat(arguments(0xF2F7DDE9)).containsExactly("sf=1", "hw=3", "imm16=48879", "rd=9");
        // b .-0x8000000 (imm26 = -2^25 words) and bl .+0x7fffffc
        assertThat(arguments(0x16000000)).containsExactly("imm26=-134217728");
        assertThat(arguments(0x95FFFFFF)).containsExactly("imm26=134217724");
        // b.ne .-4
        assertThat(arguments(0x54FFFFE1)).containsExactly("imm19=-4", "bcond=1");
        // cbz w4, .+0xffffc (imm19 = 2^18 - 1 words)
        assertThat(arguments(0x347FFFE4)).containsExactly("sf=0", "imm19=1048572", "rt=4");
        // tbnz x5, #63, .-0x8000 (b5=1, b40=31, imm14 = -2^13 words)
        assertThat(arguments(0xB7FC0005)).containsExactly("bitpos=63", "imm14=-32768", "rt=5");
        // ccmp x1, #31, #0b1010, ne
        assertThat(arguments(0xFA5F182A)).containsExactly("sf=1", "imm5=31", "cond=1", "rn=1", "nzcv=10");
        // add w0, w1, w2, asr #31
        assertThat(arguments(0x0B827C20)).containsExactly("sf=0", "shift=2", "rm=2", "imm6=31", "rn=1", "rd=0");
        // sub x3, sp, w4, uxtw #2
        assertThat(arguments(0xCB244BE3)).containsExactly("sf=1", "rm=4", "option=2", "imm3=2", "rn=31", "rd=3");
        // smulh x5, x6, x7 (Ra, should-be-one, is not a field of the row)
        assertThat(arguments(0x9B477CC5)).containsExactly("rm=7", "rn=6", "rd=5");
        // crc32cx w8, w9, x10
        assertThat(arguments(0x9ACA5D28)).containsExactly("sf=1", "rm=10", "sz=3", "rn=9", "rd=8");
        // ret (x30), eret (no fields)
        assertThat(arguments(0xD65F03C0)).containsExactly("rn=30");
        assertThat(arguments(0xD69F03E0)).isEmpty();
        // ldr x1, [x2, #32760]: the X form's offset arrives scaled to bytes
        assertThat(arguments(0xF97FFC41)).containsExactly("pimm_x=32760", "rn=2", "rt=1");
        // ldur w3, [x4, #-256]
        assertThat(arguments(0xB8500083)).containsExactly("size=2", "imm9=-256", "rn=4", "rt=3");
        // ldp x1, x2, [sp, #-512]! (imm7 = -64 elements: the handler scales by opc)
        assertThat(arguments(0xA9E00BE1)).containsExactly("opc=2", "pair_idx=3", "imm7=-64", "rt2=2", "rn=31", "rt=1");
        // ldrsb w7, [x6, #5] (opc<0> = 1: to 32 bits)
        assertThat(arguments(0x39C014C7)).containsExactly("size=0", "opc0=1", "imm12=5", "rn=6", "rt=7");
        // svc #0xbeef
        assertThat(arguments(0xD417DDE1)).containsExactly("imm16=48879");
        // mrs x5, cntvct_el0 (S3_3_C14_C0_2: op0 = 0b1:o0)
        assertThat(arguments(0xD53BE045)).containsExactly("o0=1", "op1=3", "crn=14", "crm=0", "op2=2", "rt=5");
        // msr daifset, #0xf; dsb sy (no fields)
        assertThat(arguments(0xD5034FDF)).containsExactly("op1=3", "crm=15", "op2=6");
        assertThat(arguments(0xD5033F9F)).isEmpty();
    }
}
