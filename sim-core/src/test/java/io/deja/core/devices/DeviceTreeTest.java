package io.deja.core.devices;

import io.deja.core.devices.DeviceTree.Node;
import io.deja.core.devices.DeviceTree.Parsed;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceTreeTest {
    private static byte[] sample() {
        return new DeviceTree()
                .reserveMemory(0x4000_0000L, 0x1000)
                .beginNode("")
                .cells("#address-cells", 2)
                .strings("compatible", "a,b", "c")
                .beginNode("child@1")
                .longs("reg", 0x1_0000_0000L, 0x2000)
                .flag("empty")
                .strings("compatible", "odd") // "compatible" is stored once in the strings block
                .endNode()
                .beginNode("other")
                .endNode()
                .endNode()
                .toBlob();
    }

    @Test
    void headerDescribesAVersion17Blob() {
        byte[] blob = sample();
        ByteBuffer h = ByteBuffer.wrap(blob);
        assertThat(h.getInt(0)).isEqualTo(0xD00DFEED);
        assertThat(h.getInt(4)).as("totalsize").isEqualTo(blob.length);
        assertThat(h.getInt(16)).as("off_mem_rsvmap").isEqualTo(40);
        assertThat(h.getInt(20)).as("version").isEqualTo(17);
        assertThat(h.getInt(24)).as("last_comp_version").isEqualTo(16);
        int offStruct = h.getInt(8), offStrings = h.getInt(12), sizeStrings = h.getInt(32), sizeStruct = h.getInt(36);
        assertThat(offStruct).isEqualTo(40 + 2 * 16);
        assertThat(offStrings).isEqualTo(offStruct + sizeStruct);
        assertThat(offStrings + sizeStrings).isEqualTo(blob.length);
        assertThat(h.getInt(offStruct + sizeStruct - 4)).as("FDT_END").isEqualTo(9);
        String strings = new String(blob, offStrings, sizeStrings);
        assertThat(strings).isEqualTo("#address-cells\0compatible\0reg\0empty\0");
    }

    @Test
    void readsBackWhatWasWritten() {
        Parsed p = DeviceTree.parse(sample());
        assertThat(p.version()).isEqualTo(17);
        assertThat(p.reservations()).hasSize(1);
        assertThat(p.reservations().get(0)).containsExactly(0x4000_0000L, 0x1000L);
        Node root = p.root();
        assertThat(root.name()).isEmpty();
        assertThat(root.property("#address-cells").cells()).containsExactly(2);
        assertThat(root.property("compatible").strings()).containsExactly("a,b", "c");
        Node child = root.find("child@1");
        assertThat(child.property("reg").longs()).containsExactly(0x1_0000_0000L, 0x2000L);
        assertThat(child.property("reg").cells()).containsExactly(1, 0, 0, 0x2000);
        assertThat(child.property("empty").value()).isEmpty();
        assertThat(child.property("compatible").string()).isEqualTo("odd");
        assertThat(root.children()).extracting(Node::name).containsExactly("child@1", "other");
    }

    @Test
    void structureMistakesAreRefused() {
        assertThatThrownBy(() -> new DeviceTree().beginNode("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new DeviceTree().beginNode("").beginNode("a").endNode().cells("late", 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("properties come first");
        assertThatThrownBy(() -> new DeviceTree().beginNode("").toBlob()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new DeviceTree().beginNode("").beginNode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceTree().cells("x", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void malformedBlobsAreRejected() {
        byte[] blob = sample();
        byte[] badMagic = blob.clone();
        badMagic[0] = 0;
        assertThatThrownBy(() -> DeviceTree.parse(badMagic)).isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 8);
        assertThatThrownBy(() -> DeviceTree.parse(truncated)).isInstanceOf(IllegalArgumentException.class);
    }
}
