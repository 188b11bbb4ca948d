package io.deja.core.cpu;

/**
 * The generic timer's EL1 physical and virtual timers (Arm ARM D11).
 *
 * Virtual time is the CPU's cycle count: one instruction is one cycle and the
 * system counter ticks once per cycle at CNTFRQ = 62.5 MHz (QEMU's frequency),
 * so CNTPCT = CNTVCT = cycles (no EL2, so CNTVOFF is 0). Outputs are level
 * interrupts on PPIs 30 (EL1 physical) and 27 (virtual), as on QEMU's virt.
 */
public final class GenericTimer implements io.deja.core.state.Stateful {
    public static final long FREQUENCY_HZ = 62_500_000L;
    public static final int PPI_PHYS = 30;
    public static final int PPI_VIRT = 27;

    private static final long CTL_ENABLE = 1, CTL_IMASK = 2, CTL_ISTATUS = 4;

    private final Cpu cpu;
    private InterruptSink sink = InterruptSink.NONE;
    private long physCtl, physCval, virtCtl, virtCval;
    /** Stored as written (QEMU keeps every bit); only bits 9:0 have a meaning in ARMv8.0. */
    private long cntkctl;
    /** CNTFRQ_EL0 is writable at the highest EL (EL1 here) but only reports the frequency: the counter ticks per cycle regardless. */
    private long cntfrq = FREQUENCY_HZ;
    private boolean physOut, virtOut;
    /** Other devices on the system counter's clock (see {@link TimedDevice}). */
    private TimedDevice[] devices = new TimedDevice[0];

    GenericTimer(Cpu cpu) {
        this.cpu = cpu;
    }

    public void connect(InterruptSink sink) {
        this.sink = sink;
    }

    /** Drives a device from virtual time: its deadlines join the timer's. */
    public void attach(TimedDevice device) {
        devices = java.util.Arrays.copyOf(devices, devices.length + 1);
        devices[devices.length - 1] = device;
    }

    public long count() {
        return cpu.cycles;
    }

    // Physical timer (CNTP_*_EL0)
    public long physCtl() { return ctlWithStatus(physCtl, physCval); }
    public void setPhysCtl(long v) { physCtl = v & (CTL_ENABLE | CTL_IMASK); cpu.requestService(); }
    public long physCval() { return physCval; }
    public void setPhysCval(long v) { physCval = v; cpu.requestService(); }
    /** TVAL reads the low 32 bits of CVAL - count, zero-extended (bits 63:32 are RES0). */
    public long physTval() { return (physCval - count()) & 0xFFFF_FFFFL; }
    public void setPhysTval(long v) { physCval = count() + (int) v; cpu.requestService(); }

    // Virtual timer (CNTV_*_EL0)
    public long virtCtl() { return ctlWithStatus(virtCtl, virtCval); }
    public void setVirtCtl(long v) { virtCtl = v & (CTL_ENABLE | CTL_IMASK); cpu.requestService(); }
    public long virtCval() { return virtCval; }
    public void setVirtCval(long v) { virtCval = v; cpu.requestService(); }
    public long virtTval() { return (virtCval - count()) & 0xFFFF_FFFFL; }
    public void setVirtTval(long v) { virtCval = count() + (int) v; cpu.requestService(); }

    public long cntkctl() { return cntkctl; }
    public void setCntkctl(long v) { cntkctl = v; }

    public long cntfrq() { return cntfrq; }
    public void setCntfrq(long v) { cntfrq = v; }

    // EL0 access controls: CNTKCTL_EL1.EL0PCTEN, EL0VCTEN, EL0VTEN and EL0PTEN.
    public boolean el0PhysCountAccess() { return (cntkctl & 1) != 0; }
    public boolean el0VirtCountAccess() { return (cntkctl & 2) != 0; }
    public boolean el0FrequencyAccess() { return (cntkctl & 3) != 0; }
    public boolean el0VirtTimerAccess() { return (cntkctl & (1 << 8)) != 0; }
    public boolean el0PhysTimerAccess() { return (cntkctl & (1 << 9)) != 0; }

    private long ctlWithStatus(long ctl, long cval) {
        boolean met = (ctl & CTL_ENABLE) != 0 && Long.compareUnsigned(count(), cval) >= 0;
        return ctl | (met ? CTL_ISTATUS : 0);
    }

    private static boolean asserted(long ctl, long cval, long now) {
        return (ctl & CTL_ENABLE) != 0 && (ctl & CTL_IMASK) == 0 && Long.compareUnsigned(now, cval) >= 0;
    }

    /** Drives the PPI outputs for the current virtual time. */
    public void update() {
        long now = count();
        boolean p = asserted(physCtl, physCval, now);
        boolean v = asserted(virtCtl, virtCval, now);
        if (p != physOut) { physOut = p; sink.setPpiLevel(PPI_PHYS, p); }
        if (v != virtOut) { virtOut = v; sink.setPpiLevel(PPI_VIRT, v); }
        for (TimedDevice device : devices) device.advanceTo(now);
    }

    /** The earliest cycle at which an output (this timer's or an attached device's) will rise, or Long.MAX_VALUE. */
    public long nextDeadline() {
        long now = count();
        long d = Long.MAX_VALUE;
        if ((physCtl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE && Long.compareUnsigned(physCval, now) > 0) d = Math.min(d, physCval);
        if ((virtCtl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE && Long.compareUnsigned(virtCval, now) > 0) d = Math.min(d, virtCval);
        for (TimedDevice device : devices) {
            long t = device.nextDeadline();
            if (t > now) d = Math.min(d, t);
        }
        return d;
    }

    @Override
    public void state(io.deja.core.state.StateVisitor v) {
        physCtl = v.u64("cntp_ctl", physCtl);
        physCval = v.u64("cntp_cval", physCval);
        virtCtl = v.u64("cntv_ctl", virtCtl);
        virtCval = v.u64("cntv_cval", virtCval);
        cntkctl = v.u64("cntkctl", cntkctl);
        cntfrq = v.u64("cntfrq", cntfrq);
        physOut = v.bool("phys_out", physOut);
        virtOut = v.bool("virt_out", virtOut);
    }

}
