package io.deja.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja bench --recording, --seek and --fp refuse, in one line, to run without
 * the kernels they measure; --format json gives --seek's, --linux's,
 * --recording's and --snapshots' figures as one object on standard output.
 */
class BenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void recordingBenchWithoutTheKernelsSaysWhichOneIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--recording", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("arm64_simple.raw") + ": not built (run make -C kernels)");
    }

    @Test
    void seekBenchWithoutTheKernelSaysItIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--seek", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("bench_int.raw") + ": not built (run make -C kernels)");
    }

    @Test
    void fpBenchWithoutItsKernelSaysItIsMissing() {
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--fp", "--no-qemu", "--kernel-dir", tmp.toString());
        assertThat(c.exit()).isNotZero();
        assertThat(c.err().strip()).isEqualTo("deja: " + tmp.resolve("bench_fp.raw") + ": not built (run make -C kernels)");
    }

    @Test
    void seekBenchInJsonPrintsItsFiguresAsOneObjectOnStdout() throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello");
        Path rec = tmp.resolve("rec");
        assertThat(HuntCommandTest.deja("record", "--quiet", "--binary", hello.toString(), "--out", rec.toString()).exit()).isZero();
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--seek-recording", rec.toString(), "--runs", "1", "--format", "json");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out().lines().count()).isEqualTo(1);
        assertThat(c.out()).startsWith("{\"recording\": \"" + rec + "\", \"end_icount\": 239, \"open_seconds\": ")
                .containsPattern("\"seeks\": \\{\"count\": 100, \"median_ms\": [0-9.]+, \"p90_ms\": [0-9.]+, \"p99_ms\": [0-9.]+, \"max_ms\": [0-9.]+, \"min_ms\": [0-9.]+}")
                .containsPattern("\"index_bytes\": [1-9]\\d*, ")
                .contains("\"seeks_after_load\": {\"count\": 25, ");
        assertThat(c.err()).contains("seek to a random instruction (100 seeks)");
    }

    @Test
    void snapshotBenchInJsonPrintsEveryRoundAndTheMediansOnStdout() throws Exception {
        Path hello = HuntCommandTest.buildKernel("uart_hello");
        HuntCommandTest.Cli c = HuntCommandTest.deja("bench", "--snapshots", "--runs", "1", "--format", "json", "--kernel-dir", hello.getParent().toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out().lines().count()).isEqualTo(1);
        String us = "[0-9]+\\.[0-9]";
        String rounds = "\\[" + us + "(, " + us + "){49}]";
        assertThat(c.out()).matches("\\{\"ram_bytes\": 134217728, \"written_bytes_per_round\": 1048576, \"rounds\": 50, "
                + "\"snapshot\": \\{\"median_us\": " + us + ", \"min_us\": " + us + ", \"max_us\": " + us + ", \"rounds_us\": " + rounds + "}, "
                + "\"restore_one_back\": \\{\"median_us\": " + us + ", \"min_us\": " + us + ", \"max_us\": " + us + ", \"rounds_us\": " + rounds + "}, "
                + "\"snapshot_kept_bytes\": [1-9][0-9]{6,}}\n");
        assertThat(c.err()).contains("Snapshots of a 128 MiB guest that wrote 1024 KiB since the previous one (50 rounds):", "restore one back: median ");
    }

    @Test
    void snapshotFiguresInJson() {
        SnapshotBench.Report r = new SnapshotBench.Report(128L << 20, 1 << 20, 3, java.util.List.of(210.04, 190.5, 250.0),
                java.util.List.of(80.0, 95.25, 70.0), 1_101_824);
        assertThat(StatsJson.benchSnapshots(r)).isEqualTo("{\"ram_bytes\": 134217728, \"written_bytes_per_round\": 1048576, \"rounds\": 3, "
                + "\"snapshot\": {\"median_us\": 210.0, \"min_us\": 190.5, \"max_us\": 250.0, \"rounds_us\": [210.0, 190.5, 250.0]}, "
                + "\"restore_one_back\": {\"median_us\": 80.0, \"min_us\": 70.0, \"max_us\": 95.3, \"rounds_us\": [80.0, 95.3, 70.0]}, "
                + "\"snapshot_kept_bytes\": 1101824}");
    }

    @Test
    void linuxAndRecordingFiguresInJson() {
        LinuxBench.Boot d = new LinuxBench.Boot(6.0, 6.5, 940_000_000L, 5.9), r = new LinuxBench.Boot(7.0, 7.6, 940_000_000L, 7.1),
                q = new LinuxBench.Boot(2.0, 2.2, 0, -1);
        LinuxBench.Report linux = new LinuxBench.Report(Path.of("/l/Image"), 1, java.util.List.of(d), java.util.List.of(r), java.util.List.of(q),
                5_731_119, 354_109, 900_000_000, 12_000_000, 4.25, true);
        assertThat(StatsJson.benchLinux(linux)).isEqualTo("{\"image\": \"/l/Image\", \"runs\": 1, \"cpus\": 1, \"gic\": 2, "
                + "\"deja_run\": {\"boots\": [{\"marker_seconds\": 6.000, \"end_seconds\": 6.500, \"instructions\": 940000000, \"run_thread_cpu_seconds\": 5.900}], "
                + "\"median\": {\"marker_seconds\": 6.000, \"end_seconds\": 6.500, \"instructions\": 940000000, \"run_thread_cpu_seconds\": 5.900}, "
                + "\"median_end_seconds\": 6.500}, "
                + "\"deja_record\": {\"boots\": [{\"marker_seconds\": 7.000, \"end_seconds\": 7.600, \"instructions\": 940000000, \"run_thread_cpu_seconds\": 7.100}], "
                + "\"median\": {\"marker_seconds\": 7.000, \"end_seconds\": 7.600, \"instructions\": 940000000, \"run_thread_cpu_seconds\": 7.100}, "
                + "\"median_end_seconds\": 7.600}, "
                + "\"qemu\": {\"boots\": [{\"marker_seconds\": 2.000, \"end_seconds\": 2.200, \"instructions\": null, \"run_thread_cpu_seconds\": null}], "
                + "\"median\": {\"marker_seconds\": 2.000, \"end_seconds\": 2.200, \"instructions\": null, \"run_thread_cpu_seconds\": null}, "
                + "\"median_end_seconds\": 2.200}, "
                + "\"run_over_qemu\": 3.00, \"run_over_qemu_max\": 3.0, \"record_over_qemu\": 3.50, \"record_over_qemu_max\": 3.3, "
                + "\"floors_met\": true, "
                + "\"events_recording\": {\"bytes\": 5731119, \"events\": 354109, \"bytes_per_instruction\": 0.0061}, "
                + "\"full_recording\": {\"instructions\": 50000000, \"bytes\": 900000000, \"events\": 12000000, \"bytes_per_instruction\": 18.00, "
                + "\"host_seconds\": 4.250}}");
        String rec = StatsJson.benchRecording(new io.deja.recorder.RecordBench.Report(25e6, 21e6, 17.5, 1.02, 1.05, 1.4, 12.5),
                new io.deja.analysis.bench.ExportBench.Report(9e6, 300, 1_000_000, 700_000), 3);
        assertThat(rec).startsWith("{\"runs\": 3, \"recording\": {\"exits_per_second\": 25000000.0, \"exits_per_second_target\": 20000000, ")
                .contains("\"events_overhead_timer_long\": 1.400, \"open_close_ms\": 12.5, \"targets_met\": true}")
                .endsWith("\"export\": {\"rows\": 1000000, \"reg_writes\": 700000, \"rows_per_second\": 9000000.0, \"rows_per_second_target\": 10000000, "
                        + "\"first_write_ms\": 300.0, \"first_write_ms_max\": 1000, \"targets_met\": false}, \"targets_met\": false}");
    }

    /**
     * bench --linux --smp N in JSON: the one-CPU boots beside the N-CPU ones, each CPU's
     * instructions, the ratios N CPUs / one and Deja / QEMU to the marker and to power-off
     * and in the run thread's CPU (medians of three: the median to power-off is not the
     * median-marker boot's), and no floors judged (they are about one CPU).
     */
    @Test
    void linuxSmpFiguresInJson() {
        java.util.List<LinuxBench.Boot> one = java.util.List.of(new LinuxBench.Boot(5.0, 5.4, 940_000_000L, 5.0),
                new LinuxBench.Boot(4.0, 4.5, 940_000_000L, 4.1), new LinuxBench.Boot(6.0, 6.0, 940_000_000L, 6.1));
        long[] cpus = {700_000_000L, 90_000_000L, 95_000_000L, 96_000_000L};
        java.util.List<LinuxBench.Boot> smp = java.util.List.of(new LinuxBench.Boot(5.5, 6.0, 981_000_000L, 5.6, cpus),
                new LinuxBench.Boot(4.4, 6.3, 981_000_000L, 4.5, cpus), new LinuxBench.Boot(6.6, 6.6, 981_000_000L, 6.7, cpus));
        java.util.List<LinuxBench.Boot> qemu = java.util.List.of(new LinuxBench.Boot(2.0, 3.0, 0, -1), new LinuxBench.Boot(2.2, 3.3, 0, -1),
                new LinuxBench.Boot(2.4, 3.6, 0, -1));
        LinuxBench.Report r = new LinuxBench.Report(Path.of("/l/Image"), 3, 4, io.deja.core.board.GicVersion.V3, one, smp, smp, qemu,
                8_000_000, 500_000, 900_000_000, 12_000_000, 4.25, true);
        String json = StatsJson.benchLinux(r);
        assertThat(json).startsWith("{\"image\": \"/l/Image\", \"runs\": 3, \"cpus\": 4, \"gic\": 3, \"deja_run_smp1\": {\"boots\": [")
                .contains("\"deja_run\": {\"boots\": [{\"marker_seconds\": 5.500, \"end_seconds\": 6.000, \"instructions\": 981000000, "
                        + "\"instructions_per_cpu\": [700000000, 90000000, 95000000, 96000000], \"run_thread_cpu_seconds\": 5.600}, ")
                .contains("\"median\": {\"marker_seconds\": 5.000, \"end_seconds\": 5.400, \"instructions\": 940000000, \"run_thread_cpu_seconds\": 5.000}, "
                        + "\"median_end_seconds\": 5.400}, ")
                .contains("\"smp_over_smp1\": 1.10, \"smp_over_smp1_end\": 1.17, \"smp_over_smp1_cpu\": 1.12, ")
                .contains("\"qemu\": {\"boots\": [{\"marker_seconds\": 2.000, \"end_seconds\": 3.000, \"instructions\": null, \"run_thread_cpu_seconds\": null}, ")
                .contains("\"run_over_qemu\": 2.50, \"record_over_qemu\": 2.50, \"run_over_qemu_end\": 1.91, \"floors_met\": null, ")
                .doesNotContain("_max");
        assertThat(json.lines().count()).isEqualTo(1);
    }

    /**
     * bench --linux in JSON with the launcher's deja run as a process of its own: its boots
     * with the process's CPU seconds (no run-thread figure), their medians, and the ratios to
     * QEMU's process in time to the marker, to power-off and in CPU.
     */
    @Test
    void wholeProcessFiguresInJson() {
        LinuxBench.Boot d = new LinuxBench.Boot(4.0, 4.5, 940_000_000L, 4.2);
        java.util.List<LinuxBench.Boot> process = java.util.List.of(
                new LinuxBench.Boot(6.0, 6.4, 940_000_000L, -1, new long[0], 8.0), new LinuxBench.Boot(5.0, 5.6, 940_000_000L, -1, new long[0], 7.5),
                new LinuxBench.Boot(5.5, 6.0, 940_000_000L, -1, new long[0], 7.9));
        java.util.List<LinuxBench.Boot> qemu = java.util.List.of(new LinuxBench.Boot(2.0, 2.2, 0, -1, new long[0], 2.1),
                new LinuxBench.Boot(2.5, 2.6, 0, -1, new long[0], 2.5), new LinuxBench.Boot(2.2, 2.4, 0, -1, new long[0], 2.3));
        LinuxBench.Report r = new LinuxBench.Report(Path.of("/l/Image"), 3, 1, io.deja.core.board.GicVersion.V2, java.util.List.of(),
                java.util.List.of(d, d, d), java.util.List.of(d, d, d), qemu, process, 5_731_119, 354_109, 900_000_000, 12_000_000, 4.25, true);
        String json = StatsJson.benchLinux(r);
        assertThat(json)
                .contains("\"qemu\": {\"boots\": [{\"marker_seconds\": 2.000, \"end_seconds\": 2.200, \"instructions\": null, "
                        + "\"run_thread_cpu_seconds\": null, \"process_cpu_seconds\": 2.100}, ")
                .contains("\"deja_run_process\": {\"boots\": [{\"marker_seconds\": 6.000, \"end_seconds\": 6.400, \"instructions\": 940000000, "
                        + "\"run_thread_cpu_seconds\": null, \"process_cpu_seconds\": 8.000}, ")
                .contains("\"median\": {\"marker_seconds\": 5.500, \"end_seconds\": 6.000, \"instructions\": 940000000, "
                        + "\"run_thread_cpu_seconds\": null, \"process_cpu_seconds\": 7.900}, \"median_end_seconds\": 6.000}, "
                        + "\"process_cpu_seconds_median\": 7.900, \"process_over_qemu\": 2.50, \"process_over_qemu_end\": 2.50, "
                        + "\"process_cpu_over_qemu\": 3.43, \"floors_met\": true, ");
        assertThat(json.lines().count()).isEqualTo(1);
    }

    /** The CPU of a waited-for child shows in this process's children's CPU seconds (how the whole-process boots are measured). */
    @Test
    void childrenCpuSecondsCountAnExitedChild() throws Exception {
        double before = LinuxBench.childrenCpuSeconds();
        assertThat(before).isGreaterThanOrEqualTo(0);
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertThat(p.waitFor()).isZero();
        assertThat(LinuxBench.childrenCpuSeconds()).isGreaterThan(before);
    }

    @Test
    void smpAndGicAreForTheLinuxBootOnly() {
        assertThat(HuntCommandTest.deja("bench", "--smp", "4", "--no-qemu").err().strip()).isEqualTo("deja: --smp and --gic: only with --linux");
        assertThat(HuntCommandTest.deja("bench", "--linux", "--smp", "1", "--linux-dir", tmp.toString()).err().strip())
                .isEqualTo("deja: --smp 1: give 2 to 8 CPUs (without --smp the boot has one)");
        assertThat(HuntCommandTest.deja("bench", "--linux", "--gic", "4", "--linux-dir", tmp.toString()).err().strip())
                .isEqualTo("deja: --gic: unknown GIC version '4' (choose 2 or 3)");
    }
}
