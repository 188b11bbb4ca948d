package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.decode.A64Decoder;
import io.deja.core.decode.A64Dispatch;
import io.deja.core.testing.TestMachine;
import io.deja.core.vm.VmExit;
import org.junit.jupiter.api.Test;

import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;

/** Branch targets, conditions, link registers, tagged targets and ERET. Registers are set directly so that only branch semantics run. */
class BranchesTest {
    private static final long VBAR = 0x4010_0000L;

    private static TestMachine run(String asm, int steps) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.vbarEl1 = VBAR;
        m.step(steps);
        return m;
    }

    /** Decodes word and runs its handler with the fields the table extracts, as the interpreter does. */
    private static void execute(Cpu c, int word) {
        A64Dispatch.execute(c, A64Decoder.decode(word), word);
    }

    @Test
    void bJumpsForwardAndBackward() {
        TestMachine m = run("b 1f\n .inst 0\n .inst 0\n 1: b _start", 1);
        assertThat(m.cpu.pc).isEqualTo(CODE + 12);
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(CODE);
    }

    @Test
    void bReachesTheEndsOfItsRange() {
        Cpu c = new TestMachine().cpu;
        c.pc = 0x4000_0000L;
        execute(c, 0x1400_0000 | 0x01FF_FFFF); // imm26 = +2^25 - 1 words
        assertThat(c.pc).isEqualTo(0x4000_0000L + ((1L << 25) - 1) * 4);
        c.pc = 0x4800_0000L;
        execute(c, 0x1400_0000 | 0x0200_0000); // imm26 = -2^25 words
        assertThat(c.pc).isEqualTo(0x4800_0000L - (1L << 27));
    }

    @Test
    void blLinksTheNextInstruction() {
        TestMachine m = run("bl 1f\n .inst 0\n 1: .inst 0", 1);
        assertThat(m.cpu.pc).isEqualTo(CODE + 8);
        assertThat(m.x(30)).isEqualTo(CODE + 4);
    }

    /** ConditionHolds written out from the Arm ARM table, independently of Cpu.conditionHolds. */
    private static boolean expected(int cond, boolean n, boolean z, boolean c, boolean v) {
        return switch (cond) {
            case 0 -> z;
            case 1 -> !z;
            case 2 -> c;
            case 3 -> !c;
            case 4 -> n;
            case 5 -> !n;
            case 6 -> v;
            case 7 -> !v;
            case 8 -> c && !z;
            case 9 -> !(c && !z);
            case 10 -> n == v;
            case 11 -> n != v;
            case 12 -> !z && n == v;
            case 13 -> !(!z && n == v);
            default -> true; // AL and NV both always
        };
    }

    @Test
    void bCondTakesTheBranchExactlyWhenTheConditionHolds() {
        Cpu c = new TestMachine().cpu;
        for (int cond = 0; cond < 16; cond++) {
            for (int flags = 0; flags < 16; flags++) {
                c.setNzcv((long) flags << 28);
                c.pc = CODE;
                execute(c, 0x5400_0000 | (8 << 5) | cond); // b.cond .+32
                boolean taken = expected(cond, (flags & 8) != 0, (flags & 4) != 0, (flags & 2) != 0, (flags & 1) != 0);
                assertThat(c.pc).as("cond %d flags %x", cond, flags).isEqualTo(taken ? CODE + 32 : CODE + 4);
            }
        }
    }

    @Test
    void bCondBranchesBackward() {
        Cpu c = new TestMachine().cpu;
        c.pc = CODE + 0x100;
        execute(c, 0x5400_0000 | (0x7FFFF << 5) | 14); // b.al .-4
        assertThat(c.pc).isEqualTo(CODE + 0xFC);
    }

    @Test
    void cbzAndCbnzLookOnlyAtTheLowWordForW() {
        TestMachine m = TestMachine.withCode("cbz w1, 1f\n cbz x1, 1f\n cbnz w1, 1f\n cbnz x1, 1f\n 1: .inst 0");
        m.cpu.x[1] = 0x1_0000_0000L;
        m.step(1);
        assertThat(m.cpu.pc).as("cbz w taken").isEqualTo(CODE + 16);
        m.cpu.pc = CODE + 4;
        m.step(1);
        assertThat(m.cpu.pc).as("cbz x not taken").isEqualTo(CODE + 8);
        m.step(1);
        assertThat(m.cpu.pc).as("cbnz w not taken").isEqualTo(CODE + 12);
        m.step(1);
        assertThat(m.cpu.pc).as("cbnz x taken").isEqualTo(CODE + 16);
    }

    @Test
    void cbzOnXzrAlwaysBranches() {
        TestMachine m = run("cbz xzr, 1f\n .inst 0\n 1: .inst 0", 1);
        assertThat(m.cpu.pc).isEqualTo(CODE + 8);
    }

    @Test
    void tbzAndTbnzTestTheNumberedBit() {
        TestMachine m = TestMachine.withCode("tbz x2, #63, 1f\n tbnz x2, #63, 1f\n tbz w2, #0, 1f\n tbnz x2, #33, 1f\n 1: .inst 0");
        m.cpu.x[2] = 0x8000_0002_0000_0000L;
        m.step(1);
        assertThat(m.cpu.pc).as("tbz #63 with bit set").isEqualTo(CODE + 4);
        m.step(1);
        assertThat(m.cpu.pc).as("tbnz #63 with bit set").isEqualTo(CODE + 16);
        m.cpu.pc = CODE + 8;
        m.step(1);
        assertThat(m.cpu.pc).as("tbz #0 with bit clear").isEqualTo(CODE + 16);
        m.cpu.pc = CODE + 12;
        m.step(1);
        assertThat(m.cpu.pc).as("tbnz #33 with bit set").isEqualTo(CODE + 16);
    }

    @Test
    void tbzReachesBackward() {
        Cpu c = new TestMachine().cpu;
        c.pc = CODE + 0x8000;
        execute(c, 0x3600_0000 | (0x2000 << 5) | 3); // tbz w3, #0, .-0x8000
        assertThat(c.pc).isEqualTo(CODE);
    }

    @Test
    void brAndRetGoToTheRegister() {
        TestMachine m = TestMachine.withCode("br x3\n ret\n ret x4");
        m.cpu.x[3] = CODE + 4;
        m.cpu.x[30] = CODE + 8;
        m.cpu.x[4] = 0x4009_0000L;
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(CODE + 4);
        m.step(1);
        assertThat(m.cpu.pc).as("ret defaults to x30").isEqualTo(CODE + 8);
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(0x4009_0000L);
    }

    @Test
    void blrReadsTheTargetBeforeWritingTheLink() {
        TestMachine m = TestMachine.withCode("blr x30");
        m.cpu.x[30] = 0x4009_0000L;
        m.step(1);
        assertThat(m.cpu.pc).isEqualTo(0x4009_0000L);
        assertThat(m.x(30)).isEqualTo(CODE + 4);
    }

    @Test
    void registerBranchesDropTheTagOnlyWhenTbiApplies() {
        TestMachine m = TestMachine.withCode("br x1");
        long tagged = 0x5A00_0000_4008_0010L;
        m.cpu.x[1] = tagged;
        m.step(1);
        assertThat(m.cpu.pc).as("TBI0 off: the tag stays").isEqualTo(tagged);

        m.cpu.pc = CODE;
        m.cpu.sys.tcrEl1 = 1L << 37; // TBI0
        m.step(1);
        assertThat(m.cpu.pc).as("TBI0: bit 55 clear, top byte zeroed").isEqualTo(0x0000_0000_4008_0010L);

        m.cpu.pc = CODE;
        m.cpu.x[1] = 0x12FF_FFFF_FFFF_0000L;
        m.step(1);
        assertThat(m.cpu.pc).as("bit 55 set selects TBI1, which is off").isEqualTo(0x12FF_FFFF_FFFF_0000L);
        m.cpu.pc = CODE;
        m.cpu.sys.tcrEl1 = 1L << 38;
        m.step(1);
        assertThat(m.cpu.pc).as("TBI1: sign extension of bit 55").isEqualTo(0xFFFF_FFFF_FFFF_0000L);
    }

    @Test
    void misalignedTargetFaultsWhenFetched() {
        TestMachine m = run("br x1", 0);
        m.cpu.x[1] = CODE + 0x102;
        m.step(1);
        assertThat(m.cpu.pc).as("the branch itself does not fault").isEqualTo(CODE + 0x102);
        m.step(1);
        assertThat(m.cpu.esrEl1 >>> 26).isEqualTo(0x22);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE + 0x102);
        assertThat(m.cpu.farEl1).isEqualTo(CODE + 0x102);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
    }

    // ---- ERET ---------------------------------------------------------------------------

    @Test
    void eretAtEl0IsUndefined() {
        TestMachine m = TestMachine.withCode("eret");
        m.cpu.vbarEl1 = VBAR;
        m.vm.setPstate(0); // EL0t
        m.step(1);
        assertThat(m.cpu.el).isEqualTo(1);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);
        assertThat(m.cpu.esrEl1).isEqualTo(0x0200_0000L);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE);
    }

    @Test
    void eretReturnsToEl0AndSvcComesBackThroughTheLowerElVector() {
        TestMachine m = TestMachine.withCode("eret\n .balign 256\n user: svc #0x42");
        m.cpu.vbarEl1 = VBAR;
        m.cpu.elrEl1 = CODE + 256;
        m.cpu.spsrEl1 = 0x2000_0000L; // EL0t, C set, interrupts unmasked
        m.cpu.setSpEl0(0x4020_0000L);
        m.step(1);
        assertThat(m.cpu.el).isZero();
        assertThat(m.cpu.pc).isEqualTo(CODE + 256);
        assertThat(m.cpu.sp).as("EL0 runs on SP_EL0").isEqualTo(0x4020_0000L);
        assertThat(m.cpu.cf).isTrue();
        assertThat(m.cpu.daif).isZero();

        m.step(1);
        assertThat(m.cpu.el).isEqualTo(1);
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x400);
        assertThat(m.cpu.esrEl1).isEqualTo((0x15L << 26) | (1L << 25) | 0x42);
        assertThat(m.cpu.elrEl1).isEqualTo(CODE + 260);
        assertThat(m.cpu.spsrEl1).isEqualTo(0x2000_0000L);
        assertThat(m.cpu.daif).isEqualTo(0x3C0);
        assertThat(m.cpu.sp).as("back on SP_EL1").isEqualTo(TestMachine.RAM_BASE + TestMachine.RAM_SIZE);
    }

    @Test
    void eretToEl1tSelectsSpEl0() {
        TestMachine m = TestMachine.withCode("eret");
        m.cpu.elrEl1 = CODE + 64;
        m.cpu.spsrEl1 = 0x3C4; // EL1t, masked
        m.cpu.setSpEl0(0x4030_0000L);
        m.step(1);
        assertThat(m.cpu.el).isEqualTo(1);
        assertThat(m.cpu.spx).isFalse();
        assertThat(m.cpu.sp).isEqualTo(0x4030_0000L);
    }

    @Test
    void illegalReturnSetsIlAndTheNextInstructionTakesTheIllegalStateException() {
        TestMachine m = TestMachine.withCode("eret\n .balign 64\n target: nop");
        m.cpu.vbarEl1 = VBAR;
        // The instruction at the target takes the exception instead of executing: that is its whole step (as in QEMU).
        m.vm.writeMemory(VBAR + 0x200, new byte[] {0x1F, 0x20, 0x03, (byte) 0xD5}); // nop
        m.cpu.elrEl1 = CODE + 64;
        m.cpu.spsrEl1 = 0b01001 | 0x3C0; // EL2h: not implemented here
        m.step(1);
        assertThat(m.cpu.il).isTrue();
        assertThat(m.cpu.el).as("the EL does not change").isEqualTo(1);
        assertThat(m.cpu.pc).isEqualTo(CODE + 64);

        VmExit exit = m.step(1);
        assertThat(exit).isInstanceOf(VmExit.BudgetExhausted.class);
        assertThat(m.cpu.esrEl1).isEqualTo((0x0EL << 26) | (1L << 25));
        assertThat(m.cpu.elrEl1).isEqualTo(CODE + 64);
        assertThat(m.cpu.spsrEl1 & (1L << 20)).as("SPSR.IL").isNotZero();
        assertThat(m.cpu.pc).isEqualTo(VBAR + 0x200);
        assertThat(m.vm.instructions()).isEqualTo(2);
        assertThat(m.cpu.il).as("cleared on exception entry").isFalse();
    }
}
