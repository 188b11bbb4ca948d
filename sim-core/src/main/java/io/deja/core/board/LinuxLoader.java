package io.deja.core.board;

import io.deja.core.devices.DeviceTree;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import static io.deja.core.board.MemoryMap.Virt;

/**
 * Places a kernel, its initrd and its device tree in the virt board's RAM as
 * QEMU 7.2's {@code hw/arm/boot.c} does for {@code -kernel}/{@code -initrd}/{@code -dtb}
 * (with 512 MiB and Debian's Image: kernel 0x4020_0000, initrd 0x4800_0000,
 * device tree 0x4820_0000), and prepares the tree: the generated one, or a
 * given one with {@code /chosen} and the memory node set as QEMU sets them.
 */
public final class LinuxLoader {
    private LinuxLoader() {}

    /** arm64 COMMAND_LINE_SIZE: Linux copies at most this many bytes of bootargs, its NUL included, and drops the rest silently. */
    public static final int COMMAND_LINE_SIZE = 2048;
    /** The default --entropy-seed: runs are identical unless another is asked for. */
    public static final long DEFAULT_ENTROPY_SEED = 0;
    /** Bytes of /chosen/rng-seed (QEMU's create_randomness gives 32). */
    public static final int RNG_SEED_BYTES = 32;

    /**
     * Where things go.
     * @param initrdStart where the initrd is (or would be: the device tree follows it)
     * @param initrdSize  its bytes (0: none)
     * @param dtb         the device tree's address
     */
    public record Placement(long initrdStart, long initrdSize, long dtb) {
        public long initrdEnd() {
            return initrdStart + initrdSize;
        }
    }

    /**
     * Places the initrd and the device tree after an image ending at imageEnd.
     * @throws IllegalArgumentException when they do not fit in RAM, naming what does not
     */
    public static Placement place(long ramSize, long imageEnd, long initrdSize, int dtbSize) {
        long ramEnd = Virt.RAM_BASE + ramSize;
        long initrd = Virt.initrdAddress(ramSize, imageEnd);
        if (initrdSize > 0) {
            if (Long.compareUnsigned(initrd, ramEnd) >= 0) {
                throw new IllegalArgumentException(String.format(
                        "--mem %d MiB is too small: no room for the initrd after the kernel, which ends at 0x%x (RAM ends at 0x%x)",
                        ramSize >> 20, imageEnd, ramEnd));
            }
            if (initrd + initrdSize > ramEnd) {
                throw new IllegalArgumentException(String.format(
                        "--mem %d MiB is too small: the initrd (%d bytes at 0x%x) would end at 0x%x, beyond the end of RAM at 0x%x",
                        ramSize >> 20, initrdSize, initrd, initrd + initrdSize, ramEnd));
            }
        }
        long dtb = Virt.dtbAfterInitrd(initrd, initrdSize);
        if (Long.compareUnsigned(dtb + dtbSize, ramEnd) > 0) {
            throw new IllegalArgumentException(String.format(
                    "--mem %d MiB is too small: the device tree (%d bytes) would go at 0x%x, after the %s ending at 0x%x, beyond the end of RAM at 0x%x",
                    ramSize >> 20, dtbSize, dtb, initrdSize > 0 ? "initrd" : "image", initrdSize > 0 ? initrd + initrdSize : imageEnd, ramEnd));
        }
        return new Placement(initrd, initrdSize, dtb);
    }

