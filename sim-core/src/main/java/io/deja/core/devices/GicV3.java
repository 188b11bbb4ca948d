package io.deja.core.devices;

import static io.deja.core.devices.InterruptLines.bit;
import static io.deja.core.devices.InterruptLines.setBit;

import io.deja.core.cpu.SystemRegisters;
import io.deja.core.mem.MmioDevice;

/**
 * GICv3 (ARM IHI 0069) for 1 to 8 CPUs, without security (GICD_CTLR.DS = 1),
 * affinity routing always on, no LPIs and no ITS: the state a guest sees on
 * QEMU 7.2's {@code -M virt,gic-version=3,its=off -smp N}
 * ({@code hw/intc/arm_gicv3*.c}, cortex-a57 CPU interface with 5 priority
 * and preemption bits). In-process like {@link GicV2}: each vCPU reads its
 * {@link #cpuLine} at instruction boundaries, its timer drives its PPIs
 * through {@link #ppiSink}, the devices SPIs through {@link #setSpiLevel},
 * and its MRS/MSR reach its own ICC_* registers through
 * {@link #cpuInterface(int)} (SystemRegisters.CpuInterface).
 *
 * <h2>Distributor (64 KiB at GICD_BASE)</h2>
 * <pre>
 * 0x0000        GICD_CTLR       RW  bit 0 EnableGrp0, 1 EnableGrp1; ARE (4) and DS (6) RAO/WI; reset 0x50
 * 0x0004        GICD_TYPER      RO  0x03780007: No1N, A3V, IDbits 15 (16-bit INTIDs), ITLinesNumber 7 (288 INTIDs)
 * 0x0008        GICD_IIDR       RO  0x43B (Arm)
 * 0x0080-0x00A3 GICD_IGROUPRn   RW  SPIs only: 1 = Group 1 (INTIDs 0-31 are the redistributors': RAZ/WI here)
 * 0x0100-0x03A3 GICD_I[SC]ENABLER, GICD_I[SC]PENDR, GICD_I[SC]ACTIVER: SPIs, set/clear by 1 bits
 * 0x0400-0x051F GICD_IPRIORITYRn RW 8 bits per INTID, byte-accessible (SPIs)
 * 0x0C00-0x0C47 GICD_ICFGRn     RW  2 bits per INTID, bit 1 = edge (SPIs)
 * 0x6000-0x68FF GICD_IROUTERn   RW  64 bits per SPI: Aff3.Aff2.Aff1.Aff0 and IRM (bit 31)
 * 0xFFD0-0xFFFC ID registers        PIDR4 0x44, PIDR0-3 0x92 0xB4 0x3B 0x00, CIDR0-3 0x0D 0xF0 0x05 0xB1
 * </pre>
 * ITARGETSR, CPENDSGIR/SPENDSGIR, SGIR, IGRPMODR, NSACR and STATUSR are RAZ/WI
 * (affinity routing, one security state), as in QEMU.
 *
 * <h2>Redistributors (one 128 KiB frame pair per CPU from GICR_BASE: CPU n's RD_base at n * 0x20000, SGI_base 64 KiB above)</h2>
 * <pre>
 * RD_base  0x0000 GICR_CTLR   RAZ/WI (no LPIs)
 *          0x0004 GICR_IIDR   RO 0x43B
 *          0x0008 GICR_TYPER  RO 64 bits: Affinity of CPU n (63:32, Aff0 = n), Processor_Number n (23:8), Last (bit 4) on the final CPU
 *          0x0014 GICR_WAKER  RW bit 1 ProcessorSleep, bit 2 ChildrenAsleep (follows it); reset 0x6
 *          0xFFD0 ID registers     as the distributor's but PIDR0 0x93
 * SGI_base 0x0080 GICR_IGROUPR0, 0x0100/0x0180 I[SC]ENABLER0, 0x0200/0x0280 I[SC]PENDR0,
 *          0x0300/0x0380 I[SC]ACTIVER0, 0x0400-0x041F IPRIORITYR0-7, 0x0C00 ICFGR0 (SGIs: RO edge),
 *          0x0C04 ICFGR1 (PPIs, RW), 0x0D00 IGRPMODR0 and 0x0E00 NSACR RAZ/WI
 * </pre>
 * Each frame pair holds its CPU's SGIs and PPIs (enable, pending, active,
 * priority, group, configuration) and GICR_WAKER; the frames are addressed
 * by address, not by who accesses them, so any CPU may program another's.
 * Unlike QEMU, GICD_TYPER.LPIS, GICR_TYPER.PLPIS and CommonLPIAff and
 * GICR_CTLR.CES read 0: Deja implements no LPIs, and says so (QEMU 7.2
 * advertises them even with its=off). GICR_WAKER.ProcessorSleep does not gate
 * delivery (QEMU's does not either).
 *
 * Accesses: 32-bit, 64-bit as two 32-bit halves (IROUTER, GICR_TYPER),
 * bytes only for IPRIORITYR; other sizes read 0 and ignore writes, as QEMU.
 *
 * <h2>Routing</h2>
 * CPU n has affinity 0.0.0.n (MPIDR_EL1 Aff0 = n, as the board sets it). An
 * SPI goes to the CPU whose affinity its GICD_IROUTER names, and to none if
 * no CPU has it. IRM = 1 (1 of N) does not change that: GICD_TYPER.No1N = 1
 * says 1-of-N distribution is not supported, which makes IRM = 1 CONSTRAINED
 * UNPREDICTABLE, and Deja picks what QEMU 7.2 does (gicv3_cache_target_cpustate
 * compares the affinity fields only): the CPU the affinity fields name.
 * The SPI's state is one copy; the CPU it is routed to signals and acknowledges it.
 *
 * <h2>CPU interface (ICC_*_EL1 system registers, one per CPU)</h2>
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
 * is of their group. Group 0 is signalled as FIQ, Group 1 as IRQ, each only
 * while the group is enabled in GICD_CTLR and ICC_IGRPENn_EL1. A CPU's
 * PSCI CPU_ON resets its CPU interface (QEMU resets the ICC_* registers with
 * the CPU), not its redistributor.
 *
 * SGIs: ICC_SGI1R_EL1, ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 name their targets
 * either by IRM = 1 (every CPU but the sender) or by Aff3.Aff2.Aff1 (must be
 * 0.0.0 here), RS (must be 0: CPUs 0-15) and the target list (bit n = CPU n).
 * With one security state (IHI 0069 12.1.9, GICD_CTLR.DS = 1) SGI1R generates
 * a Group 1 SGI and SGI0R a Group 0 one, and ASGI1R's "other Security state"
 * Group 1 is Secure Group 1, which DS = 1 treats as Group 0; a target pends the
 * SGI only if it configured that SGI in that group (QEMU's gicv3_redist_send_sgi).
 */
