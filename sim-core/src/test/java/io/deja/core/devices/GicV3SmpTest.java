package io.deja.core.devices;

import io.deja.core.cpu.SystemRegisters;
import io.deja.core.mem.MmioDevice;
import io.deja.core.state.StateReader;
import io.deja.core.state.StateWriter;
import org.junit.jupiter.api.Test;

import static io.deja.core.devices.GicV3.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A GICv3 with several CPUs (IHI 0069, as QEMU 7.2's arm_gicv3 with num-cpu &gt; 1):
 * one redistributor frame pair per CPU with its GICR_TYPER, banked SGIs and
 * PPIs, per-CPU ICC_* registers, SPIs routed by GICD_IROUTER affinity, SGIs by
 * ICC_SGI1R_EL1 target lists and IRM.
 */
class GicV3SmpTest {
    private static final int CPUS = 4;
    private static final int IGROUPR = 0x0080, ISENABLER = 0x0100, ISPENDR = 0x0200, IPRIORITYR = 0x0400, IROUTER = 0x6000;
    private static final int R_TYPER = 0x0008, R_WAKER = 0x0014, SGI = 0x1_0000;

    private final GicV3 gic = new GicV3(CPUS);
    private final MmioDevice dist = gic.distributor(), redist = gic.redistributor();

    private SystemRegisters.CpuInterface icc(int n) {
        return gic.cpuInterface(n);
    }

    /** CPU n's RD_base offset plus off. */
    private static long rd(int n, int off) {
        return (long) n * FRAME_PAIR + off;
    }

    /** Both groups on in the distributor, every CPU: SGIs and PPIs Group 1 and enabled, mask open, Group 1 enabled. */
    private void enableEverything() {
        dist.write(0x0000, 4, 0x3);
        for (int w = 1; w < 9; w++) dist.write(IGROUPR + 4 * w, 4, 0xFFFF_FFFFL);
        for (int n = 0; n < CPUS; n++) {
            redist.write(rd(n, SGI + IGROUPR), 4, 0xFFFF_FFFFL);
            redist.write(rd(n, SGI + ISENABLER), 4, 0xFFFF_FFFFL);
            icc(n).write(ICC_PMR, 0xF0);
            icc(n).write(ICC_IGRPEN1, 1);
        }
    }

    @Test
    void eachFramePairNamesItsCpuAndOnlyTheLastSaysSo() {
        for (int n = 0; n < CPUS; n++) {
            long typer = redist.read(rd(n, R_TYPER), 8);
            assertThat(typer >>> 32).as("affinity of CPU %d", n).isEqualTo(n);
            assertThat(typer >>> 8 & 0xFFFF).as("Processor_Number").isEqualTo(n);
            assertThat(typer & GICR_TYPER_LAST).as("Last").isEqualTo(n == CPUS - 1 ? GICR_TYPER_LAST : 0);
        }
        assertThat(GicV3.redistributorType(0, 1)).isEqualTo(GICR_TYPER_LAST);
    }

    @Test
    void wakerAndPrivateRegistersAreBankedPerFrame() {
        redist.write(rd(2, R_WAKER), 4, 0);
        assertThat(redist.read(rd(2, R_WAKER), 4)).isZero();
        assertThat(redist.read(rd(1, R_WAKER), 4)).as("CPU 1 still asleep").isEqualTo(6);
        redist.write(rd(1, SGI + IPRIORITYR + 27), 1, 0x80);
        assertThat(redist.read(rd(1, SGI + IPRIORITYR + 24), 4)).isEqualTo(0x8000_0000L);
        assertThat(redist.read(rd(3, SGI + IPRIORITYR + 24), 4)).isZero();
        redist.write(rd(3, SGI + ISENABLER), 4, 1L << 27);
        assertThat(redist.read(rd(3, SGI + ISENABLER), 4)).isEqualTo(1L << 27);
        assertThat(redist.read(rd(0, SGI + ISENABLER), 4)).isZero();
    }

    @Test
    void timerPpisReachOnlyTheirOwnCpu() {
        enableEverything();
        gic.ppiSink(2).setPpiLevel(27, true);
        for (int n = 0; n < CPUS; n++) assertThat(gic.cpuLine(n).irq()).as("CPU " + n).isEqualTo(n == 2);
        assertThat(icc(1).read(ICC_IAR1)).isEqualTo(SPURIOUS);
        assertThat(icc(2).read(ICC_IAR1)).isEqualTo(27);
        assertThat(icc(2).read(ICC_RPR)).isZero();
        assertThat(icc(1).read(ICC_RPR)).as("running priority is per CPU").isEqualTo(0xFF);
    }

    @Test
    void sgi1rTargetListReachesTheNamedCpus() {
        enableEverything();
        icc(1).write(ICC_SGI1R, 5L << 24 | 1 << 0 | 1 << 3); // SGI 5 to CPUs 0 and 3
        assertThat(gic.cpuLine(0).irq()).isTrue();
        assertThat(gic.cpuLine(1).irq()).isFalse();
        assertThat(gic.cpuLine(2).irq()).isFalse();
        assertThat(gic.cpuLine(3).irq()).isTrue();
        assertThat(icc(3).read(ICC_IAR1)).as("no source CPU field in GICv3").isEqualTo(5);
        assertThat(gic.cpuLine(0).irq()).as("CPU 0's copy is its own").isTrue();
        icc(2).write(ICC_SGI1R, 6L << 24 | 1L << 16 | 1 << 2); // Aff1 = 1: nobody here
        icc(2).write(ICC_SGI1R, 6L << 24 | 1L << 44 | 1 << 2); // RS = 1: CPUs 16-31
        assertThat(redist.read(rd(2, SGI + ISPENDR), 4)).isZero();
    }

    @Test
    void sgi1rWithIrmReachesEveryoneButTheSender() {
        enableEverything();
        icc(2).write(ICC_SGI1R, 7L << 24 | 1L << 40);
        for (int n = 0; n < CPUS; n++) assertThat(gic.cpuLine(n).irq()).as("CPU " + n).isEqualTo(n != 2);
    }

    @Test
    void sgi0rAndAsgi1rPendOnlyGroupZeroSgisAndSgi1rOnlyGroupOne() {
        enableEverything();
        redist.write(rd(1, SGI + IGROUPR), 4, ~(1L << 14) & 0xFFFF_FFFFL);
        icc(1).write(ICC_IGRPEN0, 1);
        icc(0).write(ICC_SGI1R, 14L << 24 | 1 << 1);
        icc(0).write(ICC_SGI0R, 13L << 24 | 1 << 1);
        assertThat(redist.read(rd(1, SGI + ISPENDR), 4)).as("14 is Group 0, 13 Group 1").isZero();
        icc(0).write(ICC_SGI0R, 14L << 24 | 1 << 1);
        assertThat(gic.cpuLine(1).fiq()).as("Group 0 is FIQ").isTrue();
        assertThat(icc(1).read(ICC_IAR0)).isEqualTo(14);
        icc(1).write(ICC_EOIR0, 14);
        icc(3).write(ICC_ASGI1R, 14L << 24 | 1 << 1);
        assertThat(icc(1).read(ICC_IAR0)).isEqualTo(14);
    }

    @Test
    void anSpiGoesToTheCpuItsRouteNamesAndIsTakenOnce() {
        enableEverything();
        dist.write(ISENABLER + 4, 4, 1L << 1); // SPI 33
        dist.write(IROUTER + 33 * 8, 8, 3);     // affinity 0.0.0.3
        gic.setSpiLevel(33, true);
        for (int n = 0; n < CPUS; n++) assertThat(gic.cpuLine(n).irq()).as("CPU " + n).isEqualTo(n == 3);
        dist.write(IROUTER + 33 * 8, 8, 1L << 31 | 1); // IRM with affinity 0.0.0.1: CPU 1 (No1N: QEMU's choice)
        assertThat(gic.cpuLine(1).irq()).isTrue();
        assertThat(gic.cpuLine(3).irq()).isFalse();
        assertThat(icc(1).read(ICC_IAR1)).isEqualTo(33);
        dist.write(IROUTER + 33 * 8, 8, 3);
        assertThat(gic.cpuLine(3).irq()).as("active now: not signalled again").isFalse();
        dist.write(IROUTER + 33 * 8, 8, 9);     // no CPU has affinity 0.0.0.9
        icc(1).write(ICC_EOIR1, 33);
        for (int n = 0; n < CPUS; n++) assertThat(gic.cpuLine(n).irq()).as("CPU " + n).isFalse();
        assertThat(gic.isPendingInterrupt(33)).isTrue();
    }

    @Test
    void cpuResetClearsOnlyThatCpusInterface() {
        enableEverything();
        icc(2).write(ICC_BPR0, 5);
        gic.cpuReset(2);
        assertThat(icc(2).read(ICC_PMR)).isZero();
        assertThat(icc(2).read(ICC_IGRPEN1)).isZero();
        assertThat(icc(2).read(ICC_BPR0)).isEqualTo(MIN_BPR0);
        assertThat(icc(1).read(ICC_PMR)).isEqualTo(0xF0);
        assertThat(redist.read(rd(2, SGI + ISENABLER), 4)).as("the redistributor keeps its state").isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void everyCpusStateIsInTheDescriptionAndRestores() {
        enableEverything();
        long[] before = StateWriter.save(gic);
        icc(3).write(ICC_PMR, 0x80);
        long[] afterPmr = StateWriter.save(gic);
        assertThat(afterPmr).isNotEqualTo(before);
        redist.write(rd(3, SGI + ISPENDR), 4, 1L << 4);
        long[] afterPend = StateWriter.save(gic);
        assertThat(afterPend).isNotEqualTo(afterPmr);
        StateReader.restore(gic, before);
        assertThat(icc(3).read(ICC_PMR)).isEqualTo(0xF0);
        assertThat(redist.read(rd(3, SGI + ISPENDR), 4)).isZero();
        assertThat(StateWriter.save(gic)).isEqualTo(before);
    }

    @Test
    void oneToEightCpus() {
        assertThatThrownBy(() -> new GicV3(9)).hasMessageContaining("1 to 8");
        assertThatThrownBy(() -> gic.setCurrentCpu(4)).isInstanceOf(IllegalArgumentException.class);
    }
}
