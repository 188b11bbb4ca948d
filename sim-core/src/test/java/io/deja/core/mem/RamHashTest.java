package io.deja.core.mem;

import io.deja.core.cpu.Cpu;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The incremental RAM hash depends on RAM's content only, however it got there. */
class RamHashTest {
    private static Memory memory() {
        Memory m = new Memory(0x4000_0000L, 1 << 20);
        new Cpu(m);
        return m;
    }

    @Test
    void theClosedFormForZeroPagesEqualsHashingTheirBytes() {
        Memory fresh = memory();
        Memory rewritten = memory();
        rewritten.load(0x4000_0000L, new byte[1 << 20]); // marks every page dirty, all still zero
        assertThat(rewritten.ramHash()).isEqualTo(fresh.ramHash());
    }

    @Test
    void aStoreChangesTheHashAndUndoingItRestoresIt() {
        Memory m = memory();
        long before = m.ramHash();
        m.write64(0x4008_1000L, 0x1234);
        long after = m.ramHash();
        assertThat(after).isNotEqualTo(before);
        assertThat(m.ramHash()).isEqualTo(after); // nothing dirty: same answer
        m.write64(0x4008_1000L, 0);
        assertThat(m.ramHash()).isEqualTo(before);
    }

    @Test
    void theSameBytesAtDifferentPagesHashDifferently() {
        Memory a = memory();
        Memory b = memory();
        a.write8(0x4000_0000L, 1);
        b.write8(0x4000_1000L, 1);
        assertThat(a.ramHash()).isNotEqualTo(b.ramHash());
    }
}
