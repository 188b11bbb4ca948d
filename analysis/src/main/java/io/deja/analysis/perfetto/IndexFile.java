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
 * so a truncated or damaged file is {@link Damaged}, never trusted: a reader
 * checks every length against the bytes left before allocating, and the
 * caller trusts what it read only once {@link In#finish()} has checked the CRC.
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

    /** Reads an index file written by {@link Out}. */
    public static final class In implements AutoCloseable {
        private final Path file;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        /** Bytes of payload (the file without its 12-byte trailer) not yet loaded into buf. */
        private long left;

        public In(Path file) throws IOException {
            this.file = file;
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 12) {
                ch.close();
                throw new Damaged("truncated (" + size + " bytes)");
            }
            left = size - 12;
            buf.limit(0);
        }

        private void need(int n) throws IOException {
            if (buf.remaining() >= n) return;
            buf.compact();
            while (buf.position() < n) {
                if (left == 0) throw new Damaged("truncated");
                int want = (int) Math.min(buf.remaining(), left);
                int start = buf.position();
                int got = ch.read(buf.limit(start + want));
                if (got <= 0) throw new Damaged("truncated");
                crc.update(buf.array(), start, got);
                left -= got;
                buf.limit(buf.capacity());
            }
            buf.flip();
        }

        /** Bytes not read yet, before the trailer. */
        private long available() {
            return buf.remaining() + left;
        }

        private int count(int elementBytes) throws IOException {
            int n = i32();
            if (n < 0 || (long) n * elementBytes > available()) throw new Damaged("a length of " + n + " runs past the end");
            return n;
        }

        public int i32() throws IOException {
            need(4);
            return buf.getInt();
        }

        public long i64() throws IOException {
            need(8);
            return buf.getLong();
        }

        public boolean bool() throws IOException {
            int v = i32();
            if (v != 0 && v != 1) throw new Damaged("a flag holds " + v);
            return v == 1;
        }

        public String str() throws IOException {
            int n = count(1);
            byte[] b = new byte[n];
            for (int at = 0; at < n; ) {
                need(1);
                int k = Math.min(buf.remaining(), n - at);
                buf.get(b, at, k);
                at += k;
            }
            return new String(b, StandardCharsets.UTF_8);
        }

        /** An array written by {@link Out#longs}. */
        public long[] longs() throws IOException {
            int n = count(8);
            long[] a = new long[n];
            for (int at = 0; at < n; ) {
                need(8);
                int k = Math.min(buf.remaining() / 8, n - at);
                buf.asLongBuffer().get(a, at, k);
                buf.position(buf.position() + k * 8);
                at += k;
            }
            return a;
        }

        public int[] ints() throws IOException {
            int n = count(4);
            int[] a = new int[n];
            for (int at = 0; at < n; ) {
                need(4);
                int k = Math.min(buf.remaining() / 4, n - at);
                buf.asIntBuffer().get(a, at, k);
                buf.position(buf.position() + k * 4);
                at += k;
            }
            return a;
        }

        /** Checks that everything was read and that the CRC matches: only then is what was read to be trusted. */
        public void finish() throws IOException {
            if (available() != 0) throw new Damaged(available() + " bytes left over");
            ByteBuffer tail = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (tail.hasRemaining()) {
                if (ch.read(tail, ch.size() - 12 + tail.position()) <= 0) throw new Damaged("truncated");
            }
            tail.flip();
            int stored = tail.getInt();
            long magic = tail.getLong();
            if (magic != END_MAGIC) throw new Damaged("its end marker is missing (truncated or not an index)");
            if (stored != (int) crc.getValue()) throw new Damaged("its CRC does not match (damaged)");
        }

        public Path file() {
            return file;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
