package io.deja.recorder;

import io.deja.core.board.Machine;
import io.deja.core.cpu.GenericTimer;

import java.util.function.BooleanSupplier;

/** Keeps an idle guest's virtual time from running ahead of the host's clock. */
final class IdlePace {
    private final Machine machine;
    private long hostAnchor;
    private long cycleAnchor;

    IdlePace(Machine machine) {
        this.machine = machine;
        hostAnchor = System.nanoTime();
        cycleAnchor = machine.vcpu().cycles();
    }

    /** Waits while the guest sleeps ahead of the host (or for good), until input comes or stop holds. */
    void waitForUser(InputFeed feed, BooleanSupplier stop) {
        try {
            if (machine.waitsForInput()) {
                while (feed.open() && !stop.getAsBoolean() && !feed.await(InputFeed.STOP_POLL_NANOS)) { }
                resync();
                return;
            }
            long ahead = ahead();
            if (ahead <= 0) {
                // A busy guest fell behind the host: idle time from now on is paced from here, not caught up.
                resync();
                return;
            }
            long until = System.nanoTime() + ahead;
            for (long wait; (wait = until - System.nanoTime()) > 0 && feed.open() && !stop.getAsBoolean(); ) {
                if (feed.await(Math.min(wait, InputFeed.STOP_POLL_NANOS))) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Nanoseconds by which the guest's virtual time since the anchor exceeds the host's. */
    private long ahead() {
        double virtualNanos = (machine.vcpu().cycles() - cycleAnchor) * 1e9 / GenericTimer.FREQUENCY_HZ;
        return (long) virtualNanos - (System.nanoTime() - hostAnchor);
    }

    private void resync() {
        hostAnchor = System.nanoTime();
        cycleAnchor = machine.vcpu().cycles();
    }
}
