package io.deja.recorder;

import io.deja.core.board.Machine;
import io.deja.core.cpu.GenericTimer;

import java.util.function.BooleanSupplier;

/**
 * Keeps an idle guest's virtual time from running ahead of the host's clock
 * while someone types at it. Virtual time since the run started is compared
 * with host time since then, as QEMU's -icount sleep=on does: a guest that was
 * busy (slower than real time) catches up while idle without waiting, a guest
 * ahead waits, but never longer than the sleep it just took (input that ended
 * an earlier wait early leaves the guest ahead by the rest of that sleep, and
 * that is not waited for again).
 */
final class IdlePace {
    private final Machine machine;
    private final long hostStart;
    private final long cycleStart;

    IdlePace(Machine machine) {
        this.machine = machine;
        hostStart = System.nanoTime();
        cycleStart = machine.vcpu().cycles();
    }

    /**
     * After a run that stopped at an idle WFI: waits until input comes, stop
     * holds, or the feed closes; if something other than input can wake the
     * guest, at most until the guest is no longer ahead of the host or its
     * sleep of sleptCycles has passed in host time.
     */
    void waitForUser(InputFeed feed, BooleanSupplier stop, long sleptCycles) {
        try {
            if (machine.waitsForInput()) {
                while (feed.open() && !stop.getAsBoolean() && !feed.await(InputFeed.STOP_POLL_NANOS)) { }
                return;
            }
            long wait = Math.min(ahead(), nanos(sleptCycles));
            long until = System.nanoTime() + wait;
            for (long left; (left = until - System.nanoTime()) > 0 && feed.open() && !stop.getAsBoolean(); ) {
                if (feed.await(Math.min(left, InputFeed.STOP_POLL_NANOS))) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Nanoseconds by which the guest's virtual time since the start exceeds the host's (negative: behind). */
    private long ahead() {
        return nanos(machine.vcpu().cycles() - cycleStart) - (System.nanoTime() - hostStart);
    }

    private static long nanos(long cycles) {
        return (long) (cycles * 1e9 / GenericTimer.FREQUENCY_HZ);
    }
}
