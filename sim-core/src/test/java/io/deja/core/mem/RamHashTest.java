package io.deja.core.mem;

import io.deja.core.cpu.Cpu;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The incremental RAM hash depends on RAM's content only, however it got there. */
class RamHashTest {
    private static final long BASE = 0x4000_0000L;

    /** A CPU at EL1 with the MMU off over 1 MiB of RAM: its stores are the guest's. */
    private static Cpu cpu() {
        return new Cpu(new PhysicalBus(BASE, 1 << 20));
    }

    @Test
    void theClosedFormForZeroPagesEqualsHashingTheirBytes() {
        Ram fresh = new Ram(BASE, 1 << 20);
        Ram rewritten = new Ram(BASE, 1 << 20);
        rewritten.load(BASE, new byte[1 << 20]); // marks every page dirty, all still zero
        assertThat(rewritten.hash()).isEqualTo(fresh.hash());
    }

    @Test
    void aStoreChangesTheHashAndUndoingItRestoresIt() {
        Cpu c = cpu();
        Ram ram = c.mmu.bus().ram;
        long before = ram.hash();
        c.mmu.write64(BASE + 0x8_1000L, 0x1234);
        long after = ram.hash();
        assertThat(after).isNotEqualTo(before);
        assertThat(ram.hash()).isEqualTo(after); // nothing dirty: same answer
        c.mmu.write64(BASE + 0x8_1000L, 0);
        assertThat(ram.hash()).isEqualTo(before);
    }

    @Test
    void theSameBytesAtDifferentPagesHashDifferently() {
        Cpu a = cpu();
        Cpu b = cpu();
        a.mmu.write8(BASE, 1);
        b.mmu.write8(BASE + 0x1000, 1);
        assertThat(a.mmu.bus().ram.hash()).isNotEqualTo(b.mmu.bus().ram.hash());
    }
}
