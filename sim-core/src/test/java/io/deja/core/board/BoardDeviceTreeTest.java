package io.deja.core.board;

import io.deja.core.devices.DeviceTree;
import io.deja.core.devices.DeviceTree.Node;
import io.deja.core.devices.DeviceTree.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BoardDeviceTreeTest {
    private static final long RAM = 128L << 20;
    private static final byte[] RNG = {1, 2, 3, 4, 5, 6, 7, 8};
    private final byte[] blob = BoardDeviceTree.virt(RAM, "console=ttyAMA0 earlycon", 0x1122_3344_5566_7788L, RNG);
    private final Node root = DeviceTree.parse(blob).root();

    @Test
    void rootDescribesADummyVirtMachine() {
        assertThat(root.property("compatible").string()).isEqualTo("linux,dummy-virt");
        assertThat(root.property("model").string()).isEqualTo("linux,dummy-virt");
        assertThat(root.property("#address-cells").cells()).containsExactly(2);
        assertThat(root.property("#size-cells").cells()).containsExactly(2);
        assertThat(root.property("interrupt-parent").cells()).containsExactly(BoardDeviceTree.PHANDLE_GIC);
    }

    /** As QEMU 7.2's -machine dumpdtb with -smp 4: phandles from the last CPU up, the cpu-map, the GIC after the CPUs, the PPI mask. */
    @Test
    void fourCpusAreListedAsQemuListsThem() {
        byte[] four = BoardDeviceTree.virt(BoardLayout.of(Board.VIRT, GicVersion.V2), RAM, "", 0, new byte[0], 0, 0, 4);
        Node r = DeviceTree.parse(four).root();
        assertThat(r.property("interrupt-parent").cells()).containsExactly(0x8005);
        Node cpus = r.child("cpus");
        for (int n = 0; n < 4; n++) {
            Node cpu = cpus.child("cpu@" + n);
            assertThat(cpu.property("reg").cells()).containsExactly(n);
            assertThat(cpu.property("phandle").cells()).containsExactly(0x8004 - n);
            assertThat(cpu.property("enable-method").string()).isEqualTo("psci");
            assertThat(cpus.child("cpu-map").child("socket0").child("cluster0").child("core" + n).property("cpu").cells())
                    .containsExactly(0x8004 - n);
        }
        assertThat(r.child("timer").property("interrupts").cells())
                .containsExactly(1, 13, 0xF04, 1, 14, 0xF04, 1, 11, 0xF04, 1, 10, 0xF04);
    }

    @Test
    void memoryCoversTheRam() {
        Node mem = root.child("memory@40000000");
        assertThat(mem.property("device_type").string()).isEqualTo("memory");
        assertThat(mem.property("reg").longs()).containsExactly(0x4000_0000L, RAM);
    }

    @Test
    void chosenCarriesTheCallersInputs() {
        Node chosen = root.child("chosen");
        assertThat(chosen.property("bootargs").string()).isEqualTo("console=ttyAMA0 earlycon");
        assertThat(chosen.property("stdout-path").string()).isEqualTo("/pl011@9000000");
        assertThat(chosen.property("kaslr-seed").longs()).containsExactly(0x1122_3344_5566_7788L);
        assertThat(chosen.property("rng-seed").value()).containsExactly(RNG);
    }

    @Test
    void withoutCommandLineOrRngSeedThoseAreLeftOut() {
        Node chosen = DeviceTree.parse(BoardDeviceTree.virt(RAM, "", 0, new byte[0])).root().child("chosen");
        assertThat(chosen.has("bootargs")).isFalse();
        assertThat(chosen.has("rng-seed")).isFalse();
        assertThat(chosen.property("kaslr-seed").longs()).containsExactly(0L);
    }

    @Test
    void oneCortexA57StartedThroughPsci() {
        Node cpus = root.child("cpus");
        assertThat(cpus.property("#address-cells").cells()).containsExactly(1);
        assertThat(cpus.property("#size-cells").cells()).containsExactly(0);
        assertThat(cpus.children()).hasSize(1);
        Node cpu = cpus.child("cpu@0");
        assertThat(cpu.property("compatible").string()).isEqualTo("arm,cortex-a57");
        assertThat(cpu.property("device_type").string()).isEqualTo("cpu");
        assertThat(cpu.property("reg").cells()).containsExactly(0);
        assertThat(cpu.property("enable-method").string()).isEqualTo("psci");
        Node psci = root.child("psci");
        assertThat(psci.property("compatible").strings()).containsExactly("arm,psci-1.0", "arm,psci-0.2", "arm,psci");
        assertThat(psci.property("method").string()).isEqualTo("hvc");
        assertThat(psci.property("cpu_on").cells()).containsExactly(0xC400_0003);
        assertThat(psci.property("cpu_off").cells()).containsExactly(0x8400_0002);
    }

    @Test
    void interruptsMatchTheMemoryMap() {
        Node gic = root.child("intc@8000000");
        assertThat(gic.property("compatible").string()).isEqualTo("arm,cortex-a15-gic");
        assertThat(gic.property("reg").longs()).containsExactly(0x0800_0000L, 0x1_0000L, 0x0801_0000L, 0x1_0000L);
        assertThat(gic.property("#interrupt-cells").cells()).containsExactly(3);
        assertThat(gic.has("interrupt-controller")).isTrue();
        Node uart = root.child("pl011@9000000");
        assertThat(uart.property("interrupts").cells()).as("SPI 1, level-high").containsExactly(0, 1, 4);
        assertThat(uart.property("compatible").strings()).containsExactly("arm,pl011", "arm,primecell");
        assertThat(uart.property("clock-names").strings()).containsExactly("uartclk", "apb_pclk");
        assertThat(root.child("apb-pclk").property("clock-frequency").cells()).containsExactly(24_000_000);
        assertThat(root.child("timer").property("interrupts").cells())
                .containsExactly(1, 13, 0x104, 1, 14, 0x104, 1, 11, 0x104, 1, 10, 0x104);
        assertThat(root.child("timer").has("always-on")).isTrue();
        Node last = root.child("virtio_mmio@a003e00");
        assertThat(last.property("interrupts").cells()).containsExactly(0, 47, 1);
        assertThat(root.children().stream().filter(n -> n.name().startsWith("virtio_mmio@"))).hasSize(32);
    }

    @Test
    void theRtcIsQemusPl031() {
        Node rtc = root.child("pl031@9010000");
        assertThat(rtc.property("compatible").strings()).containsExactly("arm,pl031", "arm,primecell");
        assertThat(rtc.property("reg").longs()).containsExactly(0x0901_0000L, 0x1000L);
        assertThat(rtc.property("interrupts").cells()).as("SPI 2, level-high").containsExactly(0, 2, 4);
        assertThat(rtc.property("clocks").cells()).containsExactly(BoardDeviceTree.PHANDLE_CLOCK);
        assertThat(rtc.property("clock-names").strings()).containsExactly("apb_pclk");
    }

    @Test
    void aGicV3TreeNamesTheDistributorAndTheRedistributorWindow() {
        Node v3 = DeviceTree.parse(BoardDeviceTree.virt(BoardLayout.of(Board.VIRT, GicVersion.V3), RAM, "", 0, new byte[0])).root();
        Node gic = v3.child("intc@8000000");
        assertThat(gic.property("compatible").string()).isEqualTo("arm,gic-v3");
        assertThat(gic.property("reg").longs()).containsExactly(0x0800_0000L, 0x1_0000L, 0x080A_0000L, 0xF6_0000L);
        assertThat(gic.property("#redistributor-regions").cells()).containsExactly(1);
        assertThat(gic.property("phandle").cells()).containsExactly(BoardDeviceTree.PHANDLE_GIC);
        assertThat(v3.child("timer").property("interrupts").cells()).as("no CPU mask in GICv3 PPI specifiers")
                .containsExactly(1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4);
    }

    /** Every device of the layout that has a node is in the tree, at its base address: the list is the only source. */
    @Test
    void everyListedDeviceHasItsNode() {
        for (GicVersion gic : GicVersion.values()) {
            BoardLayout layout = BoardLayout.of(Board.VIRT, gic);
            Node tree = DeviceTree.parse(BoardDeviceTree.virt(layout, RAM, "", 0, new byte[0])).root();
            for (BoardDevice d : layout.devices()) {
                if (d.node() == null) continue;
                Node node = tree.children().stream().filter(n -> n.name().endsWith("@" + Long.toHexString(d.base()))).findFirst().orElseThrow(
                        () -> new AssertionError(d + " has no node in the " + gic + " tree"));
                assertThat(node.property("reg").longs()[0]).as(d.name()).isEqualTo(d.base());
            }
        }
    }

    @Test
    void dtcAcceptsTheBlob(@TempDir Path tmp) throws Exception {
        dtcAccepts(tmp, blob);
    }

    @Test
    void dtcAcceptsTheGicV3Blob(@TempDir Path tmp) throws Exception {
        dtcAccepts(tmp, BoardDeviceTree.virt(BoardLayout.of(Board.VIRT, GicVersion.V3), RAM, "console=ttyAMA0 earlycon", 1, RNG));
    }

    private static void dtcAccepts(Path tmp, byte[] blob) throws Exception {
        assumeTrue(onPath("dtc"), "dtc (Debian package device-tree-compiler) is not installed");
        Path dtb = tmp.resolve("virt.dtb");
        Files.write(dtb, blob);
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", "-o", tmp.resolve("virt.dts").toString(), dtb.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).as("dtc warnings").isEmpty();
        String dts = Files.readString(tmp.resolve("virt.dts"));
        assertThat(dts).contains("stdout-path = \"/pl011@9000000\";");
    }

    /** Every node Deja writes holds the same properties, with the same values, as in QEMU 7.2's own blob. */
    @Test
    void nodesAgreeWithQemusDeviceTree(@TempDir Path tmp) throws Exception {
        compare(root, qemuTree(tmp, "virt"), "/");
    }

    /** The GICv3 tree against QEMU's without an ITS (Deja has none: its node would be QEMU's only extra). */
    @Test
    void gicV3NodesAgreeWithQemusDeviceTree(@TempDir Path tmp) throws Exception {
        Node ours = DeviceTree.parse(BoardDeviceTree.virt(BoardLayout.of(Board.VIRT, GicVersion.V3), RAM, "console=ttyAMA0 earlycon",
                0x1122_3344_5566_7788L, RNG)).root();
        compare(ours, qemuTree(tmp, "virt,gic-version=3,its=off"), "/");
    }

    /**
     * GICv3 with four CPUs against QEMU -smp 4: the same distributor and redistributor
     * region (QEMU 7.2 gives the whole 0xF60000 window whatever the CPU count, though it
     * maps one frame pair per CPU), phandles, cpu nodes and PPI specifiers.
     */
    @Test
    void gicV3FourCpuNodesAgreeWithQemusDeviceTree(@TempDir Path tmp) throws Exception {
        Node ours = DeviceTree.parse(BoardDeviceTree.virt(BoardLayout.of(Board.VIRT, GicVersion.V3, 4), RAM, "console=ttyAMA0 earlycon",
                0x1122_3344_5566_7788L, RNG, 0, 0, 4)).root();
        assertThat(ours.child("intc@8000000").property("reg").longs()).containsExactly(0x0800_0000L, 0x1_0000L, 0x080A_0000L, 0xF6_0000L);
        assertThat(ours.child("intc@8000000").property("phandle").cells()).containsExactly(0x8005);
        compare(ours, qemuTree(tmp, "virt,gic-version=3,its=off", "-smp", "4"), "/");
    }

    private static Node qemuTree(Path tmp, String machine, String... more) throws Exception {
        assumeTrue(onPath("qemu-system-aarch64"), "qemu-system-aarch64 is not installed");
        Path kernel = tmp.resolve("k.bin");
        Files.write(kernel, new byte[] {0, 0, 0, 0x14}); // b .
        Path dtb = tmp.resolve("qemu.dtb");
        List<String> command = new java.util.ArrayList<>(List.of("qemu-system-aarch64", "-M", machine + ",dumpdtb=" + dtb, "-cpu", "cortex-a57",
                "-m", "128M", "-nographic", "-nic", "none", "-kernel", kernel.toString(), "-append", "console=ttyAMA0 earlycon"));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(Files.exists(dtb), "QEMU did not dump its device tree: " + log);
        return DeviceTree.parse(Files.readAllBytes(dtb)).root();
    }

    private static void compare(Node ours, Node qemu, String path) {
        for (Property p : ours.properties().values()) {
            String where = path + ":" + p.name();
            if (isDeliberateDifference(path, p.name())) continue;
            assertThat(qemu.has(p.name())).as(where + " exists in QEMU's tree").isTrue();
            assertThat(p.value()).as(where).isEqualTo(qemu.property(p.name()).value());
        }
        for (Node child : ours.children()) {
            compare(child, qemu.child(child.name()), path + child.name() + "/");
        }
    }

    /** Differences on purpose: seeds are inputs QEMU draws at random; QEMU gives one CPU no enable-method. */
    private static boolean isDeliberateDifference(String path, String property) {
        return List.of("/chosen/:kaslr-seed", "/chosen/:rng-seed", "/cpus/cpu@0/:enable-method").contains(path + ":" + property);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
