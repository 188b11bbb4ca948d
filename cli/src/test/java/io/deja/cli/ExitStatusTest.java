package io.deja.cli;

import io.deja.core.vm.ExitKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one exit-status table (Main's, the README's "Exit status") for the reasons a run or recording stops. */
class ExitStatusTest {
    @Test
    void aGuestThatEndsItselfSucceedsABudgetIsThreeAnInterruptIs130AndEverythingElseFails() {
        assertThat(Main.exitStatus(ExitKind.SHUTDOWN)).isZero();
        assertThat(Main.exitStatus(ExitKind.RESET)).isZero();
        assertThat(Main.exitStatus(ExitKind.CPU_OFF)).isZero();
        assertThat(Main.exitStatus(ExitKind.BUDGET)).isEqualTo(3);
        assertThat(Main.exitStatus(ExitKind.CANCELLED)).isEqualTo(130);
        for (ExitKind k : new ExitKind[] {ExitKind.PANIC, ExitKind.BRK, ExitKind.HLT, ExitKind.SMC}) {
            assertThat(Main.exitStatus(k)).as(k.label).isEqualTo(1);
        }
    }

    @Test
    void runAndRecordExitThreeWhenTheBudgetRunsOutBeforeTheGuestEnds() throws Exception {
        // fp_scalar prints its results and powers off with PSCI.
        String bin = HuntCommandTest.buildKernel("fp_scalar").resolveSibling("fp_scalar.virt.bin").toString();
        assertThat(HuntCommandTest.deja("run", "--binary", bin, "--board", "virt", "--max-insns", "1000").exit()).isEqualTo(Main.EXIT_BUDGET);
        assertThat(HuntCommandTest.deja("run", "--binary", bin, "--board", "virt").exit()).isZero();
    }

    @Test
    void recordPrintsRatesBelowAMillionPerSecondInFullNotAsZeroMillions() {
        assertThat(RecordCommand.perSecond(98_765_432, "instructions")).isEqualTo("98.8 M instructions/s");
        assertThat(RecordCommand.perSecond(37_213.4, "events")).isEqualTo("37,213 events/s");
    }
}
