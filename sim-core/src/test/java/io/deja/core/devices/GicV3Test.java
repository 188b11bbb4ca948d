package io.deja.core.devices;

import io.deja.core.cpu.SystemRegisters;
import io.deja.core.mem.MmioDevice;
import org.junit.jupiter.api.Test;

import static io.deja.core.devices.GicV3.*;
import static org.assertj.core.api.Assertions.assertThat;

class GicV3Test {
    private static final int SPI_UART = 33, SPI_RTC = 34, PPI_VTIMER = 27;
    // Distributor
    private static final int CTLR = 0x0000, TYPER = 0x0004, IIDR = 0x0008, IGROUPR = 0x0080, ISENABLER = 0x0100,
            ICENABLER = 0x0180, ISPENDR = 0x0200, ICPENDR = 0x0280, ISACTIVER = 0x0300, IPRIORITYR = 0x0400,
            ICFGR = 0x0C00, IROUTER = 0x6000;
    // Redistributor: RD_base, then SGI_base
    private static final int R_IIDR = 0x0004, R_TYPER = 0x0008, R_WAKER = 0x0014, SGI = 0x1_0000;

    private final GicV3 gic = new GicV3();
    private final MmioDevice dist = gic.distributor();
    private final MmioDevice redist = gic.redistributor();
    private final SystemRegisters.CpuInterface icc = gic.cpuInterface();

    private long d(int offset) { return dist.read(offset, 4); }
    private void d(int offset, long value) { dist.write(offset, 4, value); }
    private long r(int offset) { return redist.read(offset, 4); }
    private void r(int offset, long value) { redist.write(offset, 4, value); }

    /** Distributor groups on, Group 1 everywhere, mask open, Group 1 enabled at the CPU interface. */
    private void switchOn() {
        d(CTLR, 0x3);
        r(SGI + IGROUPR, 0xFFFF_FFFFL);
        for (int w = 1; w < 9; w++) d(IGROUPR + 4 * w, 0xFFFF_FFFFL);
        icc.write(ICC_PMR, 0xF0);
        icc.write(ICC_IGRPEN1, 1);
    }

    private void enable(int intid) {
        if (intid < 32) r(SGI + ISENABLER, 1L << intid);
        else d(ISENABLER + intid / 32 * 4, 1L << (intid % 32));
    }

    private void priority(int intid, int value) {
        if (intid < 32) redist.write(SGI + IPRIORITYR + intid, 1, value);
        else dist.write(IPRIORITYR + intid, 1, value);
    }

    /** The values gic3_regs prints on QEMU 7.2 -M virt,gic-version=3,its=off (kernels/golden/gic3_regs.txt), LPI fields aside. */
    @Test
    void identificationAndResetStateAreQemus() {
        assertThat(d(CTLR)).as("ARE and DS set, groups off").isEqualTo(0x50);
        assertThat(d(TYPER)).isEqualTo(0x0378_0007L);
        assertThat(d(IIDR)).isEqualTo(0x43B);
        int[] distIds = {0x44, 0, 0, 0, 0x92, 0xB4, 0x3B, 0, 0x0D, 0xF0, 0x05, 0xB1};
        int[] redistIds = {0x44, 0, 0, 0, 0x93, 0xB4, 0x3B, 0, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < 12; i++) {
            assertThat(d(0xFFD0 + 4 * i)).as("GICD ID %x", 0xFFD0 + 4 * i).isEqualTo(distIds[i]);
            assertThat(r(0xFFD0 + 4 * i)).as("GICR ID %x", 0xFFD0 + 4 * i).isEqualTo(redistIds[i]);
        }
        assertThat(r(R_IIDR)).isEqualTo(0x43B);
        assertThat(redist.read(R_TYPER, 8)).as("affinity 0, processor 0, Last").isEqualTo(0x10);
        assertThat(r(R_WAKER)).as("asleep").isEqualTo(0x6);
        assertThat(r(SGI + ICFGR)).as("SGIs edge").isEqualTo(0xAAAA_AAAAL);
        assertThat(r(SGI + ICFGR + 4)).as("PPIs level").isZero();
        assertThat(r(SGI + IGROUPR)).isZero();
        assertThat(r(SGI + ISENABLER)).isZero();
        assertThat(icc.read(ICC_SRE)).isEqualTo(7);
        assertThat(icc.read(ICC_CTLR)).isEqualTo(0x8C00);
        assertThat(icc.read(ICC_PMR)).isZero();
        assertThat(icc.read(ICC_BPR0)).isEqualTo(2);
        assertThat(icc.read(ICC_BPR1)).isEqualTo(3);
        assertThat(icc.read(ICC_RPR)).isEqualTo(0xFF);
        assertThat(icc.read(ICC_HPPIR1)).isEqualTo(SPURIOUS);
    }

