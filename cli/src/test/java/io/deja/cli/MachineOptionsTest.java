package io.deja.cli;

import io.deja.core.board.GicVersion;
import io.deja.core.board.MachineConfig;
import io.deja.recorder.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/** --gic and --rtc-start: parsing, the machine they build, clear errors, and that a recording replays with them. */
class MachineOptionsTest {
    static Path timerGic3, deviceIds;

    @BeforeAll
    static void buildKernels() throws Exception {
        Path raw = HuntCommandTest.buildKernel("timer_irq_gic3");
        timerGic3 = raw.resolveSibling("timer_irq_gic3.virt.bin");
        deviceIds = raw.resolveSibling("device_ids.virt.bin");
    }

    /** The machine options as picocli fills them from args. */
    private static MachineConfig parse(String... args) {
        MachineOptions.Mixin m = new MachineOptions.Mixin();
        new CommandLine(m).parseArgs(args);
        return m.config();
    }

    @Test
    void defaultsAreGicV2AndTheFixedRtcStart() {
        MachineConfig c = parse("--binary", deviceIds.toString(), "--board", "virt");
        assertThat(c.gic()).isEqualTo(GicVersion.V2);
        assertThat(c.rtcStart()).isEqualTo(MachineConfig.DEFAULT_RTC_START);
    }

    @Test
    void smpAndQuantumReachTheConfigurationOnVirtOnlyWithEitherGic() {
        MachineConfig one = parse("--binary", deviceIds.toString(), "--board", "virt");
        assertThat(one.cpus()).isEqualTo(1);
        MachineConfig four = parse("--binary", deviceIds.toString(), "--board", "virt", "--smp", "4", "--quantum", "123");
        assertThat(four.cpus()).isEqualTo(4);
        assertThat(four.quantum()).isEqualTo(123);
        assertThat(parse("--binary", deviceIds.toString(), "--board", "virt", "--smp", "2").quantum()).isEqualTo(MachineConfig.DEFAULT_QUANTUM);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--binary", deviceIds.toString(), "--smp", "2"))
                .hasMessageContaining("virt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--binary", deviceIds.toString(), "--board", "virt", "--smp", "9"))
                .hasMessageContaining("1 to 8");
        MachineConfig gic3 = parse("--binary", deviceIds.toString(), "--board", "virt", "--smp", "2", "--gic", "3");
        assertThat(gic3.cpus()).isEqualTo(2);
        assertThat(gic3.gic()).isEqualTo(GicVersion.V3);
    }

    @Test
    void gicAndRtcStartReachTheConfiguration() {
        MachineConfig c = parse("--binary", deviceIds.toString(), "--board", "virt", "--gic", "3", "--rtc-start", "2030-06-01T12:00:00Z");
        assertThat(c.gic()).isEqualTo(GicVersion.V3);
        assertThat(c.rtcStart()).isEqualTo(1_906_545_600L);
        assertThat(parse("--binary", deviceIds.toString(), "--board", "virt", "--rtc-start", "86400").rtcStart()).isEqualTo(86_400L);
        assertThat(parse("--binary", deviceIds.toString(), "--gic", "3").gic()).as("vibe takes a GICv3 too").isEqualTo(GicVersion.V3);
    }

    @Test
    void badValuesGiveOneLineAndExitStatus2() {
        String bin = deviceIds.toString();
        String[][] cases = {
                {"--gic", "4"},
                {"--rtc-start", "yesterday", "--board", "virt"},
                {"--rtc-start", "4294967296", "--board", "virt"},
                {"--rtc-start", "1969-12-31T23:59:59Z", "--board", "virt"},
                {"--rtc-start", "2026-01-01T00:00:00.5Z", "--board", "virt"},
                {"--rtc-start", "0"}};
        String[] expected = {"--gic: unknown GIC version '4' (choose 2 or 3)", "--rtc-start: 'yesterday' is neither",
                "outside the PL031's range", "outside the PL031's range", "whole seconds", "the vibe board has no RTC"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 4];
            args[0] = "run";
            args[1] = "--binary";
            args[2] = bin;
            args[3] = "--max-insns=10";
            System.arraycopy(cases[i], 0, args, 4, cases[i].length);
            HuntCommandTest.Cli c = deja(args);
            assertThat(c.exit()).as(String.join(" ", cases[i]) + ": " + c.err()).isEqualTo(Main.EXIT_USAGE);
            assertThat(c.err().strip().lines()).as(c.err()).hasSize(1);
            assertThat(c.err()).contains(expected[i]);
        }
    }

    /** All ones used to mean "the board's default entry", silently; a sign is not an address. */
    @Test
    void entriesThatAreNotAddressesInRamAreRefused() {
        String bin = deviceIds.toString();
        HuntCommandTest.Cli negative = deja("run", "--binary", bin, "--max-insns=10", "--entry", "-1");
        assertThat(negative.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(negative.err().strip()).isEqualTo("deja: --entry: '-1' is not an address (examples: 0x10000, 65536)");
        HuntCommandTest.Cli allOnes = deja("run", "--binary", bin, "--max-insns=10", "--entry", "0xffffffffffffffff");
        assertThat(allOnes.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(allOnes.err().strip()).isEqualTo("deja: entry point 0xffffffffffffffff is outside RAM [0x0, 0x8000000)");
    }

    @Test
    void aDeviceIsNotAnImage() {
        HuntCommandTest.Cli c = deja("run", "--binary", "/dev/zero", "--max-insns=10");
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err().strip()).isEqualTo("deja: --binary /dev/zero: is not a regular file");
    }

    @Test
    void helpDocumentsBothOptions() {
        HuntCommandTest.Cli c = deja("run", "--help");
        assertThat(c.out()).contains("--gic").contains("--rtc-start").contains("2026-01-01T00:00:00Z").contains("seconds since 1970");
    }

    @Test
    void recordingsKeepTheGicAndTheRtcStartAndReplay(@TempDir Path tmp) throws Exception {
        Path gic3 = tmp.resolve("gic3");
        HuntCommandTest.Cli rec = deja("record", "--binary", timerGic3.toString(), "--board", "virt", "--gic", "3", "--out", gic3.toString());
        assertThat(rec.exit()).as(rec.err()).isZero();
        HuntCommandTest.Cli replay = deja("replay", gic3.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out() + replay.err()).contains("on virt, 128 MiB, GICv3, RTC from 2026-01-01T00:00:00Z");
        try (Recording r = Recording.open(gic3)) {
            assertThat(r.header().gic()).isEqualTo(GicVersion.V3);
            assertThat(r.header().devices().subList(0, 2)).containsExactly("gic-dist", "gic-redist");
        }

        Path rtc = tmp.resolve("rtc");
        rec = deja("record", "--binary", deviceIds.toString(), "--board", "virt", "--rtc-start", "2027-03-04T05:06:07Z", "--out", rtc.toString());
        assertThat(rec.exit()).as(rec.err()).isZero();
        try (Recording r = Recording.open(rtc)) {
            assertThat(r.header().rtcStart()).isEqualTo(1_804_136_767L);
            assertThat(r.header().toMachineConfig(new byte[4]).rtcStart()).as("what replay rebuilds").isEqualTo(1_804_136_767L);
        }
        // The guest printed RTCDR, so a replay built with another start would diverge at that console byte.
        replay = deja("replay", rtc.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
    }
}
