package io.deja.analysis.perfetto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The binary file the UI keeps its index in: little-endian primitives, strings
 * and whole arrays, copied in 1 MiB chunks (an index of ten million events is
 * hundreds of MB: per-value stream calls would cost more than rebuilding it).
 * The file ends with the CRC32C of everything before it and a closing magic,
 * so a truncated or damaged file is {@link Damaged}, never trusted: the
 * reader checks the CRC before anything is read, and every length against
 * the bytes left before allocating.
 */
public final class IndexFile {
    private IndexFile() {}

    private static final long END_MAGIC = 0x444e452d49555f4aL; // "J_UI-END"
    private static final int CHUNK = 1 << 20;

    /** The file is truncated, damaged, or not an index: what is wrong with it. */
    public static final class Damaged extends IOException {
        public Damaged(String message) {
            super(message);
        }
    }

    /** Writes an index file. */
    public static final class Out implements AutoCloseable {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        public Out(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) drain();
        }

        private void drain() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) ch.write(buf);
            buf.clear();
        }

        public Out i32(int v) throws IOException {
            room(4);
            buf.putInt(v);
            return this;
        }

        public Out i64(long v) throws IOException {
            room(8);
            buf.putLong(v);
            return this;
        }

        public Out bool(boolean v) throws IOException {
            return i32(v ? 1 : 0);
        }

        public Out str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            for (int at = 0; at < b.length; ) {
                if (!buf.hasRemaining()) drain();
                int k = Math.min(buf.remaining(), b.length - at);
                buf.put(b, at, k);
                at += k;
            }
            return this;
        }

        /** The first n longs of a, after their count. */
        public Out longs(long[] a, int n) throws IOException {
            i32(n);
            for (int at = 0; at < n; ) {
                if (buf.remaining() < 8) drain();
                int k = Math.min(buf.remaining() / 8, n - at);
                buf.asLongBuffer().put(a, at, k);
                buf.position(buf.position() + k * 8);
                at += k;
            }
            return this;
        }

        /** The first n bytes of a, after their count. */
        public Out bytes(byte[] a, int n) throws IOException {
            i32(n);
            for (int at = 0; at < n; ) {
                if (!buf.hasRemaining()) drain();
                int k = Math.min(buf.remaining(), n - at);
                buf.put(a, at, k);
                at += k;
            }
            return this;
        }

        /** The first n ints of a, after their count. */
        public Out ints(int[] a, int n) throws IOException {
            i32(n);
            for (int at = 0; at < n; ) {
                if (buf.remaining() < 4) drain();
                int k = Math.min(buf.remaining() / 4, n - at);
                buf.asIntBuffer().put(a, at, k);
                buf.position(buf.position() + k * 4);
                at += k;
            }
            return this;
        }

        /** Writes the CRC and the closing magic, and forces the file to disk. */
        @Override
        public void close() throws IOException {
            try (ch) {
                drain();
                ByteBuffer tail = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
                tail.putInt((int) crc.getValue()).putLong(END_MAGIC).flip();
                while (tail.hasRemaining()) ch.write(tail);
                ch.force(false);
            }
        }
    }

    /**
     * Reads an index file written by {@link Out}, mapped into memory: the CRC is
     * checked over the whole file when it is opened (a few tens of ms for
     * hundreds of MB), arrays are copied out of the mapping, and
     * {@link #mappedBytes} leaves a large array in the file, read on demand.
     */
    public static final class In implements AutoCloseable {
        private static final java.lang.foreign.ValueLayout.OfLong LONG = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final java.lang.foreign.ValueLayout.OfInt INT = java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private final Path file;
        private final java.lang.foreign.MemorySegment map;
        /** Bytes of payload: the file without its 12-byte trailer. */
        private final long payload;
        private long at;

        public In(Path file) throws IOException {
            this.file = file;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < 12) throw new Damaged("truncated (" + size + " bytes)");
                // unmapped when the index that reads its arguments from it is collected
                map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, java.lang.foreign.Arena.ofAuto());
                payload = size - 12;
            }
            if (map.get(LONG, payload + 4) != END_MAGIC) throw new Damaged("its end marker is missing (truncated or not an index)");
            CRC32C crc = new CRC32C();
            for (long pos = 0; pos < payload; pos += Integer.MAX_VALUE) {
                crc.update(map.asSlice(pos, Math.min(Integer.MAX_VALUE, payload - pos)).asByteBuffer());
            }
            if (map.get(INT, payload) != (int) crc.getValue()) throw new Damaged("its CRC does not match (damaged)");
        }

        private long take(long bytes) throws Damaged {
            if (bytes < 0 || bytes > payload - at) throw new Damaged("truncated");
            long p = at;
            at += bytes;
            return p;
        }

        private int count(int elementBytes) throws IOException {
            int n = i32();
            if (n < 0 || (long) n * elementBytes > payload - at) throw new Damaged("a length of " + n + " runs past the end");
            return n;
        }

        public int i32() throws IOException {
            return map.get(INT, take(4));
        }

        public long i64() throws IOException {
            return map.get(LONG, take(8));
        }

        public boolean bool() throws IOException {
            int v = i32();
            if (v != 0 && v != 1) throw new Damaged("a flag holds " + v);
            return v == 1;
        }

        public String str() throws IOException {
            int n = count(1);
            byte[] b = new byte[n];
            java.lang.foreign.MemorySegment.copy(map, java.lang.foreign.ValueLayout.JAVA_BYTE, take(n), b, 0, n);
            return new String(b, StandardCharsets.UTF_8);
        }

        /** An array written by {@link Out#longs}. */
        public long[] longs() throws IOException {
            int n = count(8);
            long[] a = new long[n];
            java.lang.foreign.MemorySegment.copy(map, LONG, take(8L * n), a, 0, n);
            return a;
        }

        public int[] ints() throws IOException {
            int n = count(4);
            int[] a = new int[n];
            java.lang.foreign.MemorySegment.copy(map, INT, take(4L * n), a, 0, n);
            return a;
        }

        /** An array written by {@link Out#bytes}, left in the mapped file. */
        public java.lang.foreign.MemorySegment mappedBytes() throws IOException {
            int n = count(1);
            return map.asSlice(take(n), n);
        }

        /** Checks that everything was read: a file with bytes left over is not what the reader expects. */
        public void finish() throws IOException {
            if (at != payload) throw new Damaged((payload - at) + " bytes left over");
        }

        public Path file() {
            return file;
        }

        @Override
        public void close() {
            // the mapping lives as long as what was read from it
        }
    }
}