public final class GicV3 implements InterruptController {
    public static final int INTERRUPTS = 288;
    public static final int SPURIOUS = 1023;
    public static final int MAX_CPUS = 8;
    public static final int IIDR = 0x43B;
    public static final int GICD_TYPER_VALUE = (1 << 25) | (1 << 24) | (15 << 19) | ((INTERRUPTS - 32) / 32 - 1);
    public static final int CTLR_EN_GRP0 = 1, CTLR_EN_GRP1 = 2, CTLR_ARE = 1 << 4, CTLR_DS = 1 << 6;
    public static final int WAKER_PROCESSOR_SLEEP = 2, WAKER_CHILDREN_ASLEEP = 4;
    public static final long GICR_TYPER_LAST = 1 << 4;
    public static final long ICC_SRE_VALUE = 0x7;
    public static final long ICC_CTLR_FIXED = 0x8C00, ICC_CTLR_CBPR = 1, ICC_CTLR_EOIMODE = 2;
    public static final int PRIORITY_MASK_BITS = 0xF8;
    public static final int MIN_BPR0 = 2, MIN_BPR1 = 3;
    /** SGI_base is 64 KiB above RD_base. */
    public static final int SGI_BASE = 0x1_0000;
    /** One CPU's RD_base + SGI_base frame pair. */
    public static final int FRAME_PAIR = 0x2_0000;
    /** GICD_IROUTER's affinity fields: Aff3 (39:32), Aff2, Aff1, Aff0 (23:0). */
    private static final long IROUTER_AFFINITY = 0xFF_00FF_FFFFL;
    private static final long IROUTER_IRM = 1L << 31;

