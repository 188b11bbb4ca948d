package io.deja.core.board;

import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.core.vm.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A machine restored to a snapshot and run on produces exactly the events
 * (every instruction, exception, interrupt, MMIO access, console byte) and
 * the state hashes of the original run from that point: for every golden
 * kernel, from snapshots at several points, with and without the translation
 * tier, with chaos and console input where the kernel has them.
 */
class MachineSnapshotTest {
    private static final long BUDGET = 50_000_000L;

    @BeforeAll
    static void build() {
        Kernels.build();
    }

    /** One kernel's machine: board, GIC, chaos seed, console input. */
    record Setup(String kernel, Board board, GicVersion gic, long chaosSeed, String input) {
        @Override
        public String toString() {
            return kernel + " on " + board.cliName() + (gic == GicVersion.V3 ? " (GICv3)" : "")
                    + (chaosSeed != 0 ? " chaos " + chaosSeed : "") + (input != null ? " with input" : "");
        }

        Machine boot(boolean translation) {
            try {
                byte[] image = Files.readAllBytes(board == Board.VIBE ? Kernels.raw(kernel) : Kernels.virtBin(kernel));
                Machine m = new Machine(MachineConfig.of(board, image).withRamSize(128L << 20).withGic(gic), new ByteArrayOutputStream());
                m.vcpu().setTranslateThreshold(translation ? 32 : 0); // low: short runs must exercise blocks
                if (chaosSeed != 0) m.setChaos(chaosSeed);
                if (input != null) m.sendConsoleInput(input.getBytes(StandardCharsets.US_ASCII));
                return m;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static Stream<Arguments> kernels() {
        List<Setup> setups = List.of(
                new Setup("uart_hello", Board.VIBE, GicVersion.V2, 0, null),
                new Setup("timer_irq", Board.VIRT, GicVersion.V2, 0, null),
                new Setup("timer_irq_gic3", Board.VIRT, GicVersion.V3, 0, null),
                new Setup("el0_svc", Board.VIBE, GicVersion.V2, 0, null),
                new Setup("smc_code", Board.VIRT, GicVersion.V2, 0, null),
                new Setup("heisenbug", Board.VIBE, GicVersion.V2, 33, null),
                new Setup("jit_x9", Board.VIRT, GicVersion.V2, 0, null),
                new Setup("mmu", Board.VIRT, GicVersion.V2, 0, null),
                new Setup("debug", Board.VIBE, GicVersion.V2, 0, null),
                new Setup("device_ids", Board.VIRT, GicVersion.V2, 0, null),
                new Setup("uart_rx_irq", Board.VIRT, GicVersion.V2, 0, "Deja\n"));
        return setups.stream().flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    /** Every event as text, and the state hashes at every checkpoint (each 997 instructions). */
    static final class Capture implements TraceSink {
        final List<String> events = new ArrayList<>();

        @Override public void exit(long icount, long pc, int kind, long a0, long a1, long a2) { events.add("exit " + icount + " " + pc + " " + kind + " " + a0 + " " + a1 + " " + a2); }
        @Override public void interrupt(long icount, long pc, int intid, boolean fiq, int fromEl) { events.add("irq " + icount + " " + pc + " " + intid + " " + fiq + " " + fromEl); }
        @Override public void exception(long icount, long pc, int ec, long esr, long far, int fromEl, int toEl) { events.add("exc " + icount + " " + pc + " " + esr + " " + far); }
        @Override public void mmio(long icount, long pc, int device, long offset, int size, boolean write, long value) { events.add("mmio " + icount + " " + device + " " + offset + " " + write + " " + value); }
        @Override public void sysregWrite(long icount, long pc, int encoding, long oldValue, long newValue) { events.add("msr " + icount + " " + encoding + " " + newValue); }
        @Override public void console(long icount, int value) { events.add("con " + icount + " " + value); }
        @Override public void checkpoint(long icount, long cycles, long cpuHash, long ramHash, long deviceHash, long[] regs) { events.add("chk " + icount + " " + cycles + " " + cpuHash + " " + ramHash + " " + deviceHash + " " + Arrays.toString(regs)); }
        @Override public void insn(long icount, long pc, int opcode) { events.add("i " + icount + " " + pc); }
    }

    /** Runs m to power-off (or the budget) from now, capturing; returns the events and the final hashes. */
    private static List<String> runToEnd(Machine m) {
        Capture c = new Capture();
        m.setTrace(c, TraceLevel.INSNS);
        m.setCheckpointInterval(997);
        RunResult r = m.run(BUDGET);
        m.checkpoint();
        c.events.add("stop " + r.reason() + " " + r.pc());
        m.setTrace(TraceSink.NONE, TraceLevel.EVENTS);
        return c.events;
    }

    @ParameterizedTest(name = "{0}, translation {1}")
    @MethodSource("kernels")
    void restoredMachinesRunOnExactlyAsTheOriginal(Setup setup, boolean translation) {
        Machine probe = setup.boot(translation);
        probe.run(BUDGET);
        long total = probe.instructions();
        assertThat(probe.isStopped()).as(setup + " powers off").isTrue();

        Machine m = setup.boot(translation);
        long[] points = {0, total / 3, 2 * total / 3, total - 1};
        List<Snapshot> snapshots = new ArrayList<>();
        List<List<String>> fromThere = new ArrayList<>();
        for (long p : points) {
            m.run(p - m.instructions());
            snapshots.add(m.snapshot());
        }
        // The original run from each point: restore in order and run to the end once each, then compare again out of order.
        for (Snapshot s : snapshots) {
            m.restore(s);
            fromThere.add(runToEnd(m));
        }
        for (int i = snapshots.size() - 1; i >= 0; i--) {
            m.restore(snapshots.get(i));
            assertThat(runToEnd(m)).as(setup + " from instruction " + snapshots.get(i).instructions()).isEqualTo(fromThere.get(i));
        }
        // And a machine that never restored agrees with the restored runs.
        Machine fresh = setup.boot(translation);
        assertThat(runToEnd(fresh)).as(setup + " without snapshots").isEqualTo(fromThere.get(0));
    }

    /** Measured for the README: a 128 MiB guest with 1 MiB written between snapshots. */
    @Test
    void aSnapshotOfAGuestThatWroteOneMebibyteHoldsAboutOneMebibyte() {
        Machine m = new Setup("uart_hello", Board.VIBE, GicVersion.V2, 0, null).boot(true);
        m.run(BUDGET);
        m.snapshot();
        byte[] mib = new byte[1 << 20];
        Arrays.fill(mib, (byte) 0x5A);
        m.vm().writeMemory(0x100_0000L, mib);
        Snapshot s = m.snapshot();
        assertThat(s.ramPages()).isEqualTo(256);
        assertThat(s.ownBytes()).isBetween(1L << 20, (1L << 20) + 64 * 1024);
    }
}
