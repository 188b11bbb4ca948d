package io.deja.core.devices;

import io.deja.core.mem.MmioDevice;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GICv2 with several CPU interfaces (IHI 0048B, as QEMU's arm_gic with
 * num-cpu > 1): banked INTIDs 0-31 and CPU interfaces, ITARGETSR routing of
 * SPIs, GICD_SGIR target lists with the source CPU in GICC_IAR.
 */
class GicV2SmpTest {
    private final GicV2 gic = new GicV2(4);
    private final MmioDevice dist = gic.distributor(), cpu = gic.cpuInterface();

    private void on(int n) {
        gic.setCurrentCpu(n);
    }

    private void enableEverything() {
        on(0);
        dist.write(0x000, 4, 1);
        for (int n = 0; n < 4; n++) {
            on(n);
            cpu.write(0x004, 4, 0xF0);
            cpu.write(0x000, 4, 1);
        }
    }

    @Test
    void typerCountsTheCpusAndItargetsrOfPrivateInterruptsNamesTheReader() {
        on(2);
        assertThat(dist.read(0x004, 4) >>> 5 & 7).isEqualTo(3);
        assertThat(dist.read(0x81B, 1)).as("ITARGETSR of PPI 27 on CPU 2").isEqualTo(1 << 2);
        assertThat(dist.read(0x820, 1)).as("SPI 32 targets nobody after reset").isZero();
    }

    @Test
    void sgiTargetListReachesOnlyTheNamedCpusWithTheSourceInIar() {
        enableEverything();
        on(1);
        dist.write(0xF00, 4, (1 << 16 | 1 << 19) | 5); // SGI 5 to CPUs 0 and 3
        assertThat(gic.cpuLine(0).irq()).isTrue();
        assertThat(gic.cpuLine(2).irq()).isFalse();
        assertThat(gic.cpuLine(3).irq()).isTrue();
        on(3);
        assertThat(cpu.read(0x00C, 4)).isEqualTo(1 << 10 | 5);
        assertThat(gic.cpuLine(0).irq()).as("CPU 0's copy is its own").isTrue();
    }

    @Test
    void sgiToOthersSkipsTheSender() {
        enableEverything();
        on(2);
        dist.write(0xF00, 4, 1 << 24 | 7);
        for (int n = 0; n < 4; n++) assertThat(gic.cpuLine(n).irq()).as("CPU " + n).isEqualTo(n != 2);
    }

    @Test
    void anSpiGoesToTheCpusItsTargetsNameAndIsTakenOnce() {
        enableEverything();
        on(0);
        dist.write(0x104, 4, 1 << 1); // enable SPI 33
        dist.write(0x821, 1, 1 << 1 | 1 << 3); // target CPUs 1 and 3
        gic.setSpiLevel(33, true);
        assertThat(gic.cpuLine(0).irq()).isFalse();
        assertThat(gic.cpuLine(1).irq()).isTrue();
        assertThat(gic.cpuLine(3).irq()).isTrue();
        on(3);
        assertThat(cpu.read(0x00C, 4)).isEqualTo(33);
        assertThat(gic.cpuLine(1).irq()).as("active now: not signalled again").isFalse();
    }

    @Test
    void privateEnablesArePerCpu() {
        enableEverything();
        on(1);
        dist.write(0x100, 4, 1 << 27);
        gic.ppiSink(1).setPpiLevel(27, true);
        gic.ppiSink(2).setPpiLevel(27, true);
        assertThat(gic.cpuLine(1).irq()).isTrue();
        assertThat(gic.cpuLine(2).irq()).as("CPU 2 did not enable its PPI 27").isFalse();
    }
}
