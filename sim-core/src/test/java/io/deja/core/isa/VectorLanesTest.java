package io.deja.core.isa;

import io.deja.core.cpu.Cpu;
import io.deja.core.mem.PhysicalBus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lane numbering of V registers: element 0 at bit 0, the high half holding the upper lanes. */
class VectorLanesTest {
    private final Cpu c = new Cpu(new PhysicalBus(0x4000_0000L, 1 << 16));

    @Test
    void lanesCountFromBitZeroAcrossBothHalves() {
        c.v[2] = 0x8877_6655_4433_2211L;
        c.v[3] = 0xFFEE_DDCC_BBAA_0099L;
        assertThat(VectorLanes.get(c, 1, 0, 0)).isEqualTo(0x11);
        assertThat(VectorLanes.get(c, 1, 9, 0)).isEqualTo(0x00);
        assertThat(VectorLanes.get(c, 1, 15, 0)).isEqualTo(0xFF);
        assertThat(VectorLanes.get(c, 1, 3, 1)).isEqualTo(0x8877);
        assertThat(VectorLanes.get(c, 1, 2, 2)).isEqualTo(0xBBAA_0099L);
        assertThat(VectorLanes.get(c, 1, 1, 3)).isEqualTo(0xFFEE_DDCC_BBAA_0099L);
        assertThat(VectorLanes.getSigned(c, 1, 7, 0)).isEqualTo(0xFFFF_FFFF_FFFF_FF88L);
        assertThat(VectorLanes.getSigned(c, 1, 3, 2)).isEqualTo(0xFFFF_FFFF_FFEE_DDCCL);
        assertThat(VectorLanes.getSigned(c, 1, 0, 1)).isEqualTo(0x2211);
    }

    @Test
    void setReplacesOneLaneAndWriteClearsTheHighHalfOfA64BitResult() {
        c.v[4] = -1L;
        c.v[5] = -1L;
        VectorLanes.set(c, 2, 5, 1, 0x1234_5678);
        assertThat(c.v[4]).isEqualTo(-1L);
        assertThat(c.v[5]).isEqualTo(0xFFFF_FFFF_5678_FFFFL);
        VectorLanes.write(c, 2, 7, 8, false);
        assertThat(c.v[4]).isEqualTo(7);
        assertThat(c.v[5]).isZero();
        VectorLanes.writeScalar(c, 2, 1, -1L);
        assertThat(c.v[4]).isEqualTo(0xFFFF);
        c.simdScratch[0] = 1;
        c.simdScratch[1] = 2;
        c.simdScratch[2] = 3;
        VectorLanes.writeLanes(c, 2, c.simdScratch, 3, 2);
        assertThat(c.v[4]).isEqualTo(0x2_0000_0001L);
        assertThat(c.v[5]).isEqualTo(3);
    }
}
