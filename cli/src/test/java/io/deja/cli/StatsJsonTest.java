package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/** --format json of run, record and replay: one object, typed values, null for a rate too short to measure. */
class StatsJsonTest {
    @Test
    void runRecordAndReplayPrintTheirStatisticsAsTypedJson(@TempDir Path tmp) throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello");
        HuntCommandTest.Cli run = deja("run", "--binary", hello.toString(), "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).matches("\\{\"stop\": \"shutdown\", \"stop_reason\": \"guest powered off \\(PSCI SYSTEM_OFF\\)\", \"exit_status\": 0, "
                + "\"pc\": \"0x1090c\", \"instructions\": 239, \"cycles\": 239, \"virtual_seconds\": 0.000003824, \"host_seconds\": [0-9.]+, "
                + "\"mips\": null, \"exits\": \\{\"total\": 71, \"MMIO read\": 34, \"MMIO write\": 35, \"HVC\": 1, \"shutdown\": 1}}\n");

        Path rec = tmp.resolve("rec");
        HuntCommandTest.Cli record = deja("record", "--binary", hello.toString(), "--out", rec.toString(), "--format", "json", "--max-insns", "100");
        assertThat(record.exit()).isEqualTo(Main.EXIT_BUDGET);
        assertThat(record.err()).startsWith("{\"stop\": \"budget\", \"stop_reason\": \"instruction budget used up\", \"exit_status\": 3, ")
                .contains("\"trace\": \"events\", \"chaos_seed\": null, \"checkpoint_every\": 1000000, ", "\"instructions\": 100, ",
                        "\"instructions_per_second\": null, \"events_per_second\": null}")
                .containsPattern("\"final_state_hash\": \"[0-9a-f]{16}\"").endsWith("}\n");

        HuntCommandTest.Cli replay = deja("replay", rec.toString(), "--format", "json");
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).startsWith("{\"bit_exact\": true, \"cut_short\": false, ").contains("\"instructions\": 100, ")
                .containsPattern("\"host_seconds\": [0-9.]+}\n$");

        assertThat(deja("run", "--binary", hello.toString(), "--format", "yaml").err()).isEqualTo("deja: --format: unknown format 'yaml' (text or json)\n");
    }

    @Test
    void benchPrintsItsFiguresAsJsonOnStdoutAndTheReportOnStderr() throws Exception {
        Path fp = HuntCommandTest.buildKernel("bench_fp");
        HuntCommandTest.Cli b = deja("bench", "--fp", "--no-qemu", "--runs", "1", "--format", "json", "--kernel-dir", fp.getParent().toString());
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).matches("\\{\"runs\": 1, \"kernels\": \\[\\{\"kernel\": \"bench_fp\", \"what\": \"scalar and vector FP loop\", "
                + "\"instructions\": \\d+, \"deja_mips\": \\[[0-9.]+], \"deja_median_mips\": [0-9.]+}]}\n");
        assertThat(b.err()).contains("Deja on bench_fp", "median: ");
    }
}
