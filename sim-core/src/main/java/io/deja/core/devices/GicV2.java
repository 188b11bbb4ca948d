package io.deja.core.devices;

import static io.deja.core.devices.InterruptLines.bit;
import static io.deja.core.devices.InterruptLines.setBit;

import io.deja.core.mem.MmioDevice;

/**
 * GICv2 (ARM IHI 0048B) distributor and one CPU interface per CPU (1 to 8),
 * without the Security and Virtualization Extensions: what QEMU 7.2's virt
 * board has when it runs without EL2/EL3 ({@code hw/intc/arm_gic.c},
 * revision 2, num-irq 288, 8 priority bits). It runs in-process, like KVM's
 * vGIC: the vCPU reads {@link #irq()}/{@link #fiq()} at instruction
 * boundaries and the timer drives its PPIs through {@link #setPpiLevel}.
 *
 * <h2>Distributor (map {@link #distributor()} at GICD_BASE, 4 KiB)</h2>
 * <pre>
 * 0x000       GICD_CTLR         RW  bit 0 EnableGrp0, bit 1 EnableGrp1
 * 0x004       GICD_TYPER        RO  ITLinesNumber 8 (288 INTIDs), CPUNumber (bits 7:5) = CPUs - 1, no SecurityExtn
 * 0x008       GICD_IIDR         RO  0x43B (Arm)
 * 0x080-0x0A3 GICD_IGROUPRn     RW  1 bit per INTID, reset 0 (Group 0)
 * 0x100-0x123 GICD_ISENABLERn   RW1S  SGIs are always enabled
 * 0x180-0x1A3 GICD_ICENABLERn   RW1C
 * 0x200-0x223 GICD_ISPENDRn     RW1S  writes to SGI bits are ignored (use SPENDSGIR)
 * 0x280-0x2A3 GICD_ICPENDRn     RW1C
 * 0x300-0x323 GICD_ISACTIVERn   RW1S
 * 0x380-0x3A3 GICD_ICACTIVERn   RW1C
 * 0x400-0x51F GICD_IPRIORITYRn  RW  1 byte per INTID, all 8 bits implemented
 * 0x800-0x91F GICD_ITARGETSRn   one CPU: RAZ/WI (IHI 0048B 4.3.12); several: SGIs and PPIs read the
 *                                   accessing CPU's bit, SPIs RW 1 bit per CPU, reset 0 (QEMU: no target)
 * 0xC00-0xC47 GICD_ICFGRn       RW  2 bits per INTID, bit 1 = edge; SGIs read 0b10 (edge), fixed
 * 0xF00       GICD_SGIR         WO  32-bit only; TargetListFilter 0 (CPU list in bits 23:16),
 *                                   1 (every other CPU), 2 (self), 3 (reserved; QEMU: as 0)
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
 * Several CPUs: the registers of INTIDs 0-31 in the distributor (enable,
 * pending, active, group, priority, configuration, SGI sources) and the whole
 * CPU interface are banked per CPU; {@link #setCurrentCpu} says whose an MMIO
 * access is (QEMU's current_cpu), and the board sets it before running each
 * CPU. An SPI's state is shared: it is signalled to every CPU its ITARGETSR
 * names and the first to acknowledge it makes it active (QEMU keeps SPI
 * pending state per CPU for the N-N model; Linux targets each SPI at one CPU,
 * where the two agree).
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
    public static final int MAX_CPUS = 8;

    public static final int CTLR_EN_GRP0 = 1, CTLR_EN_GRP1 = 2;
    public static final int GICC_CTLR_ACK_CTL = 1 << 2, GICC_CTLR_FIQ_EN = 1 << 3, GICC_CTLR_CBPR = 1 << 4,
            GICC_CTLR_EOIMODE = 1 << 9;
    private static final int GICC_CTLR_MASK = 0x21F;

    private static final int SGIS = 16, PRIVATE = 32, WORDS = INTERRUPTS / 32;
    private static final int IDLE_PRIORITY = 0x100;
    private static final int APRS = 4;
    private static final int[] ID_REGS = {0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    /**
     * Per-INTID bitmaps and priorities (word i holds INTIDs 32i..32i+31): the SPIs,
     * and CPU 0's INTIDs 0-31 (other CPUs bank theirs in {@link Bank#lines}).
     */
    private final InterruptLines lines = new InterruptLines(INTERRUPTS);
    private final int cpus;
    private final Bank[] banks;
    /** GICD_ITARGETSR of every SPI (several CPUs only): bit n = CPU n. */
    private final byte[] targets = new byte[INTERRUPTS];
    /** Whose registers MMIO accesses reach. */
    private int current;

    private int distCtlr;

    /** One CPU's banked distributor registers (INTIDs 0-31) and its CPU interface. */
    private final class Bank implements io.deja.core.state.Stateful, io.deja.core.cpu.IrqLine, io.deja.core.cpu.InterruptSink {
        final int cpu;
        /** INTIDs 0-31 live in word 0 (CPU 0: the shared lines, whose other words are the SPIs). */
        final InterruptLines lines;
        /** Per SGI, the source CPUs it is pending from (bit n = CPU n). */
        final byte[] sgiSources = new byte[SGIS];
        int cpuCtlr;
        int priorityMask;
        int bpr = 0, abpr = 1;
        final int[] apr = new int[APRS];
        final int[] nsapr = new int[APRS];
        int runningPriority = IDLE_PRIORITY;
        /** Recomputed on every state change (QEMU's gic_update): the signalled interrupt and the outputs. */
        int currentPending = SPURIOUS;
        boolean irqOut, fiqOut;

        Bank(int cpu, InterruptLines lines) {
            this.cpu = cpu;
            this.lines = lines;
            for (int i = 0; i < SGIS; i++) {
                setBit(lines.enabled, i, true);
                setBit(lines.edgeTriggered, i, true);
            }
        }

        /** The lines holding intid's state as this CPU sees it. */
        InterruptLines of(int intid) {
            return intid < PRIVATE ? lines : GicV2.this.lines;
        }

        @Override public boolean irq() { return irqOut; }
        @Override public boolean fiq() { return fiqOut; }
        @Override public int pendingIntid() { return currentPending < SPURIOUS - 3 ? currentPending : -1; }

        @Override
        public void setPpiLevel(int intid, boolean level) {
            if (intid < SGIS || intid >= PRIVATE) throw new IllegalArgumentException("INTID " + intid + " is not a PPI");
            if (lines.setInput(intid, level)) update();
        }

        /** The CPU interface registers, in the order a one-CPU GIC has always described them. */
        void interfaceState(io.deja.core.state.StateVisitor v) {
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

        /** Another CPU's bank (CPU 0's is described field by field in {@link GicV2#state}). */
        @Override
        public void state(io.deja.core.state.StateVisitor v) {
            v.child("lines", lines);
            v.bytes("sgi_sources", sgiSources);
            interfaceState(v);
        }
    }

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

    /** A GIC for one CPU. */
    public GicV2() {
        this(1);
    }

    /** A GIC for cpus CPUs (1 to {@link #MAX_CPUS}). */
    public GicV2(int cpus) {
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("a GICv2 serves 1 to 8 CPUs, not " + cpus);
        this.cpus = cpus;
        banks = new Bank[cpus];
        banks[0] = new Bank(0, lines);
        for (int i = 1; i < cpus; i++) banks[i] = new Bank(i, new InterruptLines(PRIVATE));
    }

    public MmioDevice distributor() {
        return distributor;
    }

    public MmioDevice cpuInterface() {
        return cpuInterface;
    }

    /** The CPU whose banked registers and CPU interface the next MMIO accesses reach. */
    @Override
    public void setCurrentCpu(int cpu) {
        current = cpu;
    }

    /** CPU n's IRQ and FIQ inputs. */
    @Override
    public io.deja.core.cpu.IrqLine cpuLine(int cpu) {
        return banks[cpu];
    }

    /** Where CPU n's private peripherals (its generic timer) drive their PPIs. */
    @Override
    public io.deja.core.cpu.InterruptSink ppiSink(int cpu) {
        return banks[cpu];
    }

    // ---- Wires (CPU 0's) -------------------------------------------------------------------------
    @Override public boolean irq() { return banks[0].irqOut; }
    @Override public int pendingIntid() { return banks[0].pendingIntid(); }
    @Override public boolean fiq() { return banks[0].fiqOut; }

    @Override
    public void setPpiLevel(int intid, boolean level) {
        banks[0].setPpiLevel(intid, level);
    }

    /** Drives the input of a shared peripheral interrupt (INTID 32-287). */
    @Override
    public void setSpiLevel(int intid, boolean level) {
        if (intid < PRIVATE || intid >= INTERRUPTS) throw new IllegalArgumentException("INTID " + intid + " is not an SPI");
        if (lines.setInput(intid, level)) update();
    }

    // ---- Interrupt state ------------------------------------------------------------------------
    private void update() {
        for (Bank b : banks) update(b);
    }

    /**
     * QEMU's gic_update for one CPU: picks the highest-priority (lowest value,
     * then lowest INTID) enabled, pending, inactive interrupt aimed at it; it
     * becomes the current pending interrupt if it beats the priority mask, and
     * is signalled if it also beats the running priority and its group is enabled.
     */
    private void update(Bank b) {
        b.currentPending = SPURIOUS;
        b.irqOut = false;
        b.fiqOut = false;
        if ((distCtlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) == 0 || (b.cpuCtlr & (CTLR_EN_GRP0 | CTLR_EN_GRP1)) == 0) return;
        int best = SPURIOUS, bestPriority = IDLE_PRIORITY;
        for (int w = 0; w < WORDS; w++) {
            InterruptLines l = w == 0 ? b.lines : lines;
            int candidates = l.enabled[w] & l.pendingWord(w) & ~l.active[w];
            while (candidates != 0) {
                int intid = w * 32 + Integer.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                if (cpus > 1 && w > 0 && (targets[intid] & (1 << b.cpu)) == 0) continue;
                int p = l.priorityOf(intid);
                if (p < bestPriority) {
                    bestPriority = p;
                    best = intid;
                }
            }
        }
        if (bestPriority >= b.priorityMask) return;
        b.currentPending = best;
        if (bestPriority >= b.runningPriority) return;
        int group = bit(b.of(best).group1, best) ? 1 : 0;
        if ((distCtlr & (1 << group)) == 0 || (b.cpuCtlr & (1 << group)) == 0) return;
        if (group == 0 && (b.cpuCtlr & GICC_CTLR_FIQ_EN) != 0) {
            b.fiqOut = true;
        } else {
            b.irqOut = true;
        }
    }

    /** HPPIR's view of the current pending interrupt (Group 1 is hidden unless AckCtl). */
    private int highestPending(Bank b) {
        int intid = b.currentPending;
        if (intid < SPURIOUS - 3 && bit(b.of(intid).group1, intid) && (b.cpuCtlr & GICC_CTLR_ACK_CTL) == 0) return GROUP1_NOT_ACKNOWLEDGED;
        return intid;
    }

    private int acknowledge(Bank b) {
        int intid = highestPending(b);
        if (intid >= SPURIOUS - 3) return intid;
        InterruptLines l = b.of(intid);
        if (l.priorityOf(intid) >= b.runningPriority) return SPURIOUS;
        activate(b, intid);
        int result = intid;
        if (intid < SGIS) {
            int sources = b.sgiSources[intid] & 0xFF;
            int source = sources == 0 ? 0 : Integer.numberOfTrailingZeros(sources);
            sources &= ~(1 << source);
            b.sgiSources[intid] = (byte) sources;
            if (sources == 0) setBit(l.pendingLatch, intid, false);
            result |= source << 10;
        } else {
            setBit(l.pendingLatch, intid, false);
        }
        update();
        return result;
    }

    /** Sets the active priority bit for the interrupt's group priority and raises the running priority. */
    private void activate(Bank b, int intid) {
        int groupPriority = groupPriority(b, intid);
        int level = groupPriority >> 1;
        int[] aprs = bit(b.of(intid).group1, intid) ? b.nsapr : b.apr;
        aprs[level / 32] |= 1 << (level % 32);
        b.runningPriority = groupPriority;
        setBit(b.of(intid).active, intid, true);
    }

    private int groupPriority(Bank b, int intid) {
        InterruptLines l = b.of(intid);
        int binaryPoint = bit(l.group1, intid) && (b.cpuCtlr & GICC_CTLR_CBPR) == 0 ? b.abpr - 1 : b.bpr;
        return l.priorityOf(intid) & (~0 << ((binaryPoint & 7) + 1));
    }

    private void endOfInterrupt(Bank b, int intid) {
        if (intid >= INTERRUPTS) return; // spurious or non-existent: ignored
        if (b.runningPriority == IDLE_PRIORITY) return; // nothing active
        dropPriority(b, bit(b.of(intid).group1, intid) ? b.nsapr : b.apr);
        if ((b.cpuCtlr & GICC_CTLR_EOIMODE) == 0) setBit(b.of(intid).active, intid, false);
        update();
    }

    /** Clears the lowest set bit of the group's active priorities (the running interrupt, if EOIs nest). */
    private void dropPriority(Bank b, int[] aprs) {
        for (int i = 0; i < APRS; i++) {
            if (aprs[i] != 0) {
                aprs[i] &= aprs[i] - 1;
                break;
            }
        }
        b.runningPriority = priorityFromAprs(b);
    }

    private static int priorityFromAprs(Bank b) {
        for (int i = 0; i < APRS; i++) {
            int bits = b.apr[i] | b.nsapr[i];
            if (bits != 0) return (i * 32 + Integer.numberOfTrailingZeros(bits)) << 1;
        }
        return IDLE_PRIORITY;
    }

    private void deactivate(Bank b, int intid) {
        if (intid >= INTERRUPTS) return;
        // Without EOImode, DIR is UNPREDICTABLE; QEMU ignores it.
        if ((b.cpuCtlr & GICC_CTLR_EOIMODE) == 0) return;
        setBit(b.of(intid).active, intid, false);
    }

    private void softwareGenerated(int value) {
        int sgi = value & 0xF;
        int self = 1 << current;
        int all = (1 << cpus) - 1;
        int targetList = switch ((value >>> 24) & 3) {
            case 1 -> all & ~self;
            case 2 -> self;
            // 0: the list; 3 is reserved and QEMU treats it as a list
            default -> (value >>> 16) & all;
        };
        for (Bank b : banks) {
            if ((targetList & (1 << b.cpu)) != 0) {
                setBit(b.lines.pendingLatch, sgi, true);
                b.sgiSources[sgi] |= (byte) self;
            }
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

    /** The lines holding the INTIDs from first on, as the accessing CPU sees them. */
    private InterruptLines linesAt(int first) {
        return first < PRIVATE ? banks[current].lines : lines;
    }

    private int distReadByte(int offset) {
        Bank b = banks[current];
        if (offset < 0x080) {
            return switch (offset) {
                case 0x000 -> distCtlr;
                case 0x004 -> (INTERRUPTS / 32 - 1) | ((cpus - 1) << 5);
                case 0x008 -> 0x3B;
                case 0x009 -> 0x04;
                default -> 0;
            };
        }
        if (offset < 0x100) return bitsByte(linesAt((offset - 0x080) * 8).group1, (offset - 0x080) * 8);
        if (offset < 0x200) return bitsByte(linesAt((offset & 0x7F) * 8).enabled, (offset & 0x7F) * 8);
        if (offset < 0x300) return pendingByte((offset & 0x7F) * 8);
        if (offset < 0x400) return bitsByte(linesAt((offset & 0x7F) * 8).active, (offset & 0x7F) * 8);
        if (offset < 0x800) {
            int intid = offset - 0x400;
            return intid < INTERRUPTS ? b.of(intid).priorityOf(intid) : 0;
        }
        if (offset < 0xC00) {
            int intid = offset - 0x800;
            if (cpus == 1 || intid >= INTERRUPTS) return 0; // RAZ on a uniprocessor GIC
            return intid < PRIVATE ? 1 << current : targets[intid] & 0xFF;
        }
        if (offset < 0xF00) return configByte((offset - 0xC00) * 4);
        if (offset < 0xF10) return 0;
        if (offset < 0xF30) return b.sgiSources[(offset - 0xF10) & 0xF] & 0xFF;
        if (offset < 0xFD0) return 0;
        if (offset < 0x1000) return (offset & 3) != 0 ? 0 : ID_REGS[(offset - 0xFD0) >> 2];
        return 0;
    }

    private static int bitsByte(int[] bits, int first) {
        if (first >= INTERRUPTS) return 0;
        return (bits[first >> 5] >>> (first & 31)) & 0xFF;
    }

    private int pendingByte(int first) {
        if (first >= INTERRUPTS) return 0;
        return (linesAt(first).pendingWord(first >> 5) >>> (first & 31)) & 0xFF;
    }

    private int configByte(int first) {
        if (first >= INTERRUPTS) return 0;
        int[] edge = linesAt(first).edgeTriggered;
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (bit(edge, first + i)) value |= 2 << (2 * i);
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
        Bank b = banks[current];
        if (offset < 0x080) {
            if (offset == 0) distCtlr = value & (CTLR_EN_GRP0 | CTLR_EN_GRP1);
            return;
        }
        if (offset < 0x100) {
            int first = (offset - 0x080) * 8;
            writeBitsByte(linesAt(first).group1, first, value, true, true);
        } else if (offset < 0x180) {
            int first = (offset - 0x100) * 8;
            writeBitsByte(linesAt(first).enabled, first, first < SGIS ? 0xFF : value, true, false);
        } else if (offset < 0x200) {
            int first = (offset - 0x180) * 8;
            writeBitsByte(linesAt(first).enabled, first, first < SGIS ? 0 : value, false, false);
        } else if (offset < 0x280) {
            int first = (offset - 0x200) * 8;
            writeBitsByte(linesAt(first).pendingLatch, first, first < SGIS ? 0 : value, true, false);
        } else if (offset < 0x300) {
            int first = (offset - 0x280) * 8;
            writeBitsByte(linesAt(first).pendingLatch, first, first < SGIS ? 0 : value, false, false);
        } else if (offset < 0x380) {
            int first = (offset - 0x300) * 8;
            writeBitsByte(linesAt(first).active, first, value, true, false);
        } else if (offset < 0x400) {
            int first = (offset - 0x380) * 8;
            writeBitsByte(linesAt(first).active, first, value, false, false);
        } else if (offset < 0x800) {
            int intid = offset - 0x400;
            if (intid < INTERRUPTS) b.of(intid).priority[intid] = (byte) value;
        } else if (offset < 0xC00) {
            // GICD_ITARGETSR: WI on a uniprocessor GIC and for INTIDs 0-31
            int intid = offset - 0x800;
            if (cpus > 1 && intid >= PRIVATE && intid < INTERRUPTS) targets[intid] = (byte) (value & ((1 << cpus) - 1));
        } else if (offset < 0xF00) {
            writeConfigByte((offset - 0xC00) * 4, value);
        } else if (offset < 0xF10) {
            // GICD_SGIR is only written as a word
        } else if (offset < 0xF20) {
            int sgi = offset - 0xF10;
            b.sgiSources[sgi] &= (byte) ~value;
            if (b.sgiSources[sgi] == 0) setBit(b.lines.pendingLatch, sgi, false);
        } else if (offset < 0xF30) {
            int sgi = offset - 0xF20;
            // QEMU marks the SGI pending even for a zero source mask.
            setBit(b.lines.pendingLatch, sgi, true);
            b.sgiSources[sgi] |= (byte) value;
        }
    }

    /** Writes 8 bits starting at INTID first: set (1 = set) or clear (1 = clear), or assign when exact. */
    private static void writeBitsByte(int[] bits, int first, int value, boolean set, boolean exact) {
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
        int[] edge = linesAt(first).edgeTriggered;
        for (int i = 0; i < 4; i++) setBit(edge, first + i, (value & (2 << (2 * i))) != 0);
    }

    // ---- CPU interface registers ----------------------------------------------------------------
    private long cpuRead(int offset, int size) {
        if (size == 8) return cpuRead(offset, 4) | cpuRead(offset + 4, 4) << 32;
        Bank b = banks[current];
        long value = switch (offset) {
            case 0x000 -> b.cpuCtlr;
            case 0x004 -> b.priorityMask;
            case 0x008 -> b.bpr;
            case 0x00C -> acknowledge(b);
            case 0x014 -> Math.min(b.runningPriority, 0xFF);
            case 0x018 -> highestPending(b);
            case 0x01C -> b.abpr;
            case 0x0D0, 0x0D4, 0x0D8, 0x0DC -> b.apr[(offset - 0x0D0) >> 2] & 0xFFFF_FFFFL;
            case 0x0E0, 0x0E4, 0x0E8, 0x0EC -> b.nsapr[(offset - 0x0E0) >> 2] & 0xFFFF_FFFFL;
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
        Bank b = banks[current];
        int v = (int) value;
        switch (offset) {
            case 0x000 -> b.cpuCtlr = v & GICC_CTLR_MASK;
            case 0x004 -> b.priorityMask = v & 0xFF;
            case 0x008 -> b.bpr = v & 7;
            case 0x010 -> {
                endOfInterrupt(b, v & 0x3FF);
                return;
            }
            case 0x01C -> b.abpr = Math.max(v & 7, 1);
            case 0x0D0, 0x0D4, 0x0D8, 0x0DC -> {
                b.apr[(offset - 0x0D0) >> 2] = v;
                b.runningPriority = priorityFromAprs(b);
            }
            case 0x0E0, 0x0E4, 0x0E8, 0x0EC -> {
                b.nsapr[(offset - 0x0E0) >> 2] = v;
                b.runningPriority = priorityFromAprs(b);
            }
            case 0x1000 -> deactivate(b, v & 0x3FF);
            default -> {
                return; // read-only, RAZ/WI or unassigned
            }
        }
        update();
    }

    // ---- Inspection (CPU 0's view of INTIDs 0-31) -----------------------------------------------------
    public boolean isActive(int intid) {
        return bit(lines.active, intid);
    }

    public boolean isPendingInterrupt(int intid) {
        return lines.isPending(intid);
    }

    public boolean isEnabled(int intid) {
        return bit(lines.enabled, intid);
    }

    /**
     * With one CPU, exactly the description a one-CPU GIC has always had (so
     * recorded hashes keep their meaning); with several, then the SPI targets and
     * the other CPUs' banks.
     */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        Bank b = banks[0];
        v.child("lines", lines);
        v.bytes("sgi_sources", b.sgiSources);
        distCtlr = v.u32("gicd_ctlr", distCtlr);
        b.interfaceState(v);
        if (cpus == 1) return;
        v.bytes("itargets", targets);
        for (int i = 1; i < cpus; i++) v.child("cpu" + i, banks[i]);
    }
}
