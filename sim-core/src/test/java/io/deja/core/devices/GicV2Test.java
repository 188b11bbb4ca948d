package io.deja.core.devices;

import io.deja.core.mem.MmioDevice;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GicV2Test {
    private static final int SPI_UART = 33, PPI_VTIMER = 27;
    // Distributor
    private static final int CTLR = 0x000, TYPER = 0x004, IIDR = 0x008, IGROUPR = 0x080, ISENABLER = 0x100,
            ICENABLER = 0x180, ISPENDR = 0x200, ICPENDR = 0x280, ISACTIVER = 0x300, ICACTIVER = 0x380,
            IPRIORITYR = 0x400, ITARGETSR = 0x800, ICFGR = 0xC00, SGIR = 0xF00, CPENDSGIR = 0xF10, SPENDSGIR = 0xF20;
    // CPU interface
    private static final int C_CTLR = 0x00, PMR = 0x04, BPR = 0x08, IAR = 0x0C, EOIR = 0x10, RPR = 0x14, HPPIR = 0x18,
            ABPR = 0x1C, AIAR = 0x20, APR0 = 0xD0, NSAPR0 = 0xE0, C_IIDR = 0xFC, DIR = 0x1000;

    private final GicV2 gic = new GicV2();
    private final MmioDevice dist = gic.distributor();
    private final MmioDevice cpu = gic.cpuInterface();

    private long d(int offset) { return dist.read(offset, 4); }
    private void d(int offset, long value) { dist.write(offset, 4, value); }
    private long c(int offset) { return cpu.read(offset, 4); }
    private void c(int offset, long value) { cpu.write(offset, 4, value); }

    private void priority(int intid, int value) {
        dist.write(IPRIORITYR + intid, 1, value);
    }

    private void enable(int intid) {
        d(ISENABLER + intid / 32 * 4, 1L << (intid % 32));
    }

    /** Distributor and CPU interface on, everything below 0xF0 unmasked. */
    private void switchOn() {
        d(CTLR, 1);
        c(C_CTLR, 1);
        c(PMR, 0xF0);
    }

    @Test
    void identificationMatchesQemusGicV2() {
        // Measured on qemu-system-aarch64 7.2 -M virt (GICv2, 1 CPU, no EL3).
        assertThat(d(TYPER)).as("ITLinesNumber 8: 288 INTIDs, one CPU").isEqualTo(0x8);
        assertThat(d(IIDR)).isEqualTo(0x43B);
        assertThat(d(0xFE8)).as("PIDR2: ArchRev 2").isEqualTo(0x2B);
        int[] ids = {0x04, 0, 0, 0, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < ids.length; i++) assertThat(d(0xFD0 + 4 * i)).as("ID %x", 0xFD0 + 4 * i).isEqualTo(ids[i]);
        assertThat(c(C_IIDR)).isEqualTo(0x0002_043B);
    }

    @Test
    void resetState() {
        assertThat(d(ISENABLER)).as("SGIs are always enabled").isEqualTo(0xFFFF);
        assertThat(d(ICFGR)).as("SGIs are edge-triggered").isEqualTo(0xAAAA_AAAAL);
        assertThat(d(ICFGR + 4)).as("PPIs start level-sensitive").isZero();
        assertThat(d(IGROUPR)).isZero();
        assertThat(c(BPR)).isZero();
        assertThat(c(ABPR)).isEqualTo(1);
        assertThat(c(RPR)).as("idle").isEqualTo(0xFF);
        assertThat(c(HPPIR)).isEqualTo(1023);
        assertThat(c(IAR)).isEqualTo(1023);
        assertThat(gic.irq()).isFalse();
    }

    @Test
    void allEightPriorityBitsAreImplementedAndBytesAndWordsAlias() {
        priority(SPI_UART, 0xFF);
        assertThat(dist.read(IPRIORITYR + SPI_UART, 1)).isEqualTo(0xFF);
        d(IPRIORITYR + 32, 0x11223344L);
        assertThat(dist.read(IPRIORITYR + 33, 1)).isEqualTo(0x33);
        assertThat(dist.read(IPRIORITYR + 34, 2)).isEqualTo(0x1122);
        assertThat(d(IPRIORITYR + 32)).isEqualTo(0x11223344L);
        c(PMR, 0xFFFF);
        assertThat(c(PMR)).isEqualTo(0xFF);
    }

    @Test
    void targetsReadAsZeroOnAUniprocessorGic() {
        d(ITARGETSR + 32, 0x01010101);
        assertThat(d(ITARGETSR)).isZero();
        assertThat(d(ITARGETSR + 32)).isZero();
    }

    @Test
    void controlRegistersKeepOnlyTheirBits() {
        d(CTLR, 0xFFFF_FFFFL);
        assertThat(d(CTLR)).isEqualTo(3);
        c(C_CTLR, 0xFFFF_FFFFL);
        assertThat(c(C_CTLR)).isEqualTo(0x21F);
        c(ABPR, 0);
        assertThat(c(ABPR)).as("ABPR minimum").isEqualTo(1);
    }

    @Test
    void aLevelSpiIsSignalledOnlyWhenEnabledEverywhereAndAbovePmr() {
        priority(SPI_UART, 0x80);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(gic.isPendingInterrupt(SPI_UART)).isTrue();
        assertThat(gic.irq()).as("not enabled").isFalse();
        enable(SPI_UART);
        assertThat(gic.irq()).as("distributor off").isFalse();
        d(CTLR, 1);
        assertThat(gic.irq()).as("CPU interface off").isFalse();
        c(C_CTLR, 1);
        assertThat(gic.irq()).as("PMR 0 masks everything").isFalse();
        c(PMR, 0x80);
        assertThat(gic.irq()).as("priority must be strictly higher than PMR").isFalse();
        c(PMR, 0x81);
        assertThat(gic.irq()).isTrue();
        assertThat(gic.fiq()).isFalse();
        assertThat(c(HPPIR)).isEqualTo(SPI_UART);
        d(ICENABLER + 4, 1L << 1);
        assertThat(gic.irq()).isFalse();
    }

    @Test
    void acknowledgeActivatesAndEoiDeactivates() {
        switchOn();
        priority(SPI_UART, 0x20);
        enable(SPI_UART);
        gic.setSpiLevel(SPI_UART, true);
        assertThat(c(IAR)).isEqualTo(SPI_UART);
        assertThat(gic.isActive(SPI_UART)).isTrue();
        assertThat(c(RPR)).isEqualTo(0x20);
        assertThat(c(APR0)).as("preemption level 0x20 >> 1").isEqualTo(1L << 0x10);
        assertThat(d(ISACTIVER + 4)).isEqualTo(1L << 1);
        // The line is still high: active and pending, but not signalled again while active.
        assertThat(gic.isPendingInterrupt(SPI_UART)).isTrue();
        assertThat(gic.irq()).isFalse();
        assertThat(c(IAR)).isEqualTo(1023);
        c(EOIR, SPI_UART);
        assertThat(gic.isActive(SPI_UART)).isFalse();
        assertThat(c(RPR)).isEqualTo(0xFF);
        assertThat(gic.irq()).as("level still high").isTrue();
        gic.setSpiLevel(SPI_UART, false);
        assertThat(gic.irq()).isFalse();
    }

    @Test
    void anEdgeLatchesPendingAfterTheInputFalls() {
        switchOn();
        d(ICFGR + 8, 2 << 2); // INTID 33 edge-triggered
        enable(SPI_UART);
        gic.setSpiLevel(SPI_UART, true);
        gic.setSpiLevel(SPI_UART, false);
        assertThat(gic.irq()).isTrue();
        assertThat(c(IAR)).isEqualTo(SPI_UART);
        assertThat(gic.isPendingInterrupt(SPI_UART)).as("acknowledged edge is no longer pending").isFalse();
        c(EOIR, SPI_UART);
        assertThat(gic.irq()).isFalse();
    }

    @Test
    void aLevelInterruptIsNotPendingOnceTheInputFalls() {
        switchOn();
        enable(SPI_UART);
        gic.setSpiLevel(SPI_UART, true);
        gic.setSpiLevel(SPI_UART, false);
        assertThat(gic.irq()).isFalse();
        assertThat(d(ISPENDR + 4)).isZero();
    }

    @Test
    void softwarePendingLatchesAndClears() {
        switchOn();
        enable(40);
        d(ISPENDR + 4, 1L << 8);
        assertThat(d(ISPENDR + 4)).isEqualTo(1L << 8);
        assertThat(gic.irq()).isTrue();
        d(ICPENDR + 4, 1L << 8);
        assertThat(gic.irq()).isFalse();
        d(ISPENDR, 0xFFFF);
        assertThat(d(ISPENDR)).as("SGIs cannot be made pending through ISPENDR").isZero();
        d(ICENABLER, 0xFFFF);
        assertThat(d(ISENABLER)).as("SGIs cannot be disabled").isEqualTo(0xFFFF);
    }

    @Test
    void higherPriorityPreemptsAndEoisNest() {
        switchOn();
        priority(40, 0xA0);
        priority(41, 0x20);
        enable(40);
        enable(41);
        d(ISPENDR + 4, 1L << 8);
        assertThat(c(IAR)).isEqualTo(40);
        d(ISPENDR + 4, 1L << 9);
        assertThat(gic.irq()).as("0x20 preempts running 0xA0").isTrue();
        assertThat(c(IAR)).isEqualTo(41);
        assertThat(c(RPR)).isEqualTo(0x20);
        c(EOIR, 41);
        assertThat(c(RPR)).isEqualTo(0xA0);
        c(EOIR, 40);
        assertThat(c(RPR)).isEqualTo(0xFF);
    }

    @Test
    void equalPriorityDoesNotPreemptAndLowestIntidWinsTies() {
        switchOn();
        priority(40, 0x80);
        priority(41, 0x80);
        enable(40);
        enable(41);
        d(ISPENDR + 4, 3L << 8);
        assertThat(c(IAR)).isEqualTo(40);
        assertThat(gic.irq()).isFalse();
        c(EOIR, 40);
        assertThat(c(IAR)).isEqualTo(41);
    }

    @Test
    void binaryPointGroupsPrioritiesForPreemption() {
        switchOn();
        c(BPR, 4); // group priority bits [7:5]
        priority(40, 0x80);
        priority(41, 0x90);
        enable(40);
        enable(41);
        d(ISPENDR + 4, 1L << 8);
        assertThat(c(IAR)).isEqualTo(40);
        assertThat(c(RPR)).isEqualTo(0x80);
        d(ISPENDR + 4, 1L << 9);
        priority(41, 0x60);
        assertThat(c(IAR)).as("0x60 is a higher group priority than 0x80").isEqualTo(41);
        assertThat(c(RPR)).isEqualTo(0x60);
    }

    @Test
    void sgisComeFromSelfThroughSgirAndSpendsgir() {
        switchOn();
        d(SGIR, (0 << 24) | (1 << 16) | 5); // target list: CPU 0
        assertThat(gic.irq()).isTrue();
        assertThat(dist.read(SPENDSGIR + 5, 1)).isEqualTo(1);
        assertThat(c(IAR)).as("SGI 5 from CPU 0").isEqualTo(5);
        c(EOIR, 5);
        d(SGIR, (2 << 24) | 3); // self
        assertThat(c(HPPIR)).isEqualTo(3);
        dist.write(CPENDSGIR + 3, 1, 1);
        assertThat(gic.irq()).isFalse();
        d(SGIR, (1 << 24) | 4); // all others: nobody
        assertThat(gic.irq()).isFalse();
        dist.write(SPENDSGIR + 7, 1, 1);
        assertThat(c(IAR)).isEqualTo(7);
    }

    @Test
    void ppiFollowsTheTimerLevel() {
        switchOn();
        enable(PPI_VTIMER);
        gic.setPpiLevel(PPI_VTIMER, true);
        assertThat(gic.irq()).isTrue();
        gic.setPpiLevel(PPI_VTIMER, false);
        assertThat(gic.irq()).isFalse();
        assertThatThrownBy(() -> gic.setPpiLevel(33, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gic.setSpiLevel(27, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eoiModeSplitsPriorityDropFromDeactivation() {
        switchOn();
        c(C_CTLR, 1 | GicV2.GICC_CTLR_EOIMODE);
        enable(40);
        d(ISPENDR + 4, 1L << 8);
        assertThat(c(IAR)).isEqualTo(40);
        c(EOIR, 40);
        assertThat(c(RPR)).isEqualTo(0xFF);
        assertThat(gic.isActive(40)).isTrue();
        cpu.write(DIR, 4, 40);
        assertThat(gic.isActive(40)).isFalse();
    }

    @Test
    void dirIsIgnoredWithoutEoiMode() {
        switchOn();
        enable(40);
        d(ISACTIVER + 4, 1L << 8);
        cpu.write(DIR, 4, 40);
        assertThat(gic.isActive(40)).isTrue();
        d(ICACTIVER + 4, 1L << 8);
        assertThat(gic.isActive(40)).isFalse();
    }

    @Test
    void group1IsHiddenFromIarWithoutAckCtl() {
        d(CTLR, 3);
        c(C_CTLR, 3);
        c(PMR, 0xFF);
        d(IGROUPR + 4, 1L << 8);
        enable(40);
        d(ISPENDR + 4, 1L << 8);
        assertThat(gic.irq()).isTrue();
        assertThat(c(HPPIR)).isEqualTo(1022);
        assertThat(c(IAR)).isEqualTo(1022);
        c(C_CTLR, 3 | GicV2.GICC_CTLR_ACK_CTL);
        assertThat(c(IAR)).isEqualTo(40);
        assertThat(c(NSAPR0)).as("Group 1 activity is in NSAPR").isNotZero();
        assertThat(c(APR0)).isZero();
    }

    @Test
    void group0WithFiqEnIsAnFiq() {
        switchOn();
        c(C_CTLR, 1 | GicV2.GICC_CTLR_FIQ_EN);
        enable(40);
        d(ISPENDR + 4, 1L << 8);
        assertThat(gic.fiq()).isTrue();
        assertThat(gic.irq()).isFalse();
    }

    @Test
    void aliasedAcknowledgeRegistersReadZeroAsInQemu() {
        switchOn();
        enable(40);
        d(ISPENDR + 4, 1L << 8);
        assertThat(c(AIAR)).isZero();
        assertThat(gic.isActive(40)).isFalse();
    }

    @Test
    void eoiOfSpuriousOrWithNothingActiveIsIgnored() {
        switchOn();
        enable(40);
        d(ISACTIVER + 4, 1L << 8);
        c(EOIR, 40);
        assertThat(gic.isActive(40)).as("nothing was acknowledged: running priority idle").isTrue();
        c(EOIR, 1023);
        assertThat(gic.isActive(40)).isTrue();
    }
}
