package io.deja.core.mem;

import io.deja.core.cpu.Cpu;
import io.deja.core.state.StateReader;
import io.deja.core.state.StateWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RAM pages are made when first accessed; a page never made reads, hashes and snapshots as zero. */
class RamPagesTest {
    private static final long BASE = 0x4000_0000L;
    private static final long MIB_512 = 512L << 20;

    @Test
    void aLargeRamTakesNoHostMemoryUntilTheGuestTouchesIt() {
        Cpu c = new Cpu(new PhysicalBus(BASE, MIB_512));
        Ram ram = c.mmu.bus().ram;
        assertThat(ram.allocatedPages()).isZero();
        c.mmu.write64(BASE + 0x1234_5678L & ~7L, 0x1122_3344_5566_7788L);
        assertThat(c.mmu.read64(BASE + 0x1234_5678L & ~7L)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(ram.allocatedPages()).isEqualTo(1);
        assertThat(ram.read(BASE + 0x1FFF_F000L, 16)).containsOnly(0);
        assertThat(ram.peek64(BASE + 0x800_0000L)).isZero();
        assertThat(ram.allocatedPages()).as("host reads of untouched pages make none").isEqualTo(1);
    }

    @Test
    void aLoadAndAReadAcrossPagesSeeTheSameBytes() {
        Ram ram = new Ram(BASE, 1 << 20);
        byte[] data = new byte[3 * Ram.PAGE_SIZE + 100];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7 + 1);
        ram.load(BASE + 0xF00, data);
        assertThat(ram.read(BASE + 0xF00, data.length)).isEqualTo(data);
        assertThat(ram.read(BASE + 0xE00, 0x100)).containsOnly(0);
        assertThat(ram.word(0xF00)).isEqualTo((data[3] & 0xFF) << 24 | (data[2] & 0xFF) << 16 | (data[1] & 0xFF) << 8 | (data[0] & 0xFF));
    }

    @Test
    void theHashOfUntouchedPagesIsTheHashOfZeroPagesWrittenWithZeros() {
        Ram untouched = new Ram(BASE, 1 << 20);
        Ram zeroed = new Ram(BASE, 1 << 20);
        zeroed.load(BASE, new byte[1 << 20]);
        untouched.load(BASE + 0x3000, new byte[8]); // dirty, made, still zero
        assertThat(untouched.hash()).isEqualTo(zeroed.hash());
    }

    @Test
    void restoringASnapshotTakenBeforeAPageWasMadeZeroesIt() {
        Cpu c = new Cpu(new PhysicalBus(BASE, 1 << 20));
        Ram ram = c.mmu.bus().ram;
        long empty = ram.hash();
        RamSnapshot before = ram.snapshot();
        c.mmu.write64(BASE + 0x5000, -1L);
        RamSnapshot after = ram.snapshot();
        ram.restore(before);
        assertThat(c.mmu.read64(BASE + 0x5000)).isZero();
        assertThat(ram.hash()).isEqualTo(empty);
        ram.restore(after);
        assertThat(c.mmu.read64(BASE + 0x5000)).isEqualTo(-1L);
    }

    @Test
    void aTlbRestoredIntoAnotherMachineReadsThatMachinesPages() {
        Cpu a = new Cpu(new PhysicalBus(BASE, 1 << 20));
        a.mmu.write64(BASE + 0x7008, 42); // fills the TLB entry of that page
        long[] tlb = StateWriter.save(a.mmu);
        Cpu b = new Cpu(new PhysicalBus(BASE, 1 << 20));
        b.mmu.bus().ram.load(BASE + 0x7008, new byte[] {43, 0, 0, 0, 0, 0, 0, 0});
        StateReader.restore(b.mmu, tlb);
        assertThat(b.mmu.read64(BASE + 0x7008)).as("the fast path, through the restored entry").isEqualTo(43);
        b.mmu.write64(BASE + 0x7010, 44);
        assertThat(b.mmu.bus().ram.read(BASE + 0x7010, 1)).containsExactly(44);
        assertThat(a.mmu.read64(BASE + 0x7010)).isZero();
    }
}
