package io.deja.core.devices;

import static io.deja.core.devices.InterruptLines.bit;
import static io.deja.core.devices.InterruptLines.setBit;

import io.deja.core.cpu.SystemRegisters;
import io.deja.core.mem.MmioDevice;

/**
 * GICv3 (ARM IHI 0069) for one CPU, without security (GICD_CTLR.DS = 1),
 * affinity routing always on, no LPIs and no ITS: the state a guest sees on
 * QEMU 7.2's {@code -M virt,gic-version=3,its=off} at one CPU
 * ({@code hw/intc/arm_gicv3*.c}, cortex-a57 CPU interface with 5 priority
 * and preemption bits). In-process like {@link GicV2}: the vCPU reads
 * {@link #irq()}/{@link #fiq()} at instruction boundaries, the timer drives
 * PPIs through {@link #setPpiLevel}, the devices SPIs through
 * {@link #setSpiLevel}, and MRS/MSR reach the ICC_* registers through
 * {@link #cpuInterface()} (SystemRegisters.CpuInterface).
 *
 * <h2>Distributor (64 KiB at GICD_BASE)</h2>
 * <pre>
 * 0x0000        GICD_CTLR       RW  bit 0 EnableGrp0, 1 EnableGrp1; ARE (4) and DS (6) RAO/WI; reset 0x50
 * 0x0004        GICD_TYPER      RO  0x03780007: No1N, A3V, IDbits 15 (16-bit INTIDs), ITLinesNumber 7 (288 INTIDs)
 * 0x0008        GICD_IIDR       RO  0x43B (Arm)
 * 0x0080-0x00A3 GICD_IGROUPRn   RW  SPIs only: 1 = Group 1 (INTIDs 0-31 are the redistributor's: RAZ/WI here)
 * 0x0100-0x03A3 GICD_I[SC]ENABLER, GICD_I[SC]PENDR, GICD_I[SC]ACTIVER: SPIs, set/clear by 1 bits
 * 0x0400-0x051F GICD_IPRIORITYRn RW 8 bits per INTID, byte-accessible (SPIs)
 * 0x0C00-0x0C47 GICD_ICFGRn     RW  2 bits per INTID, bit 1 = edge (SPIs)
 * 0x6000-0x68FF GICD_IROUTERn   RW  64 bits per SPI: Aff3.Aff2.Aff1.Aff0 and IRM (bit 31)
 * 0xFFD0-0xFFFC ID registers        PIDR4 0x44, PIDR0-3 0x92 0xB4 0x3B 0x00, CIDR0-3 0x0D 0xF0 0x05 0xB1
 * </pre>
 * ITARGETSR, CPENDSGIR/SPENDSGIR, SGIR, IGRPMODR, NSACR and STATUSR are RAZ/WI
 * (affinity routing, one security state), as in QEMU.
 *
 * <h2>Redistributor of CPU 0 (RD_base at GICR_BASE, SGI_base 64 KiB above)</h2>
 * <pre>
 * RD_base  0x0000 GICR_CTLR   RAZ/WI (no LPIs)
 *          0x0004 GICR_IIDR   RO 0x43B
 *          0x0008 GICR_TYPER  RO 64 bits: Affinity 0.0.0.0 (63:32), Processor_Number 0, Last (bit 4)
 *          0x0014 GICR_WAKER  RW bit 1 ProcessorSleep, bit 2 ChildrenAsleep (follows it); reset 0x6
 *          0xFFD0 ID registers     as the distributor's but PIDR0 0x93
 * SGI_base 0x0080 GICR_IGROUPR0, 0x0100/0x0180 I[SC]ENABLER0, 0x0200/0x0280 I[SC]PENDR0,
 *          0x0300/0x0380 I[SC]ACTIVER0, 0x0400-0x041F IPRIORITYR0-7, 0x0C00 ICFGR0 (SGIs: RO edge),
 *          0x0C04 ICFGR1 (PPIs, RW), 0x0D00 IGRPMODR0 and 0x0E00 NSACR RAZ/WI
 * </pre>
 * Unlike QEMU, GICD_TYPER.LPIS, GICR_TYPER.PLPIS and CommonLPIAff and
 * GICR_CTLR.CES read 0: Deja implements no LPIs, and says so (QEMU 7.2
 * advertises them even with its=off). GICR_WAKER.ProcessorSleep does not gate
 * delivery (QEMU's does not either).
 *
 * More CPUs: the register map already follows the multi-CPU layout (one
 * RD_base + SGI_base frame pair per CPU, GICR_TYPER's Processor_Number,
 * affinity and Last, GICD_IROUTER affinity routing, ICC_SGI1R target lists).
 * What is per CPU in the state below is word 0 of the interrupt bitmaps and
 * priorities 0-31 (the redistributor's SGIs and PPIs), GICR_WAKER and the
 * CPU interface fields; a second CPU needs its own copy of those, a frame
 * index in the redistributor decode, and the routing and SGI target checks
 * to compare against its affinity instead of 0.
 *
 * Accesses: 32-bit, 64-bit as two 32-bit halves (IROUTER, GICR_TYPER),
 * bytes only for IPRIORITYR; other sizes read 0 and ignore writes, as QEMU.
 *
 * <h2>CPU interface (ICC_*_EL1 system registers)</h2>
 * SRE reads 0x7 (system registers only); PMR keeps bits 7:3; BPR0 is at least
 * 2 and BPR1 at least 3 (5 preemption bits), BPR1 reads BPR0 + 1 and ignores
 * writes while CTLR.CBPR is set; CTLR reads 0x8C00 (A3V, IDbits 24-bit,
 * PRIbits 5) plus CBPR and EOImode, the writable bits; AP0R0/AP1R0 hold one
 * active-priority bit per group priority (priority &gt;&gt; 3); IAR0/IAR1
 * acknowledge the highest-priority pending interrupt of their group if it
 * beats PMR and the running priority, else 1023; EOIR drops the running
 * priority (if its group is the highest active one) and, unless EOImode,
 * deactivates; DIR deactivates under EOImode; RPR is the running priority
 * (0xFF when idle); HPPIR0/1 name the highest-priority pending interrupt if it
 * is of their group; SGI0R, SGI1R and ASGI1R pend an SGI on this CPU when the
 * target list names it (Aff3.Aff2.Aff1 = 0, RS = 0, bit 0) and IRM = 0.
 * Group 0 is signalled as FIQ, Group 1 as IRQ, each only while the group is
 * enabled in GICD_CTLR and ICC_IGRPENn_EL1.
 */
