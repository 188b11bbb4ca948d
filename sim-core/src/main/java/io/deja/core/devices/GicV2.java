package io.deja.core.devices;

import static io.deja.core.devices.InterruptLines.bit;
import static io.deja.core.devices.InterruptLines.setBit;

import io.deja.core.mem.MmioDevice;

/**
 * GICv2 (ARM IHI 0048B) distributor and CPU interface for one CPU, without
 * the Security and Virtualization Extensions: what QEMU 7.2's virt board has
 * when it runs without EL2/EL3 ({@code hw/intc/arm_gic.c}, revision 2,
 * num-cpu 1, num-irq 288, 8 priority bits). It runs in-process, like KVM's
 * vGIC: the vCPU reads {@link #irq()}/{@link #fiq()} at instruction
 * boundaries and the timer drives its PPIs through {@link #setPpiLevel}.
 *
 * <h2>Distributor (map {@link #distributor()} at GICD_BASE, 4 KiB)</h2>
 * <pre>
 * 0x000       GICD_CTLR         RW  bit 0 EnableGrp0, bit 1 EnableGrp1
 * 0x004       GICD_TYPER        RO  0x8: ITLinesNumber 8 (288 INTIDs), CPUNumber 0, no SecurityExtn
 * 0x008       GICD_IIDR         RO  0x43B (Arm)
 * 0x080-0x0A3 GICD_IGROUPRn     RW  1 bit per INTID, reset 0 (Group 0)
 * 0x100-0x123 GICD_ISENABLERn   RW1S  SGIs are always enabled
 * 0x180-0x1A3 GICD_ICENABLERn   RW1C
 * 0x200-0x223 GICD_ISPENDRn     RW1S  writes to SGI bits are ignored (use SPENDSGIR)
 * 0x280-0x2A3 GICD_ICPENDRn     RW1C
 * 0x300-0x323 GICD_ISACTIVERn   RW1S
 * 0x380-0x3A3 GICD_ICACTIVERn   RW1C
 * 0x400-0x51F GICD_IPRIORITYRn  RW  1 byte per INTID, all 8 bits implemented
 * 0x800-0x91F GICD_ITARGETSRn   RAZ/WI: uniprocessor (IHI 0048B 4.3.12)
 * 0xC00-0xC47 GICD_ICFGRn       RW  2 bits per INTID, bit 1 = edge; SGIs read 0b10 (edge), fixed
 * 0xF00       GICD_SGIR         WO  32-bit only; TargetListFilter 0 (list, bit 0 = this CPU),
 *                                   1 (others: nobody), 2 (self), 3 (QEMU: all, so self)
 * 0xF10-0xF1F GICD_CPENDSGIRn   RW1C 1 byte per SGI, bit = source CPU
 * 0xF20-0xF2F GICD_SPENDSGIRn   RW1S
 * 0xFD0-0xFFC ID registers      PIDR4 0x04, PIDR0-3 0x90 0xB4 0x2B (ArchRev 2) 0x00,
 *                                   CIDR0-3 0x0D 0xF0 0x05 0xB1
 * </pre>
 * Register blocks are byte-addressable as in QEMU: a halfword or word access
 * is the composition of byte accesses (SGIR excepted), and a 64-bit access is
 * two word accesses.
 *
 * <h2>CPU interface (map {@link #cpuInterface()} at GICC_BASE, 8 KiB)</h2>
 * <pre>
 * 0x000  GICC_CTLR    RW  bits 0 EnableGrp0, 1 EnableGrp1, 2 AckCtl, 3 FIQEn, 4 CBPR, 9 EOImode
 * 0x004  GICC_PMR     RW  priority mask, reset 0 (everything masked)
 * 0x008  GICC_BPR     RW  binary point, minimum and reset 0
 * 0x00C  GICC_IAR     RO  acknowledge: INTID (SGIs: + source CPU in 12:10), 1022/1023 if none
 * 0x010  GICC_EOIR    WO  priority drop, and deactivation unless EOImode
 * 0x014  GICC_RPR     RO  running priority, 0xFF when idle
 * 0x018  GICC_HPPIR   RO  highest priority pending interrupt
 * 0x01C  GICC_ABPR    RW  Group 1 binary point, minimum and reset 1
 * 0x020  GICC_AIAR, 0x024 GICC_AEOIR, 0x028 GICC_AHPPIR: RAZ/WI, as in QEMU without Security Extensions
 * 0x0D0-0x0DC GICC_APR0-3    RW  active priorities, Group 0 (one bit per preemption level)
 * 0x0E0-0x0EC GICC_NSAPR0-3  RW  active priorities, Group 1
 * 0x0FC  GICC_IIDR    RO  0x0002043B (QEMU: revision 2 &lt;&lt; 16 | Arm 0x43B)
 * 0x1000 GICC_DIR     WO  deactivate (only with EOImode set)
 * </pre>
 * CPU interface registers are decoded by exact offset (a byte access to
 * 0x00C acknowledges like a word access would; other offsets read 0).
 *
 * Interrupt state: an edge-triggered interrupt latches pending on a rising
 * input; a level-sensitive one is pending while its input is high or while a
 * software-set pending bit is latched. Acknowledging clears the latch and
 * makes the interrupt active; a level interrupt whose input is still high is
 * then active and pending, and is not signalled again until deactivated.
 */
