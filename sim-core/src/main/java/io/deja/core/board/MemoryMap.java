package io.deja.core.board;

import io.deja.core.mem.Ram;

/**
 * The boards' physical memory maps and interrupt assignments, in one place.
 *
 * {@link Virt} follows QEMU 7.2 {@code hw/arm/virt.c} ({@code base_memmap[]},
 * {@code a15irqmap[]}, GICv2 or GICv3 without ITS, no EL2/EL3) and {@code hw/arm/boot.c}
 * (where a kernel and its device tree are placed). {@link Vibe} is Deja's
 * small layout for bare-metal images: RAM from address 0 and the same device
 * addresses as {@code virt}, so the seed kernels (kernels/README.md) run on
 * both unchanged.
 *
 * These constants are the cited source of the numbers; what a board actually
 * maps, describes in its device tree and lists in a recording's device table is
 * {@link BoardLayout}, built from them.
 *
 * Device sizes are those of the device models QEMU maps (not the 64 KiB
 * windows {@code base_memmap[]} reserves): the rest of each window is
 * unassigned, and an access there is an external abort, as in QEMU.
 */
public final class MemoryMap {
    private MemoryMap() {}

    /** First SPI: SPI n is INTID 32 + n (GICv2, IHI 0048B 2.2.1). */
    public static final int FIRST_SPI_INTID = 32;
    /** First PPI: PPI n is INTID 16 + n. */
    public static final int FIRST_PPI_INTID = 16;

    public static int spi(int n) {
        return FIRST_SPI_INTID + n;
    }

    public static int ppi(int n) {
        return FIRST_PPI_INTID + n;
    }

    /** GICv2 distributor and CPU interface, shared by both layouts (virt.c VIRT_GIC_DIST, VIRT_GIC_CPU). */
    public static final long GICD_BASE = 0x0800_0000L;
    /** The distributor's register block ({@code arm_gic_common.c}: "gic_dist", 0x1000). */
    public static final long GICD_SIZE = 0x1000;
    /** The window base_memmap[] reserves for the distributor (and the size the device tree gives). */
    public static final long GICD_WINDOW = 0x1_0000;
    /** A GICv3 distributor decodes its whole 64 KiB frame (GICD_IROUTER at 0x6000, IDs at 0xFFD0). */
    public static final long GICD_V3_SIZE = 0x1_0000;
    public static final long GICC_BASE = 0x0801_0000L;
    /** A GICv2 CPU interface block is 8 KiB: GICC_DIR is at 0x1000 ({@code arm_gic_common.c}: "gic_cpu", 0x2000). */
    public static final long GICC_SIZE = 0x2000;
    public static final long GICC_WINDOW = 0x1_0000;

    /**
     * GICv3 redistributors (virt.c VIRT_GIC_REDIST): one 128 KiB frame pair per CPU
     * (RD_base, then SGI_base 64 KiB above it; IHI 0069 12.10), in a window of 0xF60000
     * (123 CPUs) that the device tree gives whole.
     */
    public static final long GICR_BASE = 0x080A_0000L;
    public static final long GICR_FRAME_SIZE = 0x2_0000;
    public static final long GICR_WINDOW = 0xF6_0000;

    /** PL011 UART (virt.c VIRT_UART), one 4 KiB PrimeCell block. */
    public static final long UART_BASE = 0x0900_0000L;
    public static final long UART_SIZE = 0x1000;
    /** a15irqmap[VIRT_UART] = 1. */
    public static final int UART_INTID = spi(1);
    /** The fixed 24 MHz "apb-pclk" clock the UART is given (virt.c create_fdt, clk24mhz). */
    public static final int UART_CLOCK_HZ = 24_000_000;

    /** PL031 RTC (virt.c VIRT_RTC), one 4 KiB PrimeCell block; a15irqmap[VIRT_RTC] = 2. */
    public static final long RTC_BASE = 0x0901_0000L;
    public static final long RTC_SIZE = 0x1000;
    public static final int RTC_INTID = spi(2);

    /** virtio-mmio transports (virt.c VIRT_MMIO, NUM_VIRTIO_TRANSPORTS). */
    public static final long VIRTIO_BASE = 0x0A00_0000L;
    public static final long VIRTIO_STRIDE = 0x200;
    public static final int VIRTIO_TRANSPORTS = 32;
    /** a15irqmap[VIRT_MMIO] = 16: transport n raises SPI 16 + n. */
    public static final int VIRTIO_FIRST_SPI = 16;

