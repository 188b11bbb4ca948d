package io.deja.recorder;

/**
 * The on-disk layout of a recording, version {@value #VERSION}.
 *
 * <h2>Directory</h2>
 * One Chronicle Queue (binary wire) per recording. The queue's clock is fixed
 * at the epoch and its roll cycle is {@code FAST_DAILY}, so every recording is
 * exactly two files, {@value #CYCLE_FILE} (the documents) and
 * {@code metadata.cq4t} (Chronicle's own table store), whose names never
 * depend on when it was made. The writer cuts the zeros Chronicle preallocates
 * after the last document when it closes, so a finished recording's size is
 * what it holds. Any change to what follows, or to the event declarations
 * (sim-core/src/main/schema/events.schema), bumps {@link #VERSION}; readers
 * read their own version only and refuse any other with a message naming both
 * (version 1, before the one schema and CPU numbers, version 2, before V
 * registers, FPCR and FPSR were in full-level traces and checkpoints, and
 * version 3, before SVC events carried the system call registers, ERET events
 * existed and WFI exits said when their sleep ended, version 4, before
 * headers said how many CPUs and SLICE events ordered them, version 5,
 * before a debugger's writes were inputs (DEBUG_WRITE), and version 6, before
 * PSCI events said which function a call ran, are refused: re-record).
 *
 * <h2>Documents</h2>
 * Each document starts with a kind byte. The header body is Java DataOutput
 * (big-endian); a batch's integers are little-endian.
 * <pre>
 * header  'H'  magic "DEJA-REC" (8 bytes), i32 format version, then the
 *              header body (see HeaderCodec; its layout belongs to the version)
 * batch   'E'  i32 payload length, i32 CRC-32C of the payload, i32 event count,
 *              i64 mask of the event codes present (bit = EventType.code),
 *              i64 icount of the first event, i64 icount of the last, payload
 * </pre>
 * The header is the first document. Batches follow; each is self-contained
 * (all delta state below restarts at zero), so a reader can start at any
 * batch, skip batches by their mask or icount range, and a recording cut short
 * (kill -9) simply ends at its last complete batch: Chronicle never shows a
 * partial document and the CRC catches corruption of a complete one.
 *
 * <h2>Checkpoints</h2>
 * A recording opens with a checkpoint at icount 0 (the state before the first
 * instruction, ahead of any input recorded there), and a recording of a window
 * (a re-trace, traceFrom &gt; 0) has another at traceFrom, so every register's
 * value is known where its writes start being recorded. Then one every
 * checkpoint interval, and one just before END. (Recordings made before the
 * opening checkpoints existed lack them; readers take them as they are and the
 * replayer compares what is there.)
 *
 * <h2>Events in a batch payload</h2>
 * One wire code byte, then the fields of its {@link io.deja.core.trace.EventType}
 * in schema order. A varint is one byte for values below 0xF0, else a tag byte
 * 0xEF + n and the value in n little-endian bytes (n = 1..8; written and read
 * as one 8-byte access, so readers keep 8 spare bytes after a payload); a zig-zag
 * varint maps signed values to unsigned ones (0, -1, 1, -2...). For a code
 * equal to an EventType's code:
 * <ul>
 * <li>icount: zig-zag varint of the difference from the previous event's icount;</li>
 * <li>PC: zig-zag varint of the difference from the previous pc (of any event type);</li>
 * <li>I32 and I64: zig-zag varint;</li>
 * <li>U8 and BOOL: one byte; BYTES: varint length and the bytes; LONGS: varint length in
 *     bytes and the values as 8 little-endian bytes each.</li>
 * </ul>
 * This generic form is written and read from the declaration alone, so a new
 * event type needs no code here. The code {@value #CPU_SWITCH} is not an
 * event: a varint CPU number follows, the CPU of the events after it. Every
 * batch starts on CPU 0, so a one-CPU recording never holds it.
 * Compact codes (0x80 and up) cover the common cases at insns and full level
 * ("same icount" = the icount of the previous event in the batch):
 * <pre>
 * 0x80       INSN  icount+1, pc+4, opcode as last seen at this pc in the batch   (1 byte)
 * 0x81       INSN  icount+1, pc+4, opcode (4 bytes)
 * 0x82       INSN  icount+1, pc delta (zig-zag varint), opcode as last seen at this pc
 * 0x83       INSN  icount+1, pc delta, opcode (4 bytes)
 * 0x90+r     REG_WRITE same icount, register r (0-32), value delta from r's previous value
 *            (FPCR and FPSR, 33 and 34, change rarely: they take the generic form, as do
 *            VREG_WRITE events)
 * 0xC0|s<<3|k MEM_WRITE same icount, size 1<<s, address delta, then the value:
 *            k = 0-3: the k-th most recent value written to X0-X30/SP in the batch
 *            (truncated to the size), k = 4: zig-zag varint
 * 0xE0+f     REG_WRITE same icount of NZCV, value f<<28
 * 0xF0+k     EXIT of kind k (0-15) with all three arguments 0 (WFI, WFE): icount delta, pc delta
 * </pre>
 * "As last seen at this pc" is a direct-mapped cache of {@value #OPCODE_CACHE}
 * entries indexed by pc bits 2 and up, kept identically by writer and reader;
 * "recent values" is a ring of the last {@value #RECENT} register values
 * (REG_WRITE of registers 0-31, in any form).
 */
public final class RecordingFormat {
    private RecordingFormat() {}

    /** The format this code writes, and the newest it reads. */
    public static final int VERSION = 7;

    static final byte[] MAGIC = {'D', 'E', 'J', 'A', '-', 'R', 'E', 'C'};
    static final byte DOC_HEADER = 'H';
    static final byte DOC_BATCH = 'E';
    /** Bytes of a batch document before its payload. */
    static final int BATCH_PREFIX = 1 + 4 + 4 + 4 + 8 + 8 + 8;

    /** The one cycle file a recording has (the queue's clock is fixed at the epoch). */
    public static final String CYCLE_FILE = "19700101F.cq4";
    public static final String METADATA_FILE = "metadata.cq4t";

    /** A batch is written once its payload reaches this many bytes (and at every checkpoint and at the end). */
    static final int BATCH_BYTES = 64 * 1024;

    static final int OPCODE_CACHE = 4096;

    static final int INSN_SEQ_HIT = 0x80;
    static final int INSN_SEQ = 0x81;
    static final int INSN_JUMP_HIT = 0x82;
    static final int INSN_JUMP = 0x83;
    static final int REG_WRITE_SAME = 0x90;
    static final int MEM_WRITE_SAME = 0xC0;
    static final int NZCV_SAME = 0xE0;
    /** MEM_WRITE_SAME selector: the value follows as a varint. */
    static final int MEM_VALUE_EXPLICIT = 4;
    static final int RECENT = 4;
    static final int EXIT_NO_ARGS = 0xF0;
    /** Not an event: the CPU of the events that follow in the batch (a varint). */
    static final int CPU_SWITCH = 0x7F;
    /** Varints below this are one byte. */
    static final int VARINT_ONE_BYTE = 0xF0;

    /** Registers a REG_WRITE can name (X0-X30, SP, NZCV, FPCR, FPSR). */
    static final int REGS = 35;
}
