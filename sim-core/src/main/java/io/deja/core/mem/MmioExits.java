package io.deja.core.mem;

/**
 * One vCPU's side of the host-handled MMIO protocol (see VirtualMachine): a
 * load from a host range abandons its instruction and exits; the host's value
 * is kept here and the instruction re-executes reading it. Stores to host
 * ranges complete at once and wait here to be reported as exits.
 */
public final class MmioExits implements io.deja.core.state.Stateful {
    private final long[] readValues = new long[4];
    private int readCount, readCursor;
    private final long[] writeAddr = new long[4];
    private final long[] writeValue = new long[4];
    private final int[] writeSize = new int[4];
    private int writes, writeHead;

    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        v.u64s("read_values", readValues);
        readCount = v.u32("read_count", readCount);
        readCursor = v.u32("read_cursor", readCursor);
        v.u64s("write_addr", writeAddr);
        v.u64s("write_value", writeValue);
        v.u32s("write_size", writeSize);
        writes = v.u32("writes", writes);
        writeHead = v.u32("write_head", writeHead);
    }

    /** The next supplied value for the re-executed instruction, if any is left. */
    public boolean hasSuppliedRead() {
        return readCursor < readCount;
    }

    public long nextSuppliedRead() {
        return readValues[readCursor++];
    }

    /** The host's answer to an MMIO_READ exit: the value the re-executed instruction will read. */
    public void supplyRead(long value) {
        readValues[readCount++] = value;
    }

    /** Whether an instruction that exited for an MMIO read has its values and has not retired yet. */
    public boolean readInFlight() {
        return readCount > 0;
    }

    /** Called before re-executing an instruction that exited for an MMIO read. */
    public boolean rewindSuppliedReads() {
        readCursor = 0;
        return readCount > 0;
    }

    /** Called once the re-executed instruction retired: the supplied values are spent. */
    public void clearSuppliedReads() {
        readCount = 0;
        readCursor = 0;
    }

    public void queueWrite(long pa, int size, long value) {
        if (writes == writeAddr.length) throw new IllegalStateException("too many MMIO writes in one instruction");
        writeAddr[writes] = pa;
        writeSize[writes] = size;
        writeValue[writes] = value;
        writes++;
    }

    public boolean hasPendingWrite() { return writeHead < writes; }

    /** Pops the oldest unreported write into out[0..2] (address, size, value). */
    public void popWrite(long[] out) {
        int i = writeHead++;
        out[0] = writeAddr[i];
        out[1] = writeSize[i];
        out[2] = writeValue[i];
        if (writeHead == writes) writeHead = writes = 0;
    }
}
