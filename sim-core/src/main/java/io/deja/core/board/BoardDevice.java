package io.deja.core.board;

import io.deja.core.devices.DeviceTree;

import java.util.Arrays;

/**
 * One memory-mapped device of a board, as data: what {@link Machine} maps, what
 * the device tree describes and what a recording's device table names.
 *
 * @param name       the region name: the device table entry of MMIO events
 * @param base       physical base address
 * @param size       bytes the device model decodes (the rest of the window is unassigned)
 * @param window     bytes the board reserves for it (what the device tree's {@code reg} gives)
 * @param model      which device model serves it
 * @param interrupts the INTIDs it raises, in device-tree order
 * @param node       writes its device-tree node, or null (no node of its own, or the board has no tree)
 */
public record BoardDevice(String name, long base, long size, long window, Model model, int[] interrupts, Node node) {
    /** The device models a board can place. */
    public enum Model { GIC_DISTRIBUTOR, GIC_CPU_INTERFACE, GIC_REDISTRIBUTOR, PL011, PL031, VIRTIO_MMIO }

    /** Writes a device's node into a tree under construction; layout gives access to its siblings (the GIC's node covers two). */
    @FunctionalInterface
    public interface Node {
        void write(DeviceTree tree, BoardDevice device, BoardLayout layout);
    }

    public BoardDevice {
        interrupts = interrupts.clone();
        if (size > window) throw new IllegalArgumentException(name + ": size 0x" + Long.toHexString(size) + " exceeds its window");
    }

    public long end() {
        return base + window;
    }

    @Override
    public int[] interrupts() {
        return interrupts.clone();
    }

    /** The first interrupt line (the device's only one, for those with one). */
    public int interrupt() {
        return interrupts[0];
    }

    @Override
    public String toString() {
        return String.format("%s [0x%x, +0x%x) %s irqs=%s", name, base, size, model, Arrays.toString(interrupts));
    }
}
