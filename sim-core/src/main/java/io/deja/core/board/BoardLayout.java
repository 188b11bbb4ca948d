package io.deja.core.board;

import io.deja.core.board.BoardDevice.Model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.deja.core.board.MemoryMap.*;

/**
 * A board as one list of devices: the single place a device is added. The
 * numbers come from {@link MemoryMap} (where they are cited); {@link Machine}
 * maps and wires what is listed here, {@link BoardDeviceTree} writes each
 * listed device's node, and a recording's device table is {@link #names()}.
 *
 * The list is in address order, which is also the order of the bus's regions:
 * an MMIO event's device number is an index into it.
 *
 * {@code virt} has QEMU's devices at QEMU's addresses: the GIC (v2: distributor
 * and CPU interface; v3: distributor and one redistributor frame pair per CPU), the PL011, the
 * PL031 and 32 empty virtio-mmio transports. {@code vibe} keeps the devices it
 * has always had (GIC, PL011, one virtio transport), so that its recordings and
 * state hashes do not change; it has no PL031.
 */
public final class BoardLayout {
    private final Board board;
    private final GicVersion gic;
    private final List<BoardDevice> devices;

    private BoardLayout(Board board, GicVersion gic, List<BoardDevice> devices) {
        this.board = board;
        this.gic = gic;
        List<BoardDevice> sorted = new ArrayList<>(devices);
        sorted.sort(Comparator.comparingLong(BoardDevice::base));
        for (int i = 1; i < sorted.size(); i++) {
            BoardDevice a = sorted.get(i - 1), b = sorted.get(i);
            if (Long.compareUnsigned(a.end(), b.base()) > 0) throw new IllegalStateException(a + " overlaps " + b);
        }
        this.devices = List.copyOf(sorted);
    }

    /** A board with one CPU. */
    public static BoardLayout of(Board board, GicVersion gic) {
        return of(board, gic, 1);
    }

    /** A board with cpus CPUs (only the GICv3 redistributors' size depends on it). */
    public static BoardLayout of(Board board, GicVersion gic, int cpus) {
        List<BoardDevice> d = new ArrayList<>();
        long distSize = gic == GicVersion.V2 ? GICD_SIZE : GICD_V3_SIZE;
        d.add(new BoardDevice("gic-dist", GICD_BASE, distSize, GICD_WINDOW, Model.GIC_DISTRIBUTOR, new int[0], BoardDeviceTree::gic));
        if (gic == GicVersion.V2) {
            d.add(new BoardDevice("gic-cpu", GICC_BASE, GICC_SIZE, GICC_WINDOW, Model.GIC_CPU_INTERFACE, new int[0], null));
        } else {
            // One RD_base + SGI_base frame pair per CPU (QEMU's redistributor region); the rest of the window is unassigned.
            d.add(new BoardDevice("gic-redist", GICR_BASE, cpus * GICR_FRAME_SIZE, GICR_WINDOW, Model.GIC_REDISTRIBUTOR, new int[0], null));
        }
        d.add(new BoardDevice("pl011", UART_BASE, UART_SIZE, UART_SIZE, Model.PL011, new int[] {UART_INTID}, BoardDeviceTree::pl011));
        if (board == Board.VIRT) {
            d.add(new BoardDevice("pl031", RTC_BASE, RTC_SIZE, RTC_SIZE, Model.PL031, new int[] {RTC_INTID}, BoardDeviceTree::pl031));
            for (int n = 0; n < VIRTIO_TRANSPORTS; n++) {
                long base = VIRTIO_BASE + n * VIRTIO_STRIDE;
                d.add(new BoardDevice("virtio-mmio@" + Long.toHexString(base), base, VIRTIO_STRIDE, VIRTIO_STRIDE, Model.VIRTIO_MMIO,
                        new int[] {spi(VIRTIO_FIRST_SPI + n)}, BoardDeviceTree::virtio));
            }
        } else {
            d.add(new BoardDevice("virtio-console", Vibe.VIRTIO_CONSOLE_BASE, Vibe.VIRTIO_CONSOLE_SIZE, Vibe.VIRTIO_CONSOLE_SIZE,
                    Model.VIRTIO_MMIO, new int[] {spi(Vibe.VIRTIO_CONSOLE_SPI)}, null));
        }
        return new BoardLayout(board, gic, d);
    }

    public Board board() { return board; }
    public GicVersion gic() { return gic; }

    /** Every device, in address order. */
    public List<BoardDevice> devices() {
        return devices;
    }

    /** The device table of recordings: names in address order (= MMIO event device numbers). */
    public List<String> names() {
        return devices.stream().map(BoardDevice::name).toList();
    }

    /** The first device of a model, or null if the board has none. */
    public BoardDevice find(Model model) {
        for (BoardDevice d : devices) {
            if (d.model() == model) return d;
        }
        return null;
    }

    /** The one device of a model the board must have. */
    public BoardDevice require(Model model) {
        BoardDevice d = find(model);
        if (d == null) throw new IllegalStateException(board.cliName() + " board has no " + model);
        return d;
    }

    /** Index of a device in {@link #devices()} (its MMIO event device number). */
    public int indexOf(BoardDevice device) {
        return devices.indexOf(device);
    }
}
