package io.deja.cli;

import io.deja.core.board.Board;
import io.deja.core.board.GicVersion;
import io.deja.core.board.LinuxLoader;
import io.deja.core.board.Machine;
import io.deja.core.board.MachineConfig;
import io.deja.core.board.RunResult;
import io.deja.core.trace.TraceLevel;
import io.deja.core.vm.ExitKind;
import io.deja.recorder.Plural;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.RecordBench;
import io.deja.recorder.Recorder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * deja bench --linux: issue 9's figures. The scripted Debian boot
 * (scripts/linux-guest.sh) run by Deja, recorded by Deja at events level and
 * run by QEMU TCG, in turns within one invocation so that the ratios are fair
 * on a noisy machine: wall time to /init's first marker and to power-off, and
 * the recording's size per instruction (events level for the whole boot; full
 * level for its first {@link #FULL_WINDOW} instructions, as a whole boot at
 * full level is gigabytes).
 *
 * With --smp N (issue 13), each turn also boots Deja with one CPU, and the
 * machine run, recorded and compared with QEMU has N CPUs (QEMU -smp N, whose
 * CPUs run on host threads while Deja's take turns on one): what N CPUs cost
 * Deja against one, and against QEMU with as many.
 *
 * The boots above run in this process, after its JVM started and warmed up
 * on the earlier turns. Each turn also runs the launcher, {@code deja run},
 * as a process of its own, timed from its start as QEMU's process is: what a
 * user who types the command waits for (JVM start, the ahead-of-time cache,
 * class loading, warm-up, the guest's RAM), with the CPU seconds of the whole
 * process (every thread: the JIT compilers and GC too) beside QEMU's.
 */
final class LinuxBench {
    static final String APPEND = "console=ttyAMA0 rdinit=/init";
    /** What kernels/linux/init prints first: the boot is done, user space runs. */
    static final String MARKER = "DEJA-INIT: start";
    static final long MEM = 512L << 20;
    static final long FULL_WINDOW = 50_000_000;
    /** Issue 9's floors: Deja's wall time to the marker at most this many times QEMU's, running and recording. */
    static final double RUN_FLOOR = 3.0, RECORD_FLOOR = 3.3;

    private LinuxBench() {}

    /**
     * One boot: seconds to the marker and to the end, instructions (all CPUs'; perCpu
     * each CPU's, empty for one CPU and for QEMU), and the CPU seconds of the thread that
     * ran the guest (-1 for QEMU): on a loaded machine the wall times measure the load as
     * much as the emulator, the run thread's CPU much less so. Deja runs every CPU on
     * that one thread.
     */
    record Boot(double toMarker, double total, long instructions, double cpu, long[] perCpu, double processCpu) {
        Boot(double toMarker, double total, long instructions, double cpu) {
            this(toMarker, total, instructions, cpu, new long[0]);
        }

        Boot(double toMarker, double total, long instructions, double cpu, long[] perCpu) {
            this(toMarker, total, instructions, cpu, perCpu, -1);
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static double threadCpuSeconds() {
        return THREADS.getCurrentThreadCpuTime() / 1e9;
    }

    /**
     * The figures: every boot of each engine (QEMU's empty without it), the
     * events-level recording of the whole boot, the full-level one of its
     * first {@link #FULL_WINDOW} instructions, and whether the floors were met.
     * cpus is the machine measured (deja run, deja record, QEMU); with more than
     * one, oneCpuRuns holds the boots of the same machine with one CPU (empty
     * otherwise) and the floors, which are about one CPU, are not judged.
     */
    record Report(Path image, int runs, int cpus, GicVersion gic, List<Boot> oneCpuRuns, List<Boot> dejaRuns, List<Boot> recordRuns,
                  List<Boot> qemuRuns, List<Boot> processRuns, long eventsBytes, long events, long fullBytes, long fullEvents, double fullSeconds,
                  boolean met) {
        Report(Path image, int runs, int cpus, GicVersion gic, List<Boot> oneCpuRuns, List<Boot> dejaRuns, List<Boot> recordRuns,
               List<Boot> qemuRuns, long eventsBytes, long events, long fullBytes, long fullEvents, double fullSeconds, boolean met) {
            this(image, runs, cpus, gic, oneCpuRuns, dejaRuns, recordRuns, qemuRuns, List.of(), eventsBytes, events, fullBytes, fullEvents,
                    fullSeconds, met);
        }

        Report(Path image, int runs, List<Boot> dejaRuns, List<Boot> recordRuns, List<Boot> qemuRuns,
               long eventsBytes, long events, long fullBytes, long fullEvents, double fullSeconds, boolean met) {
            this(image, runs, 1, GicVersion.V2, List.of(), dejaRuns, recordRuns, qemuRuns, eventsBytes, events, fullBytes, fullEvents, fullSeconds, met);
        }

        /** The whole-process deja run boots' median (null when none ran). */
        Boot processMedian() { return processRuns.isEmpty() ? null : median(processRuns); }

        Boot dejaMedian() { return median(dejaRuns); }
        Boot recordMedian() { return median(recordRuns); }
        Boot qemuMedian() { return qemuRuns.isEmpty() ? null : median(qemuRuns); }
        Boot oneCpuMedian() { return oneCpuRuns.isEmpty() ? null : median(oneCpuRuns); }
        boolean smp() { return cpus > 1; }
    }

    /**
     * Measures and prints, on cpus CPUs (1 to MachineConfig.MAX_CPUS; above 1 each turn also
     * boots one CPU) with the given GIC; met in the report says whether the floors
     * were met (always true without QEMU to compare with, and with cpus above 1).
     */
    static Report run(Path guest, int runs, boolean qemu, int cpus, GicVersion gic, PrintWriter out) throws IOException, InterruptedException {
        return run(guest, runs, qemu, cpus, gic, launcher(), out);
    }

    /** The checkout's launcher (deja), or null when this process was not started from a checkout that has one. */
    static Path launcher() {
        String home = System.getProperty("deja.home");
        if (home == null || home.isBlank()) return null;
        Path deja = Path.of(home, "deja");
        return Files.isExecutable(deja) ? deja : null;
    }

    /** As {@link #run(Path, int, boolean, int, GicVersion, PrintWriter)}; launcher runs the whole-process boots (null: none). */
    static Report run(Path guest, int runs, boolean qemu, int cpus, GicVersion gic, Path launcher, PrintWriter out)
            throws IOException, InterruptedException {
        Path image = guest.resolve("Image"), initrd = guest.resolve("initrd.cpio.gz");
        for (Path p : List.of(image, initrd)) {
            if (!Files.isRegularFile(p)) throw new UserError(p + ": missing (scripts/linux-guest.sh prepares the Linux guest)");
        }
        MachineConfig one = MachineConfig.of(Board.VIRT, Files.readAllBytes(image)).withRamSize(MEM).withCommandLine(APPEND)
                .withInitrd(Files.readAllBytes(initrd)).withGic(gic)
                .withSeeds(LinuxLoader.kaslrSeed(LinuxLoader.DEFAULT_ENTROPY_SEED), LinuxLoader.rngSeed(LinuxLoader.DEFAULT_ENTROPY_SEED));
        boolean smp = cpus > 1;
        MachineConfig config = smp ? one.withCpus(cpus) : one;
        String deja = smp ? "deja run --smp " + cpus : "deja run", recorder = smp ? "deja record --smp " + cpus : "deja record";
        String qemuName = smp ? "QEMU -smp " + cpus : "QEMU 7.2 TCG";
        out.printf(Locale.ROOT, "Linux boot: %s with %s, --append \"%s\", 512 MiB, GICv%d%s; %s of each, in turns%n",
                image, initrd.getFileName(), APPEND, gic.number(),
                smp ? String.format(Locale.ROOT, "; deja --smp 1 and --smp %d (quantum %,d), QEMU 7.2 TCG -smp %d (multi-threaded TCG: a host thread per CPU)",
                        cpus, config.quantum(), cpus) : "", Plural.count(runs, "run"));
        out.flush();
        if (launcher == null) out.println("(no launcher: deja.home does not hold deja, so no whole-process boots)");
        String process = smp ? "./deja run --smp " + cpus + " (process)" : "./deja run (process)";
        List<Boot> oneCpuRuns = new ArrayList<>(), dejaRuns = new ArrayList<>(), recordRuns = new ArrayList<>(), qemuRuns = new ArrayList<>(),
                processRuns = new ArrayList<>();
        long eventsBytes = 0, events = 0;
        for (int i = 0; i < runs; i++) {
            if (smp) {
                Boot o = deja(one);
                oneCpuRuns.add(o);
                print(out, "deja run --smp 1", i, o);
            }
            Boot d = deja(config);
            dejaRuns.add(d);
            print(out, deja, i, d);
            Path dir = Files.createTempDirectory("deja-linux-bench");
            try {
                long[] size = new long[2];
                Boot r = record(config, image, initrd, dir, TraceLevel.EVENTS, Long.MAX_VALUE, size);
                recordRuns.add(r);
                eventsBytes = size[0];
                events = size[1];
                print(out, recorder + " (events)", i, r);
            } finally {
                RecordBench.deleteTree(dir);
            }
            if (launcher != null) {
                Boot p = process(launcher, image, initrd, cpus, gic, out);
                processRuns.add(p);
                print(out, process, i, p);
            }
            if (qemu) {
                Boot q = qemu(image, initrd, cpus, gic);
                qemuRuns.add(q);
                print(out, qemuName, i, q);
            }
        }
        Boot d = median(dejaRuns), r = median(recordRuns);
        boolean met = true;
        if (smp) {
            Boot o = median(oneCpuRuns);
            out.printf(Locale.ROOT, "median to the /init marker: deja --smp 1 %.2f s, %s %.2f s, %s %.2f s%s%n",
                    o.toMarker(), deja, d.toMarker(), recorder, r.toMarker(), qemu ? String.format(Locale.ROOT, ", %s %.2f s", qemuName, median(qemuRuns).toMarker()) : "");
            out.printf(Locale.ROOT, "median to power-off: deja --smp 1 %.2f s, %s %.2f s, %s %.2f s%s%n",
                    medianEnd(oneCpuRuns), deja, medianEnd(dejaRuns), recorder, medianEnd(recordRuns),
                    qemu ? String.format(Locale.ROOT, ", %s %.2f s", qemuName, medianEnd(qemuRuns)) : "");
            out.printf(Locale.ROOT, "deja --smp %d / --smp 1: %.2f to the marker, %.2f to power-off, %.2f in CPU of the run thread (medians)%n",
                    cpus, d.toMarker() / o.toMarker(), medianEnd(dejaRuns) / medianEnd(oneCpuRuns), medianCpu(dejaRuns) / medianCpu(oneCpuRuns));
            if (qemu) {
                Boot q = median(qemuRuns);
                out.printf(Locale.ROOT, "deja --smp %d / QEMU -smp %d: run %.2f to the marker, %.2f to power-off; record %.2f to the marker"
                                + " (issue 9's floors are for one CPU: not judged here)%n",
                        cpus, cpus, d.toMarker() / q.toMarker(), medianEnd(dejaRuns) / medianEnd(qemuRuns), r.toMarker() / q.toMarker());
            }
            out.printf(Locale.ROOT, "instructions to power-off: --smp 1 %,d; --smp %d %,d (per CPU: %s)%n",
                    o.instructions(), cpus, d.instructions(), perCpu(d.perCpu()));
            out.printf(Locale.ROOT, "median CPU of the run thread over the whole boot: deja --smp 1 %.2f s, %s %.2f s, %s %.2f s%n",
                    medianCpu(oneCpuRuns), deja, medianCpu(dejaRuns), recorder, medianCpu(recordRuns));
        } else {
            out.printf(Locale.ROOT, "median to the /init marker: deja run %.2f s, deja record %.2f s", d.toMarker(), r.toMarker());
            if (qemu) {
                Boot q = median(qemuRuns);
                out.printf(Locale.ROOT, ", QEMU %.2f s%n", q.toMarker());
                double run = d.toMarker() / q.toMarker(), record = r.toMarker() / q.toMarker();
                met = run <= RUN_FLOOR && record <= RECORD_FLOOR;
                out.printf(Locale.ROOT, "Deja's time / QEMU's to the marker: run %.2f (target: at most %.1f), record %.2f (at most %.1f): %s%n",
                        run, RUN_FLOOR, record, RECORD_FLOOR, met ? "met" : "MISSED");
            } else {
                out.println();
            }
            out.printf(Locale.ROOT, "median CPU of the run thread over the whole boot: deja run %.2f s, deja record %.2f s%n",
                    medianCpu(dejaRuns), medianCpu(recordRuns));
        }
        if (!processRuns.isEmpty()) {
            Boot p = median(processRuns);
            out.printf(Locale.ROOT, "whole process, medians: %s %.2f s to the marker, %.2f s to power-off, %.2f s of CPU (all threads)",
                    process, p.toMarker(), medianEnd(processRuns), medianProcessCpu(processRuns));
            if (qemu) {
                Boot q = median(qemuRuns);
                out.printf(Locale.ROOT, "; %s %.2f s, %.2f s, %.2f s of CPU: Deja / QEMU %.2f to the marker, %.2f to power-off, %.2f in CPU",
                        qemuName, q.toMarker(), medianEnd(qemuRuns), medianProcessCpu(qemuRuns), p.toMarker() / q.toMarker(),
                        medianEnd(processRuns) / medianEnd(qemuRuns), medianProcessCpu(processRuns) / medianProcessCpu(qemuRuns));
            }
            out.println();
        }
        out.printf(Locale.ROOT, "events-level recording of the whole boot: %s, %s, %.4f bytes per instruction%n",
                Plural.count(eventsBytes, "byte"), Plural.count(events, "event"), (double) eventsBytes / d.instructions());
        Path dir = Files.createTempDirectory("deja-linux-bench");
        long[] full = new long[2];
        double fullSeconds;
        try {
            long t0 = System.nanoTime();
            record(config, image, initrd, dir, TraceLevel.FULL, FULL_WINDOW, full);
            fullSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "full-level recording of the first %s: %s, %s, %.2f bytes per instruction (%.1f s)%n",
                    Plural.count(FULL_WINDOW, "instruction"), Plural.count(full[0], "byte"), Plural.count(full[1], "event"), (double) full[0] / FULL_WINDOW,
                    fullSeconds);
        } finally {
            RecordBench.deleteTree(dir);
        }
        out.flush();
        return new Report(image, runs, cpus, gic, oneCpuRuns, dejaRuns, recordRuns, qemuRuns, processRuns, eventsBytes, events, full[0], full[1],
                fullSeconds, met);
    }

    private static String perCpu(long[] counts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.length; i++) s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", counts[i]));
        return s.toString();
    }

    private static void print(PrintWriter out, String what, int run, Boot b) {
        String cpu = b.cpu() >= 0 ? String.format(Locale.ROOT, "run thread %.2f s of CPU", b.cpu())
                : b.processCpu() >= 0 ? String.format(Locale.ROOT, "process %.2f s of CPU", b.processCpu()) : "";
        String detail = b.instructions() > 0 ? String.format(Locale.ROOT, " (%s%s, %.1f MIPS; %s)",
                Plural.count(b.instructions(), "instruction"), b.perCpu().length > 1 ? " = " + perCpu(b.perCpu()).replace(", ", " + ") : "",
                b.instructions() / b.total() / 1e6, cpu) : cpu.isEmpty() ? "" : " (" + cpu + ")";
        out.printf(Locale.ROOT, "  %-30s run %d: /init marker at %.2f s, end at %.2f s%s%n", what, run + 1, b.toMarker(), b.total(), detail);
        out.flush();
    }

    /** Each CPU's instructions, or none for one CPU. */
    private static long[] perCpu(Machine m) {
        if (m.cpuCount() == 1) return new long[0];
        long[] n = new long[m.cpuCount()];
        for (int i = 0; i < n.length; i++) n[i] = m.vcpu(i).instructions();
        return n;
    }

    private static Boot deja(MachineConfig config) {
        double cpu = threadCpuSeconds();
        MarkerClock console = new MarkerClock();
        Machine m = new Machine(config, console);
        RunResult result = m.run(Long.MAX_VALUE);
        double total = (System.nanoTime() - console.start) / 1e9;
        cpu = threadCpuSeconds() - cpu;
        check(result.reason(), console, "deja run");
        return new Boot(console.seconds(), total, m.statistics().instructions(), cpu, perCpu(m));
    }

    /** Records the boot to dir at level (at most budget instructions); size gets the recording's bytes and events. */
    private static Boot record(MachineConfig config, Path image, Path initrd, Path dir, TraceLevel level, long budget, long[] size) {
        double cpu = threadCpuSeconds();
        MarkerClock console = new MarkerClock();
        Path out = dir.resolve("boot");
        List<RecordedImage> images = List.of(RecordedImage.of(image, config.image(), out, RecordedImage.Role.KERNEL),
                RecordedImage.of(initrd, config.initrd(), out, RecordedImage.Role.INITRD));
        Recorder.Options options = Recorder.Options.defaults(level).withMaxInstructions(budget);
        Recorder recorder = Recorder.create(out, config, images, console, options);
        Recorder.Result r = recorder.run();
        double total = (System.nanoTime() - console.start) / 1e9;
        cpu = threadCpuSeconds() - cpu;
        if (budget == Long.MAX_VALUE) check(r.stop(), console, "deja record");
        size[0] = r.diskBytes();
        size[1] = r.events();
        return new Boot(console.seconds(), total, r.instructions(), cpu, perCpu(recorder.machine()));
    }

    private static void check(ExitKind stop, MarkerClock console, String who) {
        if (stop != ExitKind.SHUTDOWN || console.at < 0) {
            throw new UserError(who + ": the boot did not reach \"" + MARKER + "\" and power off (stopped: " + stop + ")", Main.EXIT_FAILURE);
        }
    }

    /** QEMU's -M for the GIC: as README's GICv3 reference runs, without an ITS (Deja has none). */
    static String qemuMachine(GicVersion gic) {
        return gic == GicVersion.V3 ? "virt,gic-version=3,its=off" : "virt";
    }

    /**
     * The launcher's deja run of the boot as a process of its own, timed from its start: to the marker,
     * to its exit, and the CPU seconds of the process and its children (the launcher's checks too).
     */
    private static Boot process(Path launcher, Path image, Path initrd, int cpus, GicVersion gic, PrintWriter out)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "run", "--kernel", image.toString(), "--initrd", initrd.toString(),
                "--append", APPEND, "--mem", "512M"));
        if (cpus > 1) command.addAll(List.of("--smp", Integer.toString(cpus)));
        if (gic != GicVersion.V2) command.addAll(List.of("--gic", Integer.toString(gic.number())));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        double cpu = childrenCpuSeconds();
        long start = System.nanoTime(), at = -1, instructions = 0;
        Process p = pb.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (at < 0 && line.contains(MARKER)) at = System.nanoTime();
                // The launcher's own notes (a build, the ahead-of-time cache's training) explain a slow boot.
                if (line.startsWith("deja: ")) out.println("    " + line);
                if (line.startsWith("instructions: ")) instructions = Long.parseLong(line.substring("instructions: ".length()).replace(",", "").strip());
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UserError("deja run did not power off the Linux guest within 300 s", Main.EXIT_FAILURE);
        }
        double total = (System.nanoTime() - start) / 1e9;
        cpu = cpu < 0 ? -1 : childrenCpuSeconds() - cpu;
        if (p.exitValue() != 0 || at < 0) {
            throw new UserError("deja run (process): the boot did not reach \"" + MARKER + "\" and power off (exit status " + p.exitValue() + ")",
                    Main.EXIT_FAILURE);
        }
        return new Boot((at - start) / 1e9, total, instructions, -1, new long[0], cpu);
    }

    /**
     * CPU seconds (user and system) of this process's children that have exited and been waited for
     * (/proc/self/stat cutime and cstime, in USER_HZ = 100 ticks a second on Linux), or -1 elsewhere.
     */
    static double childrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the command's closing parenthesis the fields start at stat(5)'s third: cutime is the 16th, cstime the 17th.
            return (Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Boot qemu(Path image, Path initrd, int cpus, GicVersion gic) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("qemu-system-aarch64", "-M", qemuMachine(gic), "-cpu", "cortex-a57", "-smp", Integer.toString(cpus),
                "-m", "512M", "-nographic", "-nic", "none", "-monitor", "none", "-kernel", image.toString(), "-initrd", initrd.toString(),
                "-append", APPEND).redirectErrorStream(true);
        double cpu = childrenCpuSeconds();
        long start = System.nanoTime(), at = -1;
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UserError("qemu-system-aarch64 is not installed (scripts/install-deps.sh installs it), or use --no-qemu", Main.EXIT_FAILURE);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (at < 0 && line.contains(MARKER)) at = System.nanoTime();
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UserError("QEMU did not power off the Linux guest within 300 s", Main.EXIT_FAILURE);
        }
        double total = (System.nanoTime() - start) / 1e9;
        cpu = cpu < 0 ? -1 : childrenCpuSeconds() - cpu;
        if (at < 0) throw new UserError("QEMU: the boot did not print \"" + MARKER + "\"", Main.EXIT_FAILURE);
        // QEMU runs about as many instructions as Deja (STACK.md): its MIPS use Deja's count.
        return new Boot((at - start) / 1e9, total, 0, -1, new long[0], cpu);
    }

    /** The median of the boots' run-thread CPU seconds (the measure a loaded machine disturbs least). */
    static double medianCpu(List<Boot> boots) {
        double[] cpu = boots.stream().mapToDouble(Boot::cpu).sorted().toArray();
        return cpu[cpu.length / 2];
    }

    /** The median of the boots' whole-process CPU seconds (-1 where not measured). */
    static double medianProcessCpu(List<Boot> boots) {
        double[] cpu = boots.stream().mapToDouble(Boot::processCpu).sorted().toArray();
        return cpu[cpu.length / 2];
    }

    /** The median of the boots' times to power-off (which need not be the boot of median time to the marker). */
    static double medianEnd(List<Boot> boots) {
        double[] end = boots.stream().mapToDouble(Boot::total).sorted().toArray();
        return end[end.length / 2];
    }

    private static Boot median(List<Boot> boots) {
        List<Boot> sorted = new ArrayList<>(boots);
        sorted.sort(Comparator.comparingDouble(Boot::toMarker));
        return sorted.get(sorted.size() / 2);
    }


    /** A console that notes the host time at which the marker's last byte arrives (the clock starts when it is made). */
    private static final class MarkerClock extends OutputStream {
        final long start = System.nanoTime();
        long at = -1;
        private int matched;

        @Override
        public void write(int b) {
            if (at >= 0) return;
            if ((byte) b == (byte) MARKER.charAt(matched)) {
                if (++matched == MARKER.length()) at = System.nanoTime();
            } else {
                matched = (byte) b == (byte) MARKER.charAt(0) ? 1 : 0;
            }
        }

        double seconds() {
            return (at - start) / 1e9;
        }
    }
}