    private static final int SGIS = 16, PRIVATE = 32, WORDS = INTERRUPTS / 32;
    private static final int IDLE = 0xFF;
    private static final int[] DIST_ID = {0x44, 0x00, 0x00, 0x00, 0x92, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    private static final int[] REDIST_ID = {0x44, 0x00, 0x00, 0x00, 0x93, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    /**
     * Per-INTID bitmaps and priorities (word i holds INTIDs 32i..32i+31): the SPIs,
     * and CPU 0's INTIDs 0-31 (other CPUs bank theirs in {@link Cpu#lines}).
     */
    private final InterruptLines lines = new InterruptLines(INTERRUPTS);
    private final long[] irouter = new long[INTERRUPTS];
    private final int cpus;
    private final Cpu[] cpu;

    private int distCtlr;

    /** One CPU's redistributor (its SGIs and PPIs, GICR_WAKER) and its CPU interface. */
    private final class Cpu implements io.deja.core.state.Stateful, io.deja.core.cpu.IrqLine, io.deja.core.cpu.InterruptSink,
            SystemRegisters.CpuInterface {
        final int index;
        /** INTIDs 0-31 live in word 0 (CPU 0: the shared lines, whose other words are the SPIs). */
        final InterruptLines lines;
        int waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;
        int pmr;
        int bpr0 = MIN_BPR0, bpr1 = MIN_BPR1;
        long iccCtlr;
        boolean igrpen0, igrpen1;
        int ap0r, ap1r;
        /** Recomputed on every change: the highest-priority pending interrupt, and the outputs. */
        int hppi = SPURIOUS;
        boolean irqOut, fiqOut;

        Cpu(int index, InterruptLines lines) {
            this.index = index;
            this.lines = lines;
            for (int i = 0; i < SGIS; i++) setBit(lines.edgeTriggered, i, true);
        }

        /** The lines holding intid's state as this CPU sees it. */
        InterruptLines of(int intid) {
            return intid < PRIVATE ? lines : GicV3.this.lines;
        }

        int groupOf(int intid) {
            return bit(of(intid).group1, intid) ? 1 : 0;
        }

        /** PSCI CPU_ON: the CPU interface's reset values (QEMU's icc_reset). */
        void resetInterface() {
            pmr = 0;
            bpr0 = MIN_BPR0;
            bpr1 = MIN_BPR1;
            iccCtlr = 0;
            igrpen0 = false;
            igrpen1 = false;
            ap0r = 0;
            ap1r = 0;
        }

        // ---- Wires ---------------------------------------------------------------------------
        @Override public boolean irq() { return irqOut; }
        @Override public boolean fiq() { return fiqOut; }
        @Override public int pendingIntid() { return irqOut || fiqOut ? hppi : -1; }

        @Override
        public void setPpiLevel(int intid, boolean level) {
            if (intid < SGIS || intid >= PRIVATE) throw new IllegalArgumentException("INTID " + intid + " is not a PPI");
            if (lines.setInput(intid, level)) update(this);
        }

        // ---- Interrupt state -----------------------------------------------------------------
        /** The highest active priority: the lowest set active-priority bit of either group, times 8. */
        int runningPriority() {
            int bits = ap0r | ap1r;
            return bits == 0 ? IDLE : Integer.numberOfTrailingZeros(bits) << 3;
        }

        int groupPriorityMask(int group) {
            int bpr = group == 1 && (iccCtlr & ICC_CTLR_CBPR) == 0 ? bpr1 - 1 : bpr0;
            return (0xFF << (bpr + 1)) & 0xFF;
        }

        /** The pending interrupt beats the priority mask and the running priority (by group priority). */
        boolean canPreempt() {
            if (hppi == SPURIOUS) return false;
            int p = of(hppi).priorityOf(hppi);
            if (p >= pmr) return false;
            int running = runningPriority();
            if (running == IDLE) return true;
            int mask = groupPriorityMask(groupOf(hppi));
            return (p & mask) < (running & mask);
        }

        int acknowledge(int group) {
            if (hppi == SPURIOUS || groupOf(hppi) != group || !canPreempt()) return SPURIOUS;
            int intid = hppi;
            InterruptLines l = of(intid);
            int level = (l.priorityOf(intid) & groupPriorityMask(group)) >> 3;
            if (group == 0) ap0r |= 1 << level; else ap1r |= 1 << level;
            setBit(l.active, intid, true);
            setBit(l.pendingLatch, intid, false);
            // An SPI made active is no longer a candidate for anyone; a private one only for this CPU.
            if (intid < PRIVATE) update(this); else update();
            return intid;
        }

        /** The group whose active priority is the running one (Group 0 on a tie), or -1 if nothing is active. */
        int highestActiveGroup() {
            int g0 = ap0r == 0 ? 32 : Integer.numberOfTrailingZeros(ap0r);
            int g1 = ap1r == 0 ? 32 : Integer.numberOfTrailingZeros(ap1r);
            if (g0 == 32 && g1 == 32) return -1;
            return g0 <= g1 ? 0 : 1;
        }

        void endOfInterrupt(int group, int intid) {
            if (intid >= INTERRUPTS) return;
            if (highestActiveGroup() != group) return;
            if (group == 0) ap0r &= ap0r - 1; else ap1r &= ap1r - 1;
            if ((iccCtlr & ICC_CTLR_EOIMODE) == 0) setBit(of(intid).active, intid, false);
            update();
        }

        void deactivate(int intid) {
            if (intid >= INTERRUPTS || (iccCtlr & ICC_CTLR_EOIMODE) == 0) return;
            setBit(of(intid).active, intid, false);
            update();
        }

        int highestPending(int group) {
            return hppi != SPURIOUS && groupOf(hppi) == group ? hppi : SPURIOUS;
        }

        // ---- ICC_* system registers ----------------------------------------------------------
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
            if (e == ICC_EOIR0) endOfInterrupt(0, (int) v & 0xFF_FFFF);
            else if (e == ICC_EOIR1) endOfInterrupt(1, (int) v & 0xFF_FFFF);
            else if (e == ICC_DIR) deactivate((int) v & 0xFF_FFFF);
            else if (e == ICC_SGI1R) generateSgi(this, v, 1);
            else if (e == ICC_SGI0R || e == ICC_ASGI1R) generateSgi(this, v, 0);
            else {
                if (e == ICC_PMR) pmr = (int) v & PRIORITY_MASK_BITS;
                else if (e == ICC_BPR0) bpr0 = Math.max((int) v & 7, MIN_BPR0);
                else if (e == ICC_BPR1) {
                    if ((iccCtlr & ICC_CTLR_CBPR) == 0) bpr1 = Math.max((int) v & 7, MIN_BPR1);
                } else if (e == ICC_AP0R0) ap0r = (int) v;
                else if (e == ICC_AP1R0) ap1r = (int) v;
                else if (e == ICC_CTLR) iccCtlr = v & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE);
                else if (e == ICC_IGRPEN0) igrpen0 = (v & 1) != 0;
                else if (e == ICC_IGRPEN1) igrpen1 = (v & 1) != 0;
                // ICC_SRE: SRE, DFB and DIB are RAO/WI.
                update(this);
            }
        }

        /** The redistributor and CPU interface registers, in the order a one-CPU GICv3 has always described them. */
        void interfaceState(io.deja.core.state.StateVisitor v) {
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

        /** Another CPU's redistributor and interface (CPU 0's are described field by field in {@link GicV3#state}). */
        @Override
        public void state(io.deja.core.state.StateVisitor v) {
            v.child("lines", lines);
            interfaceState(v);
        }
    }

    private final MmioDevice distributor = new MmioDevice() {
        public String name() { return "gic-dist"; }
        public long read(long offset, int size) { return access(offset, size, true, 0, null); }
        public void write(long offset, int size, long value) { access(offset, size, false, value, null); }
    };

    private final MmioDevice redistributor = new MmioDevice() {
        public String name() { return "gic-redist"; }
        public long read(long offset, int size) { return redistAccess(offset, size, true, 0); }
        public void write(long offset, int size, long value) { redistAccess(offset, size, false, value); }
    };

    /** A GICv3 for one CPU. */
    public GicV3() {
        this(1);
    }

    /** A GICv3 for cpus CPUs (1 to {@link #MAX_CPUS}), CPU n with affinity 0.0.0.n. */
    public GicV3(int cpus) {
        if (cpus < 1 || cpus > MAX_CPUS) throw new IllegalArgumentException("a GICv3 here serves 1 to 8 CPUs, not " + cpus);
        this.cpus = cpus;
        cpu = new Cpu[cpus];
        cpu[0] = new Cpu(0, lines);
        for (int i = 1; i < cpus; i++) cpu[i] = new Cpu(i, new InterruptLines(PRIVATE));
    }

    public MmioDevice distributor() { return distributor; }
    /** Every CPU's redistributor frame pair, CPU n's at n * {@link #FRAME_PAIR}. */
    public MmioDevice redistributor() { return redistributor; }
    /** CPU 0's ICC_* registers, for SystemRegisters.cpuInterface. */
    public SystemRegisters.CpuInterface cpuInterface() { return cpu[0]; }
    /** CPU n's ICC_* registers, for its SystemRegisters.cpuInterface. */
    public SystemRegisters.CpuInterface cpuInterface(int n) { return cpu[n]; }

    /** GICR_TYPER of CPU n of cpus: its affinity (Aff0 = n), its processor number, Last on the final one (LPI fields 0). */
    public static long redistributorType(int n, int cpus) {
        return (long) n << 32 | (long) n << 8 | (n == cpus - 1 ? GICR_TYPER_LAST : 0);
    }

    // ---- Wires ----------------------------------------------------------------------------------
    @Override public boolean irq() { return cpu[0].irqOut; }
    @Override public boolean fiq() { return cpu[0].fiqOut; }
    @Override public int pendingIntid() { return cpu[0].pendingIntid(); }
    @Override public io.deja.core.cpu.IrqLine cpuLine(int n) { return cpu[n]; }
    @Override public io.deja.core.cpu.InterruptSink ppiSink(int n) { return cpu[n]; }

    /** Nothing to select: redistributors are addressed by frame and each CPU has its own ICC_* registers. */
    @Override
    public void setCurrentCpu(int n) {
        if (n < 0 || n >= cpus) throw new IllegalArgumentException("this GIC serves " + cpus + " CPUs, not CPU " + n);
    }

    @Override
    public void cpuReset(int n) {
        cpu[n].resetInterface();
        update(cpu[n]);
    }

    @Override
    public void setPpiLevel(int intid, boolean level) {
        cpu[0].setPpiLevel(intid, level);
    }

    @Override
    public void setSpiLevel(int intid, boolean level) {
        if (intid < PRIVATE || intid >= INTERRUPTS) throw new IllegalArgumentException("INTID " + intid + " is not an SPI");
        if (lines.setInput(intid, level)) update();
    }

    // ---- Interrupt state ------------------------------------------------------------------------
    /** Whether an SPI is routed to CPU c: its GICD_IROUTER affinity is c's (see the class comment on IRM). */
    private static boolean routedTo(long route, Cpu c) {
        return (route & IROUTER_AFFINITY) == c.index;
    }

    private void update() {
        for (Cpu c : cpu) update(c);
    }

    /**
     * QEMU's hppi for one CPU: the highest-priority (lowest value, then lowest
     * INTID) enabled, pending, inactive interrupt of a group enabled in
     * GICD_CTLR and routed to it; then its outputs, as its cpuif update.
     */
    private void update(Cpu c) {
        int best = SPURIOUS, bestPriority = 0x100;
        for (int w = 0; w < WORDS; w++) {
            InterruptLines l = w == 0 ? c.lines : lines;
            int candidates = l.enabled[w] & l.pendingWord(w) & ~l.active[w];
            while (candidates != 0) {
                int intid = w * 32 + Integer.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                int p = l.priorityOf(intid);
                if (p < bestPriority && (distCtlr & (1 << (bit(l.group1, intid) ? 1 : 0))) != 0
                        && (w == 0 || routedTo(irouter[intid], c))) {
                    bestPriority = p;
                    best = intid;
                }
            }
        }
        c.hppi = best;
        c.irqOut = false;
        c.fiqOut = false;
        if (best == SPURIOUS || !c.canPreempt()) return;
        if (c.groupOf(best) == 0) {
            c.fiqOut = c.igrpen0;
        } else {
            c.irqOut = c.igrpen1;
        }
    }

    /** An SGI from sender through ICC_SGI1R (group 1) or ICC_SGI0R/ICC_ASGI1R (group 0): see the class comment. */
    private void generateSgi(Cpu sender, long value, int group) {
        int sgi = (int) (value >>> 24) & 0xF;
        boolean irm = (value & (1L << 40)) != 0;
        boolean upperAffinityZero = (value & 0x00FF_00FF_00FF_0000L) == 0 && ((value >>> 44) & 0xF) == 0;
        for (Cpu target : cpu) {
            boolean named = irm ? target != sender : upperAffinityZero && (value & (1L << target.index)) != 0;
            if (named && target.groupOf(sgi) == group) setBit(target.lines.pendingLatch, sgi, true);
        }
        update();
    }

    // ---- Memory-mapped registers ----------------------------------------------------------------
    private long redistAccess(long offset, int size, boolean read, long value) {
        int frame = (int) (offset / FRAME_PAIR);
        if (offset < 0 || frame >= cpus) return 0;
        return access(offset - (long) frame * FRAME_PAIR, size, read, value, cpu[frame]);
    }

    /** An access to the distributor (r null) or to CPU r's redistributor frame pair. */
    private long access(long offset, int size, boolean read, long value, Cpu r) {
        int off = (int) offset;
        boolean dist = r == null;
        if (size == 8) {
            if (read) return word(off, true, 0, r) | word(off + 4, true, 0, r) << 32;
            word(off, false, value & 0xFFFF_FFFFL, r);
            word(off + 4, false, value >>> 32, r);
            update();
            return 0;
        }
        int priorityBase = dist ? 0x400 : SGI_BASE + 0x400;
        int priorityEnd = dist ? 0x400 + INTERRUPTS : SGI_BASE + 0x400 + PRIVATE;
        if (size == 4 || (size == 1 && off >= priorityBase && off < (dist ? 0x800 : SGI_BASE + 0x420))) {
            if (size == 1) {
                int intid = off - priorityBase;
                if (off >= priorityEnd || (dist && intid < PRIVATE)) return 0;
                InterruptLines l = dist ? lines : r.lines;
                if (read) return l.priorityOf(intid);
                l.priority[intid] = (byte) value;
                update();
                return 0;
            }
            if ((off & 3) != 0) return 0;
            long v = word(off, read, value & 0xFFFF_FFFFL, r);
            if (!read) update();
            return v;
        }
        return 0; // other sizes: RAZ/WI
    }

    /** One 32-bit register of the distributor (r null) or of CPU r's redistributor; returns the value read. */
    private long word(int off, boolean read, long value, Cpu r) {
        int v = (int) value;
        if (r == null) return distWord(off, read, v) & 0xFFFF_FFFFL;
        if (off >= SGI_BASE) return sgiWord(r, off - SGI_BASE, read, v) & 0xFFFF_FFFFL;
        return rdWord(r, off, read, v) & 0xFFFF_FFFFL;
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
            if (first < PRIVATE || first >= INTERRUPTS) return 0; // SGIs and PPIs: the redistributors'
            return bitmapRegister(lines, off >> 7, first, read, v);
        }
        if (off >= 0x0400 && off < 0x0800) {
            int first = off - 0x400;
            if (first < PRIVATE || first >= INTERRUPTS) return 0;
            return priorityRegister(lines, first, read, v);
        }
        if (off >= 0x0C00 && off < 0x0D00) {
            int first = (off - 0xC00) * 4;
            if (first < PRIVATE || first >= INTERRUPTS) return 0;
            return configRegister(lines, first, read, v);
        }
        if (off >= 0x6000 && off < 0x6000 + INTERRUPTS * 8) {
            int intid = (off - 0x6000) >> 3;
            if (intid < PRIVATE) return 0;
            boolean high = (off & 4) != 0;
            if (!read) {
                long r = irouter[intid];
                r = high ? (r & 0xFFFF_FFFFL) | ((long) v & 0xFF) << 32 : (r & ~0xFFFF_FFFFL) | (v & (IROUTER_IRM | 0xFF_FFFF));
                irouter[intid] = r;
            }
            return (int) (high ? irouter[intid] >>> 32 : irouter[intid]);
        }
        if (off >= 0xFFD0 && off < 0x10000) return DIST_ID[(off - 0xFFD0) >> 2];
        return 0;
    }