    /** Refuses a command line Linux would cut (COMMAND_LINE_SIZE), rather than boot with part of it. */
    public static void checkCommandLine(String commandLine) {
        int bytes = commandLine.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= COMMAND_LINE_SIZE) {
            throw new IllegalArgumentException("the kernel command line has " + bytes + " bytes; arm64 Linux keeps at most "
                    + (COMMAND_LINE_SIZE - 1) + " (COMMAND_LINE_SIZE " + COMMAND_LINE_SIZE + ") and would cut the rest");
        }
        if (commandLine.indexOf('\0') >= 0) throw new IllegalArgumentException("the kernel command line contains a NUL byte");
    }

    /**
     * The device tree to load: the generated one with the initrd range, or the
     * given one (config.dtb()) with bootargs, the initrd range and the memory node
     * set as QEMU's arm_load_dtb sets them (its seeds, if any, are the file's).
     */
    public static byte[] deviceTree(MachineConfig config, long initrdStart, long initrdSize) {
        if (config.dtb().length == 0) {
            return BoardDeviceTree.virt(config.layout(), config.ramSize(), config.commandLine(), config.kaslrSeed(), config.rngSeed(),
                    initrdStart, initrdSize, config.cpus());
        }
        DeviceTree.Parsed parsed = DeviceTree.parse(checkDeviceTree(config.dtb()));
        DeviceTree.Node root = parsed.root();
        setMemory(root, config.ramSize());
        DeviceTree.Node chosen = root.childOrNew("chosen");
        if (!config.commandLine().isEmpty()) chosen.set("bootargs", cString(config.commandLine()));
        if (initrdSize > 0) {
            chosen.set("linux,initrd-start", cell(initrdStart, "linux,initrd-start"));
            chosen.set("linux,initrd-end", cell(initrdStart + initrdSize, "linux,initrd-end"));
        }
        return DeviceTree.write(parsed);
    }

    /**
     * A device tree file as given: the FDT magic, a totalsize within the file, a
     * version Linux reads (16 or later), and a structure that parses.
     * @return the blob (the file's first totalsize bytes)
     * @throws IllegalArgumentException naming what is wrong
     */
    public static byte[] checkDeviceTree(byte[] file) {
        if (file.length < 40) throw new IllegalArgumentException("not a device tree blob: " + file.length + " bytes, shorter than the 40-byte FDT header");
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getInt(0) != DeviceTree.MAGIC) {
            boolean source = new String(file, 0, Math.min(file.length, 64), StandardCharsets.ISO_8859_1).contains("/dts-v1/");
            throw new IllegalArgumentException("not a device tree blob: no FDT magic d00dfeed"
                    + (source ? " (it is device tree source: compile it with dtc -I dts -O dtb)" : ""));
        }
        long total = Integer.toUnsignedLong(b.getInt(4));
        if (total > file.length) {
            throw new IllegalArgumentException("truncated device tree blob: totalsize " + total + " but the file has " + file.length + " bytes");
        }
        int version = b.getInt(20);
        if (version < DeviceTree.LAST_COMPATIBLE_VERSION) {
            throw new IllegalArgumentException("device tree blob version " + version + ": Linux reads version 16 and later");
        }
        byte[] blob = Arrays.copyOf(file, (int) total);
        try {
            DeviceTree.parse(blob);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("corrupt device tree blob: " + e.getMessage());
        }
        return blob;
    }

    /** QEMU replaces the tree's memory nodes by one memory@40000000 covering the RAM (where the first one was). */
    private static void setMemory(DeviceTree.Node root, long ramSize) {
        int addressCells = rootCells(root, "#address-cells", 2);
        int sizeCells = rootCells(root, "#size-cells", 1);
        int at = 0;
        for (DeviceTree.Node c : root.children()) {
            if (isMemory(c)) break;
            at++;
        }
        if (at == root.children().size()) at = 0;
        root.removeChildren(LinuxLoader::isMemory);
        ByteBuffer reg = ByteBuffer.allocate(4 * (addressCells + sizeCells));
        putCells(reg, Virt.RAM_BASE, addressCells);
        putCells(reg, ramSize, sizeCells);
        root.insertChild(at, "memory@" + Long.toHexString(Virt.RAM_BASE))
                .set("reg", reg.array())
                .set("device_type", cString("memory"));
    }

    private static boolean isMemory(DeviceTree.Node n) {
        return n.name().equals("memory") || n.name().startsWith("memory@");
    }

    private static int rootCells(DeviceTree.Node root, String name, int absent) {
        int n = root.has(name) ? root.property(name).cells()[0] : absent;
        if (n != 1 && n != 2) throw new IllegalArgumentException("the device tree's root " + name + " is " + n + " (1 or 2 supported)");
        return n;
    }

    private static void putCells(ByteBuffer b, long value, int cells) {
        if (cells == 1) {
            if (value >>> 32 != 0) throw new IllegalArgumentException(String.format("0x%x does not fit the device tree's one-cell memory node", value));
            b.putInt((int) value);
        } else {
            b.putLong(value);
        }
    }

    /** One 32-bit cell, as QEMU 7.2 writes the initrd range (qemu_fdt_setprop_cell). */
    static byte[] cell(long value, String what) {
        if (value >>> 32 != 0) throw new IllegalArgumentException(String.format("%s 0x%x is above 4 GiB", what, value));
        return ByteBuffer.allocate(4).putInt((int) value).array();
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    // ---- Entropy ------------------------------------------------------------------------------
    /** /chosen/kaslr-seed drawn from an entropy seed: the first 8 bytes of SHA-256("deja kaslr-seed " + n), big-endian. */
    public static long kaslrSeed(long entropySeed) {
        return ByteBuffer.wrap(sha256("deja kaslr-seed " + Long.toUnsignedString(entropySeed))).getLong();
    }

    /** /chosen/rng-seed drawn from an entropy seed: SHA-256("deja rng-seed " + n), 32 bytes as QEMU gives. */
    public static byte[] rngSeed(long entropySeed) {
        return sha256("deja rng-seed " + Long.toUnsignedString(entropySeed));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
