package io.deja.core.vm;

import io.deja.core.testing.TestMachine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translated blocks must be indistinguishable from the interpreter: same
 * registers, same cycle counts, same instruction at which every event lands.
 */
class BlockTranslationTest {
    /** A hot loop that, on its 200th pass, rewrites the instruction right after the store, inside its own block. */
    private static final String SELF_MODIFYING_LOOP = """
            mov   x0, #0
            mov   x1, #0
            adr   x2, patch
            ldr   w3, new_insn
        loop:
            add   x0, x0, #1
            cmp   x0, #200
            b.ne  skip
            str   w3, [x2]
        patch:
            add   x1, x1, #1
            b     loop2
        skip:
            add   x1, x1, #1
        loop2:
            cmp   x0, #300
            b.ne  loop
            hvc   #0
        new_insn:
            add   x1, x1, #1000
            """;

    @Test
    void aStoreIntoTheRunningBlockTakesEffectAtTheNextInstruction() {
        for (boolean translate : new boolean[] {false, true}) {
            TestMachine m = TestMachine.withCode(SELF_MODIFYING_LOOP);
            m.vm.setTranslateThreshold(translate ? 32 : 0); // low: the short loops must run as blocks
            VmExit exit = m.step(1_000_000);
            assertThat(exit).as("translate=" + translate).isInstanceOf(VmExit.Hvc.class);
            // 299 passes add 1; pass 200 executes the freshly written "add x1, x1, #1000".
            assertThat(m.x(1)).as("translate=" + translate).isEqualTo(299 + 1000);
        }
    }

    @Test
    void singleSteppingThroughTranslatedBlocksVisitsTheSamePcs() {
        String loop = """
                mov  x0, #0
            1:  add  x0, x0, #1
                eor  x1, x1, x0
                lsl  x2, x1, #3
                sub  x3, x2, x0
                cmp  x0, #500
                b.ne 1b
                hvc  #0
                """;
        List<Long> interpreted = pcs(loop, false);
        List<Long> translated = pcs(loop, true);
        assertThat(translated).isEqualTo(interpreted);
        assertThat(interpreted).hasSizeGreaterThan(700); // ~3000 instructions in steps of 1-7
    }

    private static List<Long> pcs(String asm, boolean translate) {
        TestMachine m = TestMachine.withCode(asm);
        m.vm.setTranslateThreshold(translate ? 32 : 0); // low: the short loops must run as blocks
        List<Long> pcs = new ArrayList<>();
        // Warm up so that blocks exist, then step 1 to 7 instructions at a time.
        int n = 0;
        while (!(m.step(1 + n++ % 7) instanceof VmExit.Hvc)) pcs.add(m.cpu.pc);
        return pcs;
    }

    @Test
    void timerInterruptsLandAtTheSameInstructionWithAndWithoutTranslation() {
        String program = """
                adr  x0, vectors
                msr  vbar_el1, x0
                mov  x1, #1
                msr  cntv_ctl_el0, x1
                mov  x2, #777
                msr  cntv_tval_el0, x2
                msr  daifclr, #2
            1:  add  x3, x3, #1
                eor  x4, x4, x3
                b    1b
                .balign 2048
            vectors:
                .balign 0x80
                .skip 0x200
                b    irq_spx_sync
                .balign 0x80
                // current EL, SPx, IRQ: record where it landed, re-arm, return
                mrs  x5, elr_el1
                str  x5, [x6, x7, lsl #3]
                add  x7, x7, #1
                mov  x2, #777
                msr  cntv_tval_el0, x2
                cmp  x7, #50
                b.eq done
                eret
            done:
                hvc  #0
            irq_spx_sync:
                b    .
                """;
        long[] a = landings(program, false);
        long[] b = landings(program, true);
        assertThat(b).isEqualTo(a);
    }

    private static long[] landings(String asm, boolean translate) {
        TestMachine m = TestMachine.withCode(asm);
        m.vm.setTranslateThreshold(translate ? 32 : 0); // low: the short loops must run as blocks
        // The virtual timer is wired to nothing here: let the IRQ line follow it directly.
        m.cpu.irqLine = new io.deja.core.cpu.IrqLine() {
            public boolean irq() { return (m.cpu.timer.virtCtl() & 7) == 5; }
            public boolean fiq() { return false; }
        };
        m.cpu.x[6] = TestMachine.DATA;
        VmExit exit = m.step(10_000_000);
        assertThat(exit).isInstanceOf(VmExit.Hvc.class);
        long[] result = new long[52];
        for (int i = 0; i < 50; i++) result[i] = m.vm.bus().ram.peek64(TestMachine.DATA + 8L * i);
        result[50] = m.vm.cycles();
        result[51] = m.x(3);
        return result;
    }

    /** Translation waits for the threshold's count of interpreted executions of a block's first word. */
    @Test
    void aBlockIsTranslatedOnlyOnceItsFirstWordReachesTheThreshold() {
        String loop = """
                mov  x0, #0
            1:  add  x0, x0, #1
                cmp  x0, #150
                b.ne 1b
                hvc  #0
                """;
        TestMachine m = TestMachine.withCode(loop);
        m.vm.setTranslateThreshold(100);
        long head = m.cpu.pc + 4;
        int page = io.deja.core.mem.Ram.page(head - m.vm.ramBase());
        int index = (int) (head >>> 2) & (io.deja.core.mem.CodeCache.WORDS_PER_PAGE - 1);
        m.step(1 + 3 * 99); // the mov, then 99 passes
        assertThat(m.vm.bus().code.blockPage(page)[index]).isNull();
        m.step(3);
        assertThat(m.vm.bus().code.blockPage(page)[index]).isNotNull();
        assertThat(m.step(10_000)).isInstanceOf(VmExit.Hvc.class);
        assertThat(m.x(0)).isEqualTo(150);
    }

    @Test
    void theThresholdMustFitTheHeatCount() {
        TestMachine m = TestMachine.withCode("hvc #0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.vm.setTranslateThreshold(Vcpu.MAX_TRANSLATE_THRESHOLD + 1))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.vm.setTranslateThreshold(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