    @Test
    void implementedBitsAndClamps() {
        icc.write(ICC_PMR, 0xFF);
        assertThat(icc.read(ICC_PMR)).as("5 priority bits").isEqualTo(0xF8);
        icc.write(ICC_BPR0, 0);
        icc.write(ICC_BPR1, 0);
        assertThat(icc.read(ICC_BPR0)).isEqualTo(2);
        assertThat(icc.read(ICC_BPR1)).isEqualTo(3);
        icc.write(ICC_CTLR, 0xFF);
        assertThat(icc.read(ICC_CTLR)).as("CBPR and EOImode are writable").isEqualTo(0x8C03);
        assertThat(icc.read(ICC_BPR1)).as("CBPR: BPR1 reads BPR0 + 1").isEqualTo(3);
        icc.write(ICC_BPR1, 6);
        assertThat(icc.read(ICC_BPR1)).as("ignored under CBPR").isEqualTo(3);
        d(IPRIORITYR + 32, 0xFF);
        assertThat(d(IPRIORITYR + 32)).as("the distributor keeps 8 bits").isEqualTo(0xFF);
        d(CTLR, 0xFFFF_FFFFL);
        assertThat(d(CTLR)).isEqualTo(0x53);
    }

    @Test
    void privateInterruptsLiveInTheRedistributor() {
        d(ISENABLER, 0xFFFF_FFFFL);
        d(IPRIORITYR, 0xFFFF_FFFFL);
        assertThat(d(ISENABLER)).as("RAZ/WI with affinity routing").isZero();
        assertThat(r(SGI + ISENABLER)).isZero();
        assertThat(d(IPRIORITYR)).isZero();
        r(SGI + ISENABLER, 1 << PPI_VTIMER);
        assertThat(gic.isEnabled(PPI_VTIMER)).isTrue();
        r(SGI + 0x180, 1 << PPI_VTIMER);
        assertThat(gic.isEnabled(PPI_VTIMER)).isFalse();
        r(SGI + ICFGR, 0);
        assertThat(r(SGI + ICFGR)).as("SGI configuration is fixed").isEqualTo(0xAAAA_AAAAL);
    }

    @Test
    void wakerHandshake() {
        r(R_WAKER, 0);
        assertThat(r(R_WAKER)).as("ChildrenAsleep follows ProcessorSleep").isZero();
        r(R_WAKER, 2);
        assertThat(r(R_WAKER)).isEqualTo(6);
    }

    @Test
    void aLevelPpiIsAcknowledgedThroughIar1AndEndedThroughEoir1() {
        switchOn();
        enable(PPI_VTIMER);
        priority(PPI_VTIMER, 0x80);
        gic.setPpiLevel(PPI_VTIMER, true);
        assertThat(gic.irq()).isTrue();
        assertThat(gic.fiq()).isFalse();
        assertThat(icc.read(ICC_HPPIR1)).isEqualTo(PPI_VTIMER);
        assertThat(icc.read(ICC_HPPIR0)).as("not Group 0").isEqualTo(SPURIOUS);
        assertThat(icc.read(ICC_IAR0)).as("Group 0 acknowledges nothing").isEqualTo(SPURIOUS);
        assertThat(icc.read(ICC_IAR1)).isEqualTo(PPI_VTIMER);
        assertThat(gic.irq()).as("active: not signalled again").isFalse();
        assertThat(icc.read(ICC_RPR)).isEqualTo(0x80);
        assertThat(icc.read(ICC_AP1R0)).as("one bit per priority >> 3").isEqualTo(1L << 16);
        assertThat(gic.isPendingInterrupt(PPI_VTIMER)).as("level still high: active and pending").isTrue();
        gic.setPpiLevel(PPI_VTIMER, false);
        icc.write(ICC_EOIR1, PPI_VTIMER);
        assertThat(icc.read(ICC_RPR)).isEqualTo(0xFF);
        assertThat(gic.isActive(PPI_VTIMER)).isFalse();
        assertThat(gic.irq()).isFalse();
    }

