package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a traced Machine reports, and that the report is a pure function of the run's inputs. */
class MachineTraceTest {
    /** Records every call as a line of text, so streams compare with equals. */
    static final class ListSink implements TraceSink {
        final List<String> lines = new ArrayList<>();
        public void exit(long i, long pc, int kind, long a0, long a1, long a2) { lines.add("exit " + i + " " + Long.toHexString(pc) + " " + kind + " " + a0 + " " + a1 + " " + a2); }
        public void interrupt(long i, long pc, int intid, boolean fiq, int el) { lines.add("irq " + i + " " + Long.toHexString(pc) + " " + intid + " " + fiq + " " + el); }
        public void exception(long i, long pc, int ec, long esr, long far, int from, int to) { lines.add("exc " + i + " " + Long.toHexString(pc) + " " + ec + " " + Long.toHexString(esr) + " " + far + " " + from + " " + to); }
        public void exceptionReturn(long i, long pc, long to, int from, int toEl) { lines.add("eret " + i + " " + Long.toHexString(pc) + " " + Long.toHexString(to) + " " + from + " " + toEl); }
        public void mmio(long i, long pc, int dev, long off, int size, boolean w, long v) { lines.add("mmio " + i + " " + Long.toHexString(pc) + " " + dev + " " + off + " " + size + " " + w + " " + v); }
        public void sysregWrite(long i, long pc, int enc, long old, long v) { lines.add("msr " + i + " " + Long.toHexString(pc) + " " + enc + " " + old + " " + v); }
        public void input(long i, int src, byte[] d) { lines.add("input " + i + " " + new String(d)); }
        public void console(long i, int v) { lines.add("con " + i + " " + v); }
        public void checkpoint(long i, long cy, long a, long b, long c, long[] regs) { lines.add("ckpt " + i + " " + cy + " " + a + " " + b + " " + c + " " + java.util.Arrays.toString(regs)); }
        public void insn(long i, long pc, int op) { lines.add("insn " + i + " " + Long.toHexString(pc) + " " + Integer.toHexString(op)); }
        public void regWrite(long i, int reg, long v) { lines.add("reg " + i + " " + reg + " " + v); }
        public void memWrite(long i, long a, int size, long v) { lines.add("mem " + i + " " + Long.toHexString(a) + " " + size + " " + v); }
        public void vregWrite(long i, int reg, long lo, long hi) { lines.add("vreg " + i + " " + reg + " " + Long.toHexString(hi) + ":" + Long.toHexString(lo)); }

        long count(String prefix) { return lines.stream().filter(l -> l.startsWith(prefix + " ")).count(); }
    }

    static ListSink trace(String kernel, TraceLevel level, Long chaosSeed, boolean translate) throws Exception {
        byte[] image = Files.readAllBytes(Kernels.raw(kernel));
        Machine m = new Machine(MachineConfig.of(Board.VIBE, image), new ByteArrayOutputStream());
        ListSink sink = new ListSink();
        m.vcpu().setTranslateThreshold(translate ? 32 : 0); // low: short runs must exercise blocks
        m.setTrace(sink, level);
        m.setCheckpointInterval(100_000);
        if (chaosSeed != null) m.setChaos(chaosSeed);
        RunResult r = m.run(50_000_000);
        assertThat(r.reason()).isEqualTo(ExitKind.SHUTDOWN);
        m.checkpoint();
        return sink;
    }

    @Test
    void eventsLevelReportsInterruptsExceptionsMmioSysregsConsoleExitsAndCheckpoints() throws Exception {
        ListSink t = trace("timer_irq", TraceLevel.EVENTS, null, true);
        assertThat(t.count("irq")).isEqualTo(5);
        assertThat(t.lines).anyMatch(l -> l.startsWith("irq ") && l.contains(" 27 false 1"));
        assertThat(t.count("msr")).isPositive();
        assertThat(t.count("mmio")).isPositive();
        assertThat(t.count("con")).isEqualTo("timer_irq: 100 Hz virtual timer, 5 ticks\ntick 1\ntick 2\ntick 3\ntick 4\ntick 5\ndone\n".length());
        assertThat(t.lines).anyMatch(l -> l.startsWith("exit ") && l.endsWith(" 100 0 0 0"));
        assertThat(t.count("ckpt")).isPositive();
        assertThat(t.count("insn")).isZero();
        ListSink svc = trace("el0_svc", TraceLevel.EVENTS, null, true);
        assertThat(svc.lines).anyMatch(l -> l.startsWith("exc ") && l.contains(" 21 ")); // EC 0x15 = SVC64
    }

