package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.board.LinuxLoader;
import io.deja.core.board.MachineConfig;
import io.deja.core.testing.GuestAssembler;
import io.deja.core.trace.TraceLevel;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.Recorder;
import io.deja.recorder.Recording;
import io.deja.recorder.RecordingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A recording of a virt guest with an initrd and seeds: replay loads the
 * recorded initrd again (refusing it missing or changed) and reproduces the
 * run, here one that ends in a kernel panic (a recorded stop reason).
 */
class LinuxInputsReplayTest {
    @TempDir
    Path tmp;

    /** Prints the first initrd byte's low bit as '0'/'1' (so the initrd matters), then a panic and its end line. */
    private static final String GUEST = """
            ldr x1, =0x09000000
            ldr x3, =0x48000000
            ldrb w2, [x3]
            and w2, w2, #1
            add w2, w2, #'0'
            str w2, [x1]
            mov w2, #10
            str w2, [x1]
            adr x4, text
        1:  ldrb w2, [x4], #1
            cbz w2, 2f
            str w2, [x1]
            b 1b
        2:  b 2b
        text:
            .asciz "Kernel panic - not syncing: test\\nCPU: 0\\n---[ end Kernel panic - not syncing: test ]---\\nnever\\n"
            """;

    private Path record(Path kernel, Path initrd) throws IOException {
        Files.write(kernel, GuestAssembler.assemble(GUEST, 0x4008_0000L));
        Files.write(initrd, new byte[] {0x31, 2, 3});
        MachineConfig config = MachineConfig.of(Board.VIRT, Files.readAllBytes(kernel)).withRamSize(256L << 20)
                .withInitrd(Files.readAllBytes(initrd)).withSeeds(LinuxLoader.kaslrSeed(9), LinuxLoader.rngSeed(9));
        Path dir = tmp.resolve("rec");
        List<RecordedImage> images = List.of(RecordedImage.of(kernel, config.image(), dir, RecordedImage.Role.BINARY),
                RecordedImage.of(initrd, config.initrd(), dir, RecordedImage.Role.INITRD));
        Recorder.Result r = Recorder.create(dir, config, images, OutputStream.nullOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS)).run();
        assertThat(r.stop()).isEqualTo(ExitKind.PANIC);
        return dir;
    }

    @Test
    void aPanicWithAnInitrdReplaysBitExactly() throws IOException {
        Path dir = record(tmp.resolve("guest.bin"), tmp.resolve("initrd.img"));
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults().withConsole(console));
        assertThat(r.bitExact()).as(String.valueOf(r.report())).isTrue();
        assertThat(console.toString()).startsWith("1\nKernel panic").endsWith("]---\n").doesNotContain("never");
        try (Recording rec = Recording.open(dir)) {
            assertThat(rec.header().image(RecordedImage.Role.INITRD)).isPresent();
            assertThat(rec.header().kaslrSeed()).isEqualTo(LinuxLoader.kaslrSeed(9));
            assertThat(rec.header().rngSeed()).isEqualTo(LinuxLoader.rngSeed(9));
        }
    }

    @Test
    void aChangedOrMissingInitrdIsRefusedByName() throws IOException {
        Path initrd = tmp.resolve("initrd.img");
        Path dir = record(tmp.resolve("guest.bin"), initrd);
        Files.write(initrd, new byte[] {0x30, 2, 3});
        assertThatThrownBy(() -> Replayer.replay(dir, ReplayOptions.defaults()))
                .isInstanceOf(RecordingException.class).hasMessageContaining(initrd + ": initrd changed since it was recorded");
        Files.delete(initrd);
        assertThatThrownBy(() -> Replayer.replay(dir, ReplayOptions.defaults()))
                .isInstanceOf(RecordingException.class).hasMessageContaining(initrd + ": recorded initrd not found");
    }
}
