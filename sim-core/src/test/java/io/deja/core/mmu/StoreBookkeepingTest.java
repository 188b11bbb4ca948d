package io.deja.core.mmu;

import io.deja.core.cpu.Cpu;
import io.deja.core.mem.CodeCache;
import io.deja.core.mem.PhysicalBus;
import io.deja.core.mem.Ram;
import io.deja.core.mem.RamSnapshot;
import io.deja.core.state.StateHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores through a cached translation skip the page bookkeeping only while
 * it has nothing to do: a page cleaned by a hash or a snapshot, or holding
 * decoded code, is marked again by the next store.
 */
class StoreBookkeepingTest {
    private static final long BASE = 0x4000_0000L;
    private static final long ADDR = BASE + 0x3000;

    /** A CPU at EL1 with the MMU off over 1 MiB of RAM: its stores are the guest's. */
    private static Cpu cpu() {
        return new Cpu(new PhysicalBus(BASE, 1 << 20));
    }

    /** A CPU that has stored twice to ADDR: the page is written, so its write tag has no mark left. */
    private static Cpu writtenAtAddr() {
        Cpu c = cpu();
        c.mmu.write64(ADDR, 1);
        c.mmu.write64(ADDR, 2); // the page is now written: this store needs no bookkeeping
        return c;
    }

    /** The hash of RAM that holds value at ADDR and zeros elsewhere, computed afresh. */
    private static long hashWith(long value) {
        Ram ram = new Ram(BASE, 1 << 20);
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) bytes[i] = (byte) (value >>> (8 * i));
        ram.load(ADDR, bytes);
        return ram.hash();
    }

    @Test
    void aStoreToAPageTheHashHasJustReadIsInTheNextHash() {
        Cpu c = writtenAtAddr();
        Ram ram = c.mmu.bus().ram;
        assertThat(ram.hash()).isEqualTo(hashWith(2));
        c.mmu.write64(ADDR, 3);
        c.mmu.write32(ADDR + 4, 0);
        assertThat(ram.hash()).isEqualTo(hashWith(3));
    }

    @Test
    void aStoreToAPageASnapshotHasJustTakenIsUndoneByRestoringIt() {
        Cpu c = writtenAtAddr();
        Ram ram = c.mmu.bus().ram;
        RamSnapshot two = ram.snapshot();
        c.mmu.write64(ADDR, 3);
        ram.restore(two);
        assertThat(c.mmu.read64(ADDR)).isEqualTo(2);
        c.mmu.write16(ADDR, 4); // restore cleaned the page again
        ram.restore(two);
        assertThat(c.mmu.read64(ADDR)).isEqualTo(2);
    }

    @Test
    void aStoreToAPageThatGotDecodedCodeForgetsTheDecodedWord() {
        Cpu c = writtenAtAddr();
        CodeCache code = c.mmu.bus().code;
        long[] decoded = code.codePage(Ram.page(ADDR - BASE));
        decoded[0] = 42;
        c.horizon = Long.MAX_VALUE;
        c.mmu.write8(ADDR, 0);
        assertThat(decoded[0]).isZero();
        assertThat(c.horizon).as("the run loop stops before running the overwritten code").isEqualTo(c.cycles);
    }

    @Test
    void theMarkIsNotPartOfTheTranslationState() {
        Cpu written = writtenAtAddr(), cleaned = cpu();
        cleaned.mmu.write64(ADDR, 1);
        cleaned.mmu.bus().ram.hash(); // marks cleaned's entry for ADDR again
        assertThat(StateHash.of(cleaned.mmu)).isEqualTo(StateHash.of(written.mmu));
    }
}