    @Test
    void priorityMaskRunningPriorityAndPreemption() {
        switchOn();
        enable(SPI_UART);
        enable(SPI_RTC);
        priority(SPI_UART, 0xA0);
        priority(SPI_RTC, 0x40);
        icc.write(ICC_PMR, 0xA0);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(gic.irq()).as("0xA0 does not beat PMR 0xA0").isFalse();
        icc.write(ICC_PMR, 0xF0);
        assertThat(icc.read(ICC_IAR1)).isEqualTo(SPI_UART);
        gic.setSpiLevel(SPI_RTC, true);
        assertThat(gic.irq()).as("0x40 preempts 0xA0").isTrue();
        assertThat(icc.read(ICC_IAR1)).isEqualTo(SPI_RTC);
        assertThat(icc.read(ICC_RPR)).isEqualTo(0x40);
        icc.write(ICC_EOIR1, SPI_RTC);
        assertThat(icc.read(ICC_RPR)).as("back to the preempted one").isEqualTo(0xA0);
        icc.write(ICC_EOIR1, SPI_UART);
        assertThat(icc.read(ICC_RPR)).isEqualTo(0xFF);
    }

    @Test
    void samePriorityGroupDoesNotPreempt() {
        switchOn();
        enable(SPI_UART);
        enable(SPI_RTC);
        priority(SPI_UART, 0x80);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(icc.read(ICC_IAR1)).isEqualTo(SPI_UART);
        priority(SPI_RTC, 0x81);
        gic.setSpiLevel(SPI_RTC, true);
        assertThat(gic.irq()).as("0x81 is in 0x80's group priority").isFalse();
        assertThat(icc.read(ICC_IAR1)).isEqualTo(SPURIOUS);
    }

    @Test
    void eoiModeSplitsPriorityDropAndDeactivation() {
        switchOn();
        icc.write(ICC_CTLR, ICC_CTLR_EOIMODE);
        enable(SPI_UART);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(icc.read(ICC_IAR1)).isEqualTo(SPI_UART);
        gic.setSpiLevel(SPI_UART, false);
        icc.write(ICC_EOIR1, SPI_UART);
        assertThat(icc.read(ICC_RPR)).isEqualTo(0xFF);
        assertThat(gic.isActive(SPI_UART)).as("still active until DIR").isTrue();
        icc.write(ICC_DIR, SPI_UART);
        assertThat(gic.isActive(SPI_UART)).isFalse();
    }

    @Test
    void sgisToThisCpu() {
        switchOn();
        enable(5);
        icc.write(ICC_SGI1R, 5L << 24 | 1);
        assertThat(r(SGI + ISPENDR)).isEqualTo(1 << 5);
        assertThat(icc.read(ICC_IAR1)).as("no source CPU field in GICv3").isEqualTo(5);
        icc.write(ICC_EOIR1, 5);
        icc.write(ICC_SGI1R, 6L << 24 | 2);
        icc.write(ICC_SGI1R, 6L << 24 | 1L << 16 | 1);
        icc.write(ICC_SGI1R, 6L << 24 | 1L << 40);
        assertThat(r(SGI + ISPENDR)).as("other CPUs, Aff1 = 1, IRM (all but self)").isZero();
        icc.write(ICC_SGI0R, 7L << 24 | 1);
        icc.write(ICC_ASGI1R, 8L << 24 | 1);
        assertThat(r(SGI + ISPENDR)).as("SGI0R and ASGI1R make Group 0 SGIs; 7 and 8 are Group 1").isZero();
        r(SGI + IGROUPR, ~(1L << 7 | 1L << 8) & 0xFFFF_FFFFL);
        icc.write(ICC_SGI0R, 7L << 24 | 1);
        icc.write(ICC_ASGI1R, 8L << 24 | 1);
        icc.write(ICC_SGI1R, 9L << 24 | 1);
        assertThat(r(SGI + ISPENDR)).as("9 is Group 1: SGI1R").isEqualTo(1 << 7 | 1 << 8 | 1 << 9);
        icc.write(ICC_SGI1R, 7L << 24 | 1);
        r(SGI + ICPENDR, 0xFFFF);
        assertThat(r(SGI + ISPENDR)).isZero();
    }