public final class GicV2 implements InterruptController {
    public static final int INTERRUPTS = 288;
    public static final int SPURIOUS = 1023;
    /** IAR/HPPIR value when the best interrupt is Group 1 and GICC_CTLR.AckCtl is clear. */
    public static final int GROUP1_NOT_ACKNOWLEDGED = 1022;
    public static final int GICC_IIDR_VALUE = 0x0002_043B;

    public static final int CTLR_EN_GRP0 = 1, CTLR_EN_GRP1 = 2;
    public static final int GICC_CTLR_ACK_CTL = 1 << 2, GICC_CTLR_FIQ_EN = 1 << 3, GICC_CTLR_CBPR = 1 << 4,
            GICC_CTLR_EOIMODE = 1 << 9;
    private static final int GICC_CTLR_MASK = 0x21F;

    private static final int SGIS = 16, PRIVATE = 32, WORDS = INTERRUPTS / 32;
    private static final int IDLE_PRIORITY = 0x100;
    private static final int APRS = 4;
    private static final int[] ID_REGS = {0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    /** Per-INTID bitmaps and priorities (word i holds INTIDs 32i..32i+31); the names below are its arrays. */
    private final InterruptLines lines = new InterruptLines(INTERRUPTS);
    private final int[] enabled = lines.enabled, pendingLatch = lines.pendingLatch, inputLevel = lines.inputLevel,
            edgeTriggered = lines.edgeTriggered, active = lines.active, group1 = lines.group1;
    private final byte[] priority = lines.priority;
    /** Per SGI, the source CPUs it is pending from (only CPU 0 exists). */
    private final byte[] sgiSources = new byte[SGIS];

    private int distCtlr;
    private int cpuCtlr;
    private int priorityMask;
    private int bpr = 0, abpr = 1;
    private final int[] apr = new int[APRS];
    private final int[] nsapr = new int[APRS];
    private int runningPriority = IDLE_PRIORITY;

    /** Recomputed on every state change (QEMU's gic_update): the signalled interrupt and the outputs. */
    private int currentPending = SPURIOUS;
    private boolean irqOut, fiqOut;

    private final MmioDevice distributor = new MmioDevice() {
        public String name() { return "gic-dist"; }
        public long read(long offset, int size) { return distRead((int) offset, size); }
        public void write(long offset, int size, long value) { distWrite((int) offset, size, value); }
    };

    private final MmioDevice cpuInterface = new MmioDevice() {
        public String name() { return "gic-cpu"; }
        public long read(long offset, int size) { return cpuRead((int) offset, size); }
        public void write(long offset, int size, long value) { cpuWrite((int) offset, size, value); }
    };

    public GicV2() {
        for (int i = 0; i < SGIS; i++) {
            setBit(enabled, i, true);
            setBit(edgeTriggered, i, true);
        }
    }

    public MmioDevice distributor() {
        return distributor;
    }

    public MmioDevice cpuInterface() {
        return cpuInterface;
    }

    // ---- Wires ----------------------------------------------------------------------------------
    @Override public boolean irq() { return irqOut; }
    @Override public int pendingIntid() { return currentPending < SPURIOUS - 3 ? currentPending : -1; }
    @Override public boolean fiq() { return fiqOut; }

    @Override
    public void setPpiLevel(int intid, boolean level) {
        if (intid < SGIS || intid >= PRIVATE) throw new IllegalArgumentException("INTID " + intid + " is not a PPI");
        setInput(intid, level);
    }

    /** Drives the input of a shared peripheral interrupt (INTID 32-287). */
    @Override
    public void setSpiLevel(int intid, boolean level) {
        if (intid < PRIVATE || intid >= INTERRUPTS) throw new IllegalArgumentException("INTID " + intid + " is not an SPI");
        setInput(intid, level);
    }

    private void setInput(int intid, boolean level) {
        if (lines.setInput(intid, level)) update();
    }

    // ---- Interrupt state ------------------------------------------------------------------------
    /**
     * QEMU's gic_update: picks the highest-priority (lowest value, then lowest
     * INTID) enabled, pending, inactive interrupt; it becomes the current
     * pending interrupt if it beats the priority mask, and is signalled if it
     * also beats the running priority and its group is enabled.
     */
    private void update() {
        currentPending = SPURIOUS;
        irqOut = false;
        fiqOut = false;
        if ((distCtlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) == 0 || (cpuCtlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) == 0) return;
        int best = SPURIOUS, bestPriority = IDLE_PRIORITY;
        for (int w = 0; w < WORDS; w++) {
            int candidates = enabled[w] & lines.pendingWord(w) & ~active[w];
            while (candidates != 0) {
                int intid = w * 32 + Integer.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                int p = lines.priorityOf(intid);
                if (p < bestPriority) {
                    bestPriority = p;
                    best = intid;
                }
            }
        }
        if (bestPriority >= priorityMask) return;
        currentPending = best;
        if (bestPriority >= runningPriority) return;
        int group = bit(group1, best) ? 1 : 0;
        if ((distCtlr & (1 << group)) == 0 || (cpuCtlr & (1 << group)) == 0) return;
        if (group == 0 && (cpuCtlr & GICC_CTLR_FIQ_EN) != 0) {
            fiqOut = true;
        } else {
            irqOut = true;
        }
    }

    /** HPPIR's view of the current pending interrupt (Group 1 is hidden unless AckCtl). */
    private int highestPending() {
        int intid = currentPending;
        if (intid < SPURIOUS - 3 && bit(group1, intid) && (cpuCtlr & GICC_CTLR_ACK_CTL) == 0) return GROUP1_NOT_ACKNOWLEDGED;
        return intid;
    }

    private int acknowledge() {
        int intid = highestPending();
        if (intid >= SPURIOUS - 3) return intid;
        if (lines.priorityOf(intid) >= runningPriority) return SPURIOUS;
        activate(intid);
        int result = intid;
        if (intid < SGIS) {
            int sources = sgiSources[intid] & 0xFF;
            int source = sources == 0 ? 0 : Integer.numberOfTrailingZeros(sources);
            sources &= ~(1 << source);
            sgiSources[intid] = (byte) sources;
            if (sources == 0) setBit(pendingLatch, intid, false);
            result |= source << 10;
        } else {
            setBit(pendingLatch, intid, false);
        }
        update();
        return result;
    }

    /** Sets the active priority bit for the interrupt's group priority and raises the running priority. */
    private void activate(int intid) {
        int groupPriority = groupPriority(intid);
        int level = groupPriority >> 1;
        int[] aprs = bit(group1, intid) ? nsapr : apr;
        aprs[level / 32] |= 1 << (level % 32);
        runningPriority = groupPriority;
        setBit(active, intid, true);
    }

    private int groupPriority(int intid) {
        int binaryPoint = bit(group1, intid) && (cpuCtlr & GICC_CTLR_CBPR) == 0 ? abpr - 1 : bpr;
        return lines.priorityOf(intid) & (~0 << ((binaryPoint & 7) + 1));
    }

    private void endOfInterrupt(int intid) {
        if (intid >= INTERRUPTS) return; // spurious or non-existent: ignored
        if (runningPriority == IDLE_PRIORITY) return; // nothing active
        dropPriority(bit(group1, intid) ? nsapr : apr);
        if ((cpuCtlr & GICC_CTLR_EOIMODE) == 0) setBit(active, intid, false);
        update();
    }

    /** Clears the lowest set bit of the group's active priorities (the running interrupt, if EOIs nest). */
    private void dropPriority(int[] aprs) {
        for (int i = 0; i < APRS; i++) {
            if (aprs[i] != 0) {
                aprs[i] &= aprs[i] - 1;
                break;
            }
        }
        runningPriority = priorityFromAprs();
    }

    private int priorityFromAprs() {
        for (int i = 0; i < APRS; i++) {
            int bits = apr[i] | nsapr[i];
            if (bits != 0) return (i * 32 + Integer.numberOfTrailingZeros(bits)) << 1;
        }
        return IDLE_PRIORITY;
    }

    private void deactivate(int intid) {
        if (intid >= INTERRUPTS) return;
        // Without EOImode, DIR is UNPREDICTABLE; QEMU ignores it.
        if ((cpuCtlr & GICC_CTLR_EOIMODE) == 0) return;
        setBit(active, intid, false);
    }

    private void softwareGenerated(int value) {
        int sgi = value & 0xF;
        boolean toSelf = switch ((value >>> 24) & 3) {
            case 0 -> ((value >>> 16) & 1) != 0;
            case 1 -> false;
            default -> true; // 2: self; 3 is reserved and QEMU treats it as "all CPUs"
        };
        if (toSelf) {
            setBit(pendingLatch, sgi, true);
            sgiSources[sgi] |= 1;
        }
        update();
    }

    // ---- Distributor registers ------------------------------------------------------------------
    private long distRead(int offset, int size) {
        if (size == 8) return distRead(offset, 4) | distRead(offset + 4, 4) << 32;
        long value = 0;
        for (int i = 0; i < size; i++) value |= (long) distReadByte(offset + i) << (8 * i);
        return value;
    }

    private int distReadByte(int offset) {
        if (offset < 0x080) {
            return switch (offset) {
                case 0x000 -> distCtlr;
                case 0x004 -> INTERRUPTS / 32 - 1;
                case 0x008 -> 0x3B;
                case 0x009 -> 0x04;
                default -> 0;
            };
        }
        if (offset < 0x100) return bitsByte(group1, (offset - 0x080) * 8);
        if (offset < 0x200) return bitsByte(enabled, (offset & 0x7F) * 8);
        if (offset < 0x300) return pendingByte((offset & 0x7F) * 8);
        if (offset < 0x400) return bitsByte(active, (offset & 0x7F) * 8);
        if (offset < 0x800) {
            int intid = offset - 0x400;
            return intid < INTERRUPTS ? lines.priorityOf(intid) : 0;
        }
        if (offset < 0xC00) return 0; // GICD_ITARGETSR: RAZ on a uniprocessor GIC
        if (offset < 0xF00) return configByte((offset - 0xC00) * 4);
        if (offset < 0xF10) return 0;
        if (offset < 0xF30) return sgiSources[(offset - 0xF10) & 0xF] & 0xFF;
        if (offset < 0xFD0) return 0;
        if (offset < 0x1000) return (offset & 3) != 0 ? 0 : ID_REGS[(offset - 0xFD0) >> 2];
        return 0;
    }

    private int bitsByte(int[] bits, int first) {
        if (first >= INTERRUPTS) return 0;
        return (bits[first >> 5] >>> (first & 31)) & 0xFF;
    }

    private int pendingByte(int first) {
        if (first >= INTERRUPTS) return 0;
        return (lines.pendingWord(first >> 5) >>> (first & 31)) & 0xFF;
    }

    private int configByte(int first) {
        if (first >= INTERRUPTS) return 0;
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (bit(edgeTriggered, first + i)) value |= 2 << (2 * i);
        }
        return value;
    }