public final class GicV3 implements InterruptController {
    public static final int INTERRUPTS = 288;
    public static final int SPURIOUS = 1023;
    public static final int IIDR = 0x43B;
    public static final int GICD_TYPER_VALUE = (1 << 25) | (1 << 24) | (15 << 19) | ((INTERRUPTS - 32) / 32 - 1);
    public static final int CTLR_EN_GRP0 = 1, CTLR_EN_GRP1 = 2, CTLR_ARE = 1 << 4, CTLR_DS = 1 << 6;
    public static final int WAKER_PROCESSOR_SLEEP = 2, WAKER_CHILDREN_ASLEEP = 4;
    public static final long GICR_TYPER_VALUE = 1 << 4; // Last; affinity 0, processor 0
    public static final long ICC_SRE_VALUE = 0x7;
    public static final long ICC_CTLR_FIXED = 0x8C00, ICC_CTLR_CBPR = 1, ICC_CTLR_EOIMODE = 2;
    public static final int PRIORITY_MASK_BITS = 0xF8;
    public static final int MIN_BPR0 = 2, MIN_BPR1 = 3;
    /** SGI_base is 64 KiB above RD_base. */
    public static final int SGI_BASE = 0x1_0000;

    private static final int SGIS = 16, PRIVATE = 32, WORDS = INTERRUPTS / 32;
    private static final int IDLE = 0xFF;
    private static final int[] DIST_ID = {0x44, 0x00, 0x00, 0x00, 0x92, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    private static final int[] REDIST_ID = {0x44, 0x00, 0x00, 0x00, 0x93, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    /** Per-INTID bitmaps and priorities (word 0: the CPU's SGIs and PPIs, held by its redistributor); the names below are its arrays. */
    private final InterruptLines lines = new InterruptLines(INTERRUPTS);
    private final int[] enabled = lines.enabled, pendingLatch = lines.pendingLatch, inputLevel = lines.inputLevel,
            edgeTriggered = lines.edgeTriggered, active = lines.active, group1 = lines.group1;
    private final byte[] priority = lines.priority;
    private final long[] irouter = new long[INTERRUPTS];

    // Distributor
    private int distCtlr;
    // Redistributor of CPU 0
    private int waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;
    // CPU interface of CPU 0
    private int pmr;
    private int bpr0 = MIN_BPR0, bpr1 = MIN_BPR1;
    private long iccCtlr;
    private boolean igrpen0, igrpen1;
    private int ap0r, ap1r;

    /** Recomputed on every change: the highest-priority pending interrupt, and the outputs. */
    private int hppi = SPURIOUS;
    private boolean irqOut, fiqOut;

    private final MmioDevice distributor = new MmioDevice() {
        public String name() { return "gic-dist"; }
        public long read(long offset, int size) { return access(offset, size, true, 0, true); }
        public void write(long offset, int size, long value) { access(offset, size, false, value, true); }
    };

    private final MmioDevice redistributor = new MmioDevice() {
        public String name() { return "gic-redist"; }
        public long read(long offset, int size) { return access(offset, size, true, 0, false); }
        public void write(long offset, int size, long value) { access(offset, size, false, value, false); }
    };

    private final CpuInterface cpuInterface = new CpuInterface();

    public GicV3() {
        for (int i = 0; i < SGIS; i++) setBit(edgeTriggered, i, true);
    }

    public MmioDevice distributor() { return distributor; }
    public MmioDevice redistributor() { return redistributor; }
    /** The ICC_* registers, for SystemRegisters.cpuInterface. */
    public SystemRegisters.CpuInterface cpuInterface() { return cpuInterface; }

    // ---- Wires ----------------------------------------------------------------------------------
    @Override public boolean irq() { return irqOut; }
    @Override public boolean fiq() { return fiqOut; }
    @Override public int pendingIntid() { return irqOut || fiqOut ? hppi : -1; }

    @Override
    public void setPpiLevel(int intid, boolean level) {
        if (intid < SGIS || intid >= PRIVATE) throw new IllegalArgumentException("INTID " + intid + " is not a PPI");
        setInput(intid, level);
    }

    @Override
    public void setSpiLevel(int intid, boolean level) {
        if (intid < PRIVATE || intid >= INTERRUPTS) throw new IllegalArgumentException("INTID " + intid + " is not an SPI");
        setInput(intid, level);
    }

    private void setInput(int intid, boolean level) {
        if (lines.setInput(intid, level)) update();
    }

    // ---- Interrupt state ------------------------------------------------------------------------
    private int groupOf(int intid) {
        return bit(group1, intid) ? 1 : 0;
    }

    /** Whether an SPI is routed to CPU 0 (IRM: any CPU; else its affinity must be 0.0.0.0). */
    private boolean routedHere(int intid) {
        if (intid < PRIVATE) return true;
        long r = irouter[intid];
        return (r & (1L << 31)) != 0 || (r & 0xFF_00FF_FFFFL) == 0;
    }

    /**
     * QEMU's hppi: the highest-priority (lowest value, then lowest INTID)
     * enabled, pending, inactive interrupt of a group enabled in GICD_CTLR and
     * routed to this CPU; then the outputs, as its cpuif update.
     */
    private void update() {
        int best = SPURIOUS, bestPriority = 0x100;
        for (int w = 0; w < WORDS; w++) {
            int candidates = enabled[w] & lines.pendingWord(w) & ~active[w];
            while (candidates != 0) {
                int intid = w * 32 + Integer.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                int p = lines.priorityOf(intid);
                if (p < bestPriority && (distCtlr & (1 << groupOf(intid))) != 0 && routedHere(intid)) {
                    bestPriority = p;
                    best = intid;
                }
            }
        }
        hppi = best;
        irqOut = false;
        fiqOut = false;
        if (best == SPURIOUS || !canPreempt()) return;
        if (groupOf(best) == 0) {
            fiqOut = igrpen0;
        } else {
            irqOut = igrpen1;
        }
    }

    /** The pending interrupt beats the priority mask and the running priority (by group priority). */
    private boolean canPreempt() {
        if (hppi == SPURIOUS) return false;
        int p = lines.priorityOf(hppi);
        if (p >= pmr) return false;
        int running = runningPriority();
        if (running == IDLE) return true;
        int mask = groupPriorityMask(groupOf(hppi));
        return (p & mask) < (running & mask);
    }

    private int groupPriorityMask(int group) {
        int bpr;
        if (group == 1 && (iccCtlr & ICC_CTLR_CBPR) == 0) {
            bpr = bpr1 - 1;
        } else {
            bpr = bpr0;
        }
        return (0xFF << (bpr + 1)) & 0xFF;
    }

    /** The highest active priority: the lowest set active-priority bit of either group, times 8. */
    private int runningPriority() {
        int bits = ap0r | ap1r;
        return bits == 0 ? IDLE : Integer.numberOfTrailingZeros(bits) << 3;
    }

    private int acknowledge(int group) {
        if (hppi == SPURIOUS || groupOf(hppi) != group || !canPreempt()) return SPURIOUS;
        int intid = hppi;
        int level = (lines.priorityOf(intid) & groupPriorityMask(group)) >> 3;
        if (group == 0) ap0r |= 1 << level; else ap1r |= 1 << level;
        setBit(active, intid, true);
        setBit(pendingLatch, intid, false);
        update();
        return intid;
    }

    /** The group whose active priority is the running one (Group 0 on a tie), or -1 if nothing is active. */
    private int highestActiveGroup() {
        int g0 = ap0r == 0 ? 32 : Integer.numberOfTrailingZeros(ap0r);
        int g1 = ap1r == 0 ? 32 : Integer.numberOfTrailingZeros(ap1r);
        if (g0 == 32 && g1 == 32) return -1;
        return g0 <= g1 ? 0 : 1;
    }

    private void endOfInterrupt(int group, int intid) {
        if (intid >= INTERRUPTS) return;
        if (highestActiveGroup() != group) return;
        if (group == 0) ap0r &= ap0r - 1; else ap1r &= ap1r - 1;
        if ((iccCtlr & ICC_CTLR_EOIMODE) == 0) setBit(active, intid, false);
        update();
    }

    private void deactivate(int intid) {
        if (intid >= INTERRUPTS || (iccCtlr & ICC_CTLR_EOIMODE) == 0) return;
        setBit(active, intid, false);
        update();
    }

    private int highestPending(int group) {
        return hppi != SPURIOUS && groupOf(hppi) == group ? hppi : SPURIOUS;
    }

    private void generateSgi(long value) {
        int sgi = (int) (value >>> 24) & 0xF;
        boolean irm = (value & (1L << 40)) != 0;
        boolean affinityZero = (value & 0x00FF_00FF_00FF_0000L) == 0 && ((value >>> 44) & 0xF) == 0;
        if (!irm && affinityZero && (value & 1) != 0) {
            setBit(pendingLatch, sgi, true);
            update();
        }
    }

    // ---- Memory-mapped registers ----------------------------------------------------------------
    private long access(long offset, int size, boolean read, long value, boolean dist) {
        int off = (int) offset;
        if (size == 8) {
            if (read) return word(off, true, 0, dist) | word(off + 4, true, 0, dist) << 32;
            word(off, false, value & 0xFFFF_FFFFL, dist);
            word(off + 4, false, value >>> 32, dist);
            update();
            return 0;
        }
        int priorityBase = dist ? 0x400 : SGI_BASE + 0x400;
        int priorityEnd = dist ? 0x400 + INTERRUPTS : SGI_BASE + 0x400 + PRIVATE;
        if (size == 4 || (size == 1 && off >= priorityBase && off < (dist ? 0x800 : SGI_BASE + 0x420))) {
            if (size == 1) {
                int intid = off - priorityBase;
                if (off >= priorityEnd || (dist && intid < PRIVATE)) return 0;
                if (read) return lines.priorityOf(intid);
                priority[intid] = (byte) value;
                update();
                return 0;
            }
            if ((off & 3) != 0) return 0;
            long v = word(off, read, value & 0xFFFF_FFFFL, dist);
            if (!read) update();
            return v;
        }
        return 0; // other sizes: RAZ/WI
    }

    /** One 32-bit register of the distributor or the redistributor; returns the value read. */
    private long word(int off, boolean read, long value, boolean dist) {
        int v = (int) value;
        if (dist) return distWord(off, read, v) & 0xFFFF_FFFFL;
        if (off >= SGI_BASE) return sgiWord(off - SGI_BASE, read, v) & 0xFFFF_FFFFL;
        return rdWord(off, read, v) & 0xFFFF_FFFFL;
    }

    private int distWord(int off, boolean read, int v) {
        if (off == 0x0000) {
            if (!read) distCtlr = v & (CTLR_EN_GRP0 | CTLR_EN_GRP1);
            return distCtlr | CTLR_ARE | CTLR_DS;
        }
        if (off == 0x0004) return GICD_TYPER_VALUE;
        if (off == 0x0008) return IIDR;
        if (off >= 0x0080 && off < 0x0400) {
            int first = ((off & 0x7F) * 8);
            if (first < PRIVATE || first >= INTERRUPTS) return 0; // SGIs and PPIs: the redistributor's
            return bitmapRegister(off >> 7, first, read, v);
        }
        if (off >= 0x0400 && off < 0x0800) {
            int first = off - 0x400;
            if (first < PRIVATE || first >= INTERRUPTS) return 0;
            if (!read) for (int i = 0; i < 4; i++) priority[first + i] = (byte) (v >>> (8 * i));
            int r = 0;
            for (int i = 3; i >= 0; i--) r = r << 8 | lines.priorityOf(first + i);
            return r;
        }
        if (off >= 0x0C00 && off < 0x0D00) {
            int first = (off - 0xC00) * 4;
            if (first < PRIVATE || first >= INTERRUPTS) return 0;
            return configRegister(first, read, v);
        }
        if (off >= 0x6000 && off < 0x6000 + INTERRUPTS * 8) {
            int intid = (off - 0x6000) >> 3;
            if (intid < PRIVATE) return 0;
            boolean high = (off & 4) != 0;
            if (!read) {
                long r = irouter[intid];
                r = high ? (r & 0xFFFF_FFFFL) | ((long) v & 0xFF) << 32 : (r & ~0xFFFF_FFFFL) | (v & 0x80FF_FFFFL);
                irouter[intid] = r;
            }
            return (int) (high ? irouter[intid] >>> 32 : irouter[intid]);
        }
        if (off >= 0xFFD0 && off < 0x10000) return DIST_ID[(off - 0xFFD0) >> 2];
        return 0;
    }

    private int rdWord(int off, boolean read, int v) {
        return switch (off) {
            case 0x0004 -> IIDR;
            case 0x0008 -> (int) GICR_TYPER_VALUE;
            case 0x000C -> (int) (GICR_TYPER_VALUE >>> 32);
            case 0x0014 -> {
                if (!read) {
                    // ChildrenAsleep follows ProcessorSleep at once: there is nothing to quiesce.
                    waker = (v & WAKER_PROCESSOR_SLEEP) != 0 ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
                }
                yield waker;
            }
            default -> off >= 0xFFD0 && off < 0x10000 ? REDIST_ID[(off - 0xFFD0) >> 2] : 0;
        };
    }

    private int sgiWord(int off, boolean read, int v) {
        if (off >= 0x0080 && off < 0x0400 && (off & 0x7F) == 0) return bitmapRegister(off >> 7, 0, read, v);
        if (off >= 0x0400 && off < 0x0420) {
            int first = off - 0x400;
            if (!read) for (int i = 0; i < 4; i++) priority[first + i] = (byte) (v >>> (8 * i));
            int r = 0;
            for (int i = 3; i >= 0; i--) r = r << 8 | lines.priorityOf(first + i);
            return r;
        }
        if (off == 0x0C00) return configRegister(0, read, v);
        if (off == 0x0C04) return configRegister(16, read, v);
        return 0;
    }

    /** IGROUPR (kind 1), I[SC]ENABLER (2, 3), I[SC]PENDR (4, 5), I[SC]ACTIVER (6, 7) for 32 INTIDs from first. */
    private int bitmapRegister(int kind, int first, boolean read, int v) {
        int w = first >> 5;
        switch (kind) {
            case 1 -> {
                if (!read) group1[w] = v;
                return group1[w];
            }
            case 2, 3 -> {
                if (!read) enabled[w] = kind == 2 ? enabled[w] | v : enabled[w] & ~v;
                return enabled[w];
            }
            case 4, 5 -> {
                if (!read) pendingLatch[w] = kind == 4 ? pendingLatch[w] | v : pendingLatch[w] & ~v;
                return lines.pendingWord(w);
            }
            case 6, 7 -> {
                if (!read) active[w] = kind == 6 ? active[w] | v : active[w] & ~v;
                return active[w];
            }
            default -> {
                return 0;
            }
        }
    }

    /** ICFGR for 16 INTIDs from first: bit 2i+1 = edge. SGIs are edge, fixed. */
    private int configRegister(int first, boolean read, int v) {
        if (!read && first >= SGIS) {
            for (int i = 0; i < 16; i++) setBit(edgeTriggered, first + i, (v & (2 << (2 * i))) != 0);
        }
        int r = 0;
        for (int i = 0; i < 16; i++) {
            if (bit(edgeTriggered, first + i)) r |= 2 << (2 * i);
        }
        return r;
    }

    // ---- CPU interface ---------------------------------------------------------------------------
    /** Encodings as SysRegs numbers them: op0:op1:CRn:CRm:op2. */
    static int encoding(int op0, int op1, int crn, int crm, int op2) {
        return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
    }

    public static final int ICC_PMR = encoding(3, 0, 4, 6, 0),
            ICC_IAR0 = encoding(3, 0, 12, 8, 0), ICC_EOIR0 = encoding(3, 0, 12, 8, 1),
            ICC_HPPIR0 = encoding(3, 0, 12, 8, 2), ICC_BPR0 = encoding(3, 0, 12, 8, 3),
            ICC_AP0R0 = encoding(3, 0, 12, 8, 4), ICC_AP1R0 = encoding(3, 0, 12, 9, 0),
            ICC_DIR = encoding(3, 0, 12, 11, 1), ICC_RPR = encoding(3, 0, 12, 11, 3),
            ICC_SGI1R = encoding(3, 0, 12, 11, 5), ICC_ASGI1R = encoding(3, 0, 12, 11, 6),
            ICC_SGI0R = encoding(3, 0, 12, 11, 7), ICC_IAR1 = encoding(3, 0, 12, 12, 0),
            ICC_EOIR1 = encoding(3, 0, 12, 12, 1), ICC_HPPIR1 = encoding(3, 0, 12, 12, 2),
            ICC_BPR1 = encoding(3, 0, 12, 12, 3), ICC_CTLR = encoding(3, 0, 12, 12, 4),
            ICC_SRE = encoding(3, 0, 12, 12, 5), ICC_IGRPEN0 = encoding(3, 0, 12, 12, 6),
            ICC_IGRPEN1 = encoding(3, 0, 12, 12, 7);

    private final class CpuInterface implements SystemRegisters.CpuInterface {
        @Override
        public boolean handles(int e) {
            return e == ICC_PMR || e == ICC_IAR0 || e == ICC_EOIR0 || e == ICC_HPPIR0 || e == ICC_BPR0 || e == ICC_AP0R0
                    || e == ICC_AP1R0 || e == ICC_DIR || e == ICC_RPR || e == ICC_SGI1R || e == ICC_ASGI1R || e == ICC_SGI0R
                    || e == ICC_IAR1 || e == ICC_EOIR1 || e == ICC_HPPIR1 || e == ICC_BPR1 || e == ICC_CTLR || e == ICC_SRE
                    || e == ICC_IGRPEN0 || e == ICC_IGRPEN1;
        }

        @Override
        public boolean readable(int e) {
            return e != ICC_EOIR0 && e != ICC_EOIR1 && e != ICC_DIR && e != ICC_SGI0R && e != ICC_SGI1R && e != ICC_ASGI1R;
        }

        @Override
        public boolean writable(int e) {
            return e != ICC_IAR0 && e != ICC_IAR1 && e != ICC_HPPIR0 && e != ICC_HPPIR1 && e != ICC_RPR;
        }

        @Override
        public long read(int e) {
            if (e == ICC_PMR) return pmr;
            if (e == ICC_IAR0) return acknowledge(0);
            if (e == ICC_IAR1) return acknowledge(1);
            if (e == ICC_HPPIR0) return highestPending(0);
            if (e == ICC_HPPIR1) return highestPending(1);
            if (e == ICC_BPR0) return bpr0;
            if (e == ICC_BPR1) return (iccCtlr & ICC_CTLR_CBPR) != 0 ? Math.min(bpr0 + 1, 7) : bpr1;
            if (e == ICC_AP0R0) return ap0r & 0xFFFF_FFFFL;
            if (e == ICC_AP1R0) return ap1r & 0xFFFF_FFFFL;
            if (e == ICC_RPR) return runningPriority();
            if (e == ICC_CTLR) return ICC_CTLR_FIXED | iccCtlr;
            if (e == ICC_SRE) return ICC_SRE_VALUE;
            if (e == ICC_IGRPEN0) return igrpen0 ? 1 : 0;
            if (e == ICC_IGRPEN1) return igrpen1 ? 1 : 0;
            return 0;
        }

        @Override
        public void write(int e, long v) {
            if (e == ICC_PMR) pmr = (int) v & PRIORITY_MASK_BITS;
            else if (e == ICC_EOIR0) endOfInterrupt(0, (int) v & 0xFF_FFFF);
            else if (e == ICC_EOIR1) endOfInterrupt(1, (int) v & 0xFF_FFFF);
            else if (e == ICC_DIR) deactivate((int) v & 0xFF_FFFF);
            else if (e == ICC_BPR0) bpr0 = Math.max((int) v & 7, MIN_BPR0);
            else if (e == ICC_BPR1) {
                if ((iccCtlr & ICC_CTLR_CBPR) == 0) bpr1 = Math.max((int) v & 7, MIN_BPR1);
            } else if (e == ICC_AP0R0) ap0r = (int) v;
            else if (e == ICC_AP1R0) ap1r = (int) v;
            else if (e == ICC_SGI0R || e == ICC_SGI1R || e == ICC_ASGI1R) generateSgi(v);
            else if (e == ICC_CTLR) iccCtlr = v & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
            else if (e == ICC_IGRPEN0) igrpen0 = (v & 1) != 0;
            else if (e == ICC_IGRPEN1) igrpen1 = (v & 1) != 0;
            // ICC_SRE: SRE, DFB and DIB are RAO/WI.
            update();
        }
    }

    // ---- Inspection ------------------------------------------------------------------------------
    @Override public boolean isActive(int intid) { return bit(active, intid); }
    @Override public boolean isEnabled(int intid) { return bit(enabled, intid); }

    @Override
    public boolean isPendingInterrupt(int intid) {
        return (lines.pendingWord(intid >> 5) & (1 << (intid & 31))) != 0;
    }

    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        v.child("lines", lines);
        v.u64s("irouter", irouter);
        distCtlr = v.u32("gicd_ctlr", distCtlr);
        waker = v.u32("gicr_waker", waker);
        pmr = v.u32("icc_pmr", pmr);
        bpr0 = v.u32("icc_bpr0", bpr0);
        bpr1 = v.u32("icc_bpr1", bpr1);
        iccCtlr = v.u64("icc_ctlr", iccCtlr);
        igrpen0 = v.bool("icc_igrpen0", igrpen0);
        igrpen1 = v.bool("icc_igrpen1", igrpen1);
        ap0r = v.u32("icc_ap0r0", ap0r);
        ap1r = v.u32("icc_ap1r0", ap1r);
        hppi = v.u32("hppi", hppi);
        irqOut = v.bool("irq_out", irqOut);
        fiqOut = v.bool("fiq_out", fiqOut);
    }
}
