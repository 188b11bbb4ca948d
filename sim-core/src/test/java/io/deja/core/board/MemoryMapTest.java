package io.deja.core.board;

import io.deja.core.cpu.GenericTimer;
import org.junit.jupiter.api.Test;

import static io.deja.core.board.MemoryMap.*;
import static org.assertj.core.api.Assertions.assertThat;

class MemoryMapTest {
    @Test
    void theTimerModelRaisesThePpisTheMapAndDeviceTreeName() {
        assertThat(GenericTimer.PPI_PHYS).isEqualTo(ppi(TIMER_PPI_NONSECURE_EL1));
        assertThat(GenericTimer.PPI_VIRT).isEqualTo(ppi(TIMER_PPI_VIRTUAL));
    }

    @Test
    void qemuVirtAddressesAndInterrupts() {
        assertThat(UART_INTID).isEqualTo(33);
        assertThat(spi(VIRTIO_FIRST_SPI + VIRTIO_TRANSPORTS - 1)).isEqualTo(79);
        assertThat(VIRTIO_BASE + VIRTIO_TRANSPORTS * VIRTIO_STRIDE).isEqualTo(0x0A00_4000L);
        assertThat(Virt.KERNEL_LOAD_ADDRESS).isEqualTo(0x4008_0000L);
        assertThat(GIC_INTERRUPTS).isEqualTo(288);
        assertThat(RTC_INTID).as("a15irqmap[VIRT_RTC] = 2").isEqualTo(34);
        assertThat(RTC_BASE).isEqualTo(0x0901_0000L);
        assertThat(GICR_BASE + GICR_WINDOW).as("the redistributor window ends below the UART").isLessThanOrEqualTo(UART_BASE);
    }

    @Test
    void deviceTreePlacement() {
        assertThat(Virt.dtbAddress(128L << 20, 0x4008_1000L)).isEqualTo(0x4400_0000L);
        assertThat(Virt.dtbAddress(512L << 20, 0x4008_1000L)).isEqualTo(0x4800_0000L);
        assertThat(Virt.dtbAddress(1L << 30, 0x4008_1000L)).as("capped at 128 MiB").isEqualTo(0x4800_0000L);
        assertThat(Virt.dtbAddress(16L << 20, 0x4090_0001L)).as("after a large image, 2 MiB aligned").isEqualTo(0x40A0_0000L);
    }

    @Test
    void vibeRamEndsBelowTheDevices() {
        assertThat(Vibe.RAM_BASE + Vibe.RAM_MAX).isLessThanOrEqualTo(GICD_BASE);
        assertThat(Vibe.DEFAULT_ENTRY).isEqualTo(0x1_0000L);
    }
}
