package io.deja.core.board;

import io.deja.core.devices.DeviceTree;
import io.deja.core.devices.DeviceTree.Node;
import io.deja.core.vm.ExitKind;
import io.deja.core.testing.GuestAssembler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loading Linux as QEMU 7.2's -kernel/-initrd/-dtb on virt: the Image header, placement, /chosen, bad input, panic stop. */
class LinuxLoaderTest {
    private static final long MIB = 1L << 20;
    /** Debian 6.1's arm64 Image header values (STACK.md): text_offset 0, image_size 0x2010000, flags 0xa. */
    private static final long DEBIAN_IMAGE_SIZE = 0x201_0000L;

    /** An Image whose header is Debian's, with code (b .) at its start; file size bytes. */
    private static byte[] image(long textOffset, long imageSize, long flags, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x1400_0000); // b .
        b.putLong(8, textOffset).putLong(16, imageSize).putLong(24, flags);
        b.put(0x38, "ARM\u0064".getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static byte[] debianImage() {
        return image(0, DEBIAN_IMAGE_SIZE, 0xa, 4096);
    }

    private static MachineConfig linux(byte[] initrd) {
        return MachineConfig.of(Board.VIRT, debianImage()).withRamSize(512 * MIB).withCommandLine("console=ttyAMA0 rdinit=/init")
                .withSeeds(LinuxLoader.kaslrSeed(0), LinuxLoader.rngSeed(0)).withInitrd(initrd);
    }

    private static byte[] initrd(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    // ---- The Image header ---------------------------------------------------------------------
    @Test
    void debiansHeaderParses() {
        LinuxImage h = LinuxImage.parse(debianImage());
        assertThat(h.imageSize()).isEqualTo(DEBIAN_IMAGE_SIZE);
        assertThat(h.pageSize()).isEqualTo("4K");
        assertThat(h.placeAnywhere()).isTrue();
        assertThat(h.loadOffset()).as("text_offset 0 moves 2 MiB up, past QEMU's boot stub").isEqualTo(2 * MIB);
        assertThat(LinuxImage.parse(image(0x8_0000, DEBIAN_IMAGE_SIZE, 0, 4096)).loadOffset()).isEqualTo(0x8_0000L);
        assertThat(LinuxImage.parse(image(0, DEBIAN_IMAGE_SIZE, 3 << 1, 4096)).pageSize()).isEqualTo("64K");
    }

    @Test
    void filesThatAreNotBootableImagesAreRefusedWithOneLine() {
        refusedImage(new byte[63], "shorter than its 64-byte header");
        refusedImage(new byte[4096], "no ARM\\x64 magic at offset 0x38");
        refusedImage(image(0, 0, 0xa, 4096), "image_size 0");
        refusedImage(image(0, 1024, 0xa, 4096), "image_size 0x400 is smaller than the file (4096 bytes)");
        refusedImage(image(0, DEBIAN_IMAGE_SIZE, 0xb, 4096), "big-endian");
        refusedImage(image(0, DEBIAN_IMAGE_SIZE, 2 << 1, 4096), "16K pages");
        refusedImage(image(0x20_0000, DEBIAN_IMAGE_SIZE, 0xa, 4096), "text_offset 0x200000");
    }

    private static byte[] gzip(byte[] bytes) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void aGzipCompressedImageIsInflatedAsQemusLoadAarch64ImageDoes() throws Exception {
        byte[] image = debianImage();
        byte[] gz = gzip(image);
        assertThat(LinuxImage.isGzip(gz)).isTrue();
        assertThat(LinuxImage.gunzipIfCompressed(gz)).isEqualTo(image);
        assertThat(LinuxImage.parse(LinuxImage.gunzipIfCompressed(gz)).imageSize()).isEqualTo(DEBIAN_IMAGE_SIZE);
        assertThat(LinuxImage.gunzipIfCompressed(image)).as("an uncompressed Image is loaded as it is").isSameAs(image);
        Machine m = new Machine(MachineConfig.of(Board.VIRT, LinuxImage.gunzipIfCompressed(gz)).withRamSize(512 * MIB), new ByteArrayOutputStream());
        assertThat(m.loadAddress()).isEqualTo(0x4020_0000L);
        assertThat(m.vm().readMemory(0x4020_0000L, image.length)).isEqualTo(image);
    }

    @Test
    void aCorruptTruncatedOrHugeGzipIsOneClearLine() throws Exception {
        byte[] gz = gzip(debianImage());
        byte[] flipped = gz.clone();
        flipped[gz.length / 2] ^= 0x55;
        refusedGzip(flipped, "corrupt gzip-compressed kernel (" + gz.length + " bytes)", LinuxImage.MAX_GUNZIPPED_SIZE);
        refusedGzip(Arrays.copyOf(gz, gz.length - 12), "corrupt gzip-compressed kernel", LinuxImage.MAX_GUNZIPPED_SIZE);
        refusedGzip(new byte[] {0x1f, (byte) 0x8b, 8, 0}, "corrupt gzip-compressed kernel (4 bytes)", LinuxImage.MAX_GUNZIPPED_SIZE);
        refusedGzip(gzip(new byte[5000]), "inflates past 4096 bytes", 4096);
        assertThat(LinuxImage.gunzipIfCompressed(gzip(new byte[4096]), 4096)).hasSize(4096);
    }

    private static void refusedGzip(byte[] file, String why, int limit) {
        assertThatThrownBy(() -> LinuxImage.gunzipIfCompressed(file, limit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static void refusedImage(byte[] file, String why) {
        assertThatThrownBy(() -> LinuxImage.parse(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    // ---- Placement (QEMU 7.2 boot.c) ----------------------------------------------------------
    @Test
    void kernelInitrdAndTreeGoWhereQemuPutsThemWith512MiB() {
        Machine m = new Machine(linux(initrd(987_100)), new ByteArrayOutputStream());
        assertThat(m.loadAddress()).isEqualTo(0x4020_0000L);
        assertThat(m.initrdAddress()).isEqualTo(0x4800_0000L);
        assertThat(m.dtbAddress()).isEqualTo(0x4820_0000L);
        assertThat(m.vm().getX(0)).isEqualTo(0x4820_0000L);
        assertThat(m.vm().readMemory(0x4800_0000L, 987_100)).isEqualTo(initrd(987_100));
    }

    @Test
    void aLargeInitrdPushesTheTreeToTheNext2MiB() {
        LinuxLoader.Placement p = LinuxLoader.place(512 * MIB, 0x4221_0000L, 5 * MIB + 1, 6000);
        assertThat(p.initrdStart()).isEqualTo(0x4800_0000L);
        assertThat(p.dtb()).isEqualTo(0x4860_0000L);
        // Below 256 MiB the initrd goes at half the RAM, unless the kernel ends higher.
        assertThat(LinuxLoader.place(128 * MIB, 0x4221_0000L, 100, 6000).initrdStart()).isEqualTo(0x4400_0000L);
        assertThat(LinuxLoader.place(64 * MIB, 0x4221_0000L, 100, 6000).initrdStart()).isEqualTo(0x4221_0000L);
    }

    @Test
    void ramTooSmallForKernelInitrdAndTreeIsRefused() {
        assertThatThrownBy(() -> new Machine(linux(initrd(1000)).withRamSize(32 * MIB)))
                .hasMessageContaining("beyond the end of RAM");
        assertThatThrownBy(() -> new Machine(linux(initrd((int) (32 * MIB))).withRamSize(64 * MIB)))
                .hasMessageContaining("--mem 64 MiB is too small: the initrd (33554432 bytes at 0x42210000)");
        assertThatThrownBy(() -> new Machine(linux(initrd((int) (29 * MIB))).withRamSize(64 * MIB)))
                .hasMessageContaining("--mem 64 MiB is too small: the device tree");
    }

    // ---- The device tree's /chosen ------------------------------------------------------------
    @Test
    void chosenNamesTheInitrdInOneCellEachInQemusOrder() {
        Machine m = new Machine(linux(initrd(987_100)), new ByteArrayOutputStream());
        Node chosen = DeviceTree.parse(m.deviceTree()).root().child("chosen");
        assertThat(chosen.property("linux,initrd-start").cells()).containsExactly(0x4800_0000);
        assertThat(chosen.property("linux,initrd-end").cells()).containsExactly(0x4800_0000 + 987_100);
        assertThat(chosen.property("bootargs").string()).isEqualTo("console=ttyAMA0 rdinit=/init");
        assertThat(chosen.property("rng-seed").value()).hasSize(32).isEqualTo(LinuxLoader.rngSeed(0));
        assertThat(chosen.property("kaslr-seed").longs()).containsExactly(LinuxLoader.kaslrSeed(0));
        assertThat(new ArrayList<>(chosen.properties().keySet())).containsExactly(
                "linux,initrd-end", "linux,initrd-start", "bootargs", "stdout-path", "rng-seed", "kaslr-seed");
        Node none = DeviceTree.parse(new Machine(linux(new byte[0]), new ByteArrayOutputStream()).deviceTree()).root().child("chosen");
        assertThat(none.has("linux,initrd-start")).isFalse();
    }

    @Test
    void entropySeedsAreAFunctionOfTheSeed() {
        assertThat(LinuxLoader.kaslrSeed(0)).isEqualTo(LinuxLoader.kaslrSeed(0)).isNotEqualTo(LinuxLoader.kaslrSeed(1)).isNotZero();
        assertThat(LinuxLoader.rngSeed(7)).hasSize(LinuxLoader.RNG_SEED_BYTES).isEqualTo(LinuxLoader.rngSeed(7))
                .isNotEqualTo(LinuxLoader.rngSeed(8));
    }

    @Test
    void aCommandLineLinuxWouldCutIsRefused() {
        LinuxLoader.checkCommandLine("x".repeat(2047));
        assertThatThrownBy(() -> new Machine(linux(new byte[0]).withCommandLine("x".repeat(2048))))
                .hasMessageContaining("2048 bytes; arm64 Linux keeps at most 2047 (COMMAND_LINE_SIZE 2048)");
    }

    @Test
    void dtcReadsTheTreeWithTheInitrd(@TempDir Path tmp) throws Exception {
        String dts = dtc(tmp, new Machine(linux(initrd(987_100)), new ByteArrayOutputStream()).deviceTree());
        assertThat(dts).contains("linux,initrd-start = <0x48000000>;", "linux,initrd-end = <0x480f0fdc>;",
                "bootargs = \"console=ttyAMA0 rdinit=/init\";");
    }

    /** QEMU 7.2's own tree for the same kernel, initrd and command line: /chosen and memory agree but for the seeds. */
    @Test
    void chosenAndMemoryAgreeWithQemu(@TempDir Path tmp) throws Exception {
        byte[] ours = new Machine(linux(initrd(987_100)), new ByteArrayOutputStream()).deviceTree();
        Node qemu = qemuTree(tmp, null);
        Node root = DeviceTree.parse(ours).root();
        for (String p : List.of("linux,initrd-end", "linux,initrd-start", "bootargs", "stdout-path")) {
            assertThat(root.child("chosen").property(p).value()).as(p).isEqualTo(qemu.child("chosen").property(p).value());
        }
        assertThat(root.child("memory@40000000").property("reg").value()).isEqualTo(qemu.child("memory@40000000").property("reg").value());
    }

    // ---- --dtb --------------------------------------------------------------------------------
    @Test
    void aGivenTreeGetsChosenAndMemoryAsQemuSetsThem(@TempDir Path tmp) throws Exception {
        // A tree made for 128 MiB and without /chosen bootargs: the machine has 512 MiB and a command line.
        byte[] given = BoardDeviceTree.virt(128 * MIB, "", 5, new byte[0]);
        byte[] loaded = new Machine(linux(initrd(987_100)).withDtb(given), new ByteArrayOutputStream()).deviceTree();
        Node root = DeviceTree.parse(loaded).root();
        assertThat(root.child("memory@40000000").property("reg").longs()).containsExactly(0x4000_0000L, 512 * MIB);
        assertThat(root.child("chosen").property("bootargs").string()).isEqualTo("console=ttyAMA0 rdinit=/init");
        assertThat(root.child("chosen").property("linux,initrd-start").cells()).containsExactly(0x4800_0000);
        assertThat(root.child("chosen").property("kaslr-seed").longs()).as("the file's seeds stay").containsExactly(5L);

        Path file = tmp.resolve("given.dtb");
        Files.write(file, given);
        Node qemu = qemuTree(tmp, file);
        for (String p : List.of("linux,initrd-end", "linux,initrd-start", "bootargs", "kaslr-seed")) {
            assertThat(root.child("chosen").property(p).value()).as(p).isEqualTo(qemu.child("chosen").property(p).value());
        }
        assertThat(root.child("memory@40000000").property("reg").value()).isEqualTo(qemu.child("memory@40000000").property("reg").value());
        dtc(tmp, loaded);
    }

    @Test
    void aDtbThatIsNotADeviceTreeIsRefused() {
        byte[] good = BoardDeviceTree.virt(128 * MIB, "", 0, new byte[0]);
        refusedDtb(new byte[10], "shorter than the 40-byte FDT header");
        refusedDtb("/dts-v1/;\n\n/ {\n\tmodel = \"linux,dummy-virt\";\n};\n".getBytes(StandardCharsets.US_ASCII), "compile it with dtc");
        refusedDtb(Arrays.copyOf(good, good.length - 8), "truncated device tree blob: totalsize");
        byte[] old = good.clone();
        ByteBuffer.wrap(old).putInt(20, 15);
        refusedDtb(old, "version 15");
        byte[] corrupt = good.clone();
        ByteBuffer.wrap(corrupt).putInt(ByteBuffer.wrap(good).getInt(8), 0x77);
        refusedDtb(corrupt, "corrupt device tree blob");
        byte[] padded = Arrays.copyOf(good, good.length + 100);
        assertThat(LinuxLoader.checkDeviceTree(padded)).as("bytes past totalsize are not the tree's").isEqualTo(good);
    }

    private static void refusedDtb(byte[] file, String why) {
        assertThatThrownBy(() -> LinuxLoader.checkDeviceTree(file)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }

    // ---- Kernel panic -------------------------------------------------------------------------
    private static String print(String text) {
        StringBuilder sb = new StringBuilder("    ldr x1, =0x09000000\n");
        for (char c : text.toCharArray()) sb.append("    mov w2, #").append((int) c).append("\n    str w2, [x1]\n");
        return sb.toString();
    }

    @Test
    void aPanicEndsTheRunAfterItsEndLine() {
        String asm = print("Kernel panic - not syncing: VFS: Unable to mount root fs\nCall trace:\n")
                + print("---[ end Kernel panic - not syncing: VFS ]---\n") + print("after\n") + "    b .\n";
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(MachineConfig.of(Board.VIRT, GuestAssembler.assemble(asm, 0x4008_0000L)), console);
        RunResult r = m.run(10_000_000);
        assertThat(r.reason()).isEqualTo(ExitKind.PANIC);
        assertThat(console.toString(StandardCharsets.US_ASCII)).endsWith("---[ end Kernel panic - not syncing: VFS ]---\n");
        assertThat(m.panicMessage()).isEqualTo("Kernel panic - not syncing: VFS: Unable to mount root fs");
        assertThat(m.isStopped()).isTrue();
        assertThat(m.run(1000).reason()).as("a panicked machine stays stopped").isEqualTo(ExitKind.PANIC);
    }

    @Test
    void aPanicWithoutItsEndLineStopsABoundedNumberOfInstructionsLater() {
        String asm = print("Kernel panic - not syncing: Attempted to kill init!\n") + "    b .\n";
        Machine m = new Machine(MachineConfig.of(Board.VIRT, GuestAssembler.assemble(asm, 0x4008_0000L)), new ByteArrayOutputStream());
        RunResult r = m.run(PanicWatch.GRACE * 2);
        assertThat(r.reason()).isEqualTo(ExitKind.PANIC);
        assertThat(m.instructions()).isBetween(PanicWatch.GRACE, PanicWatch.GRACE + 200);
    }

    // ---- Tools --------------------------------------------------------------------------------
    private static String dtc(Path tmp, byte[] blob) throws Exception {
        assumeTrue(onPath("dtc"), "dtc (Debian package device-tree-compiler) is not installed");
        Path dtb = tmp.resolve("deja.dtb");
        Files.write(dtb, blob);
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", "-o", tmp.resolve("deja.dts").toString(), dtb.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).as("dtc warnings").isEmpty();
        return Files.readString(tmp.resolve("deja.dts"));
    }

    /** QEMU's tree for a Debian-headed Image, a 987,100-byte initrd and the test command line, with 512 MiB (and dtb if given). */
    private static Node qemuTree(Path tmp, Path dtb) throws Exception {
        assumeTrue(onPath("qemu-system-aarch64"), "qemu-system-aarch64 is not installed");
        Path kernel = tmp.resolve("Image");
        Files.write(kernel, debianImage());
        Path initrd = tmp.resolve("initrd");
        Files.write(initrd, initrd(987_100));
        Path out = tmp.resolve("qemu.dtb");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-aarch64", "-M", "virt,dumpdtb=" + out, "-cpu", "cortex-a57",
                "-m", "512M", "-nographic", "-nic", "none", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyAMA0 rdinit=/init"));
        if (dtb != null) cmd.addAll(List.of("-dtb", dtb.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(Files.exists(out), "QEMU did not dump its device tree: " + log);
        return DeviceTree.parse(Files.readAllBytes(out)).root();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
