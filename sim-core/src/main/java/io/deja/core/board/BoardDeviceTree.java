package io.deja.core.board;

import io.deja.core.devices.DeviceTree;
import io.deja.core.devices.Psci;

import static io.deja.core.board.MemoryMap.*;

/**
 * The device tree of the {@code virt} board: the nodes QEMU 7.2's
 * {@code hw/arm/virt.c} (create_fdt and friends) and {@code hw/arm/boot.c}
 * write for the devices Deja implements, with QEMU's node names, phandles and
 * property values, so that a guest sees the same description as under QEMU.
 *
 * The devices' nodes come from the board's {@link BoardLayout} (each device
 * names the method here that writes its node); the nodes without an address
 * (psci, memory, clock, cpus, timer, chosen) are written here.
 *
 * Left out because Deja does not implement the devices: pmu, pl061 GPIO and
 * gpio-keys, fw-cfg, flash, PCIe, platform bus, the GICv2m MSI frame and the
 * GICv3 ITS (compare a GICv3 tree with QEMU's {@code its=off}). Added where
 * QEMU has none for a single CPU: enable-method "psci" on the CPU node.
 */
public final class BoardDeviceTree {
    private BoardDeviceTree() {}

    /**
     * QEMU allocates phandles from 0x8000: the clock first, then the CPUs (the
     * last CPU first), then the GIC. These are the one-CPU values; see
     * {@link #cpuPhandle} and {@link #gicPhandle}.
     */
    public static final int PHANDLE_CLOCK = 0x8000;
    public static final int PHANDLE_CPU0 = 0x8001;
    public static final int PHANDLE_GIC = 0x8002;

    /** CPU n's phandle on a board of cpus CPUs (QEMU 7.2 -smp 4: cpu@0 0x8004 ... cpu@3 0x8001). */
    public static int cpuPhandle(int n, int cpus) {
        return PHANDLE_CLOCK + cpus - n;
    }

    /** The GIC's phandle on a board of cpus CPUs. */
    public static int gicPhandle(int cpus) {
        return PHANDLE_CLOCK + cpus + 1;
    }

    /** Interrupt specifier cells (arm,cortex-a15-gic binding): type, number, flags. */
    private static final int GIC_SPI = 0, GIC_PPI = 1;
    private static final int IRQ_EDGE_RISING = 1, IRQ_LEVEL_HIGH = 4;

    /** The console's node name: the layout's PL011 (QEMU's /chosen/stdout-path names it). */
    public static String uartNode(BoardLayout layout) {
        return "pl011@" + Long.toHexString(layout.require(BoardDevice.Model.PL011).base());
    }

    /** The GICv2 virt board's tree (for callers that do not care about the layout). */
    public static byte[] virt(long ramSize, String bootargs, long kaslrSeed, byte[] rngSeed) {
        return virt(BoardLayout.of(Board.VIRT, GicVersion.V2), ramSize, bootargs, kaslrSeed, rngSeed);
    }

    /**
     * @param layout    the board's devices (each writes its own node)
     * @param ramSize   bytes of RAM at {@link MemoryMap.Virt#RAM_BASE}
     * @param bootargs  the kernel command line; empty leaves /chosen/bootargs out, as QEMU does without -append
     * @param kaslrSeed /chosen/kaslr-seed
     * @param rngSeed   /chosen/rng-seed, left out when empty
     */
    public static byte[] virt(BoardLayout layout, long ramSize, String bootargs, long kaslrSeed, byte[] rngSeed) {
        return virt(layout, ramSize, bootargs, kaslrSeed, rngSeed, 0, 0);
    }

    /**
     * The tree with an initrd: /chosen/linux,initrd-start and linux,initrd-end
     * (one cell each, as QEMU 7.2's boot.c writes them), left out when initrdSize is 0.
     */
    public static byte[] virt(BoardLayout layout, long ramSize, String bootargs, long kaslrSeed, byte[] rngSeed,
                              long initrdStart, long initrdSize) {
        return virt(layout, ramSize, bootargs, kaslrSeed, rngSeed, initrdStart, initrdSize, 1);
    }

