package io.deja.core.devices;

import io.deja.core.cpu.TimedDevice;
import io.deja.core.mem.MmioDevice;

import java.util.function.LongSupplier;

/**
 * ARM PrimeCell Real Time Clock PL031 (ARM DDI 0224), with the register set of
 * QEMU 7.2's {@code hw/rtc/pl031.c}, clocked by virtual time.
 *
 * <pre>
 * offset  name      access  reset  notes
 * 0x000   RTCDR     RO             the counter: seconds, start + virtual time
 * 0x004   RTCMR     RW      0      match: RIS is raised when the counter equals it
 * 0x008   RTCLR     RW      0      a write sets the counter to the value (and is read back)
 * 0x00C   RTCCR     RW      1      reads 1, writes ignored: the RTC always runs (QEMU)
 * 0x010   RTCIMSC   RW      0      bit 0: match interrupt enabled
 * 0x014   RTCRIS    RO      0      bit 0: match interrupt raw status
 * 0x018   RTCMIS    RO      0      RIS &amp; IMSC
 * 0x01C   RTCICR    WO             write 1 to clear RIS
 * 0xFE0-  PeriphID0-3       0x31 0x10 0x14 0x00
 * 0xFF0-  PCellID0-3        0x0D 0xF0 0x05 0xB1
 * </pre>
 * RTCINTR = RIS &amp; IMSC drives SPI 2 (INTID 34) on the virt board.
 *
 * Time: the counter is {@code start + floor(cycles / frequency)} (plus what
 * RTCLR writes changed), where cycles is the system counter (one per
 * instruction, CNTFRQ 62.5 MHz) and start is an input of the machine
 * configuration. It never reads the host clock. QEMU reads its rtc_clock
 * (host time by default) instead.
 *
 * The match interrupt follows the TRM, not QEMU: it is raised on the cycle the
 * counter becomes equal to RTCMR (a whole-second boundary of virtual time), or
 * at once when RTCMR or RTCLR is written with the counter already equal (as
 * both do). QEMU instead arms a host timer for (RTCMR - counter) seconds after
 * the write, which can land up to a second after the counter reached the
 * match value; the counter reads RTCMR at both instants, so a guest that checks
 * RTCDR in its handler sees the same value.
 *
 * Accesses: a word at a register's offset; smaller accesses see the low bits,
 * a 64-bit access is two word accesses, unassigned offsets read 0 and ignore
 * writes (QEMU logs a guest error and does the same).
 */
public final class Pl031 implements MmioDevice, TimedDevice, io.deja.core.state.Stateful {
    public static final int DR = 0x000, MR = 0x004, LR = 0x008, CR = 0x00C, IMSC = 0x010, RIS = 0x014, MIS = 0x018,
            ICR = 0x01C, PERIPH_ID0 = 0xFE0;
    private static final int[] ID = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    private final LongSupplier cycles;
    private final long frequency;
    private final InterruptOutput irq;
    private boolean irqLevel;

    /** Counter = tickOffset + whole seconds of virtual time (mod 2^32, as QEMU's uint32_t). */
    private int tickOffset;
    private int mr, lr, im, is;
    /** The cycle at which the counter reaches RTCMR, or Long.MAX_VALUE. */
    private long alarmAt = Long.MAX_VALUE;

    /**
     * @param startSeconds the counter at virtual time 0 (seconds since 1970, 0 to 2^32 - 1)
     * @param cycles       the system counter (virtual time)
     * @param frequency    its frequency in Hz (CNTFRQ)
     * @param irq          RTCINTR
     */
    public Pl031(long startSeconds, LongSupplier cycles, long frequency, InterruptOutput irq) {
        if (startSeconds < 0 || startSeconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("RTC start " + startSeconds + " is outside the PL031's 32-bit counter (0 to 4294967295 seconds)");
        }
        this.cycles = cycles;
        this.frequency = frequency;
        this.irq = irq;
        tickOffset = (int) (startSeconds - seconds(cycles.getAsLong()));
    }

    @Override
    public String name() {
        return "pl031";
    }

    private long seconds(long now) {
        return Long.divideUnsigned(now, frequency);
    }

    /** RTCDR now. */
    public int counter() {
        return tickOffset + (int) seconds(cycles.getAsLong());
    }

    // ---- Guest accesses ---------------------------------------------------------------
    @Override
    public long read(long offset, int size) {
        if (size == 8) return readRegister(offset) | readRegister(offset + 4) << 32;
        long v = readRegister(offset);
        return size >= 4 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (size == 8) {
            writeRegister(offset, (int) value);
            writeRegister(offset + 4, (int) (value >>> 32));
            return;
        }
        writeRegister(offset, size >= 4 ? (int) value : (int) (value & ((1L << (size * 8)) - 1)));
    }

    private long readRegister(long offset) {
        int reg = (int) offset;
        int v = switch (reg) {
            case DR -> counter();
            case MR -> mr;
            case LR -> lr;
            case CR -> 1;
            case IMSC -> im;
            case RIS -> is;
            case MIS -> is & im;
            default -> reg >= PERIPH_ID0 && reg < 0x1000 && (reg & 3) == 0 ? ID[(reg - PERIPH_ID0) >> 2] : 0;
        };
        return v & 0xFFFF_FFFFL;
    }

    private void writeRegister(long offset, int value) {
        switch ((int) offset) {
            case LR -> {
                lr = value;
                tickOffset += value - counter();
                setAlarm();
            }
            case MR -> {
                mr = value;
                setAlarm();
            }
            case IMSC -> {
                im = value & 1;
                update();
            }
            case ICR -> {
                is &= ~value;
                update();
            }
            default -> { } // CR is write-ignored; DR, RIS, MIS, IDs are read-only
        }
    }

    /** Raises the match now if the counter already equals RTCMR, else schedules it for the second it will. */
    private void setAlarm() {
        long now = cycles.getAsLong();
        long ticks = (mr - counter()) & 0xFFFF_FFFFL;
        if (ticks == 0) {
            alarmAt = Long.MAX_VALUE;
            is = 1;
            update();
        } else {
            alarmAt = (seconds(now) + ticks) * frequency;
        }
    }

    private void update() {
        boolean level = (is & im) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    // ---- Virtual time ---------------------------------------------------------------------
    @Override
    public long nextDeadline() {
        return alarmAt;
    }

    @Override
    public void advanceTo(long now) {
        if (now >= alarmAt) {
            alarmAt = Long.MAX_VALUE;
            is = 1;
            update();
        }
    }

    /** Whether RTCINTR is asserted. */
    public boolean interruptAsserted() {
        return irqLevel;
    }

    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        tickOffset = v.u32("tick_offset", tickOffset);
        mr = v.u32("mr", mr);
        lr = v.u32("lr", lr);
        im = v.u32("imsc", im);
        is = v.u32("ris", is);
        alarmAt = v.u64("alarm_at", alarmAt);
        irqLevel = v.bool("irq_level", irqLevel);
    }
}
