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
        byte[] before = Arrays.copyOf(now, now.length - 1 - 8);
        RecordingHeader h = HeaderCodec.decode(before, "old");
        assertThat(h.gic()).isEqualTo(GicVersion.V2);
        assertThat(h.rtcStart()).isEqualTo(MachineConfig.DEFAULT_RTC_START);
        assertThat(h.devices()).containsExactly("gic-dist", "gic-redist");
    }
}