    /**
     * The tree of a board with cpus CPUs: one cpu node each (reg = MPIDR
     * affinity = n, enable-method "psci"), and with several QEMU's cpu-map (one
     * socket, one cluster, core n = CPU n) and a PPI CPU mask of every CPU.
     */
    public static byte[] virt(BoardLayout layout, long ramSize, String bootargs, long kaslrSeed, byte[] rngSeed,
                              long initrdStart, long initrdSize, int cpus) {
        int gicPhandle = gicPhandle(cpus);
        DeviceTree dt = new DeviceTree();
        dt.beginNode("")
                .cells("interrupt-parent", gicPhandle)
                .strings("model", "linux,dummy-virt")
                .cells("#size-cells", 2)
                .cells("#address-cells", 2)
                .strings("compatible", "linux,dummy-virt");

        dt.beginNode("psci")
                .cells("migrate", (int) Psci.MIGRATE_64)
                .cells("cpu_on", (int) Psci.CPU_ON_64)
                .cells("cpu_off", (int) Psci.CPU_OFF)
                .cells("cpu_suspend", (int) Psci.CPU_SUSPEND_64)
                .strings("method", "hvc")
                .strings("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci")
                .endNode();

        dt.beginNode("memory@" + Long.toHexString(Virt.RAM_BASE))
                .longs("reg", Virt.RAM_BASE, ramSize)
                .strings("device_type", "memory")
                .endNode();

        dt.beginNode("apb-pclk")
                .cells("phandle", PHANDLE_CLOCK)
                .strings("clock-output-names", "clk24mhz")
                .cells("clock-frequency", UART_CLOCK_HZ)
                .cells("#clock-cells", 0)
                .strings("compatible", "fixed-clock")
                .endNode();

        for (BoardDevice device : layout.devices()) {
            if (device.node() == null) continue;
            if (device.model() == BoardDevice.Model.GIC_DISTRIBUTOR) {
                gic(dt, device, layout, gicPhandle);
            } else {
                device.node().write(dt, device, layout);
            }
        }

        dt.beginNode("cpus")
                .cells("#size-cells", 0)
                .cells("#address-cells", 1);
        if (cpus > 1) {
            dt.beginNode("cpu-map").beginNode("socket0").beginNode("cluster0");
            for (int n = 0; n < cpus; n++) dt.beginNode("core" + n).cells("cpu", cpuPhandle(n, cpus)).endNode();
            dt.endNode().endNode().endNode();
        }
        for (int n = 0; n < cpus; n++) {
            dt.beginNode("cpu@" + n)
                    .cells("phandle", cpuPhandle(n, cpus))
                    .cells("reg", n)
                    .strings("enable-method", "psci")
                    .strings("compatible", "arm,cortex-a57")
                    .strings("device_type", "cpu")
                    .endNode();
        }
        dt.endNode();

        // GICv2 bindings carry a CPU mask in the PPI flags; GICv3 ones do not (QEMU: only for v2).
        int ppiFlags = layout.gic() == GicVersion.V2 ? (((1 << cpus) - 1) << 8) | IRQ_LEVEL_HIGH : IRQ_LEVEL_HIGH;
        dt.beginNode("timer")
                .cells("interrupts",
                        GIC_PPI, TIMER_PPI_SECURE_EL1, ppiFlags,
                        GIC_PPI, TIMER_PPI_NONSECURE_EL1, ppiFlags,
                        GIC_PPI, TIMER_PPI_VIRTUAL, ppiFlags,
                        GIC_PPI, TIMER_PPI_HYP, ppiFlags)
                .flag("always-on")
                .strings("compatible", "arm,armv8-timer", "arm,armv7-timer")
                .endNode();

        // QEMU's boot.c adds bootargs and the initrd range to the /chosen virt.c made, each as the first
        // property (libfdt's fdt_setprop): so they come first, in the reverse of the order it sets them.
        dt.beginNode("chosen");
        if (initrdSize > 0) {
            dt.property("linux,initrd-end", LinuxLoader.cell(initrdStart + initrdSize, "linux,initrd-end"));
            dt.property("linux,initrd-start", LinuxLoader.cell(initrdStart, "linux,initrd-start"));
        }
        if (!bootargs.isEmpty()) dt.strings("bootargs", bootargs);
        dt.strings("stdout-path", "/" + uartNode(layout));
        if (rngSeed.length > 0) dt.property("rng-seed", rngSeed);
        dt.longs("kaslr-seed", kaslrSeed);
        dt.endNode();

        dt.endNode();
        return dt.toBlob();
    }