    private void distWrite(int offset, int size, long value) {
        if (size == 8) {
            distWrite(offset, 4, value & 0xFFFF_FFFFL);
            distWrite(offset + 4, 4, value >>> 32);
            return;
        }
        if (size == 4 && offset == 0xF00) {
            softwareGenerated((int) value);
            return;
        }
        for (int i = 0; i < size; i++) distWriteByte(offset + i, (int) (value >>> (8 * i)) & 0xFF);
        update();
    }

    private void distWriteByte(int offset, int value) {
        if (offset < 0x080) {
            if (offset == 0) distCtlr = value & (CTLR_EN_GRP0 | CTLR_EN_GRP1);
            return;
        }
        if (offset < 0x100) {
            writeBitsByte(group1, (offset - 0x080) * 8, value, true, true);
        } else if (offset < 0x180) {
            int first = (offset - 0x100) * 8;
            writeBitsByte(enabled, first, first < SGIS ? 0xFF : value, true, false);
        } else if (offset < 0x200) {
            int first = (offset - 0x180) * 8;
            writeBitsByte(enabled, first, first < SGIS ? 0 : value, false, false);
        } else if (offset < 0x280) {
            int first = (offset - 0x200) * 8;
            writeBitsByte(pendingLatch, first, first < SGIS ? 0 : value, true, false);
        } else if (offset < 0x300) {
            int first = (offset - 0x280) * 8;
            writeBitsByte(pendingLatch, first, first < SGIS ? 0 : value, false, false);
        } else if (offset < 0x380) {
            writeBitsByte(active, (offset - 0x300) * 8, value, true, false);
        } else if (offset < 0x400) {
            writeBitsByte(active, (offset - 0x380) * 8, value, false, false);
        } else if (offset < 0x800) {
            int intid = offset - 0x400;
            if (intid < INTERRUPTS) priority[intid] = (byte) value;
        } else if (offset < 0xC00) {
            // GICD_ITARGETSR: WI on a uniprocessor GIC
        } else if (offset < 0xF00) {
            writeConfigByte((offset - 0xC00) * 4, value);
        } else if (offset < 0xF10) {
            // GICD_SGIR is only written as a word
        } else if (offset < 0xF20) {
            int sgi = offset - 0xF10;
            sgiSources[sgi] &= (byte) ~value;
            if (sgiSources[sgi] == 0) setBit(pendingLatch, sgi, false);
        } else if (offset < 0xF30) {
            int sgi = offset - 0xF20;
            // QEMU marks the SGI pending even for a zero source mask.
            setBit(pendingLatch, sgi, true);
            sgiSources[sgi] |= (byte) value;
        }
    }

