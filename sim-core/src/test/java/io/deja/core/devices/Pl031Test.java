package io.deja.core.devices;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pl031Test {
    private static final long F = 62_500_000L;
    private static final int DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0C, IMSC = 0x10, RIS = 0x14, MIS = 0x18, ICR = 0x1C;

    private long now;
    private boolean line;
    private int edges;
    private final Pl031 rtc = new Pl031(1_767_225_600L, () -> now, F, level -> {
        line = level;
        edges++;
    });

    private long r(int offset) { return rtc.read(offset, 4); }
    private void w(int offset, long value) { rtc.write(offset, 4, value); }

    /** Advances virtual time as the vCPU does: the device is told when a deadline of its own falls due. */
    private void runTo(long cycles) {
        long deadline = rtc.nextDeadline();
        now = cycles;
        if (deadline <= cycles) rtc.advanceTo(cycles);
    }

    @Test
    void identificationIsQemusPl031() {
        int[] ids = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < ids.length; i++) assertThat(r(0xFE0 + 4 * i)).as("ID %x", 0xFE0 + 4 * i).isEqualTo(ids[i]);
        assertThat(r(CR)).as("always running").isEqualTo(1);
        w(CR, 0);
        assertThat(r(CR)).as("CR writes are ignored").isEqualTo(1);
        assertThat(r(MR)).isZero();
        assertThat(r(LR)).isZero();
        assertThat(r(IMSC)).isZero();
        assertThat(r(RIS)).isZero();
    }

    @Test
    void theCounterIsTheStartPlusWholeSecondsOfVirtualTime() {
        assertThat(r(DR)).isEqualTo(1_767_225_600L);
        now = F - 1;
        assertThat(r(DR)).as("not yet one second").isEqualTo(1_767_225_600L);
        now = F;
        assertThat(r(DR)).isEqualTo(1_767_225_601L);
        now = 3600 * F + 5;
        assertThat(r(DR)).isEqualTo(1_767_225_600L + 3600);
    }

    @Test
    void loadSetsTheCounterAndReadsBack() {
        now = F / 2;
        w(LR, 1000);
        assertThat(r(DR)).isEqualTo(1000);
        assertThat(r(LR)).isEqualTo(1000);
        now = F;
        assertThat(r(DR)).as("the counter keeps the second boundaries of virtual time").isEqualTo(1001);
    }

    @Test
    void theMatchInterruptFiresOnTheCycleTheCounterReachesTheMatchValue() {
        w(LR, 1000);
        w(IMSC, 1);
        w(MR, 1002);
        assertThat(rtc.nextDeadline()).isEqualTo(2 * F);
        runTo(2 * F - 1);
        assertThat(r(RIS)).isZero();
        assertThat(line).isFalse();
        runTo(2 * F);
        assertThat(r(DR)).isEqualTo(1002);
        assertThat(r(RIS)).isEqualTo(1);
        assertThat(r(MIS)).isEqualTo(1);
        assertThat(line).isTrue();
        assertThat(rtc.nextDeadline()).as("fired once").isEqualTo(Long.MAX_VALUE);
        w(ICR, 1);
        assertThat(r(RIS)).isZero();
        assertThat(line).isFalse();
    }

    @Test
    void aMatchValueEqualToTheCounterFiresAtOnce() {
        w(LR, 50);
        w(MR, 50);
        assertThat(r(RIS)).isEqualTo(1);
        assertThat(line).as("masked").isFalse();
        assertThat(r(MIS)).isZero();
        w(IMSC, 1);
        assertThat(line).isTrue();
        w(IMSC, 0);
        assertThat(line).isFalse();
        assertThat(edges).as("the output is driven only on changes").isEqualTo(2);
    }

    @Test
    void aMatchValueInThePastWrapsAroundTheCounter() {
        w(LR, 100);
        w(MR, 99);
        assertThat(rtc.nextDeadline()).as("2^32 - 1 seconds away").isEqualTo(0xFFFF_FFFFL * F);
    }

    @Test
    void reloadingReschedulesTheMatch() {
        w(MR, 2000);
        w(LR, 1990);
        assertThat(rtc.nextDeadline()).isEqualTo(10 * F);
        now = 3 * F + 7;
        w(LR, 1999);
        assertThat(rtc.nextDeadline()).as("from the current second").isEqualTo(4 * F);
    }

    @Test
    void narrowAndWideAccesses() {
        w(LR, 0x1234_5678);
        assertThat(rtc.read(DR, 1)).isEqualTo(0x78);
        assertThat(rtc.read(DR, 8)).as("DR and MR").isEqualTo(0x1234_5678L);
        assertThat(r(0x20)).as("unassigned").isZero();
        w(0x20, 5);
        w(DR, 5);
        assertThat(r(DR)).as("DR is read-only").isEqualTo(0x1234_5678L);
    }

    @Test
    void stateCoversTheRegisters() {
        long[] before = io.deja.core.state.StateWriter.save(rtc);
        w(MR, 7);
        assertThat(io.deja.core.state.StateWriter.save(rtc)).isNotEqualTo(before);
    }

    @Test
    void aStartOutsideTheCounterIsRefused() {
        assertThatThrownBy(() -> new Pl031(1L << 32, () -> 0, F, InterruptOutput.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32-bit");
        assertThatThrownBy(() -> new Pl031(-1, () -> 0, F, InterruptOutput.NONE)).isInstanceOf(IllegalArgumentException.class);
    }
}