    @Test
    void spisFollowTheirRoute() {
        switchOn();
        enable(SPI_UART);
        dist.write(IROUTER + SPI_UART * 8, 8, 1L << 8); // Aff1 = 1: another CPU
        assertThat(dist.read(IROUTER + SPI_UART * 8, 8)).isEqualTo(1L << 8);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(gic.irq()).isFalse();
        dist.write(IROUTER + SPI_UART * 8, 8, 1L << 31 | 1L << 8); // IRM: the affinity still decides (No1N, as QEMU)
        assertThat(gic.irq()).isFalse();
        dist.write(IROUTER + SPI_UART * 8, 8, 1L << 31);
        assertThat(gic.irq()).isTrue();
        dist.write(IROUTER + SPI_UART * 8, 8, 0xFF_FFFF_FFFF_FFFFL);
        assertThat(dist.read(IROUTER + SPI_UART * 8, 8)).as("Aff3, IRM, Aff2-0").isEqualTo(0xFF_80FF_FFFFL);
        assertThat(d(IROUTER + 16 * 8)).as("none for PPIs").isZero();
    }

    @Test
    void groupZeroIsSignalledAsFiqAndEachGroupNeedsItsEnables() {
        d(CTLR, 0x1);
        icc.write(ICC_PMR, 0xF0);
        enable(SPI_UART);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(gic.fiq()).as("ICC_IGRPEN0 off").isFalse();
        icc.write(ICC_IGRPEN0, 1);
        assertThat(gic.fiq()).isTrue();
        assertThat(gic.irq()).isFalse();
        d(CTLR, 0x0);
        assertThat(gic.fiq()).as("GICD_CTLR.EnableGrp0 off").isFalse();
        d(CTLR, 0x1);
        assertThat(icc.read(ICC_IAR0)).isEqualTo(SPI_UART);
        assertThat(icc.read(ICC_AP0R0)).isNotZero();
        icc.write(ICC_EOIR1, SPI_UART);
        assertThat(gic.isActive(SPI_UART)).as("EOIR1 does not end a Group 0 interrupt").isTrue();
        icc.write(ICC_EOIR0, SPI_UART);
        assertThat(gic.isActive(SPI_UART)).isFalse();
    }

    @Test
    void edgeSpisLatch() {
        switchOn();
        d(ICFGR + 8, 2 << 2); // INTID 33 edge
        assertThat(d(ICFGR + 8)).isEqualTo(2 << 2);
        enable(SPI_UART);
        gic.setSpiLevel(SPI_UART, true);
        gic.setSpiLevel(SPI_UART, false);
        assertThat(gic.isPendingInterrupt(SPI_UART)).isTrue();
        assertThat(icc.read(ICC_IAR1)).isEqualTo(SPI_UART);
        assertThat(gic.isPendingInterrupt(SPI_UART)).isFalse();
        d(ISPENDR + 4, 1 << 1);
        assertThat(d(ISPENDR + 4)).isEqualTo(1 << 1);
        d(ICPENDR + 4, 1 << 1);
        assertThat(d(ISPENDR + 4)).isZero();
        assertThat(d(ISACTIVER + 4)).isEqualTo(1 << 1);
    }

    @Test
    void accessSizes() {
        assertThat(dist.read(CTLR, 1)).as("only IPRIORITYR is byte-accessible").isZero();
        dist.write(IPRIORITYR + 40, 1, 0x90);
        assertThat(d(IPRIORITYR + 40)).isEqualTo(0x90);
        redist.write(SGI + IPRIORITYR + 3, 1, 0x70);
        assertThat(r(SGI + IPRIORITYR)).isEqualTo(0x7000_0000L);
        dist.write(ICENABLER, 2, 0xFFFF);
        assertThat(redist.read(R_TYPER, 8)).isEqualTo(GICR_TYPER_LAST);
    }

    @Test
    void stateChangesWithEveryRegister() {
        long[] before = io.deja.core.state.StateWriter.save(gic);
        icc.write(ICC_PMR, 0x80);
        long[] after = io.deja.core.state.StateWriter.save(gic);
        assertThat(after).isNotEqualTo(before);
        r(R_WAKER, 0);
        assertThat(io.deja.core.state.StateWriter.save(gic)).isNotEqualTo(after);
    }
}
