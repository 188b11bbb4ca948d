package io.deja.recorder;

import io.deja.core.trace.EventType;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.zip.CRC32C;

import static io.deja.recorder.RecordingFormat.*;
import static io.deja.core.trace.TraceSink.REG_NZCV;

/**
 * Decodes the batches of a recording (see {@link RecordingFormat}) one event
 * at a time. Each batch is copied out of the queue into one reusable array,
 * checked against its CRC, and decoded in place.
 */
final class BatchCursor implements EventCursor {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final EventType[] TYPES = new EventType[256];

    static {
        for (EventType t : EventType.values()) TYPES[t.code] = t;
    }

    private static final int C_EXIT = EventType.EXIT.code;
    private static final int C_INSN = EventType.INSN.code;
    private static final int C_REG_WRITE = EventType.REG_WRITE.code;
    private static final int C_MEM_WRITE = EventType.MEM_WRITE.code;

    private final Recording recording;
    private final ExcerptTailer tailer;
    private final long from;
    /** Bit per EventType code wanted; all bits when not filtering. */
    private final long wanted;
    private final CRC32C crc = new CRC32C();

    private byte[] buf = new byte[BATCH_BYTES + 256];
    private int p;
    private int end;
    private long batch = -1;
    /** The last icount of the batches before the current one (-1: none yet): where the intact part ends if this one is damaged. */
    private long intactTo = -1, previousLast = -1;
    private boolean sawEnd;
    private boolean done;
    private boolean closed;

    // Delta state, as the writer's.
    private long prevIcount;
    private long prevPc;
    private long prevAddr;
    private final long[] regs = new long[256];
    private final long[] cachePc = new long[OPCODE_CACHE];
    private final int[] cacheOp = new int[OPCODE_CACHE];
    private final long[] recent = new long[RECENT];
    private int recentCount;

    /** The current event's EventType code (an int, not the enum: no reference store per event). */
    private int code;
    private final long[] v = new long[EventType.MAX_FIELDS];
    /** The CPU of the current event (of the events that follow, while decoding). */
    private int cpu;
    private int bytesOffset;
    private int bytesLength;