    private int rdWord(Cpu r, int off, boolean read, int v) {
        long typer = redistributorType(r.index, cpus);
        return switch (off) {
            case 0x0004 -> IIDR;
            case 0x0008 -> (int) typer;
            case 0x000C -> (int) (typer >>> 32);
            case 0x0014 -> {
                if (!read) {
                    // ChildrenAsleep follows ProcessorSleep at once: there is nothing to quiesce.
                    r.waker = (v & WAKER_PROCESSOR_SLEEP) != 0 ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
                }
                yield r.waker;
            }
            default -> off >= 0xFFD0 && off < 0x10000 ? REDIST_ID[(off - 0xFFD0) >> 2] : 0;
        };
    }

    private int sgiWord(Cpu r, int off, boolean read, int v) {
        if (off >= 0x0080 && off < 0x0400 && (off & 0x7F) == 0) return bitmapRegister(r.lines, off >> 7, 0, read, v);
        if (off >= 0x0400 && off < 0x0420) return priorityRegister(r.lines, off - 0x400, read, v);
        if (off == 0x0C00) return configRegister(r.lines, 0, read, v);
        if (off == 0x0C04) return configRegister(r.lines, 16, read, v);
        return 0;
    }

    /** IPRIORITYR for 4 INTIDs from first. */
    private static int priorityRegister(InterruptLines l, int first, boolean read, int v) {
        if (!read) for (int i = 0; i < 4; i++) l.priority[first + i] = (byte) (v >>> (8 * i));
        int r = 0;
        for (int i = 3; i >= 0; i--) r = r << 8 | l.priorityOf(first + i);
        return r;
    }

