package io.deja.recorder;

import io.deja.core.trace.CpuBoundSink;
import io.deja.core.trace.EncodingSink;
import io.deja.core.trace.EventType;
import io.deja.core.trace.SlotSink;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static io.deja.recorder.RecordingFormat.*;
import static io.deja.core.trace.TraceSink.REG_NZCV;

/**
 * Writes a recording: the header, then every event the machine reports,
 * packed into batches (see {@link RecordingFormat}). A batch is handed to a
 * background thread that writes it to the queue when it reaches
 * {@link RecordingFormat#BATCH_BYTES}, at every checkpoint and at
 * {@link #close()}: what a kill -9 loses is the events since the last
 * checkpoint, plus at most the few batches still waiting for that thread
 * (Chronicle's page faults on a growing file cost as much as the encoding, so
 * they are taken off the machine's thread).
 *
 * The per-instruction methods (insn, regWrite, memWrite) only write bytes
 * into an array; nothing allocates per event. Not thread-safe: one machine,
 * one thread.
 */
public final class RecordingWriter extends EncodingSink implements CpuBoundSink.Target, AutoCloseable {
    /**
     * Room after BATCH_BYTES for the largest event without data (a CPU switch of at most 10
     * bytes, its code, and a varint of at most 9 per field) and a varint's 8-byte store.
     */
    private static final int SLACK = 128;

    static {
        // A new event type with many fields must not outgrow the slack (checked once, at class load).
        if (10 + 1 + 9 * EventType.MAX_FIELDS + 8 > SLACK) throw new ExceptionInInitializerError("RecordingWriter.SLACK is too small for " + EventType.MAX_FIELDS + " fields");
    }

    /** Batches in flight between the machine's thread and the I/O thread (back-pressure beyond that). */
    private static final int BUFFERS = 8;

    private final Path dir;
    private final ChronicleQueue queue;
    private final RecordingHeader header;
    private final ArrayBlockingQueue<Batch> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final ArrayBlockingQueue<Batch> free = new ArrayBlockingQueue<>(BUFFERS);
    private final Thread ioThread;
    private volatile Throwable ioError;
    private final AtomicLong written = new AtomicLong();
    /** Released once the header is in the queue's file, or writing it failed (ioError). */
    private final java.util.concurrent.CountDownLatch headerWritten = new java.util.concurrent.CountDownLatch(1);
    private long handedOff;

    private Batch current;
    private byte[] buf;
    private int pos;
    private int count;
    private long mask;
    private long firstIcount;
    /** The CPU of the events being reported (onCpu), and the one the batch's events are tagged with so far. */
    private int cpu;
    private int batchCpu;
    // Delta state; restarts at every batch (readers do the same).
    private long prevIcount;
    private long prevPc;
    private long prevAddr;
    private final long[] regs = new long[256];
    private final long[] cachePc = new long[OPCODE_CACHE];
    private final int[] cacheOp = new int[OPCODE_CACHE];
    private final long[] recent = new long[RECENT];
    private int recentCount;

    /** Events in the batches already handed off (the current batch adds count). */
    private long eventsFlushed;
    private long batches;
    private long payloadBytes;
    private boolean closed;

    /** One batch on its way to the queue. */
    private static final class Batch {
        byte[] buf = new byte[BATCH_BYTES + SLACK];
        int length;
        int count;
        long mask;
        long first;
        long last;
    }

    private static final Batch END_OF_STREAM = new Batch();

    private RecordingWriter(Path dir, RecordingHeader header) {
        this.dir = dir;
        this.header = header;
        this.queue = QueueDirectory.create(dir, header.traceLevel());
        for (int i = 0; i < BUFFERS - 1; i++) free.add(new Batch());
        current = new Batch();
        buf = current.buf;
        resetState();
        byte[] h = HeaderCodec.encode(header);
        // Chronicle's page faults on a fresh file cost as much as the encoding: they happen
        // on this thread while the machine runs on the caller's.
        ioThread = new Thread(() -> writeLoop(h), "deja-recording-writer");
        ioThread.setDaemon(true);
        ioThread.start();
        // Chronicle's set-up (mapping the file, its own headers, ours) takes milliseconds of CPU:
        // done before the machine starts rather than beside it, and a failure is reported here.
        try {
            headerWritten.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(dir + ": interrupted while creating the recording", e);
        }
        if (ioError != null) {
            Throwable t = ioError;
            stopIoThreadAndCloseQueue();
            throw new RecordingException(dir.resolve(CYCLE_FILE) + ": cannot write the recording's header (" + QueueDirectory.oneLine(t) + ")", t);
        }
    }

