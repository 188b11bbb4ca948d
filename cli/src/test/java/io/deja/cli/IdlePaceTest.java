package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.InputFeed;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run loop with an interactive feed that nobody types into: a guest idle
 * in WFI on its timer waits in host time (kernels/timer_irq.S: five ticks at
 * 100 Hz, 50 ms of virtual time), and the waits, being stops at instruction
 * boundaries with nothing delivered, leave the guest exactly as a run without
 * them.
 */
class IdlePaceTest {
    /** Open, interactive, silent: what a terminal nobody types at looks like to the run loop. */
    static final class SilentTerminal implements InputFeed {
        @Override public byte[] poll() { return null; }
        @Override public boolean open() { return true; }
        @Override public boolean interactive() { return true; }

        @Override
        public boolean await(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return false;
        }
    }

    record Outcome(RunResult result, String console, long stateHash, long hostNanos) {}

    static Outcome run(InputFeed feed) throws Exception {
        byte[] image = Files.readAllBytes(TestKernels.build("timer_irq"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine machine = new Machine(MachineConfig.of(Board.VIBE, image), console);
        long start = System.nanoTime();
        RunResult r = InputFeed.run(machine, Long.MAX_VALUE, feed, () -> false);
        return new Outcome(r, console.toString(), machine.stateHashes().combined(), System.nanoTime() - start);
    }

    @Test
    void anIdleGuestWaitsForItsTimerInHostTimeAndEndsAsWithoutWaiting() throws Exception {
        Outcome plain = run(InputFeed.NONE);
        Outcome paced = run(new SilentTerminal());
        assertThat(paced.result().reason()).isEqualTo(ExitKind.SHUTDOWN);
        assertThat(paced.console()).isEqualTo(plain.console()).contains("tick 5");
        assertThat(paced.stateHash()).isEqualTo(plain.stateHash());
        // Five 10 ms sleeps; the first tick's is measured from the run's start, so allow one short.
        assertThat(paced.hostNanos()).as("host time of 50 ms of idle virtual time").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(40));
    }
}
