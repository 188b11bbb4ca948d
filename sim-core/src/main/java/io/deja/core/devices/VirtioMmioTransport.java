package io.deja.core.devices;

import io.deja.core.mem.MmioDevice;

/**
 * A virtio-mmio transport with nothing plugged in, exactly as QEMU 7.2's virt
 * board exposes its 32 transports when no -device is given
 * ({@code hw/virtio/virtio-mmio.c}, virtio_mmio_read/write with no backend).
 *
 * No virtio device is implemented in Deja yet: every transport is empty.
 * A guest probing one finds a valid header with DeviceID 0 ("no device") and
 * leaves it alone, which is what Linux's virtio_mmio driver does.
 *
 * <pre>
 * 0x000  MagicValue  0x74726976 ("virt")
 * 0x004  Version     1: QEMU's virtio-mmio defaults to force-legacy=on (legacy interface)
 * 0x008  DeviceID    0: no device
 * 0x00C  VendorID    0x554D4551 ("QEMU")
 * other offsets read 0; every write is ignored (config space at 0x100 included)
 * </pre>
 * An access of any size reads the register at its offset, truncated to the
 * access size; a 64-bit access is two 32-bit ones.
 */
public final class VirtioMmioTransport implements MmioDevice {
    public static final int MAGIC_VALUE = 0x7472_6976;
    public static final int LEGACY_VERSION = 1;
    public static final int VENDOR_QEMU = 0x554D_4551;
    public static final int NO_DEVICE = 0;

    private final String name;

    public VirtioMmioTransport(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long read(long offset, int size) {
        if (size == 8) return read(offset, 4) | read(offset + 4, 4) << 32;
        long value = switch ((int) offset) {
            case 0x000 -> MAGIC_VALUE;
            case 0x004 -> LEGACY_VERSION;
            case 0x008 -> NO_DEVICE;
            case 0x00C -> VENDOR_QEMU;
            default -> 0;
        };
        return value & ((1L << (size * 8)) - 1);
    }

    @Override
    public void write(long offset, int size, long value) {
        // No backend: every register is write-ignored.
    }
}
