package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.LinuxLoader;
import io.deja.core.board.MachineConfig;
import io.deja.core.devices.DeviceTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/** --kernel, --initrd, --append, --dtb, --dump-dtb and --entropy-seed: what they build, and one clear line for each bad input. */
class LinuxOptionsTest {
    @TempDir
    Path tmp;

    /** A file with Debian's Image header (text_offset 0, image_size 0x2010000, flags 0xa) and "b ." as code. */
    private Path kernel() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x1400_0000).putLong(8, 0).putLong(16, 0x201_0000L).putLong(24, 0xa);
        b.put(0x38, new byte[] {'A', 'R', 'M', 0x64});
        Path k = tmp.resolve("Image");
        Files.write(k, b.array());
        return k;
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static MachineConfig parse(String... args) {
        MachineOptions.Mixin m = new MachineOptions.Mixin();
        new CommandLine(m).parseArgs(args);
        return m.config();
    }

    @Test
    void kernelImpliesVirtAndTheDefaultEntropySeed() throws Exception {
        MachineConfig c = parse("--kernel", kernel().toString(), "--initrd", file("initrd", new byte[] {1, 2, 3}).toString(),
                "--append", "console=ttyAMA0", "--mem", "512M");
        assertThat(c.board()).isEqualTo(Board.VIRT);
        assertThat(c.commandLine()).isEqualTo("console=ttyAMA0");
        assertThat(c.initrd()).containsExactly(1, 2, 3);
        assertThat(c.kaslrSeed()).isEqualTo(LinuxLoader.kaslrSeed(LinuxLoader.DEFAULT_ENTROPY_SEED));
        assertThat(c.rngSeed()).isEqualTo(LinuxLoader.rngSeed(LinuxLoader.DEFAULT_ENTROPY_SEED));
        MachineConfig other = parse("--kernel", kernel().toString(), "--entropy-seed", "42");
        assertThat(other.kaslrSeed()).isEqualTo(LinuxLoader.kaslrSeed(42));
        assertThat(parse("--kernel", kernel().toString(), "--cmdline", "quiet").commandLine()).as("--cmdline is --append").isEqualTo("quiet");
    }

    @Test
    void dumpDtbWritesTheTreeAndRunsNothing() throws Exception {
        Path dtb = tmp.resolve("out.dtb");
        HuntCommandTest.Cli c = deja("run", "--kernel", kernel().toString(), "--initrd", file("initrd", new byte[1000]).toString(),
                "--append", "console=ttyAMA0 rdinit=/init", "--mem", "512M", "--dump-dtb", dtb.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.err()).contains("at 0x48200000, initrd at 0x48000000) written to " + dtb).doesNotContain("stopped:");
        DeviceTree.Node chosen = DeviceTree.parse(Files.readAllBytes(dtb)).root().child("chosen");
        assertThat(chosen.property("linux,initrd-end").cells()).containsExactly(0x4800_0000 + 1000);
        if (onPath("dtc")) {
            Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", dtb.toString()).redirectErrorStream(true).start();
            String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(dts).isZero();
            assertThat(dts).contains("bootargs = \"console=ttyAMA0 rdinit=/init\";");
        }
    }

    @Test
    void aGivenDtbIsLoadedWithChosenSet() throws Exception {
        Path given = file("given.dtb", io.deja.core.board.BoardDeviceTree.virt(128L << 20, "", 0, new byte[0]));
        Path dtb = tmp.resolve("out.dtb");
        HuntCommandTest.Cli c = deja("run", "--kernel", kernel().toString(), "--dtb", given.toString(), "--append", "quiet",
                "--mem", "256M", "--dump-dtb", dtb.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        DeviceTree.Node root = DeviceTree.parse(Files.readAllBytes(dtb)).root();
        assertThat(root.child("chosen").property("bootargs").string()).isEqualTo("quiet");
        assertThat(root.child("memory@40000000").property("reg").longs()).containsExactly(0x4000_0000L, 256L << 20);
    }

    private void refused(String why, String... args) {
        HuntCommandTest.Cli c = deja(args);
        assertThat(c.exit()).as(c.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err()).contains(why);
        assertThat(c.err().strip().lines().count()).as("one line: " + c.err()).isEqualTo(1);
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        String k = kernel().toString();
        refused("--kernel " + tmp.resolve("notes.txt") + ": not an arm64 Linux Image: no ARM\\x64 magic",
                "run", "--kernel", file("notes.txt", "hello, this is not a kernel at all, but it is long enough for a header....."
                        .getBytes(StandardCharsets.US_ASCII)).toString());
        refused("not an arm64 Linux Image: 10 bytes, shorter than its 64-byte header", "run", "--kernel", file("short", new byte[10]).toString());
        refused("--kernel and --binary: give one", "run", "--kernel", k, "--binary", k);
        refused("--kernel boots Linux on the virt board: --board vibe is refused", "run", "--kernel", k, "--board", "vibe");
        refused("--initrd: needs --kernel", "run", "--binary", k, "--board", "virt", "--initrd", k);
        refused("--dtb: needs --kernel", "run", "--binary", k, "--board", "virt", "--dtb", k);
        refused("--append: the vibe board has no device tree", "run", "--binary", k, "--append", "quiet");
        refused("--append: the kernel command line has 2048 bytes; arm64 Linux keeps at most 2047", "run", "--kernel", k,
                "--append", "x".repeat(2048));
        refused("--mem 64 MiB is too small: the initrd (33554432 bytes at 0x42210000)", "run", "--kernel", k, "--mem", "64M",
                "--initrd", file("big.cpio", new byte[32 << 20]).toString());
        refused("--mem 64 MiB is too small: the initrd", "record", "--kernel", k, "--mem", "64M",
                "--initrd", tmp.resolve("big.cpio").toString(), "--out", tmp.resolve("rec").toString());
        refused("--initrd " + tmp.resolve("none") + ": no such file", "run", "--kernel", k, "--initrd", tmp.resolve("none").toString());
        refused("--dtb " + tmp.resolve("x.dtb") + ": not a device tree blob: no FDT magic", "run", "--kernel", k,
                "--dtb", file("x.dtb", new byte[64]).toString());
        refused("no guest: give --kernel FILE", "run");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
