package io.deja.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/** deja run --dump-regs: every register, FP state included, in QEMU's -d cpu,fpu layout. */
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
}