    private void writeLoop(byte[] headerDoc) {
        try {
            writeAll(headerDoc);
        } finally {
            headerWritten.countDown(); // if the header could not be written, open() reports ioError
        }
    }

    private void writeAll(byte[] headerDoc) {
        CRC32C crc = new CRC32C();
        try (ExcerptAppender appender = queue.createAppender()) {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(headerDoc);
            }
            headerWritten.countDown();
            for (;;) {
                Batch b = full.take();
                if (b == END_OF_STREAM) return;
                if (ioError == null) {
                    crc.reset();
                    crc.update(b.buf, 0, b.length);
                    try (DocumentContext dc = appender.writingDocument()) {
                        Bytes<?> out = dc.wire().bytes();
                        out.writeByte(DOC_BATCH);
                        out.writeInt(b.length);
                        out.writeInt((int) crc.getValue());
                        out.writeInt(b.count);
                        out.writeLong(b.mask);
                        out.writeLong(b.first);
                        out.writeLong(b.last);
                        out.write(b.buf, 0, b.length);
                    }
                }
                written.incrementAndGet();
                free.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            ioError = t;
            headerWritten.countDown(); // before draining: open() may be waiting to report this
            // Keep draining so the machine's thread never blocks on a dead writer.
            try {
                for (;;) {
                    Batch b = full.take();
                    if (b == END_OF_STREAM) return;
                    written.incrementAndGet();
                    free.put(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Creates dir (if needed) and a recording in it, and writes the header.
     * @throws RecordingException if dir already holds a recording or cannot be created
     */
    public static RecordingWriter open(Path dir, RecordingHeader header) {
        return new RecordingWriter(dir, header);
    }

    public RecordingHeader header() { return header; }
    public Path directory() { return dir; }
    /** Events written so far (including those still in the current batch). */
    public long events() { return eventsFlushed + count; }
    /** Encoded event bytes so far (batch payloads, without Chronicle's and the batch prefixes' overhead). */
    public long payloadBytes() { return payloadBytes + pos; }
    public long batches() { return batches; }

    /**
     * The sink CPU cpu reports to, on a machine with several CPUs: its events are
     * tagged with its number. On a machine with one CPU the writer itself is that
     * sink (its events are CPU 0's unless told otherwise).
     */
    public CpuBoundSink sinkForCpu(int cpu) {
        return new CpuBoundSink(this, cpu);
    }

    // ---- Events ---------------------------------------------------------------------------------
    @Override
    public void onCpu(int cpu) {
        this.cpu = cpu;
    }

    // The generic form of every event, in the order its declaration gives (see EncodingSink).
    @Override
    protected void reserve(int n) {
        ensureRoom(n);
    }

    /** Starts an event with its generic code: flushes a full batch, writes the CPU if it changed, the code and the icount delta. */
    @Override
    protected void begin(EventType type, long icount) {
        if (pos >= BATCH_BYTES) flush();
        byte[] b = buf;
        int p = pos;
        if (cpu != batchCpu) {
            b[p++] = (byte) CPU_SWITCH;
            p = varint(b, p, cpu);
            batchCpu = cpu;
        }
        b[p++] = (byte) type.code;
        pos = zz(b, p, icount - prevIcount);
        track(type.code, icount);
    }

    @Override
    protected void putU8(int value) {
        buf[pos++] = (byte) value;
    }

    @Override
    protected void putVarint(long value) {
        pos = zz(buf, pos, value);
    }

    @Override
    protected void putPc(long pc) {
        pos = zz(buf, pos, pc - prevPc);
        prevPc = pc;
    }

    @Override
    protected void putBytes(byte[] value) {
        int p = varint(buf, pos, value.length);
        System.arraycopy(value, 0, buf, p, value.length);
        pos = p + value.length;
    }

    @Override
    protected void putLongs(long[] value) {
        byte[] b = buf;
        int p = varint(b, pos, value.length * 8L);
        for (long v : value) {
            putLongLE(b, p, v);
            p += 8;
        }
        pos = p;
    }

    /** A checkpoint and END end the batch, so that a recording cut short ends at a checkpoint. */
    @Override
    protected void finish(EventType type) {
        if (type == EventType.CHECKPOINT || type == EventType.END) flush();
    }

    /** WFI and WFE have a compact form (arm64_simple records 20 M of these a second); the rest are generic. */
    @Override
    public void exit(long icount, long pc, int kind, long arg0, long arg1, long arg2) {
        if ((arg0 | arg1 | arg2) != 0 || kind < 0 || kind >= 16 || cpu != batchCpu) {
            super.exit(icount, pc, kind, arg0, arg1, arg2);
            return;
        }
        if (pos >= BATCH_BYTES) flush();
        byte[] b = buf;
        int p = pos;
        b[p++] = (byte) (EXIT_NO_ARGS + kind);
        p = zz(b, p, icount - prevIcount);
        p = zz(b, p, pc - prevPc);
        prevPc = pc;
        pos = p;
        track(EventType.EXIT.code, icount);
    }

    /** The next instruction (icount + 1) has a compact form; any other is generic. */
    @Override
    public void insn(long icount, long pc, int opcode) {
        if (pos >= BATCH_BYTES) flush();
        if (icount != prevIcount + 1 || cpu != batchCpu) {
            super.insn(icount, pc, opcode);
            // The compact forms' state follows every event of their type, in either form (as the reader's).
            int i = (int) (pc >>> 2) & (OPCODE_CACHE - 1);
            cachePc[i] = pc;
            cacheOp[i] = opcode;
            return;
        }
        byte[] b = buf;
        int p = pos;
        int i = (int) (pc >>> 2) & (OPCODE_CACHE - 1);
        boolean hit = cachePc[i] == pc && cacheOp[i] == opcode;
        if (pc == prevPc + 4) {
            b[p++] = (byte) (hit ? INSN_SEQ_HIT : INSN_SEQ);
        } else {
            b[p++] = (byte) (hit ? INSN_JUMP_HIT : INSN_JUMP);
            p = zz(b, p, pc - prevPc);
        }
        if (!hit) {
            putIntLE(b, p, opcode);
            p += 4;
            cachePc[i] = pc;
            cacheOp[i] = opcode;
        }
        pos = p;
        prevPc = pc;
        track(EventType.INSN.code, icount);
    }

    /**
     * Kept small so that the JIT inlines it into the traced run loop: the common
     * case (another register of the same instruction, X0-X30 or SP) here, the rest in
     * {@link #regWriteSlow}.
     */
    @Override
    public void regWrite(long icount, int reg, long value) {
        int p = pos;
        if (icount != prevIcount || count == 0 || p >= BATCH_BYTES || (reg & ~31) != 0 || cpu != batchCpu) {
            regWriteSlow(icount, reg, value);
            return;
        }
        byte[] b = buf;
        long d = value - regs[reg];
        regs[reg] = value;
        recent[recentCount++ & (RECENT - 1)] = value;
        b[p] = (byte) (REG_WRITE_SAME + reg);
        pos = varint(b, p + 1, (d << 1) ^ (d >> 63));
        count++;
        mask |= 1L << EventType.REG_WRITE.code;
    }

    private void regWriteSlow(long icount, int reg, long value) {
        if (pos >= BATCH_BYTES) flush();
        int r = reg & 0xFF;
        if (icount != prevIcount || count == 0 || r > REG_NZCV || cpu != batchCpu) {
            super.regWrite(icount, reg, value);
            regs[r] = value;
            if (r < REG_NZCV) recent[recentCount++ & (RECENT - 1)] = value;
            return;
        }
        byte[] b = buf;
        int p = pos;
        if (r == REG_NZCV && (value & ~0xF000_0000L) == 0) {
            b[p++] = (byte) (NZCV_SAME + (int) (value >>> 28));
        } else {
            b[p++] = (byte) (REG_WRITE_SAME + r);
            p = zz(b, p, value - regs[r]);
        }
        regs[r] = value;
        if (r < REG_NZCV) recent[recentCount++ & (RECENT - 1)] = value;
        pos = p;
        track(EventType.REG_WRITE.code, icount);
    }

    /** As regWrite: the common case (a store of 1, 2, 4 or 8 bytes by the current instruction) inline. */
    @Override
    public void memWrite(long icount, long address, int size, long value) {
        int p = pos;
        if (icount != prevIcount || count == 0 || p >= BATCH_BYTES || Integer.bitCount(size) != 1 || size > 8 || cpu != batchCpu) {
            memWriteSlow(icount, address, size, value);
            return;
        }
        byte[] b = buf;
        int log = Integer.numberOfTrailingZeros(size);
        long bits = -1L >>> (64 - 8 * size);
        int k = 0;
        int n = recentCount;
        while (k < RECENT && (recent[(n - 1 - k) & (RECENT - 1)] & bits) != value) k++;
        b[p] = (byte) (MEM_WRITE_SAME | log << 3 | Math.min(k, MEM_VALUE_EXPLICIT));
        long d = address - prevAddr;
        p = varint(b, p + 1, (d << 1) ^ (d >> 63));
        if (k >= RECENT) p = zz(b, p, value);
        prevAddr = address;
        pos = p;
        count++;
        mask |= 1L << EventType.MEM_WRITE.code;
    }

    private void memWriteSlow(long icount, long address, int size, long value) {
        if (pos >= BATCH_BYTES) flush();
        if (icount == prevIcount && count != 0 && Integer.bitCount(size) == 1 && size <= 8 && cpu == batchCpu) {
            memWrite(icount, address, size, value);
        } else {
            super.memWrite(icount, address, size, value);
            prevAddr = address;
        }
    }

    /**
     * Writes one event given field by field, in the order of type.fields
     * (a BYTES or LONGS field comes from data; its slot in values is ignored),
     * through the TraceSink method of its type. For copying and re-encoding
     * recordings and for tests; the machine calls the TraceSink methods.
     */
    public void write(EventType type, long[] v, byte[] data) {
        SlotSink.call(this, type, v, data);
    }

    /** Copies the current event of a cursor (of any recording) into this one, with its CPU. */
    public void copy(EventCursor from) {
        EventType t = from.type();
        long[] v = new long[t.size()];
        byte[] data = null;
        for (int f = 0; f < v.length; f++) {
            if (f == t.payload) data = from.bytes(f);
            else v[f] = from.i64(f);
        }
        int was = cpu;
        onCpu(from.cpu());
        write(t, v, data);
        onCpu(was);
    }

    // ---- Batches -----------------------------------------------------------------------------
    private void track(int code, long icount) {
        if (count == 0) firstIcount = icount;
        count++;
        mask |= 1L << code;
        prevIcount = icount;
    }

    /** Makes room for an event carrying n bytes of data (inputs and checkpoints), flushing or growing the buffer. */
    private void ensureRoom(int n) {
        if (pos + n + SLACK > buf.length) flush();
        if (n + SLACK > buf.length) buf = new byte[n + SLACK]; // becomes this batch's buffer at flush
    }

    /** Hands the current batch (if any) to the I/O thread, which writes it to the queue as one document. */
    public void flush() {
        checkIo();
        if (count == 0) return;
        Batch b = current;
        b.buf = buf;
        b.length = pos;
        b.count = count;
        b.mask = mask;
        b.first = firstIcount;
        b.last = prevIcount;
        batches++;
        payloadBytes += pos;
        eventsFlushed += count;
        handedOff++;
        try {
            full.put(b);
            current = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(dir + ": interrupted while writing the recording", e);
        }
        buf = current.buf;
        resetState();
    }

    /** Waits until every batch flushed so far is in the queue's file (for tests that copy a recording being written). */
    public void sync() {
        while (written.get() < handedOff && ioThread.isAlive()) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        checkIo();
    }

    private void checkIo() {
        Throwable t = ioError;
        if (t != null) {
            throw new RecordingException(dir.resolve(CYCLE_FILE) + ": writing the recording failed (" + QueueDirectory.oneLine(t) + ")", t);
        }
    }

    private void resetState() {
        pos = 0;
        count = 0;
        mask = 0;
        prevIcount = 0;
        prevPc = 0;
        prevAddr = 0;
        batchCpu = 0;
        Arrays.fill(regs, 0);
        Arrays.fill(cachePc, -1);
        Arrays.fill(cacheOp, 0);
        Arrays.fill(recent, 0);
        recentCount = 0;
    }

    /** Flushes the last batch and closes the queue. Does not write an END event (call {@link #end} first). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (ioError == null) flush();
        } finally {
            stopIoThreadAndCloseQueue();
        }
        checkIo();
        QueueDirectory.shrink(dir);
    }

    private void stopIoThreadAndCloseQueue() {
        try {
            full.put(END_OF_STREAM);
            ioThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.close();
    }

    // ---- Varints -------------------------------------------------------------------------------
    static int zz(byte[] b, int p, long v) {
        return varint(b, p, (v << 1) ^ (v >> 63));
    }

    /** See {@link RecordingFormat}: one byte below 0xF0, else 0xEF + n and n little-endian bytes (one 8-byte store). */
    static int varint(byte[] b, int p, long u) {
        if (Long.compareUnsigned(u, VARINT_ONE_BYTE) < 0) {
            b[p] = (byte) u;
            return p + 1;
        }
        int n = (71 - Long.numberOfLeadingZeros(u)) >>> 3;
        b[p] = (byte) (VARINT_ONE_BYTE - 1 + n);
        putLongLE(b, p + 1, u);
        return p + 1 + n;
    }

    // Plain byte stores, which C2 merges into one 4- or 8-byte store (MergeStores): no
    // VarHandle for the inliner to give up on inside the machine's large run loop.
    static void putIntLE(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    static void putLongLE(byte[] b, int p, long v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
        b[p + 4] = (byte) (v >>> 32);
        b[p + 5] = (byte) (v >>> 40);
        b[p + 6] = (byte) (v >>> 48);
        b[p + 7] = (byte) (v >>> 56);
    }
}