    /** IGROUPR (kind 1), I[SC]ENABLER (2, 3), I[SC]PENDR (4, 5), I[SC]ACTIVER (6, 7) for 32 INTIDs from first. */
    private static int bitmapRegister(InterruptLines l, int kind, int first, boolean read, int v) {
        int w = first >> 5;
        switch (kind) {
            case 1 -> {
                if (!read) l.group1[w] = v;
                return l.group1[w];
            }
            case 2, 3 -> {
                if (!read) l.enabled[w] = kind == 2 ? l.enabled[w] | v : l.enabled[w] & ~v;
                return l.enabled[w];
            }
            case 4, 5 -> {
                if (!read) l.pendingLatch[w] = kind == 4 ? l.pendingLatch[w] | v : l.pendingLatch[w] & ~v;
                return l.pendingWord(w);
            }
            case 6, 7 -> {
                if (!read) l.active[w] = kind == 6 ? l.active[w] | v : l.active[w] & ~v;
                return l.active[w];
            }
            default -> {
                return 0;
            }
        }
    }

    /** ICFGR for 16 INTIDs from first: bit 2i+1 = edge. SGIs are edge, fixed. */
    private static int configRegister(InterruptLines l, int first, boolean read, int v) {
        if (!read && first >= SGIS) {
            for (int i = 0; i < 16; i++) setBit(l.edgeTriggered, first + i, (v & (2 << (2 * i))) != 0);
        }
        int r = 0;
        for (int i = 0; i < 16; i++) {
            if (bit(l.edgeTriggered, first + i)) r |= 2 << (2 * i);
        }
        return r;
    }

    // ---- CPU interface encodings -----------------------------------------------------------------
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

    // ---- Inspection (CPU 0's view of INTIDs 0-31) -----------------------------------------------
    @Override public boolean isActive(int intid) { return bit(lines.active, intid); }
    @Override public boolean isEnabled(int intid) { return bit(lines.enabled, intid); }

    @Override
    public boolean isPendingInterrupt(int intid) {
        return lines.isPending(intid);
    }

    /**
     * With one CPU, exactly the description a one-CPU GICv3 has always had (so
     * recorded hashes keep their meaning); with several, then the other CPUs'
     * redistributors and interfaces.
     */
    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        v.child("lines", lines);
        v.u64s("irouter", irouter);
        distCtlr = v.u32("gicd_ctlr", distCtlr);
        cpu[0].interfaceState(v);
        for (int i = 1; i < cpus; i++) v.child("cpu" + i, cpu[i]);
    }
}
