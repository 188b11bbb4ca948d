package io.deja.core.mem;

/**
 * A device mapped into the physical address space and served in-process.
 * Offsets are relative to the device's base; sizes are 1, 2, 4 or 8 bytes.
 */
public interface MmioDevice {
    String name();

    long read(long offset, int size);

    void write(long offset, int size, long value);
}
