package io.deja.core.devices;

import io.deja.core.mem.MmioDevice;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * ARM PrimeCell UART PL011 (ARM DDI 0183), as QEMU 7.2 models it
 * ({@code hw/char/pl011.c}): the reference Deja is compared with.
 *
 * <pre>
 * offset  name       access  reset   notes
 * 0x000   UARTDR     RW              write: transmit the low byte; read: pop the receive FIFO
 *                                    (bits 11:8 error flags, always 0 here)
 * 0x004   UARTRSR    R / ECR W  0    receive status; a write (UARTECR) clears it
 * 0x018   UARTFR     RO      0x90    bit 7 TXFE, 6 RXFF, 5 TXFF, 4 RXFE, 3 BUSY
 * 0x020   UARTILPR   RW      0       IrDA low-power divisor (stored only)
 * 0x024   UARTIBRD   RW      0       integer baud divisor (stored only)
 * 0x028   UARTFBRD   RW      0       fractional baud divisor (stored only)
 * 0x02C   UARTLCR_H  RW      0       bit 4 FEN: 16-entry FIFOs, else 1-entry holding registers
 * 0x030   UARTCR     RW      0x300   UARTEN (0), TXE (8), RXE (9) are stored, not enforced
 * 0x034   UARTIFLS   RW      0x12    FIFO trigger levels (stored; see receive interrupt below)
 * 0x038   UARTIMSC   RW      0       interrupt mask set/clear (1 = enabled)
 * 0x03C   UARTRIS    RO      0       raw interrupt status
 * 0x040   UARTMIS    RO      0       RIS &amp; IMSC
 * 0x044   UARTICR    WO              write 1 to clear RIS bits
 * 0x048   UARTDMACR  RW      0       DMA is not implemented (stored only)
 * 0xFE0-  PeriphID0-3        0x11 0x10 0x14 0x00
 * 0xFF0-  PCellID0-3         0x0D 0xF0 0x05 0xB1
 * </pre>
 * Interrupt bits (RIS/MIS/IMSC/ICR): 10 OE, 9 BE, 8 PE, 7 FE, 6 RT, 5 TX,
 * 4 RX, 3-0 modem status. The combined output UARTINTR = (RIS &amp; IMSC) != 0
 * drives SPI 1 (INTID 33) on the virt board.
 *
 * Behaviour that follows QEMU 7.2 rather than a literal reading of the TRM,
 * because guests (Linux and the seed kernels) are validated against it:
 * <ul>
 * <li>Transmission is instantaneous: a byte written to UARTDR goes to the sink
 *     at once, even with UARTEN/TXE clear (QEMU 7.2 prints regardless, and
 *     bare-metal programs rely on it). TXFE stays set, TXFF and BUSY stay
 *     clear, and each write raises TX in RIS (the transmit FIFO drained
 *     through the trigger level), cleared by UARTICR.</li>
 * <li>The receive interrupt RX is raised as soon as the FIFO holds one byte
 *     and lowered when it is emptied, whatever UARTIFLS says (QEMU's
 *     pl011_set_read_trigger: "linux only reads the FIFO in response to an
 *     interrupt"). The receive timeout RT is therefore never needed and never
 *     raised.</li>
 * <li>Bytes the host sends while the FIFO is full wait in a host-side queue
 *     (QEMU's character backend does the same) and enter the FIFO as the
 *     guest reads UARTDR, so no overrun ever happens.</li>
 * <li>Reading UARTDR with an empty FIFO returns the stale FIFO slot.</li>
 * <li>Byte and halfword accesses address the register holding the offset and
 *     see its low bits; a 64-bit access is two 32-bit accesses.</li>
 * </ul>
 */
public final class Pl011 implements MmioDevice, io.deja.core.state.Stateful {
    public static final int FIFO_DEPTH = 16;

    public static final int DR = 0x000, RSR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028,
            LCR_H = 0x02C, CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03C, MIS = 0x040, ICR = 0x044,
            DMACR = 0x048, PERIPH_ID0 = 0xFE0;

    public static final int FR_BUSY = 1 << 3, FR_RXFE = 1 << 4, FR_TXFF = 1 << 5, FR_RXFF = 1 << 6, FR_TXFE = 1 << 7;
    public static final int LCR_H_FEN = 1 << 4;
    public static final int CR_UARTEN = 1, CR_TXE = 1 << 8, CR_RXE = 1 << 9;
    public static final int INT_RX = 1 << 4, INT_TX = 1 << 5, INT_RT = 1 << 6;

    private static final int[] ID = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    private final OutputStream tx;
    private final InterruptOutput irq;
    private boolean irqLevel;

    private final int[] rxFifo = new int[FIFO_DEPTH];
    private int rxPos, rxCount;
    private int flags = FR_RXFE | FR_TXFE;
    private int lcrH, cr = CR_TXE | CR_RXE, ifls = 0x12;
    private int rsr, ilpr, ibrd, fbrd, dmacr;
    private int intEnabled, intLevel;

    /** Host input not yet in the FIFO (ring buffer). */
    private byte[] backlog = new byte[64];
    private int backlogHead, backlogCount;

    /**
     * @param tx  where transmitted bytes go (the console)
     * @param irq the combined interrupt output UARTINTR
     */
    public Pl011(OutputStream tx, InterruptOutput irq) {
        this.tx = tx;
        this.irq = irq;
    }

    @Override
    public String name() {
        return "pl011";
    }

    // ---- Guest accesses ---------------------------------------------------------------
    @Override
    public long read(long offset, int size) {
        if (size == 8) return readRegister(offset) | readRegister(offset + 4) << 32;
        return readRegister(offset) & sizeMask(size);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (size == 8) {
            writeRegister(offset, (int) value);
            writeRegister(offset + 4, (int) (value >>> 32));
            return;
        }
        writeRegister(offset, (int) (value & sizeMask(size)));
    }

    private static long sizeMask(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }

    private long readRegister(long offset) {
        int reg = (int) (offset & ~3L);
        return switch (reg) {
            case DR -> popReceived();
            case RSR -> rsr;
            case FR -> flags;
            case ILPR -> ilpr;
            case IBRD -> ibrd;
            case FBRD -> fbrd;
            case LCR_H -> lcrH;
            case CR -> cr;
            case IFLS -> ifls;
            case IMSC -> intEnabled;
            case RIS -> intLevel;
            case MIS -> intLevel & intEnabled;
            case DMACR -> dmacr;
            default -> reg >= PERIPH_ID0 && reg < 0x1000 ? ID[(reg - PERIPH_ID0) >> 2] : 0;
        } & 0xFFFF_FFFFL;
    }

    private void writeRegister(long offset, int value) {
        switch ((int) (offset & ~3L)) {
            case DR -> transmit(value & 0xFF);
            case RSR -> rsr = 0;
            case ILPR -> ilpr = value;
            case IBRD -> ibrd = value;
            case FBRD -> fbrd = value;
            case LCR_H -> {
                if (((lcrH ^ value) & LCR_H_FEN) != 0) resetFifo();
                lcrH = value;
                fillFifo();
            }
            case CR -> cr = value;
            case IFLS -> ifls = value;
            case IMSC -> {
                intEnabled = value;
                updateIrq();
            }
            case ICR -> {
                intLevel &= ~value;
                updateIrq();
            }
            case DMACR -> dmacr = value;
            default -> { } // FR, RIS, MIS, IDs are read-only; unassigned offsets are ignored.
        }
    }

    private void transmit(int b) {
        try {
            tx.write(b);
            if (b == '\n') tx.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("console output failed", e);
        }
        intLevel |= INT_TX;
        updateIrq();
    }

    private int popReceived() {
        flags &= ~FR_RXFF;
        int c = rxFifo[rxPos];
        if (rxCount > 0) {
            rxCount--;
            rxPos = (rxPos + 1) % FIFO_DEPTH;
        }
        if (rxCount == 0) {
            flags |= FR_RXFE;
            intLevel &= ~INT_RX;
        }
        rsr = c >> 8;
        fillFifo();
        updateIrq();
        return c;
    }

    private int depth() {
        return (lcrH & LCR_H_FEN) != 0 ? FIFO_DEPTH : 1;
    }

    private void resetFifo() {
        rxPos = 0;
        rxCount = 0;
        flags = (flags & ~FR_RXFF) | FR_RXFE;
        intLevel &= ~INT_RX;
        updateIrq();
    }

    // ---- Host side --------------------------------------------------------------------
    /**
     * Bytes typed into the console. They enter the receive FIFO now as far as
     * it has room, the rest as the guest drains it. An input event for the
     * recorder: call it at a deterministic point (between runs).
     */
    public void receive(byte[] bytes) {
        for (byte b : bytes) enqueueBacklog(b);
        fillFifo();
    }

    /** Host bytes the guest has not read: those in the receive FIFO and those not yet accepted by it. */
    public int unreadInput() {
        return rxCount + backlogCount;
    }

    /** Host bytes not yet accepted by the FIFO. */
    public int pendingInput() {
        return backlogCount;
    }

    private void enqueueBacklog(byte b) {
        if (backlogCount == backlog.length) {
            byte[] grown = new byte[backlog.length * 2];
            for (int i = 0; i < backlogCount; i++) grown[i] = backlog[(backlogHead + i) % backlog.length];
            backlog = grown;
            backlogHead = 0;
        }
        backlog[(backlogHead + backlogCount) % backlog.length] = b;
        backlogCount++;
    }

    private void fillFifo() {
        while (backlogCount > 0 && rxCount < depth()) {
            int b = backlog[backlogHead] & 0xFF;
            backlogHead = (backlogHead + 1) % backlog.length;
            backlogCount--;
            pushReceived(b);
        }
    }

    private void pushReceived(int value) {
        rxFifo[(rxPos + rxCount) % FIFO_DEPTH] = value;
        rxCount++;
        flags &= ~FR_RXFE;
        if (rxCount == depth()) flags |= FR_RXFF;
        if (rxCount == 1) {
            intLevel |= INT_RX;
            updateIrq();
        }
    }

    private void updateIrq() {
        boolean level = (intLevel & intEnabled) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    /** Whether UARTINTR is asserted. */
    public boolean interruptAsserted() {
        return irqLevel;
    }

    /** The registers, the receive FIFO and the input not yet taken in (the transmit side is the console's). */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        irqLevel = v.bool("irq_level", irqLevel);
        v.u32s("rx_fifo", rxFifo);
        rxPos = v.u32("rx_pos", rxPos);
        rxCount = v.u32("rx_count", rxCount);
        flags = v.u32("fr", flags);
        lcrH = v.u32("lcr_h", lcrH);
        cr = v.u32("cr", cr);
        ifls = v.u32("ifls", ifls);
        rsr = v.u32("rsr", rsr);
        ilpr = v.u32("ilpr", ilpr);
        ibrd = v.u32("ibrd", ibrd);
        fbrd = v.u32("fbrd", fbrd);
        dmacr = v.u32("dmacr", dmacr);
        intEnabled = v.u32("imsc", intEnabled);
        intLevel = v.u32("ris", intLevel);
        // The backlog is a queue of any length: its count, then its bytes in order.
        int count = v.u32("backlog_count", backlogCount);
        byte[] queued = new byte[count];
        for (int k = 0; k < backlogCount && k < count; k++) queued[k] = backlog[(backlogHead + k) % backlog.length];
        v.bytes("backlog", queued);
        if (queued.length > backlog.length) backlog = new byte[Integer.highestOneBit(queued.length) * 2];
        System.arraycopy(queued, 0, backlog, 0, queued.length);
        backlogHead = 0;
        backlogCount = count;
    }
}
