package io.deja.core.isa;

import io.deja.core.testing.TestMachine;
import io.deja.core.vm.VmExit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The translation tier calls the same handlers with each row's fields as
 * constants: a loop over instructions of every simd-perm group (saturating
 * ones among them) ends in the same registers and FPSR with and without it.
 */
class SimdBlockTranslationTest {
    static final String LOOP = """
                mov  x0, #0
            1:  add  x0, x0, #1
                dup  v1.8h, w0
                ins  v2.s[1], w0
                umov w3, v2.h[2]
                zip1 v4.16b, v1.16b, v2.16b
                ext  v5.16b, v4.16b, v5.16b, #7
                tbx  v6.16b, {v31.16b, v0.16b}, v5.16b
                movi v7.8h, #0x12, lsl #8
                orr  v8.4s, #0x80, lsl #24
                usra v9.2d, v5.2d, #64
                sqrshrn v10.8b, v5.8h, #3
                sqshlu v11.4s, v5.4s, #30
                sqdmulh v12.8h, v5.8h, v8.h[7]
                smlal2 v13.2d, v5.4s, v6.s[3]
                sqdmlal s14, h5, v6.h[1]
                sli  v8.4s, v12.4s, #5
                cmp  x0, #200
                b.ne 1b
                hvc  #0
            """;

    static TestMachine run(boolean translate) {
        TestMachine m = TestMachine.withCode(LOOP);
        m.cpu.sys.cpacrEl1 = 3L << 20;
        m.vm.setTranslateThreshold(translate ? 32 : 0); // low: the short loop must run as blocks
        for (int i = 0; i < 64; i++) m.cpu.v[i] = 0x9E37_79B9_7F4A_7C15L * (i + 1);
        assertThat(m.step(100_000)).isInstanceOf(VmExit.Hvc.class);
        return m;
    }

    @Test
    void translatedBlocksMatchTheInterpreter() {
        TestMachine interpreted = run(false), translated = run(true);
        assertThat(translated.cpu.v).containsExactly(interpreted.cpu.v);
        assertThat(interpreted.cpu.fpsr).as("some operation saturated").isEqualTo(SimdTesting.QC);
        assertThat(translated.cpu.fpsr).isEqualTo(interpreted.cpu.fpsr);
        assertThat(translated.cpu.x).containsExactly(interpreted.cpu.x);
    }
}
