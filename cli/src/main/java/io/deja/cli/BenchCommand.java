package io.deja.cli;

import io.deja.analysis.bench.ExportBench;
import io.deja.core.board.Board;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * deja bench: guest MIPS of the integer loop kernel (kernels/bench_int.S) with
 * no tracing, with the MMU off and on (bench_int_mmu: the same loop through an
 * identity map), then of the floating-point loop (kernels/bench_fp.S, scalar
 * and vector), the bytes the run thread allocated meanwhile (the hot path must
 * allocate nothing per instruction), and QEMU's wall time on the same binary,
 * measured in the same invocation so the ratio is fair on a noisy machine.
 * With --fp, the floating-point loop only.
 *
 * deja bench --recording: the recording, export and query figures instead
 * ({@link RecordBench}, {@link ExportBench}), each printed with its target.
 * Separate from the default run, which they would take well past a minute.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures guest MIPS on the integer loop kernel with the MMU off and on and on the floating-point loop kernel, and QEMU's time on the same kernels.",
                // One string per paragraph: picocli starts each string on a new line and wraps it.
                "With --fp: the floating-point loop only; with --recording: recording, export and query throughput and overhead instead;"
                        + " with --snapshots: snapshot and restore cost; with --seek: seek latency on a recording of about 1e9 instructions;"
                        + " with --linux: the Debian Linux boot run, recorded and beside QEMU (with --smp N: on N CPUs, beside one CPU and QEMU -smp N)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--recording", description = "Measure recording (exits/s, full-level instructions/s and bytes per instruction,"
            + " events-level overhead), export rows/s and first_write time instead, each with its target (a minute or two).")
    boolean recording;

    @Option(names = "--snapshots", description = "Measure snapshot and restore time and size on a 128 MiB guest with 1 MiB written between snapshots instead.")
    boolean snapshots;

    @Option(names = "--seek", description = "Measure seeking instead: record bench_int (about 1.0e9 instructions), replay it once, "
            + "then seek to random instructions (latency distribution), and load its snapshot index in a new timeline.")
    boolean seek;

    @Option(names = "--seek-recording", paramLabel = "DIR", description = "With --seek: measure on this recording instead (an index is written into it).")
    Path seekRecording;

    @Option(names = "--linux", description = "Measure the scripted Debian Linux boot instead (scripts/linux-guest.sh): wall time to /init's marker "
            + "for deja run, deja record (events level), the launcher's deja run as a process of its own (whole process: wall time and CPU) "
            + "and QEMU, in turns, and the recording's size per instruction (a few minutes).")
    boolean linux;

    @Option(names = "--linux-dir", paramLabel = "DIR", description = "With --linux: the directory holding Image and initrd.cpio.gz (default: what scripts/linux-guest.sh prints).")
    Path linuxDir;

    @Option(names = "--smp", paramLabel = "N", description = "With --linux: boot with N CPUs (2-" + MachineConfig.MAX_CPUS + "): each turn boots deja run --smp 1,"
            + " deja run and deja record (events) --smp N and QEMU -smp N; prints the ratios --smp N / --smp 1 and Deja / QEMU, and each CPU's instructions.")
    Integer smp;

    @Option(names = "--gic", paramLabel = "VERSION", defaultValue = "2",
            description = "With --linux: 2 (GICv2, default) or 3 (GICv3; QEMU runs -M virt,gic-version=3,its=off).")
    String gic;

    @Option(names = "--fp", description = "Measure the floating-point loop kernel (bench_fp) only.")
    boolean fpOnly;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Measured runs of each engine (median reported; default 3).")
    int runs;

    @Option(names = "--no-qemu", description = "Skip the QEMU comparison.")
    boolean noQemu;

    @Option(names = "--kernel-dir", paramLabel = "DIR", description = "Where the built kernels are (default: kernels/build).")
    Path kernelDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: the figures as one JSON object on standard output (the text report goes to standard error"
                    + " as it runs), for every benchmark.")
    String format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One kernel's figures: Deja's MIPS per run and median, QEMU's seconds per run (empty with --no-qemu). */
    private record KernelFigures(String kernel, String what, long instructions, List<Double> dejaMips, double dejaMedian,
                                 List<Double> qemuSeconds, double qemuMedian) {
        void json(io.deja.analysis.Json j) {
            j.open('{');
            j.key("kernel").value(kernel);
            j.key("what").value(what);
            j.key("instructions").value(instructions);
            j.key("deja_mips").open('[');
            for (double m : dejaMips) j.value(number(m, 1));
            j.close(']');
            j.key("deja_median_mips").value(number(dejaMedian, 1));
            if (!qemuSeconds.isEmpty()) {
                j.key("qemu_seconds").open('[');
                for (double q : qemuSeconds) j.value(number(q, 3));
                j.close(']');
                j.key("qemu_median_seconds").value(number(qemuMedian, 3));
                double qemuMips = instructions / qemuMedian / 1e6;
                j.key("qemu_median_mips").value(number(qemuMips, 1));
                j.key("deja_over_qemu_speed").value(number(dejaMedian / qemuMips, 2));
            }
            j.close('}');
        }

        private static Object number(double v, int places) {
            return io.deja.analysis.Json.number(String.format(java.util.Locale.ROOT, "%." + places + "f", v));
        }
    }

    @Override
    public Integer call() throws Exception {
        boolean json = StatsJson.json(format);
        PrintWriter out = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        if (runs < 1 || runs > 50) throw new UserError("--runs: must be 1 to 50");
        Path dir = kernelDir != null ? kernelDir : Path.of(System.getProperty("deja.home", "."), "kernels", "build");
        if (recording) return recording(dir, out, json);
        boolean boot = linux || linuxDir != null;
        if (!boot && (smp != null || !gic.equals("2"))) throw new UserError("--smp and --gic: only with --linux");
        if (smp != null && (smp < 2 || smp > MachineConfig.MAX_CPUS)) {
            throw new UserError("--smp " + smp + ": give 2 to " + MachineConfig.MAX_CPUS + " CPUs (without --smp the boot has one)");
        }
        if (boot) {
            LinuxBench.Report r = LinuxBench.run(linuxDir != null ? linuxDir : linuxGuest(), runs, !noQemu, smp == null ? 1 : smp,
                    MachineOptions.gic(gic), out);
            if (json) printJson(StatsJson.benchLinux(r));
            return r.met() ? 0 : Main.EXIT_FAILURE;
        }
        if (seek || seekRecording != null) {
            Path raw = dir.resolve("bench_int.raw");
            if (seekRecording == null && !Files.isRegularFile(raw)) throw new UserError(raw + ": not built (run make -C kernels)");
            SeekBench.Report r = SeekBench.run(seekRecording, raw, 100 * runs, out);
            if (json) printJson(StatsJson.benchSeek(r));
            return 0;
        }
        if (snapshots) {
            Path raw = dir.resolve("uart_hello.raw");
            if (!Files.isRegularFile(raw)) throw new UserError(raw + ": not built (run make -C kernels)");
            SnapshotBench.Report r = SnapshotBench.run(Files.readAllBytes(raw), 50 * runs, out);
            if (json) printJson(StatsJson.benchSnapshots(r));
            return 0;
        }
        List<KernelFigures> figures = new ArrayList<>();
        if (!fpOnly) {
            KernelFigures off = measure(dir, "bench_int", "MMU off", out);
            KernelFigures on = measure(dir, "bench_int_mmu", "MMU on, identity map", out);
            figures.add(off);
            figures.add(on);
            out.printf("MMU on / MMU off (Deja): %.2f%n", on.dejaMedian() / off.dejaMedian());
        }
        figures.add(measure(dir, "bench_fp", "scalar and vector FP loop", out));
        if (json) {
            io.deja.analysis.Json j = new io.deja.analysis.Json().open('{');
            j.key("runs").value(runs);
            j.key("kernels").open('[');
            for (KernelFigures f : figures) f.json(j);
            j.close(']').close('}');
            spec.commandLine().getOut().println(j);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /**
     * Deja's median MIPS on one kernel, and QEMU's on the same binary unless
     * --no-qemu; prints every run. Returns the figures.
     */
    private KernelFigures measure(Path dir, String kernel, String what, PrintWriter out) throws IOException, InterruptedException {
        Path raw = dir.resolve(kernel + ".raw");
        Path virt = dir.resolve(kernel + ".virt.bin");
        if (!Files.isRegularFile(raw)) throw new UserError(raw + ": not built (run make -C kernels)");
        byte[] image = Files.readAllBytes(raw);

        out.printf("Deja on %s (%s; vibe board, no tracing):%n", kernel, what);
        // Warm-up: let the JIT compile the run loop and the semantic methods.
        run(newMachine(image), 300_000_000L, kernel);
        List<Double> mips = new ArrayList<>();
        long instructions = 0;
        for (int i = 0; i < runs; i++) {
            Machine m = newMachine(image);
            var thread = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = thread.getCurrentThreadAllocatedBytes();
            long cpuBefore = thread.getCurrentThreadCpuTime();
            run(m, Long.MAX_VALUE, kernel);
            long cpuNanos = thread.getCurrentThreadCpuTime() - cpuBefore;
            long allocated = thread.getCurrentThreadAllocatedBytes() - before;
            instructions = m.statistics().instructions();
            double seconds = m.statistics().hostNanos() / 1e9;
            mips.add(instructions / seconds / 1e6);
            out.printf("  run %d: %s in %.3f s = %.1f MIPS (%.1f per CPU-second of the run thread); %s allocated during the run%n",
                    i + 1, Plural.count(instructions, "instruction"), seconds, instructions / seconds / 1e6, instructions / (cpuNanos / 1e9) / 1e6,
                    Plural.count(allocated, "byte"));
        }
        double dejaMips = median(mips);
        out.printf("  median: %.1f MIPS%n", dejaMips);

        if (noQemu) return new KernelFigures(kernel, what, instructions, mips, dejaMips, List.of(), 0);
        if (!Files.isRegularFile(virt)) throw new UserError(virt + ": not built (run make -C kernels)");
        out.printf("QEMU 7.2 TCG on %s (virt board, cortex-a57, wall time incl. start-up):%n", kernel);
        List<Double> qemuSeconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double sec = runQemu(virt, kernel);
            qemuSeconds.add(sec);
            out.printf("  run %d: %.3f s = %.1f MIPS%n", i + 1, sec, instructions / sec / 1e6);
        }
        double q = median(qemuSeconds);
        out.printf("  median: %.3f s = %.1f MIPS%n", q, instructions / q / 1e6);
        double qemuMips = instructions / q / 1e6;
        out.printf("Deja / QEMU speed on %s: %.2f (Deja's time / QEMU's: %.2f)%n", kernel, dejaMips / qemuMips, qemuMips / dejaMips);
        return new KernelFigures(kernel, what, instructions, mips, dejaMips, qemuSeconds, q);
    }

    /** The figures as one JSON object on one line of standard output (the text report went to standard error). */
    private void printJson(String json) {
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
    }

    /** The issue-3 figures: recording, then export and query. */
    private int recording(Path dir, PrintWriter out, boolean json) {
        for (String k : new String[] {"arm64_simple", "bench_int", "arm64_hello", "timer_irq", "timer_irq_long"}) {
            if (!Files.isRegularFile(dir.resolve(k + ".raw"))) throw new UserError(dir.resolve(k + ".raw") + ": not built (run make -C kernels)");
        }
        RecordBench.Report rec = RecordBench.run(dir, runs, out);
        out.println();
        ExportBench.Report export = ExportBench.run(dir, runs, ExportBench.DEFAULT_INSTRUCTIONS, out);
        out.println();
        boolean met = rec.meetsTargets() && export.meetsTargets();
        out.println(met ? "every target met" : "some targets missed (see [target] above)");
        out.flush();
        if (json) printJson(StatsJson.benchRecording(rec, export, runs));
        return met ? 0 : Main.EXIT_FAILURE;
    }

    /** The directory scripts/linux-guest.sh prepares (it fetches and builds what is missing). */
    private static Path linuxGuest() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("deja.home", "."), "scripts", "linux-guest.sh");
        if (!Files.isRegularFile(script)) throw new UserError(script + ": not found (give --linux-dir DIR)");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String dir = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || dir.isEmpty()) throw new UserError(script + " could not prepare the Linux guest (see above)", Main.EXIT_FAILURE);
        return Path.of(dir);
    }

    private static Machine newMachine(byte[] image) {
        return new Machine(MachineConfig.of(Board.VIBE, image).withEntry(0x10000), OutputStream.nullOutputStream());
    }

    private static void run(Machine m, long budget, String kernel) {
        RunResult r = m.run(budget);
        if (budget == Long.MAX_VALUE && r.reason() != ExitKind.SHUTDOWN) {
            throw new UserError(kernel + " did not power off (" + r.reason() + " at pc 0x" + Long.toHexString(r.pc()) + ")", Main.EXIT_FAILURE);
        }
    }

    private static double runQemu(Path virt, String kernel) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "128M",
                "-nographic", "-nic", "none", "-monitor", "none", "-serial", "null", "-kernel", virt.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UserError("qemu-system-aarch64 is not installed (scripts/install-deps.sh installs it), or use --no-qemu", Main.EXIT_FAILURE);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UserError("QEMU did not finish " + kernel + " within 120 s", Main.EXIT_FAILURE);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
