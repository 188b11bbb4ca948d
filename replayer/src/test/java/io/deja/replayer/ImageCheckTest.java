package io.deja.replayer;

import io.deja.core.board.Board;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Recorder;
import io.deja.recorder.RecordingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replay re-reads the recorded image and refuses, by file name, one that is missing or changed. */
class ImageCheckTest {
    @TempDir
    Path tmp;

    private Path recordFromCopy(Path image) throws IOException {
        Files.copy(TestKernels.image("uart_hello", Board.VIBE), image);
        Path dir = tmp.resolve("rec");
        Recorder.create(dir, TestKernels.config(image, Board.VIBE), image, OutputStream.nullOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS)).run();
        return dir;
    }

    @Test
    void aChangedImageIsRefusedNamingTheFile() throws IOException {
        Path image = tmp.resolve("kernel.raw");
        Path dir = recordFromCopy(image);
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length - 1] ^= 1;
        Files.write(image, bytes);
        assertThatThrownBy(() -> Replayer.replay(dir, ReplayOptions.defaults()))
                .isInstanceOf(RecordingException.class).hasMessageContaining(image.toString()).hasMessageContaining("changed since it was recorded");
    }

    @Test
    void aMissingImageIsRefusedNamingTheFile_andCanBeGivenElsewhere() throws IOException {
        Path image = tmp.resolve("kernel.raw");
        Path dir = recordFromCopy(image);
        Path moved = tmp.resolve("moved.raw");
        Files.move(image, moved);
        assertThatThrownBy(() -> Replayer.replay(dir, ReplayOptions.defaults()))
                .isInstanceOf(RecordingException.class).hasMessageContaining(image.toString()).hasMessageContaining("not found");
        assertThat(Replayer.replay(dir, ReplayOptions.defaults().withImage(moved)).bitExact()).isTrue();
        Files.write(moved, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> Replayer.replay(dir, ReplayOptions.defaults().withImage(moved)))
                .isInstanceOf(RecordingException.class).hasMessageContaining(moved.toString()).hasMessageContaining("changed");
    }

    @Test
    void aRecordingMovedWithItsImageFindsItRelativeToItself() throws IOException {
        Path image = tmp.resolve("a/kernel.raw");
        Files.createDirectories(image.getParent());
        Files.copy(TestKernels.image("uart_hello", Board.VIBE), image);
        Path dir = tmp.resolve("a/rec");
        Recorder.create(dir, TestKernels.config(image, Board.VIBE), image, OutputStream.nullOutputStream(),
                Recorder.Options.defaults(TraceLevel.EVENTS)).run();
        Files.move(tmp.resolve("a"), tmp.resolve("b")); // a clone elsewhere
        assertThat(Replayer.replay(tmp.resolve("b/rec"), ReplayOptions.defaults()).bitExact()).isTrue();
    }

    /** Hashes that share their first 16 characters are shown up to past their first difference. */
    @org.junit.jupiter.api.Test
    void hashesInMessagesVisiblyDiffer() {
        String a = "aa372c169de48c61" + "0123456789abcdef".repeat(3), b = "aa372c169de48c61" + "0123" + "f" + "56789abcdef" + "0123456789abcdef".repeat(2);
        int n = ImageResolver.distinguishingLength(a, b);
        org.assertj.core.api.Assertions.assertThat(a.substring(0, n)).isNotEqualTo(b.substring(0, n));
        org.assertj.core.api.Assertions.assertThat(n).isEqualTo(16 + 4 + 8);
        org.assertj.core.api.Assertions.assertThat(ImageResolver.distinguishingLength("12" + a.substring(2), a)).isEqualTo(16);
    }
}
