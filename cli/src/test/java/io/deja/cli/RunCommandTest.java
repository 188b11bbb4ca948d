package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FP state through the commands: deja run --dump-regs shows it in QEMU's
 * -d cpu,fpu layout; a full recording of fp_scalar replays and answers
 * reg_history for V registers, their views and FPSR.
 */
class RunCommandTest {
    /**
     * The FP state fp_scalar leaves, as QEMU 7.2 logs it (-d cpu,fpu -singlestep, the
     * record before the power-off HVC at 0x40085108; cortex-a57, virt).
     */
    static final String QEMU_FP_STATE = """
            Q00=0000000000000000:00000000ffffffff Q01=0000000000000000:0000000000000000
            Q02=0000000000000000:0000000000000000 Q03=0000000000000000:3fefffffffe00000
            Q04=0000000000000000:0000000000000000 Q05=0000000000000000:0000000000000000
            Q06=0000000000000000:0000000000000000 Q07=0000000000000000:0000000000000000
            Q08=0000000000000000:0000000000000000 Q09=0000000000000000:0000000000000000
            Q10=0000000000000000:0000000000000000 Q11=0000000000000000:0000000000000000
            Q12=0000000000000000:0000000000000000 Q13=0000000000000000:0000000000000000
            Q14=0000000000000000:0000000000000000 Q15=0000000000000000:0000000000000000
            Q16=0000000000000000:0000000000000000 Q17=0000000000000000:0000000000000000
            Q18=0000000000000000:0000000000000000 Q19=0000000000000000:0000000000000000
            Q20=0000000000000000:0000000000000000 Q21=0000000000000000:0000000000000000
            Q22=0000000000000000:0000000000000000 Q23=0000000000000000:0000000000000000
            Q24=0000000000000000:0000000000000000 Q25=0000000000000000:0000000000000000
            Q26=0000000000000000:0000000000000000 Q27=0000000000000000:0000000000000000
            Q28=0000000000000000:0000000000000000 Q29=0000000000000000:0000000000000000
            Q30=0000000000000000:0000000000000000 Q31=0000000000000000:0000000000000000
            """;

    @Test
    void dumpRegsShowsFpcrFpsrAndEveryVRegisterAsQemuDoes() throws Exception {
        Path bin = HuntCommandTest.buildKernel("fp_scalar").resolveSibling("fp_scalar.virt.bin");
        HuntCommandTest.Cli c = deja("run", "--binary", bin.toString(), "--board", "virt", "--dump-regs");
        assertThat(c.exit()).isZero();
        String err = c.err();
        assertThat(err).contains("X00=0000000084000008 X01=0000000009000000");
        // PC: the instruction after the power-off HVC, where the run stopped.
        assertThat(err).containsPattern("(?m)^ PC=000000004008510c PSTATE=[0-9a-f]{8} [-NZCV]{4} EL1h     FPCR=00800000 FPSR=00000000$");
        assertThat(err).endsWith(QEMU_FP_STATE);
    }

    @Test
    void aFullRecordingOfFpCodeReplaysAndAnswersRegHistoryOfVRegisters(@TempDir Path tmp) throws Exception {
        Path raw = HuntCommandTest.buildKernel("fp_scalar");
        Path rec = tmp.resolve("fp");
        HuntCommandTest.Cli r = deja("record", "--binary", raw.toString(), "--trace", "full", "--max-insns", "3000", "--out", rec.toString());
        assertThat(r.exit()).as("the budget ran out: " + r.err()).isEqualTo(Main.EXIT_BUDGET);
        HuntCommandTest.Cli replay = deja("replay", rec.toString());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact");
        // The first case loads 1.0 into D0 (fmov d0, x10), clearing the rest of V0.
        HuntCommandTest.Cli q = deja("query", rec.toString(), "--format", "csv", "SELECT disasm, reg_name, old, new FROM reg_history('V0') LIMIT 1");
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out()).isEqualTo("disasm,reg_name,old,new\n\"fmov d0, x10\",V0,0," + 0x3ff0_0000_0000_0000L + "\n");
        HuntCommandTest.Cli t = deja("query", rec.toString(), "SELECT reg_name, new FROM reg_history('d0') LIMIT 1");
        assertThat(t.out()).contains("D0        0x3ff0000000000000");
        // fadd d3, d0, d1 of 1.0 and 2^-53(1 + 2^-52) rounds: FPSR.IXC (bit 4).
        HuntCommandTest.Cli f = deja("query", rec.toString(), "--format", "csv", "SELECT disasm, new FROM reg_history('FPSR') LIMIT 1");
        assertThat(f.out()).isEqualTo("disasm,new\n\"fadd d3, d0, d1\",16\n");
    }

    /**
     * run --chaos-seed and --input change the run exactly as they change a
     * recording: the same seed gives the same machine state, another seed or
     * none another one (the guest's console goes to the process's stdout, so
     * the registers and exit counts are what is compared here).
     */
    @Test
    void chaosSeedAndInputReproduceARunWithoutRecording(@TempDir Path tmp) throws Exception {
        Path heisenbug = HuntCommandTest.buildKernel("heisenbug");
        String seeded = machineState(deja("run", "--binary", heisenbug.toString(), "--chaos-seed", "33", "--dump-regs"));
        assertThat(machineState(deja("run", "--binary", heisenbug.toString(), "--chaos-seed", "33", "--dump-regs"))).isEqualTo(seeded);
        assertThat(machineState(deja("run", "--binary", heisenbug.toString(), "--dump-regs"))).isNotEqualTo(seeded);

        Path typed = tmp.resolve("typed.txt");
        java.nio.file.Files.writeString(typed, "hi\n");
        Path rx = HuntCommandTest.buildKernel("uart_rx_irq").resolveSibling("uart_rx_irq.virt.bin");
        String echoed = machineState(deja("run", "--binary", rx.toString(), "--board", "virt", "--input", typed.toString(), "--max-insns", "5M", "--dump-regs"));
        String none = machineState(deja("run", "--binary", rx.toString(), "--board", "virt", "--max-insns", "5M", "--dump-regs"));
        assertThat(echoed).isNotEqualTo(none);
        assertThat(deja("run", "--binary", rx.toString(), "--input", "/nonexistent").err()).contains("--input /nonexistent: no such file");
    }

    /** Standard error of a run that powered off or used its whole budget, without its host-time line. */
    private static String machineState(HuntCommandTest.Cli c) {
        assertThat(c.exit()).as(c.err()).isEqualTo(c.err().contains("budget used up") ? Main.EXIT_BUDGET : 0);
        return c.err().replaceAll("(?m)^host time:.*$", "");
    }
}