    /** Writes 8 bits starting at INTID first: set (1 = set) or clear (1 = clear), or assign when exact. */
    private void writeBitsByte(int[] bits, int first, int value, boolean set, boolean exact) {
        if (first >= INTERRUPTS) return;
        int shift = first & 31;
        int w = first >> 5;
        if (exact) {
            bits[w] = (bits[w] & ~(0xFF << shift)) | (value << shift);
        } else if (set) {
            bits[w] |= value << shift;
        } else {
            bits[w] &= ~(value << shift);
        }
    }

    private void writeConfigByte(int first, int value) {
        if (first >= INTERRUPTS) return;
        if (first < SGIS) value |= 0xAA; // SGIs are always edge-triggered
        for (int i = 0; i < 4; i++) setBit(edgeTriggered, first + i, (value & (2 << (2 * i))) != 0);
    }

    // ---- CPU interface registers ----------------------------------------------------------------
    private long cpuRead(int offset, int size) {
        if (size == 8) return cpuRead(offset, 4) | cpuRead(offset + 4, 4) << 32;
        long value = switch (offset) {
            case 0x000 -> cpuCtlr;
            case 0x004 -> priorityMask;
            case 0x008 -> bpr;
            case 0x00C -> acknowledge();
            case 0x014 -> Math.min(runningPriority, 0xFF);
            case 0x018 -> highestPending();
            case 0x01C -> abpr;
            case 0x0D0, 0x0D4, 0x0D8, 0x0DC -> apr[(offset - 0x0D0) >> 2] & 0xFFFF_FFFFL;
            case 0x0E0, 0x0E4, 0x0E8, 0x0EC -> nsapr[(offset - 0x0E0) >> 2] & 0xFFFF_FFFFL;
            case 0x0FC -> GICC_IIDR_VALUE;
            default -> 0;
        };
        return size >= 4 ? value : value & ((1L << (size * 8)) - 1);
    }

