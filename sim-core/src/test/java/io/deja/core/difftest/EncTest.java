package io.deja.core.difftest;

import io.deja.core.testing.GuestAssembler;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's own encoders agree with GNU as. */
class EncTest {
    private static int as(String insn) {
        byte[] b = GuestAssembler.assemble(insn, 0x4008_0000L);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void fixUpEncodingsMatchTheAssembler() {
        assertThat(Enc.addImm(5, 28, 0x123, false)).isEqualTo(as("add x5, x28, #0x123"));
        assertThat(Enc.addImm(31, 26, 0, false)).isEqualTo(as("mov sp, x26"));
        assertThat(Enc.subImm(7, 28, 0xFFF, false)).isEqualTo(as("sub x7, x28, #0xfff"));
        assertThat(Enc.movz(3, 0xBEEF, 2)).isEqualTo(as("movz x3, #0xbeef, lsl #32"));
        assertThat(Enc.movn(3, 0x1234, 0)).isEqualTo(as("movn x3, #0x1234"));
        assertThat(Enc.movk(30, 0xA0FF, 3)).isEqualTo(as("movk x30, #0xa0ff, lsl #48"));
        assertThat(Enc.ldxr(0, 26, 4)).isEqualTo(as("ldxrb w26, [x4]"));
        assertThat(Enc.ldxr(3, 26, 31)).isEqualTo(as("ldxr x26, [sp]"));
        assertThat(Enc.ldxp(0, 26, 27, 9)).isEqualTo(as("ldxp w26, w27, [x9]"));
        assertThat(Enc.ldxp(1, 26, 27, 9)).isEqualTo(as("ldxp x26, x27, [x9]"));
        assertThat(Enc.CLREX).isEqualTo(as("clrex"));
        assertThat(Enc.sysreg(true, 3, 0, 0, 0, 0, 1)).isEqualTo(as("mrs x1, midr_el1"));
        assertThat(Enc.sysreg(false, 3, 0, 12, 0, 0, 2)).isEqualTo(as("msr vbar_el1, x2"));
        assertThat(Enc.sys(3, 7, 14, 1, 4)).isEqualTo(as("dc civac, x4"));
        assertThat(Enc.sys(0, 8, 7, 0, 31)).isEqualTo(as("tlbi vmalle1"));
    }

    @Test
    void pcRelativeFieldsPointWhereAsked() {
        long at = 0x4008_4000L;
        assertThat(Enc.patchAdr(Enc.adr(9), at, at - 0x2FFD)).isEqualTo(as("adr x9, . - 0x2ffd"));
        assertThat(Enc.b(at, at + 0x40)).isEqualTo(as("b . + 0x40"));
        assertThat(Enc.patchImm26(as("bl ."), at, at + 8)).isEqualTo(as("bl . + 8"));
        assertThat(Enc.patchImm19(as("b.ne ."), at, at + 12)).isEqualTo(as("b.ne . + 12"));
        assertThat(Enc.patchImm19(as("cbz x3, ."), at, at - 0x1000)).isEqualTo(as("cbz x3, . - 0x1000"));
        assertThat(Enc.patchImm14(as("tbnz w7, #5, ."), at, at + 16)).isEqualTo(as("tbnz w7, #5, . + 16"));
        assertThat(Enc.patchImm19(as("ldr x1, ."), at, at - 0x1ff8)).isEqualTo(as("ldr x1, . - 0x1ff8"));
    }

    @Test
    void movImmBuildsAnyValue() {
        for (long v : new long[] {0, 1, -1, -16, 0x4008_3000L, 0x8000_0000_0000_0000L, 0x1234_0000_5678_0000L, 0xFFFF_0000_FFFF_0000L}) {
            Enc.IntList out = new Enc.IntList();
            Enc.movImm(out, 4, v);
            StringBuilder src = new StringBuilder();
            for (int w : out.toArray()) src.append(".inst 0x").append(Integer.toHexString(w)).append('\n');
            // Run the sequence: the assembler cannot tell us the value, Deja's MOVZ/MOVN/MOVK can.
            var m = io.deja.core.testing.TestMachine.withCode(src.toString());
            m.step(out.size());
            assertThat(m.x(4)).as("0x%x", v).isEqualTo(v);
            assertThat(out.size()).isLessThanOrEqualTo(4);
        }
    }
}