    // ---- The devices' nodes (referenced from BoardLayout) -------------------------------------
    static void gic(DeviceTree dt, BoardDevice dist, BoardLayout layout) {
        gic(dt, dist, layout, PHANDLE_GIC);
    }

    private static void gic(DeviceTree dt, BoardDevice dist, BoardLayout layout, int phandle) {
        dt.beginNode("intc@" + Long.toHexString(dist.base()))
                .cells("phandle", phandle);
        if (layout.gic() == GicVersion.V2) {
            BoardDevice cpu = layout.require(BoardDevice.Model.GIC_CPU_INTERFACE);
            dt.longs("reg", dist.base(), dist.window(), cpu.base(), cpu.window())
                    .strings("compatible", "arm,cortex-a15-gic");
        } else {
            BoardDevice redist = layout.require(BoardDevice.Model.GIC_REDISTRIBUTOR);
            dt.longs("reg", dist.base(), dist.window(), redist.base(), redist.window())
                    .cells("#redistributor-regions", 1)
                    .strings("compatible", "arm,gic-v3");
        }
        // QEMU sets these for its GICv2m/ITS child; dtc warns about an interrupt provider without them.
        dt.cells("#size-cells", 2)
                .cells("#address-cells", 2)
                .flag("interrupt-controller")
                .cells("#interrupt-cells", 3)
                .endNode();
    }

    static void pl011(DeviceTree dt, BoardDevice uart, BoardLayout layout) {
        dt.beginNode("pl011@" + Long.toHexString(uart.base()))
                .strings("clock-names", "uartclk", "apb_pclk")
                .cells("clocks", PHANDLE_CLOCK, PHANDLE_CLOCK)
                .cells("interrupts", GIC_SPI, uart.interrupt() - FIRST_SPI_INTID, IRQ_LEVEL_HIGH)
                .longs("reg", uart.base(), uart.window())
                .strings("compatible", "arm,pl011", "arm,primecell")
                .endNode();
    }

    static void pl031(DeviceTree dt, BoardDevice rtc, BoardLayout layout) {
        dt.beginNode("pl031@" + Long.toHexString(rtc.base()))
                .strings("clock-names", "apb_pclk")
                .cells("clocks", PHANDLE_CLOCK)
                .cells("interrupts", GIC_SPI, rtc.interrupt() - FIRST_SPI_INTID, IRQ_LEVEL_HIGH)
                .longs("reg", rtc.base(), rtc.window())
                .strings("compatible", "arm,pl031", "arm,primecell")
                .endNode();
    }

    /** QEMU creates the transports from the top down; the order does not matter to a guest. */
    static void virtio(DeviceTree dt, BoardDevice transport, BoardLayout layout) {
        dt.beginNode("virtio_mmio@" + Long.toHexString(transport.base()))
                .flag("dma-coherent")
                .cells("interrupts", GIC_SPI, transport.interrupt() - FIRST_SPI_INTID, IRQ_EDGE_RISING)
                .longs("reg", transport.base(), transport.window())
                .strings("compatible", "virtio,mmio")
                .endNode();
    }
}
