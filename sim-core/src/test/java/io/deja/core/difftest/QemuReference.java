package io.deja.core.difftest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a harness image on QEMU (virt, cortex-a57, one instruction per
 * translation block) and returns the state before every instruction from the
 * harness entry on. QEMU's own boot stub at 0x4000_0000 is skipped. The skip
 * list describes QEMU 7.2 (Debian 12), the version the tests are run with.
 */
final class QemuReference {
    private QemuReference() {}

    static final String QEMU = "qemu-system-aarch64";
    /** Bytes of log per instruction (about 800, 2,200 with the FP registers) with room to spare, for the runaway guard. */
    private static final long LOG_BYTES_PER_STEP = 3072;

    /** "7.2.5" and the like, or null if QEMU does not run. */
    private static volatile String version;

    static boolean available() {
        return version() != null;
    }

    static String version() {
        if (version != null) return version;
        try {
            Process p = new ProcessBuilder(QEMU, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\d+)\\.(\\d+)").matcher(out);
            version = m.find() ? m.group(1) + "." + m.group(2) : "unknown";
            return version;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** One instruction per translation block: -singlestep up to QEMU 8.0, its replacement from 8.1 on. */
    private static List<String> oneInstructionPerBlock() {
        String v = version();
        String[] parts = v == null ? new String[0] : v.split("\\.");
        if (parts.length == 2) {
            int major = Integer.parseInt(parts[0]), minor = Integer.parseInt(parts[1]);
            if (major > 8 || (major == 8 && minor >= 1)) return List.of("-accel", "tcg,one-insn-per-tb=on");
        }
        return List.of("-singlestep");
    }

    /**
     * Runs image (written to dir/h.bin, log in dir/qemu.log) and parses the log.
     * maxSteps bounds the run: QEMU is killed if its log grows past it or the
     * wall-clock timeout passes.
     */
    static List<CpuState> run(byte[] image, Path dir, long maxSteps, long timeoutMillis) throws IOException {
        Path bin = dir.resolve("h.bin");
        Path log = dir.resolve("qemu.log");
        Files.write(bin, image);
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(QEMU, "-M", "virt", "-cpu", "cortex-a57", "-m", "128M",
                "-nographic", "-nic", "none", "-kernel", bin.toString()));
        cmd.addAll(oneInstructionPerBlock());
        cmd.addAll(List.of("-d", "cpu,fpu,int,nochain", "-D", log.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.out").toFile());
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long maxLog = (maxSteps + 64) * LOG_BYTES_PER_STEP;
        try {
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (System.currentTimeMillis() > deadline) {
                    kill(p);
                    throw new IOException("QEMU did not power off within " + timeoutMillis + " ms (" + dir + ")");
                }
                if (Files.exists(log) && Files.size(log) > maxLog) {
                    kill(p);
                    throw new IOException("QEMU ran past " + maxSteps + " steps; harness bug? (" + dir + ")");
                }
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("QEMU exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("qemu.out")));
        }
        return parse(log, HarnessBuilder.LOAD);
    }

    private static void kill(Process p) throws IOException {
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parses "-d cpu,fpu" records and returns those from the first one at
     * entry on. A record is " PC=... X00=... ... SP=...", then "PSTATE=...
     * flags mode" followed on the same line by either "FPCR=... FPSR=..." and
     * sixteen lines "Qnn=high:low Qnn+1=high:low", or "FPU disabled" (FP
     * access traps at the current EL: no V registers). Other lines (exception
     * entry and return notes) are skipped.
     */
    static List<CpuState> parse(Path log, long entry) throws IOException {
        List<CpuState> states = new ArrayList<>();
        boolean started = false;
        long pc = 0, sp = 0, pstate = 0;
        long[] x = null;
        long[] v = null, pendingX = null;
        long fpcr = 0, fpsr = 0;
        int seen = 0, qSeen = 0;
        try (BufferedReader r = Files.newBufferedReader(log)) {
            String line;
            while ((line = r.readLine()) != null) {
                int i = 0, len = line.length();
                while (i < len) {
                    while (i < len && line.charAt(i) == ' ') i++;
                    int eq = line.indexOf('=', i);
                    if (eq < 0) break;
                    int end = line.indexOf(' ', eq);
                    if (end < 0) end = len;
                    String key = line.substring(i, eq);
                    if (key.equals("PC")) {
                        if (v != null) throw new IOException("QEMU record without Q31 before PC " + Long.toHexString(pc));
                        pc = Long.parseUnsignedLong(line, eq + 1, end, 16);
                        x = new long[31];
                        seen = 0;
                    } else if (x != null && key.length() == 3 && key.charAt(0) == 'X') {
                        x[Integer.parseInt(key, 1, 3, 10)] = Long.parseUnsignedLong(line, eq + 1, end, 16);
                        seen++;
                    } else if (x != null && key.equals("SP")) {
                        sp = Long.parseUnsignedLong(line, eq + 1, end, 16);
                    } else if (x != null && key.equals("PSTATE")) {
                        pstate = Long.parseUnsignedLong(line, eq + 1, end, 16);
                        if (seen != 31) throw new IOException("short QEMU record at PC " + Long.toHexString(pc));
                        if (pc == entry) started = true;
                        int fpcrAt = line.indexOf("FPCR=", end);
                        if (fpcrAt < 0) {
                            if (started) states.add(new CpuState(pc, x, sp, pstate));
                        } else {
                            int fpsrAt = line.indexOf("FPSR=", fpcrAt);
                            if (fpsrAt < 0) throw new IOException("FPCR without FPSR at PC " + Long.toHexString(pc));
                            fpcr = Long.parseUnsignedLong(line, fpcrAt + 5, fpcrAt + 13, 16);
                            fpsr = Long.parseUnsignedLong(line, fpsrAt + 5, fpsrAt + 13, 16);
                            v = new long[64];
                            pendingX = x;
                            qSeen = 0;
                        }
                        x = null;
                        break; // the rest of the line is the flags text, the mode and the FP control registers
                    } else if (v != null && key.length() == 3 && key.charAt(0) == 'Q') {
                        int n = Integer.parseInt(key, 1, 3, 10);
                        int colon = line.indexOf(':', eq);
                        if (colon < 0 || colon > end) throw new IOException("bad QEMU " + key + " at PC " + Long.toHexString(pc));
                        v[2 * n + 1] = Long.parseUnsignedLong(line, eq + 1, colon, 16);
                        v[2 * n] = Long.parseUnsignedLong(line, colon + 1, end, 16);
                        if (++qSeen == 32) {
                            if (started) states.add(new CpuState(pc, pendingX, sp, pstate, v, fpcr, fpsr));
                            v = null;
                        }
                    } else {
                        break; // not a register line
                    }
                    i = end;
                }
            }
        }
        return states;
    }
}
