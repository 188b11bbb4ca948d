package io.deja.cli;

import io.deja.core.board.MachineConfig;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * --kernel takes a gzip-compressed Image as QEMU's -kernel does (Debian's
 * vmlinuz, a kernel build's Image.gz): run, record (the file as given:
 * its size and SHA-256) and replay (the same file, inflated again).
 */
class GzipKernelTest {
    @TempDir
    Path tmp;

    /**
     * An Image with the arm64 header (text_offset 0, image_size 64 KiB, 4K
     * pages) whose code prints "gz" on the PL011 and powers off through PSCI.
     */
    static byte[] helloImage() {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x1400_0010); // b 0x40, past the header
        b.putLong(8, 0).putLong(16, 0x1_0000L).putLong(24, 0xa);
        b.put(0x38, new byte[] {'A', 'R', 'M', 0x64});
        int[] code = {
            0xD2A1_2001, // mov  x1, #0x9000000 (PL011 UARTDR)
            0x5280_0CE2, // mov  w2, #'g'
            0x3900_0022, // strb w2, [x1]
            0x5280_0F42, // mov  w2, #'z'
            0x3900_0022, // strb w2, [x1]
            0x5280_0142, // mov  w2, #'\n'
            0x3900_0022, // strb w2, [x1]
            0x5280_0100, // mov  w0, #8
            0x72B0_8000, // movk w0, #0x8400, lsl #16 (PSCI SYSTEM_OFF)
            0xD400_0002, // hvc  #0
            0x1400_0000, // b    .
        };
        for (int i = 0; i < code.length; i++) b.putInt(0x40 + 4 * i, code[i]);
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out) {
            { def.setLevel(Deflater.BEST_SPEED); }
        }) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    private record Console(HuntCommandTest.Cli cli, String console) {}

    /** deja with the guest console (System.out) captured. */
    private static synchronized Console withConsole(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            HuntCommandTest.Cli c = deja(args);
            System.out.flush();
            return new Console(c, console.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void aGzipCompressedImageRunsRecordsAndReplays() throws Exception {
        Path gz = Files.write(tmp.resolve("vmlinuz"), gzip(helloImage()));
        Console run = withConsole("run", "--kernel", gz.toString(), "--mem", "64M");
        assertThat(run.cli().exit()).as(run.cli().err()).isZero();
        assertThat(run.console()).isEqualTo("gz\n");
        assertThat(run.cli().err()).contains("stopped: guest powered off (PSCI SYSTEM_OFF)");

        Path rec = tmp.resolve("rec");
        Console record = withConsole("record", "--kernel", gz.toString(), "--mem", "64M", "--out", rec.toString());
        assertThat(record.cli().exit()).as(record.cli().err()).isZero();
        assertThat(record.console()).isEqualTo("gz\n");
        try (Recording r = Recording.open(rec)) {
            RecordedImage kernel = r.header().image(RecordedImage.Role.KERNEL).orElseThrow();
            assertThat(kernel.size()).as("the file as given, not the inflated Image").isEqualTo(Files.size(gz));
            assertThat(kernel.sha256()).isEqualTo(RecordedImage.sha256(Files.readAllBytes(gz)));
        }
        Console replay = withConsole("replay", rec.toString());
        assertThat(replay.cli().exit()).as(replay.cli().err()).isZero();
        assertThat(replay.cli().out()).contains("bit-exact");

        // Replaced by the uncompressed Image (the same kernel once inflated): not the file that was recorded.
        Files.write(gz, helloImage());
        HuntCommandTest.Cli changed = deja("replay", rec.toString());
        assertThat(changed.exit()).as(changed.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(changed.err()).contains(gz + ": kernel changed since it was recorded");
    }

    @Test
    void aCorruptGzipIsOneClearLine() throws Exception {
        byte[] gz = gzip(helloImage());
        gz[gz.length / 2] ^= 0x55;
        Path bad = Files.write(tmp.resolve("vmlinuz"), gz);
        HuntCommandTest.Cli c = deja("run", "--kernel", bad.toString());
        assertThat(c.exit()).as(c.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err()).startsWith("deja: --kernel " + bad + ": corrupt gzip-compressed kernel (" + gz.length + " bytes): ");
        assertThat(c.err().strip().lines().count()).as(c.err()).isEqualTo(1);

        Path notAnImage = Files.write(tmp.resolve("notes.gz"), gzip("just some notes, long enough to have a header of 64 bytes, and then some more."
                .getBytes(StandardCharsets.US_ASCII)));
        HuntCommandTest.Cli n = deja("run", "--kernel", notAnImage.toString());
        assertThat(n.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(n.err().strip()).isEqualTo("deja: --kernel " + notAnImage + ": not an arm64 Linux Image: no ARM\\x64 magic at offset 0x38 (after gunzip)");
    }

    /** Debian's Image gzip'd (what its vmlinuz is on releases that compress it): the loader inflates it to the same bytes. */
    @Test
    void debiansImageGzippedLoadsAsTheImage() throws Exception {
        Path image = LinuxGuest.dir().resolve("Image");
        Path gz = tmp.resolve("vmlinuz.gz");
        try (InputStream in = Files.newInputStream(image);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16) {
                 { def.setLevel(Deflater.BEST_SPEED); }
             }) {
            in.transferTo(out);
        }
        MachineOptions.Mixin m = new MachineOptions.Mixin();
        new CommandLine(m).parseArgs("--kernel", gz.toString(), "--mem", "512M");
        MachineConfig c = m.config();
        assertThat(c.image()).isEqualTo(Files.readAllBytes(image));
    }
}
