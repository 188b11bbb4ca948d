package io.deja.core.board;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The 64-byte header of an arm64 Linux Image (Documentation/arm64/booting.rst):
 * code0/code1, text_offset at 8, image_size at 16, flags at 24, the magic
 * {@code ARM\x64} at 0x38. {@link #parse} is what {@code --kernel} accepts;
 * {@link #looksLike} is QEMU's load_aarch64_image test, which a {@code --binary}
 * on virt keeps (a raw binary that is not an Image loads as a flat image).
 * A gzip-compressed Image (Debian's {@code vmlinuz} on some releases, the
 * kernel's {@code Image.gz}) is inflated first by {@link #gunzipIfCompressed},
 * as QEMU's load_aarch64_image does.
 *
 * @param textOffset where the Image goes above a 2 MiB-aligned base
 * @param imageSize  bytes the kernel occupies from there, BSS included
 * @param flags      bit 0 big-endian, bits 1-2 page size, bit 3 physical placement
 */
public record LinuxImage(long textOffset, long imageSize, long flags) {
    public static final int HEADER_SIZE = 64;
    /**
     * QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES: a compressed kernel inflating past
     * this is refused rather than allowed to fill the host's memory.
     */
    public static final int MAX_GUNZIPPED_SIZE = 256 << 20;
    private static final int MAGIC_OFFSET = 0x38;
    private static final int MAGIC = 0x644D_5241; // "ARM\x64" read little-endian
    private static final long FLAG_BIG_ENDIAN = 1;
    private static final int PAGE_SIZE_SHIFT = 1;
    /** flags bits 1-2: 0 unspecified, 1 4K, 2 16K, 3 64K. */
    private static final String[] PAGE_SIZES = {"unspecified", "4K", "16K", "64K"};
    /** The page size field of a 16K kernel: Deja's Cortex-A57 has no 16K granule (ID_AA64MMFR0_EL1.TGran16 = 0). */
    private static final int PAGE_16K = 2;

    /**
     * The header of a file given as a Linux kernel, refused with a one-line
     * reason unless Deja can boot it.
     * @throws IllegalArgumentException naming what is wrong
     */
    public static LinuxImage parse(byte[] file) {
        if (file.length < HEADER_SIZE) {
            throw new IllegalArgumentException("not an arm64 Linux Image: " + file.length + " bytes, shorter than its 64-byte header");
        }
        ByteBuffer b = le(file);
        if (b.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new IllegalArgumentException("not an arm64 Linux Image: no ARM\\x64 magic at offset 0x38");
        }
        LinuxImage h = new LinuxImage(b.getLong(8), b.getLong(16), b.getLong(24));
        if (h.imageSize == 0) {
            throw new IllegalArgumentException("arm64 Image with image_size 0 (a kernel before 3.17, whose text_offset is unknown): not supported");
        }
        if (Long.compareUnsigned(h.imageSize, file.length) < 0) {
            throw new IllegalArgumentException(String.format(
                    "corrupt arm64 Image: image_size 0x%x is smaller than the file (%d bytes)", h.imageSize, file.length));
        }
        if ((h.flags & FLAG_BIG_ENDIAN) != 0) {
            throw new IllegalArgumentException("big-endian arm64 Image: Deja runs little-endian kernels only");
        }
        if (h.pageSizeField() == PAGE_16K) {
            throw new IllegalArgumentException("arm64 Image built for 16K pages: the emulated Cortex-A57 has no 16K granule (4K and 64K only)");
        }
        if (Long.compareUnsigned(h.textOffset, MemoryMap.Virt.IMAGE_ALIGN) >= 0 || (h.textOffset & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format(
                    "corrupt arm64 Image: text_offset 0x%x is not a 4 KiB-aligned offset below 2 MiB", h.textOffset));
        }
        return h;
    }

    /** Whether file starts with the gzip magic (1f 8b). */
    public static boolean isGzip(byte[] file) {
        return file.length >= 2 && (file[0] & 0xFF) == 0x1F && (file[1] & 0xFF) == 0x8B;
    }

    /**
     * A kernel file as it is loaded: inflated if it is gzip, itself otherwise
     * (the same array). A recording keeps the file as given (its size and
     * SHA-256); replay inflates it again.
     * @throws IllegalArgumentException if the gzip data is corrupt, truncated,
     *         or inflates past {@link #MAX_GUNZIPPED_SIZE}
     */
    public static byte[] gunzipIfCompressed(byte[] file) {
        return gunzipIfCompressed(file, MAX_GUNZIPPED_SIZE);
    }

    static byte[] gunzipIfCompressed(byte[] file, int limit) {
        if (!isGzip(file)) return file;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, file.length * 3L));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file), 64 << 10)) {
            byte[] buf = new byte[64 << 10];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > limit) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "gzip-compressed kernel inflates past %d bytes (%d MiB, QEMU's limit too): not loaded", limit, limit >> 20));
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt gzip-compressed kernel (" + file.length + " bytes): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (out.size() == 0) throw new IllegalArgumentException("gzip-compressed kernel inflates to nothing");
        return out.toByteArray();
    }

    /** QEMU's test (load_aarch64_image): the magic and a non-zero image_size; null otherwise. */
    public static LinuxImage looksLike(byte[] file) {
        if (file.length < HEADER_SIZE) return null;
        ByteBuffer b = le(file);
        if (b.getInt(MAGIC_OFFSET) != MAGIC || b.getLong(16) == 0) return null;
        return new LinuxImage(b.getLong(8), b.getLong(16), b.getLong(24));
    }

    /**
     * The Image's offset from the start of RAM, as QEMU places it: text_offset,
     * moved up by 2 MiB if it would overlap QEMU's boot stub at the bottom of RAM.
     */
    public long loadOffset() {
        return Long.compareUnsigned(textOffset, MemoryMap.Virt.BOOTLOADER_MAX_SIZE) < 0 ? textOffset + MemoryMap.Virt.IMAGE_ALIGN : textOffset;
    }

    /** flags bits 1-2. */
    public int pageSizeField() {
        return (int) (flags >>> PAGE_SIZE_SHIFT) & 3;
    }

    public String pageSize() {
        return PAGE_SIZES[pageSizeField()];
    }

    /** flags bit 3: the kernel may sit anywhere in RAM (1) or near its start (0); QEMU's placement satisfies both. */
    public boolean placeAnywhere() {
        return (flags & 8) != 0;
    }

    private static ByteBuffer le(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    }
}
