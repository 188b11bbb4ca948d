package io.deja.core.trace;

import io.deja.core.testing.TestMachine;
import io.deja.core.vm.VmExit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-level trace reports FP state like the general registers: every
 * change of a V register with its whole 128-bit value, and FPCR and FPSR as
 * register writes of their own numbers; the same events with and without the
 * translation tier. Expected values are IEEE 754 encodings and the Arm ARM's
 * FPCR/FPSR bit positions.
 */
class FpRegisterTraceTest {
    static final long MARK = 0x5A5A_5A5A_5A5A_5A5AL;

    /** The register events, as text. */
    static final class Sink implements TraceSink {
        final List<String> lines = new ArrayList<>();

        @Override
        public void regWrite(long icount, int reg, long value) {
            lines.add(icount + " " + Display.regName(reg) + "=" + Long.toHexString(value));
        }

        @Override
        public void vregWrite(long icount, int reg, long lo, long hi) {
            lines.add(icount + " " + Display.vregName(reg) + "=" + Long.toHexString(hi) + ":" + Long.toHexString(lo));
        }

        List<String> fp() {
            return lines.stream().filter(l -> !l.contains(" X")).toList();
        }
    }

    static TestMachine machine(String asm) {
        TestMachine m = TestMachine.withCode(asm);
        m.cpu.sys.cpacrEl1 = 3L << 20; // FPEN: FP/SIMD enabled at EL0 and EL1
        m.cpu.v[4] = MARK;
        m.cpu.v[5] = MARK;
        return m;
    }

    @Test
    void everyVRegisterChangeIsReportedWithAll128BitsAndFpcrFpsrAsRegisters() {
        TestMachine m = machine("""
                fmov d0, #1.0
                mov  x1, #5
                fmov v0.d[1], x1
                fadd d1, d0, d0
                mov  x2, #0x400000
                msr  fpcr, x2
                fmov d3, xzr
                fdiv d2, d0, d3
                fmov d1, #2.0
                """);
        Sink sink = new Sink();
        m.vm.setTrace(sink, TraceLevel.FULL);
        m.step(9);
        assertThat(sink.fp()).containsExactly(
                "0 V0=0:3ff0000000000000",
                "2 V0=5:3ff0000000000000",       // the high half alone changed: the whole register again
                "3 V1=0:4000000000000000",       // 1.0 + 1.0
                "5 FPCR=400000",                 // RMode = RP
                // fmov d3, xzr: V3 was zero already, no event
                "7 FPSR=2",                      // DZC
                "7 V2=0:7ff0000000000000");      // +inf, and the scalar write cleared the marker in bits 127:64
        // fmov d1, #2.0 wrote the value V1 held: no event.
        assertThat(sink.lines).noneMatch(l -> l.startsWith("8 "));
    }

    @Test
    void theCpuHashOfCheckpointsCoversEveryVRegisterHalfFpcrAndFpsr() {
        TestMachine m = new TestMachine();
        long base = io.deja.core.state.StateHash.of(m.vm::processorState);
        for (int i = 0; i < 64; i++) {
            m.cpu.v[i] ^= 1L << 63;
            assertThat(io.deja.core.state.StateHash.of(m.vm::processorState)).as("v[%d]", i).isNotEqualTo(base);
            m.cpu.v[i] ^= 1L << 63;
        }
        m.cpu.fpcr = 1L << 22;
        assertThat(io.deja.core.state.StateHash.of(m.vm::processorState)).isNotEqualTo(base);
        m.cpu.fpcr = 0;
        m.cpu.fpsr = 1L << 27;
        assertThat(io.deja.core.state.StateHash.of(m.vm::processorState)).isNotEqualTo(base);
        m.cpu.fpsr = 0;
        assertThat(io.deja.core.state.StateHash.of(m.vm::processorState)).isEqualTo(base);
    }

