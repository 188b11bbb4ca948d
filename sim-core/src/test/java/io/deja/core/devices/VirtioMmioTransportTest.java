package io.deja.core.devices;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VirtioMmioTransportTest {
    private final VirtioMmioTransport t = new VirtioMmioTransport("virtio-mmio@a000000");

    @Test
    void anEmptyTransportHasAValidLegacyHeaderAndNoDevice() {
        // As QEMU 7.2 virt shows its transports with nothing plugged in.
        assertThat(t.read(0x000, 4)).isEqualTo(0x74726976L);
        assertThat(t.read(0x004, 4)).as("legacy").isEqualTo(1);
        assertThat(t.read(0x008, 4)).as("no device").isZero();
        assertThat(t.read(0x00C, 4)).isEqualTo(0x554D4551L);
        for (int off = 0x10; off < 0x200; off += 4) assertThat(t.read(off, 4)).as("offset 0x%x", off).isZero();
    }

    @Test
    void writesAreIgnored() {
        t.write(0x070, 4, 0xF);
        t.write(0x000, 4, 0);
        assertThat(t.read(0x070, 4)).isZero();
        assertThat(t.read(0x000, 4)).isEqualTo(0x74726976L);
    }

    @Test
    void narrowAndWideReads() {
        assertThat(t.read(0x000, 1)).isEqualTo(0x76);
        assertThat(t.read(0x000, 8)).isEqualTo(0x0000_0001_7472_6976L);
    }
}