    private void cpuWrite(int offset, int size, long value) {
        if (size == 8) {
            cpuWrite(offset, 4, value & 0xFFFF_FFFFL);
            cpuWrite(offset + 4, 4, value >>> 32);
            return;
        }
        int v = (int) value;
        switch (offset) {
            case 0x000 -> cpuCtlr = v & GICC_CTLR_MASK;
            case 0x004 -> priorityMask = v & 0xFF;
            case 0x008 -> bpr = v & 7;
            case 0x010 -> {
                endOfInterrupt(v & 0x3FF);
                return;
            }
            case 0x01C -> abpr = Math.max(v & 7, 1);
            case 0x0D0, 0x0D4, 0x0D8, 0x0DC -> {
                apr[(offset - 0x0D0) >> 2] = v;
                runningPriority = priorityFromAprs();
            }
            case 0x0E0, 0x0E4, 0x0E8, 0x0EC -> {
                nsapr[(offset - 0x0E0) >> 2] = v;
                runningPriority = priorityFromAprs();
            }
            case 0x1000 -> deactivate(v & 0x3FF);
            default -> {
                return; // read-only, RAZ/WI or unassigned
            }
        }
        update();
    }

    // ---- Inspection ------------------------------------------------------------------------------
    public boolean isActive(int intid) {
        return bit(active, intid);
    }

    public boolean isPendingInterrupt(int intid) {
        return lines.isPending(intid);
    }

    public boolean isEnabled(int intid) {
        return bit(enabled, intid);
    }

    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        v.child("lines", lines);
        v.bytes("sgi_sources", sgiSources);
        distCtlr = v.u32("gicd_ctlr", distCtlr);
        cpuCtlr = v.u32("gicc_ctlr", cpuCtlr);
        priorityMask = v.u32("gicc_pmr", priorityMask);
        bpr = v.u32("gicc_bpr", bpr);
        abpr = v.u32("gicc_abpr", abpr);
        v.u32s("apr", apr);
        v.u32s("nsapr", nsapr);
        runningPriority = v.u32("running_priority", runningPriority);
        currentPending = v.u32("current_pending", currentPending);
        irqOut = v.bool("irq_out", irqOut);
        fiqOut = v.bool("fiq_out", fiqOut);
    }
}