    @Test
    void checkpointRegistersCarryFpState() {
        TestMachine m = new TestMachine();
        for (int i = 0; i < 64; i++) m.cpu.v[i] = 0x1000L + i;
        m.cpu.fpcr = 0x0300_0000L;
        m.cpu.fpsr = 0x0800_0010L;
        long[] r = CheckpointRegisters.of(m.cpu);
        assertThat(r).hasSize(CheckpointRegisters.COUNT);
        assertThat(r[CheckpointRegisters.PC]).isEqualTo(TestMachine.CODE);
        assertThat(r[CheckpointRegisters.FPCR]).isEqualTo(0x0300_0000L);
        assertThat(r[CheckpointRegisters.FPSR]).isEqualTo(0x0800_0010L);
        assertThat(r[CheckpointRegisters.V + 2 * 31 + 1]).isEqualTo(0x1000L + 63);
        assertThat(CheckpointRegisters.name(CheckpointRegisters.V + 7)).isEqualTo("V3.hi");
        assertThat(CheckpointRegisters.name(CheckpointRegisters.FPSR)).isEqualTo("FPSR");
    }

    @Test
    void noVRegisterEventsBelowFullLevel() {
        TestMachine m = machine("fmov d0, #1.0\nfmov d1, #2.0");
        Sink sink = new Sink();
        m.vm.setTrace(sink, TraceLevel.INSNS);
        m.step(2);
        assertThat(sink.lines).isEmpty();
    }

    /** An FP loop hot enough to be translated; the state and the full trace must not depend on the tier. */
    static final String FP_LOOP = """
                mov   x0, #0
                fmov  d0, #1.0
                fmov  d1, #3.0
            1:  add   x0, x0, #1
                scvtf d2, x0
                fdiv  d3, d0, d2
                fadd  d1, d1, d3
                fmov  v4.d[1], x0
                ubfiz x5, x0, #22, #2
                msr   fpcr, x5
                fsqrt d6, d1
                fcmp  d6, d1
                fcsel d7, d6, d1, lt
                mrs   x8, fpsr
                cmp   x0, #400
                b.ne  1b
                hvc   #0
            """;

    record Run(List<String> trace, long[] v, long fpcr, long fpsr, long[] x, long cycles) {}

    static Run run(boolean translate) {
        TestMachine m = machine(FP_LOOP);
        m.vm.setTranslateThreshold(translate ? 32 : 0); // low: the short loop must run as blocks
        Sink sink = new Sink();
        m.vm.setTrace(sink, TraceLevel.FULL);
        VmExit exit = m.step(100_000);
        assertThat(exit).isInstanceOf(VmExit.Hvc.class);
        return new Run(sink.lines, m.cpu.v.clone(), m.cpu.fpcr, m.cpu.fpsr, m.cpu.x.clone(), m.vm.cycles());
    }

    @Test
    void translatedFpBlocksLeaveTheSameVFpcrFpsrAndReportTheSameTrace() {
        Run interpreted = run(false);
        Run translated = run(true);
        assertThat(translated.v()).isEqualTo(interpreted.v());
        assertThat(translated.fpcr()).isEqualTo(interpreted.fpcr());
        assertThat(translated.fpsr()).isEqualTo(interpreted.fpsr());
        assertThat(translated.x()).isEqualTo(interpreted.x());
        assertThat(translated.cycles()).isEqualTo(interpreted.cycles());
        assertThat(translated.trace()).isEqualTo(interpreted.trace());
        // The loop changes V and FPCR on every pass and FPSR (IXC) early on.
        assertThat(interpreted.trace()).filteredOn(l -> l.contains(" V4=")).hasSize(400);
        assertThat(interpreted.trace()).filteredOn(l -> l.contains(" FPCR=")).hasSizeGreaterThan(300);
        assertThat(interpreted.trace()).anyMatch(l -> l.contains(" FPSR="));
        assertThat(interpreted.v()[9]).isEqualTo(400); // V4 bits 127:64 = the last x0
    }
}