    /** Interrupt lines of the GIC: 256 external (virt.c NUM_IRQS) + 32 private = 288, GICD_TYPER.ITLinesNumber = 8. */
    public static final int GIC_INTERRUPTS = 288;

    /** Generic timer PPIs (virt.h ARCH_TIMER_*_IRQ), in the order the device tree lists them. */
    public static final int TIMER_PPI_SECURE_EL1 = 13;
    public static final int TIMER_PPI_NONSECURE_EL1 = 14;
    public static final int TIMER_PPI_VIRTUAL = 11;
    public static final int TIMER_PPI_HYP = 10;

    /** QEMU's {@code virt} machine. */
    public static final class Virt {
        private Virt() {}

        /** virt.c VIRT_MEM. */
        public static final long RAM_BASE = 0x4000_0000L;
        /** QEMU allows far more; Deja's RAM stops at {@link Ram#MAX_SIZE}. */
        public static final long RAM_MAX = Ram.MAX_SIZE;
        public static final long RAM_MIN = 1L << 20;
        /** QEMU's default -m. */
        public static final long RAM_DEFAULT = 128L << 20;

        /** boot.c KERNEL64_LOAD_ADDR: a flat image without an arm64 Image header loads at RAM + 0x80000. */
        public static final long KERNEL_LOAD_OFFSET = 0x8_0000;
        public static final long KERNEL_LOAD_ADDRESS = RAM_BASE + KERNEL_LOAD_OFFSET;
        /**
         * boot.c BOOTLOADER_MAX_SIZE: QEMU's boot stub sits at the bottom of RAM, so an arm64
         * Image asking for a text_offset below this is moved up by 2 MiB.
         */
        public static final long BOOTLOADER_MAX_SIZE = 4 << 10;
        public static final long IMAGE_ALIGN = 2L << 20;
        /** boot.c: the initrd (and after it the device tree) goes at RAM + min(RAM size / 2, 128 MiB). */
        public static final long INITRD_MAX_OFFSET = 128L << 20;
        /** boot.c: the device tree is aligned to 2 MiB on AArch64 (it must not cross a 2 MiB boundary). */
        public static final long DTB_ALIGN = 2L << 20;

        /**
         * Where QEMU puts the initrd (boot.c arm_setup_direct_kernel_boot): RAM + min(RAM size / 2,
         * 128 MiB), or just after the image if that ends higher, page-aligned.
         */
        public static long initrdAddress(long ramSize, long imageEnd) {
            long initrd = RAM_BASE + Math.min(ramSize / 2, INITRD_MAX_OFFSET);
            return alignUp(Math.max(initrd, imageEnd), 1 << Ram.PAGE_SHIFT);
        }

        /** Where QEMU puts the device tree: after the initrd (which may be empty), 2 MiB-aligned. */
        public static long dtbAfterInitrd(long initrdStart, long initrdSize) {
            return alignUp(initrdStart + initrdSize, DTB_ALIGN);
        }

        /** Where QEMU puts the device tree when no initrd is given. */
        public static long dtbAddress(long ramSize, long imageEnd) {
            return dtbAfterInitrd(initrdAddress(ramSize, imageEnd), 0);
        }
    }

    /** Deja's bare-metal layout: RAM at 0, devices at the virt addresses. */
    public static final class Vibe {
        private Vibe() {}

        public static final long RAM_BASE = 0;
        /** RAM must stay below the first device (the GIC distributor at 128 MiB). */
        public static final long RAM_MAX = GICD_BASE;
        public static final long RAM_MIN = 64L << 10;
        public static final long RAM_DEFAULT = 128L << 20;
        /** The seed kernels' load and entry address (kernels/vibe.ld). */
        public static final long DEFAULT_ENTRY = 0x1_0000;
        /**
         * The virtio console window: one virtio-mmio transport. No virtio device is
         * implemented yet, so it is an empty transport (DeviceID 0).
         */
        public static final long VIRTIO_CONSOLE_BASE = VIRTIO_BASE;
        public static final long VIRTIO_CONSOLE_SIZE = VIRTIO_STRIDE;
        public static final int VIRTIO_CONSOLE_SPI = VIRTIO_FIRST_SPI;
    }

    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