    @Test
    void everyHandlerEndsWithAnEretBackToWhereItWasTaken() throws Exception {
        // timer_irq's handler returns to the interrupted instruction at EL1.
        List<String> irq = trace("timer_irq", TraceLevel.EVENTS, null, true).lines.stream()
                .filter(l -> l.startsWith("irq ") || l.startsWith("eret ")).toList();
        assertThat(irq).hasSize(10);
        for (int k = 0; k < irq.size(); k += 2) {
            String[] taken = irq.get(k).split(" "), back = irq.get(k + 1).split(" ");
            assertThat(taken[0]).isEqualTo("irq");
            assertThat(back[0]).isEqualTo("eret");
            assertThat(Long.parseLong(back[1])).isGreaterThan(Long.parseLong(taken[1]));
            assertThat(back[3]).as("to_pc").isEqualTo(taken[2]);
            assertThat(back[4] + " " + back[5]).isEqualTo("1 1");
        }
        // el0_svc enters EL0 with an ERET, and every SVC from EL0 but the last (exit) returns there.
        List<String> svc = trace("el0_svc", TraceLevel.EVENTS, null, true).lines.stream()
                .filter(l -> l.startsWith("exc ") || l.startsWith("eret ")).toList();
        assertThat(svc.get(0)).startsWith("eret ").endsWith(" 1 0");
        assertThat(svc.stream().filter(l -> l.startsWith("exc ")).count()).isEqualTo(svc.stream().filter(l -> l.startsWith("eret ")).count());
        for (int k = 1; k + 1 < svc.size(); k += 2) {
            String[] taken = svc.get(k).split(" "), back = svc.get(k + 1).split(" ");
            assertThat(back[0]).isEqualTo("eret");
            assertThat(back[3]).as("SVC returns to its preferred return address").isEqualTo(taken[2]);
            assertThat(taken[6] + " " + back[4] + " " + back[5]).isEqualTo("0 1 0");
        }
    }

    @Test
    void wfiExitsCarryTheVirtualTimeTheirSleepEndedSoEventsCanBePutOnVirtualTime() throws Exception {
        List<String> lines = trace("timer_irq", TraceLevel.EVENTS, null, true).lines;
        long slept = 0, lastWake = 0;
        int wfis = 0;
        for (String l : lines) {
            String[] f = l.split(" ");
            if (l.startsWith("exit ") && f[3].equals("1")) {
                long icount = Long.parseLong(f[1]), wake = Long.parseLong(f[4]);
                assertThat(wake).as("a WFI wakes after it started").isGreaterThanOrEqualTo(icount + slept).isGreaterThan(lastWake);
                slept = wake - icount;
                lastWake = wake;
                wfis++;
            } else if (l.startsWith("ckpt ")) {
                assertThat(Long.parseLong(f[1]) + slept).as("cycles at " + l.substring(0, 30)).isEqualTo(Long.parseLong(f[2]));
            }
        }
        assertThat(wfis).isPositive();
        assertThat(slept).isPositive();
    }

    @Test
    void fullLevelReportsEveryInstructionRegisterChangeAndStore() throws Exception {
        ListSink t = trace("smc_code", TraceLevel.FULL, null, true);
        long insns = t.count("insn");
        assertThat(insns).isGreaterThan(100);
        assertThat(t.count("reg")).isPositive();
        assertThat(t.count("mem")).isPositive();
    }

    @Test
    void fullLevelReportsVRegisterFpcrAndFpsrChangesAndCheckpointsCarryThem() throws Exception {
        ListSink t = trace("fp_scalar", TraceLevel.FULL, null, true);
        // Every case writes the marker into both halves of V3 (fmov d3, x3; fmov v3.d[1], x3).
        assertThat(t.lines).anyMatch(l -> l.startsWith("vreg ") && l.endsWith(" 3 5a5a5a5a5a5a5a5a:5a5a5a5a5a5a5a5a"));
        assertThat(t.lines).anyMatch(l -> l.startsWith("reg ") && l.contains(" " + TraceSink.REG_FPCR + " "));
        assertThat(t.lines).anyMatch(l -> l.startsWith("reg ") && l.contains(" " + TraceSink.REG_FPSR + " "));
        String last = t.lines.get(t.lines.size() - 1);
        assertThat(last).startsWith("ckpt ");
        assertThat(last.split(",")).hasSize(io.deja.core.trace.CheckpointRegisters.COUNT);
    }

    @Test
    void theTraceIsTheSameWithAndWithoutBlockTranslation() throws Exception {
        for (TraceLevel level : TraceLevel.values()) {
            assertThat(trace("timer_irq", level, 7L, true).lines).as(level.name())
                    .isEqualTo(trace("timer_irq", level, 7L, false).lines);
            assertThat(trace("smc_code", level, null, true).lines).as(level.name())
                    .isEqualTo(trace("smc_code", level, null, false).lines);
            assertThat(trace("fp_scalar", level, null, true).lines).as(level.name())
                    .isEqualTo(trace("fp_scalar", level, null, false).lines);
        }
    }

    @Test
    void chaosIsAPureFunctionOfItsSeed() throws Exception {
        List<String> a = trace("timer_irq", TraceLevel.EVENTS, 42L, true).lines;
        List<String> b = trace("timer_irq", TraceLevel.EVENTS, 42L, true).lines;
        List<String> c = trace("timer_irq", TraceLevel.EVENTS, 43L, true).lines;
        List<String> none = trace("timer_irq", TraceLevel.EVENTS, null, true).lines;
        assertThat(a).isEqualTo(b);
        assertThat(irqs(a)).isNotEqualTo(irqs(c));
        assertThat(irqs(a)).isNotEqualTo(irqs(none));
    }

    private static List<String> irqs(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("irq ")).toList();
    }
}
