package io.deja.core.jit;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedBlocksTest {
    private static final int ADD_X0_1 = 0x91000400, ADD_X1_2 = 0x91000821, B_SELF = 0x14000000;

    @Test
    void theSameWordsInTheSameTraceModeGiveTheSameBlock() {
        Block a = SharedBlocks.translate(new int[] {ADD_X0_1, ADD_X1_2, B_SELF}, 3, BlockTranslator.TRACE_NONE);
        Block b = SharedBlocks.translate(new int[] {ADD_X0_1, ADD_X1_2, B_SELF, ADD_X0_1}, 3, BlockTranslator.TRACE_NONE);
        assertThat(b).isSameAs(a);
    }

    @Test
    void otherWordsOrAnotherTraceModeGiveAnotherBlock() {
        Block a = SharedBlocks.translate(new int[] {ADD_X0_1, ADD_X1_2, B_SELF}, 3, BlockTranslator.TRACE_NONE);
        assertThat(SharedBlocks.translate(new int[] {ADD_X1_2, ADD_X0_1, B_SELF}, 3, BlockTranslator.TRACE_NONE)).isNotSameAs(a);
        assertThat(SharedBlocks.translate(new int[] {ADD_X0_1, ADD_X1_2, B_SELF}, 3, BlockTranslator.TRACE_INSNS)).isNotSameAs(a);
        assertThat(SharedBlocks.translate(new int[] {ADD_X0_1, ADD_X1_2}, 2, BlockTranslator.TRACE_NONE)).isNotSameAs(a);
    }

    @Test
    void aSecondMachineRunsTheFirstOnesBlocksWithTheSameResults() {
        String loop = """
                mov  x0, #0
                mov  x1, #7
            1:  add  x0, x0, #1
                eor  x1, x1, x0, lsl #3
                cmp  x0, #3000
                b.ne 1b
                hvc  #0
            """;
        long[] results = new long[2];
        for (int run = 0; run < 2; run++) {
            TestMachine m = TestMachine.withCode(loop);
            m.vm.setTranslateThreshold(32);
            m.step(1_000_000);
            results[run] = m.x(1);
            assertThat(m.x(0)).isEqualTo(3000);
        }
        long expected = 7;
        for (long x0 = 1; x0 <= 3000; x0++) expected ^= x0 << 3;
        assertThat(results).containsExactly(expected, expected);
    }
}
