package io.deja.core.board;

import io.deja.core.board.BoardDevice.Model;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoardLayoutTest {
    @Test
    void virtHasQemusDevicesInAddressOrder() {
        BoardLayout v2 = BoardLayout.of(Board.VIRT, GicVersion.V2);
        assertThat(v2.names().subList(0, 5)).containsExactly("gic-dist", "gic-cpu", "pl011", "pl031", "virtio-mmio@a000000");
        assertThat(v2.devices()).hasSize(4 + 32);
        assertThat(v2.require(Model.PL031).base()).isEqualTo(0x0901_0000L);
        assertThat(v2.require(Model.PL031).interrupts()).containsExactly(34);
        assertThat(v2.require(Model.PL011).interrupts()).containsExactly(33);
        assertThat(v2.devices().get(v2.devices().size() - 1).interrupts()).as("transport 31: SPI 47").containsExactly(79);
        BoardLayout v3 = BoardLayout.of(Board.VIRT, GicVersion.V3);
        assertThat(v3.names().subList(0, 4)).containsExactly("gic-dist", "gic-redist", "pl011", "pl031");
        assertThat(v3.require(Model.GIC_DISTRIBUTOR).size()).as("a GICv3 distributor decodes 64 KiB").isEqualTo(0x1_0000);
        BoardDevice redist = v3.require(Model.GIC_REDISTRIBUTOR);
        assertThat(redist.base()).isEqualTo(0x080A_0000L);
        assertThat(redist.size()).as("one CPU: RD_base + SGI_base").isEqualTo(0x2_0000);
        assertThat(redist.window()).isEqualTo(0xF6_0000);
        assertThat(v3.find(Model.GIC_CPU_INTERFACE)).isNull();
    }

    /** Vibe's device table is what its recordings (the committed sample among them) were made with. */
    @Test
    void vibeKeepsItsDeviceTable() {
        assertThat(BoardLayout.of(Board.VIBE, GicVersion.V2).names()).containsExactly("gic-dist", "gic-cpu", "pl011", "virtio-console");
        assertThat(BoardLayout.of(Board.VIBE, GicVersion.V3).names()).containsExactly("gic-dist", "gic-redist", "pl011", "virtio-console");
        assertThat(BoardLayout.of(Board.VIBE, GicVersion.V2).find(Model.PL031)).isNull();
    }

    @Test
    void theMachineMapsExactlyTheList() {
        for (Board board : Board.values()) {
            for (GicVersion gic : GicVersion.values()) {
                MachineConfig config = MachineConfig.of(board, new byte[] {0, 0, 0, 0x14}).withGic(gic);
                Machine m = new Machine(config, java.io.OutputStream.nullOutputStream());
                BoardLayout layout = m.layout();
                assertThat(m.deviceNames()).as(board + " " + gic).isEqualTo(layout.names());
                for (BoardDevice d : layout.devices()) {
                    assertThat(m.vcpu().bus().regions()[layout.indexOf(d)].base()).isEqualTo(d.base());
                }
            }
        }
    }

    @Test
    void devicesDoNotOverlapAndStayInTheirWindows() {
        for (Board board : Board.values()) {
            for (GicVersion gic : GicVersion.values()) {
                List<BoardDevice> ds = BoardLayout.of(board, gic).devices();
                for (int i = 1; i < ds.size(); i++) assertThat(ds.get(i - 1).end()).isLessThanOrEqualTo(ds.get(i).base());
                for (BoardDevice d : ds) assertThat(d.size()).isLessThanOrEqualTo(d.window());
            }
        }
    }
}
