package io.deja.recorder;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The header's machine inputs added with the GICv3 and the PL031: they round-trip, and older headers read as before. */
class HeaderCodecTest {
    private static RecordingHeader header(GicVersion gic, long rtcStart) {
        MachineConfig config = MachineConfig.of(Board.VIRT, new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5}).withGic(gic).withRtcStart(rtcStart);
        return RecordingHeader.of(config, List.of(), List.of("gic-dist", "gic-redist"), TraceLevel.EVENTS, 0, OptionalLong.empty(), "test")
                .withStartTime(1);
    }

    @Test
    void theGicVersionAndTheRtcStartRoundTrip() {
        RecordingHeader h = header(GicVersion.V3, 4_000_000_000L);
        RecordingHeader back = HeaderCodec.decode(HeaderCodec.encode(h), "test");
        assertThat(back).isEqualTo(h);
        assertThat(back.gic()).isEqualTo(GicVersion.V3);
        assertThat(back.rtcStart()).isEqualTo(4_000_000_000L);
        MachineConfig rebuilt = back.toMachineConfig(new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5});
        assertThat(rebuilt.gic()).isEqualTo(GicVersion.V3);
        assertThat(rebuilt.rtcStart()).isEqualTo(4_000_000_000L);
    }

    @Test
    void aHeaderWrittenBeforeTheFieldsReadsAsGicV2WithTheDefaultStart() {
        byte[] now = HeaderCodec.encode(header(GicVersion.V3, 5));
        // GIC byte, RTC start, the image roles (a count and no role: this header has no image), CPUs and quantum.
        byte[] before = Arrays.copyOf(now, now.length - 1 - 8 - 4 - 4 - 8);
        RecordingHeader h = HeaderCodec.decode(before, "old");
        assertThat(h.gic()).isEqualTo(GicVersion.V2);
        assertThat(h.rtcStart()).isEqualTo(MachineConfig.DEFAULT_RTC_START);
        assertThat(h.devices()).containsExactly("gic-dist", "gic-redist");
    }

    @Test
    void imageRolesRoundTripAndAHeaderWithoutThemReadsItsImageAsABinary() {
        MachineConfig config = MachineConfig.of(Board.VIRT, new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5});
        List<RecordedImage> images = List.of(new RecordedImage("/k/Image", "k/Image", "aa", 4, RecordedImage.Role.KERNEL),
                new RecordedImage("/k/initrd.gz", "k/initrd.gz", "bb", 9, RecordedImage.Role.INITRD),
                new RecordedImage("/k/virt.dtb", "k/virt.dtb", "cc", 40, RecordedImage.Role.DTB));
        RecordingHeader h = RecordingHeader.of(config, images, List.of("gic-dist"), TraceLevel.EVENTS, 0, OptionalLong.empty(), "test")
                .withStartTime(1);
        RecordingHeader back = HeaderCodec.decode(HeaderCodec.encode(h), "test");
        assertThat(back).isEqualTo(h);
        assertThat(back.image(RecordedImage.Role.INITRD)).get().extracting(RecordedImage::path).isEqualTo("/k/initrd.gz");
        assertThat(back.image(RecordedImage.Role.DTB)).get().extracting(RecordedImage::size).isEqualTo(40L);

        RecordingHeader one = RecordingHeader.of(config, images.subList(0, 1), List.of("gic-dist"), TraceLevel.EVENTS, 0,
                OptionalLong.empty(), "test").withStartTime(1);
        byte[] now = HeaderCodec.encode(one);
        RecordingHeader old = HeaderCodec.decode(Arrays.copyOf(now, now.length - 4 - 1 - 4 - 8), "old");
        assertThat(old.images()).singleElement().extracting(RecordedImage::role).isEqualTo(RecordedImage.Role.BINARY);
    }

    @Test
    void cpusAndQuantumRoundTripAndAHeaderWithoutThemReadsAsOneCpu() {
        MachineConfig config = MachineConfig.of(Board.VIRT, new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5}).withCpus(4).withQuantum(777);
        List<RecordedImage> images = List.of(new RecordedImage("/k/b", "k/b", "aa", 4, RecordedImage.Role.BINARY));
        RecordingHeader h = RecordingHeader.of(config, images, List.of("gic-dist"), TraceLevel.EVENTS, 0, OptionalLong.of(3), "test")
                .withStartTime(1);
        RecordingHeader back = HeaderCodec.decode(HeaderCodec.encode(h), "test");
        assertThat(back).isEqualTo(h);
        assertThat(back.toMachineConfig(config.image())).isEqualTo(config);
        byte[] now = HeaderCodec.encode(h);
        RecordingHeader old = HeaderCodec.decode(Arrays.copyOf(now, now.length - 4 - 8), "old");
        assertThat(old.cpus()).isEqualTo(1);
        assertThat(old.quantum()).isEqualTo(MachineConfig.DEFAULT_QUANTUM);
    }

    @Test
    void aDamagedHeaderSaysWhatIsWrongInsteadOfNull() {
        byte[] now = HeaderCodec.encode(header(GicVersion.V2, 5));
        // Cut inside the fields every version has (board name, RAM size): an EOFException, whose message is null.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeaderCodec.decode(Arrays.copyOf(now, 40), "cut"))
                .isInstanceOf(RecordingException.class)
                .hasMessage("cut: the recording header is corrupted (it ends before its last field)");
        // A cut at the end of a field later versions added reads as an older header; any other cut is an error that says so.
        for (int n = 1 + RecordingFormat.MAGIC.length + 4; n < now.length; n++) {
            try {
                HeaderCodec.decode(Arrays.copyOf(now, n), "cut");
            } catch (RecordingException e) {
                assertThat(e.getMessage()).as("cut at %d", n).doesNotContain("null").doesNotContain("java.");
            }
        }
        byte[] badUtf = now.clone();
        // The Deja version string starts after the kind byte, magic, version and its 2-byte length.
        badUtf[1 + RecordingFormat.MAGIC.length + 4 + 2] = (byte) 0xff;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeaderCodec.decode(badUtf, "bad"))
                .hasMessage("bad: the recording header is corrupted (a text field is not valid UTF-8)");
    }
}