    BatchCursor(Recording recording, ExcerptTailer tailer, long from, EnumSet<EventType> types) {
        this.recording = recording;
        this.tailer = tailer;
        this.from = from;
        long w = 0;
        for (EventType t : types == null ? EnumSet.allOf(EventType.class) : types) w |= 1L << t.code;
        this.wanted = w;
        // The first document is the header.
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) done = true;
        }
    }

    @Override
    public boolean next() {
        if (done) return false;
        try {
            for (;;) {
                while (p < end) {
                    decode();
                    if ((wanted & (1L << code)) != 0 && v[0] >= from) return true;
                }
                if (!loadBatch()) {
                    done = true;
                    code = 0;
                    return false;
                }
            }
        } catch (RecordingException e) {
            done = true;
            throw e;
        } catch (InternalError e) {
            // Chronicle reads the file through a mapping: a file cut inside a document faults here.
            done = true;
            throw corrupted("the file ends inside it: truncated or damaged file");
        } catch (RuntimeException e) {
            done = true;
            throw corrupted("undecodable event (" + QueueDirectory.oneLine(e) + ")");
        }
    }

    private boolean loadBatch() {
        for (;;) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) return false;
                // A document the file does not hold in full (cut inside it): the recording ends before it.
                if (batch + 1 >= recording.completeBatches()) return false;
                batch++;
                Bytes<?> in = dc.wire().bytes();
                long size = in.readRemaining();
                if (size < BATCH_PREFIX || in.readByte() != DOC_BATCH) throw corrupted("not an event batch");
                int length = in.readInt();
                int sum = in.readInt();
                in.readInt(); // event count
                long mask = in.readLong();
                in.readLong(); // first icount
                long last = in.readLong();
                intactTo = previousLast;
                // The batch prefix is outside the checksum: a damaged last icount must not stretch the intact part.
                if (last >= previousLast) previousLast = last;
                if (length < 0 || length != size - BATCH_PREFIX) throw corrupted("its length field says " + Plural.count(length, "byte") + ", it holds " + (size - BATCH_PREFIX));
                if (sawEnd) throw corrupted("it comes after the END event, which ends a run: anything after it is not part of the recording");
                if ((mask & (1L << EventType.END.code)) != 0) sawEnd = true;
                if ((mask & wanted) == 0 || last < from) continue;
                // Room after the payload: a varint is read as one 8-byte load.
                if (buf.length < length + 16) buf = new byte[length + 16];
                in.read(buf, 0, length);
                crc.reset();
                crc.update(buf, 0, length);
                if ((int) crc.getValue() != sum) throw corrupted("checksum mismatch");
                p = 0;
                end = length;
                prevIcount = 0;
                prevPc = 0;
                prevAddr = 0;
                cpu = 0;
                Arrays.fill(regs, 0);
                Arrays.fill(cachePc, -1);
                Arrays.fill(cacheOp, 0);
                Arrays.fill(recent, 0);
                recentCount = 0;
                return true;
            }
        }
    }

    private RecordingException corrupted(String why) {
        String intact = intactTo < 0 ? "; no event before it survives"
                : String.format(java.util.Locale.ROOT, "; the events before it, to icount %,d, are intact", intactTo);
        return new RecordingException(recording.where() + ": event batch " + batch + " is corrupted (" + why + ")" + intact, intactTo);
    }

    private void decode() {
        final byte[] b = buf;
        final long[] v = this.v;
        int wire = b[p++] & 0xFF;
        while (wire == CPU_SWITCH) {
            long c = varint();
            if (c < 0 || c > Integer.MAX_VALUE) throw corrupted("CPU number " + c);
            cpu = (int) c;
            if (p >= end) throw corrupted("a CPU number with no event after it");
            wire = b[p++] & 0xFF;
        }
        switch (wire) {
            case INSN_SEQ_HIT, INSN_SEQ, INSN_JUMP_HIT, INSN_JUMP -> {
                code = C_INSN;
                long pc = wire == INSN_SEQ_HIT || wire == INSN_SEQ ? prevPc + 4 : prevPc + zz();
                long icount = prevIcount + 1;
                int i = (int) (pc >>> 2) & (OPCODE_CACHE - 1);
                int op;
                if (wire == INSN_SEQ_HIT || wire == INSN_JUMP_HIT) {
                    op = cacheOp[i];
                } else {
                    op = fixed32();
                    cachePc[i] = pc;
                    cacheOp[i] = op;
                }
                v[0] = prevIcount = icount;
                v[1] = prevPc = pc;
                v[2] = op;
            }
            default -> {
                if (wire >= REG_WRITE_SAME && wire <= REG_WRITE_SAME + REG_NZCV) {
                    regWrite(prevIcount, wire - REG_WRITE_SAME);
                    return;
                }
                if (wire >= NZCV_SAME && wire < NZCV_SAME + 16) {
                    code = C_REG_WRITE;
                    long value = (long) (wire - NZCV_SAME) << 28;
                    regs[REG_NZCV] = value;
                    v[0] = prevIcount;
                    v[1] = REG_NZCV;
                    v[2] = value;
                    return;
                }
                if ((wire & 0xE0) == MEM_WRITE_SAME) {
                    memWriteSame(wire);
                    return;
                }
                if (wire >= EXIT_NO_ARGS) {
                    code = C_EXIT;
                    long icount = prevIcount + zz();
                    v[0] = prevIcount = icount;
                    pc();
                    v[2] = wire - EXIT_NO_ARGS;
                    v[3] = 0;
                    v[4] = 0;
                    v[5] = 0;
                    return;
                }
                EventType t = TYPES[wire];
                if (t == null) throw corrupted("unknown event code " + wire);
                code = wire;
                long icount = prevIcount + zz();
                v[0] = icount;
                for (int f = 1, n = t.size(); f < n; f++) {
                    switch (t.type(f)) {
                        case U8, BOOL -> v[f] = u8();
                        case I32, I64 -> v[f] = zz();
                        case PC -> v[f] = prevPc += zz();
                        case BYTES, LONGS -> {
                            bytesField();
                            v[f] = 0;
                        }
                    }
                }
                prevIcount = icount;
                switch (t) {
                    // The compact forms' state follows every event of their types, in either form (as the writer's).
                    case INSN -> {
                        int i = (int) (v[1] >>> 2) & (OPCODE_CACHE - 1);
                        cachePc[i] = v[1];
                        cacheOp[i] = (int) v[2];
                    }
                    case REG_WRITE -> {
                        int r = (int) v[1];
                        regs[r] = v[2];
                        if (r < REG_NZCV) recent[recentCount++ & (RECENT - 1)] = v[2];
                    }
                    case MEM_WRITE -> prevAddr = v[1];
                    default -> { }
                }
            }
        }
    }

    private void regWrite(long icount, int r) {
        code = C_REG_WRITE;
        long value = regs[r] + zz();
        regs[r] = value;
        if (r < REG_NZCV) recent[recentCount++ & (RECENT - 1)] = value;
        v[0] = prevIcount = icount;
        v[1] = r;
        v[2] = value;
    }

    private void memWriteSame(int wire) {
        code = C_MEM_WRITE;
        int log = (wire >>> 3) & 3;
        int k = wire & 7;
        long address = prevAddr + zz();
        prevAddr = address;
        long value;
        if (k == MEM_VALUE_EXPLICIT) {
            value = zz();
        } else if (k < RECENT) {
            long mask = log == 3 ? -1L : (1L << (8 << log)) - 1;
            value = recent[(recentCount - 1 - k) & (RECENT - 1)] & mask;
        } else {
            throw corrupted("store value selector " + k);
        }
        v[0] = prevIcount;
        v[1] = address;
        v[2] = 1 << log;
        v[3] = value;
    }

    private long pc() {
        long pc = prevPc + zz();
        prevPc = pc;
        v[1] = pc;
        return pc;
    }

    private int u8() {
        return buf[p++] & 0xFF;
    }

    private int fixed32() {
        int q = p;
        p = q + 4;
        return (int) LE_INT.get(buf, q);
    }

    private long zz() {
        long u = varint();
        return (u >>> 1) ^ -(u & 1);
    }

    private long varint() {
        byte[] b = buf;
        int q = p;
        int t = b[q] & 0xFF;
        if (t < VARINT_ONE_BYTE) {
            p = q + 1;
            return t;
        }
        int n = t - (VARINT_ONE_BYTE - 1);
        if (n > 8) throw corrupted("varint tag 0x" + Integer.toHexString(t));
        long raw = (long) LE_LONG.get(b, q + 1);
        p = q + 1 + n;
        return n == 8 ? raw : raw & (-1L >>> (64 - 8 * n));
    }

    private void bytesField() {
        long n = varint();
        if (n < 0 || n > end - p) throw corrupted("a byte string of " + Plural.count(n, "byte") + " runs past the batch");
        bytesOffset = p;
        bytesLength = (int) n;
        p += (int) n;
    }

    // ---- EventCursor ----------------------------------------------------------------------------
    @Override
    public EventType type() {
        return TYPES[code];
    }

    @Override
    public long i64(int field) {
        return v[field];
    }

    @Override
    public int i32(int field) {
        return (int) v[field];
    }

    @Override
    public int u8(int field) {
        return (int) v[field] & 0xFF;
    }

    @Override
    public boolean bool(int field) {
        return v[field] != 0;
    }

    @Override
    public byte[] bytes(int field) {
        return Arrays.copyOfRange(buf, bytesOffset, bytesOffset + bytesLength);
    }

    @Override
    public boolean sameBytes(int field, byte[] data) {
        return data != null && Arrays.equals(buf, bytesOffset, bytesOffset + bytesLength, data, 0, data.length);
    }

    @Override
    public boolean sameLongs(int field, long[] values) {
        if (values == null || bytesLength != values.length * 8) return false;
        for (int i = 0; i < values.length; i++) {
            if ((long) LE_LONG.get(buf, bytesOffset + 8 * i) != values[i]) return false;
        }
        return true;
    }

    @Override
    public int cpu() {
        return cpu;
    }

    @Override
    public boolean truncated() {
        return !sawEnd;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        done = true;
        tailer.close();
        recording.forget(this);
    }
}
