package io.deja.core.difftest;

import io.deja.core.decode.A64Decoder;
import io.deja.core.difftest.HarnessBuilder.Harness;
import io.deja.core.difftest.InstructionGenerator.Unit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one harness on QEMU and on Deja and compares PC, X0-X30, SP and PSTATE
 * after every instruction, aligned by step count from the entry. The scratch
 * memory is compared through the epilogue, which loads all of it into X0/X1.
 *
 * <p>After a mismatch Deja's registers are set to QEMU's and the comparison
 * goes on, so one run reports every faulty instruction of the block, not just
 * the first (memory cannot be re-synchronised: a wrong store shows up again
 * at the loads that read it and in the epilogue).
 */
final class BlockRunner {
    /** After this many mismatches in one block the rest of it is not compared. */
    static final int MAX_MISMATCHES_PER_BLOCK = 25;

    private BlockRunner() {}

    /** One difference between QEMU and Deja. */
    record Mismatch(String block, int step, long pc, int word, String op, String kind, String where,
                    String disassembly, CpuState before, CpuState qemu, CpuState deja, String note) {
        /**
         * Key for the summary table: the instruction (with the system register
         * for MRS/MSR) and the symptom, with destination register numbers
         * folded, so that one bug makes one line.
         */
        String key() {
            String what = op;
            if ((op.equals("MRS") || op.equals("MSR_reg") || op.equals("SYS")) && disassembly.contains(" ")) {
                String[] operands = disassembly.substring(disassembly.indexOf(' ') + 1).split(",\\s*");
                what += " " + (op.equals("MRS") ? operands[operands.length - 1] : operands[0]);
            }
            return what + " | " + kind.replaceAll("\\bX([0-9]|1[0-9]|2[0-5]|29|30)\\b", "Xn").replaceAll("\\bV\\d+\\.", "Vn.")
                    .replaceAll("(Vn\\.(lo|hi) )+", "$1");
        }

        String oneLine() {
            return String.format("%s step %d @ %x: %08x %-32s [%s] %s%s%s", block, step, pc, word, disassembly, op, kind,
                    where.isEmpty() ? "" : " (" + where + ")", note == null ? "" : " - " + note);
        }

        String detail() {
            StringBuilder s = new StringBuilder(oneLine()).append('\n');
            if (before == null || qemu == null || deja == null) return s.toString();
            s.append(String.format("  %-7s %-18s %-18s %-18s%n", "", "before", "QEMU after", "Deja after"));
            row(s, "PC", before.pc(), qemu.pc(), deja.pc());
            for (int r = 0; r < 31; r++) row(s, "X" + r, before.x()[r], qemu.x()[r], deja.x()[r]);
            row(s, "SP", before.sp(), qemu.sp(), deja.sp());
            s.append(String.format("  %-7s %-18s %-18s %-18s%s%n", "PSTATE", CpuState.pstateText(before.pstate()),
                    CpuState.pstateText(qemu.pstate()), CpuState.pstateText(deja.pstate()),
                    qemu.pstate() != deja.pstate() ? "  <<<" : ""));
            if (qemu.v() != null && deja.v() != null) {
                row(s, "FPCR", before.fpcr(), qemu.fpcr(), deja.fpcr());
                row(s, "FPSR", before.fpsr(), qemu.fpsr(), deja.fpsr());
                for (int n = 0; n < 32; n++) {
                    boolean differs = qemu.v()[2 * n] != deja.v()[2 * n] || qemu.v()[2 * n + 1] != deja.v()[2 * n + 1];
                    s.append(String.format("  %-7s %-33s %-33s %-33s%s%n", "Q" + n, CpuState.qText(before.v(), n),
                            CpuState.qText(qemu.v(), n), CpuState.qText(deja.v(), n), differs ? "  <<<" : ""));
                }
            }
            return s.toString();
        }

        private static void row(StringBuilder s, String name, long before, long q, long d) {
            s.append(String.format("  %-7s %016x   %016x   %016x%s%n", name, before, q, d, q != d ? "  <<<" : ""));
        }
    }

    record Result(String block, List<Unit> units, int steps, int fpSteps, List<Mismatch> mismatches, String error, Path kept,
                  Map<String, Integer> tolerated) {
        boolean ok() {
            return error == null && mismatches.isEmpty();
        }
    }

    /** Runs harness h; on failure keeps the image, QEMU log and report in keepRoot/label. */
    static Result run(String label, Harness h, Path keepRoot, SkipList skip) {
        label = label + "-" + h.setup().label();
        return run(label, h, keepRoot, skip, h.image());
    }

    /** As {@link #run}, with Deja given a different image: how the self-tests plant a bug. */
    static Result run(String label, Harness h, Path keepRoot, SkipList skip, byte[] dejaImage) {
        Path dir;
        try {
            dir = Files.createTempDirectory("deja-difftest-");
        } catch (IOException e) {
            return new Result(label, h.units(), 0, 0, List.of(), "cannot create a work directory: " + e, null, Map.of());
        }
        Result r;
        try {
            r = compare(label, h, dir, skip, dejaImage);
        } catch (IOException e) {
            r = new Result(label, h.units(), 0, 0, List.of(), e.getMessage(), null, Map.of());
        }
        if (!r.ok() && keepRoot != null) {
            Path kept = keepRoot.resolve(label);
            try {
                Files.createDirectories(kept);
                Files.write(kept.resolve("h.bin"), h.image());
                Path log = dir.resolve("qemu.log");
                if (Files.exists(log)) Files.move(log, kept.resolve("qemu.log"), StandardCopyOption.REPLACE_EXISTING);
                StringBuilder report = new StringBuilder();
                if (r.error() != null) report.append("error: ").append(r.error()).append('\n');
                for (Mismatch m : r.mismatches()) report.append(m.detail()).append('\n');
                Files.writeString(kept.resolve("report.txt"), report);
                r = new Result(r.block(), r.units(), r.steps(), r.fpSteps(), r.mismatches(), r.error(), kept, r.tolerated());
            } catch (IOException e) {
                // keep nothing; the report still has the mismatches
            }
        }
        deleteTree(dir);
        return r;
    }

    private static Result compare(String label, Harness h, Path dir, SkipList skip, byte[] dejaImage) throws IOException {
        Map<String, Integer> tolerated = new TreeMap<>();
        int words = 0;
        for (Unit u : h.units()) words += u.words.length;
        // Every word runs at most once (branches go forward); any of them may trap into the 13-instruction handler.
        long maxSteps = 64 + words * 14L + HarnessBuilder.SCRATCH_SIZE / 16 + 8;
        List<CpuState> qemu = QemuReference.run(h.image(), dir, maxSteps, 20_000 + maxSteps / 5);
        if (qemu.isEmpty()) throw new IOException("QEMU never reached the harness entry");
        CpuState last = qemu.get(qemu.size() - 1);
        if (h.word(last.pc()) != 0xD4000002) {
            throw new IOException(String.format("QEMU's last instruction is at %x, not the harness's HVC", last.pc()));
        }
        Disassembler[] dis = {null};
        List<Mismatch> mismatches = new ArrayList<>();
        DejaReference deja = new DejaReference(dejaImage);
        CpuState mine = deja.state();
        if (!mine.sameAs(qemu.get(0))) {
            mismatches.add(mismatch(label, h, dis, 0, null, qemu.get(0), mine, -1L, "entry state differs (harness set-up)"));
            deja.resync(qemu.get(0));
        }
        long lastBlockPc = -1;
        int steps = qemu.size();
        int fpSteps = 0;
        for (int k = 1; k <= steps; k++) {
            CpuState before = qemu.get(k - 1);
            if (h.unitAt(before.pc()) >= 0) lastBlockPc = before.pc();
            boolean poweredOff;
            long retiredBefore = deja.vm().instructions();
            try {
                poweredOff = deja.step();
            } catch (Throwable t) {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                mismatches.add(mismatch(label, h, dis, k, before, null, null, lastBlockPc, "HOST EXCEPTION in Deja: " + sw));
                break;
            }
            if (k == steps) {
                if (!poweredOff) {
                    mismatches.add(mismatch(label, h, dis, k, before, null, deja.state(), lastBlockPc,
                            "Deja did not exit with HVC at the harness's PSCI SYSTEM_OFF (exit: " + deja.lastExit() + ")"));
                }
                break;
            }
            CpuState q = qemu.get(k);
            mine = deja.state();
            if (q.v() != null) fpSteps++;
            long retired = deja.vm().instructions() - retiredBefore;
            if (retired != 1) {
                mismatches.add(mismatch(label, h, dis, k, before, q, mine, lastBlockPc,
                        "Deja's instruction count went up by " + retired + " in a one-instruction step"));
            }
            if (poweredOff) {
                mismatches.add(mismatch(label, h, dis, k, before, q, mine, lastBlockPc, "Deja exited with HVC early"));
                break;
            }
            if (!q.sameAs(mine)) {
                String rule = knownDifference(skip, h, before, q, mine, lastBlockPc);
                if (rule != null) {
                    tolerated.merge(rule, 1, Integer::sum);
                } else {
                    mismatches.add(mismatch(label, h, dis, k, before, q, mine, lastBlockPc, null));
                    if (mismatches.size() >= MAX_MISMATCHES_PER_BLOCK) break;
                }
                deja.resync(q);
                // The handler's MRS X27, FAR_EL1: FAR outlives the exception, so make it agree too.
                if (Harness.inVectors(before.pc()) && (before.pc() & 0x7F) == 4) deja.resyncFar(q.x()[InstructionGenerator.TEMP_B]);
            }
        }
        return new Result(label, h.units(), steps, fpSteps, mismatches, null, null, tolerated);
    }

    /**
     * The skip-list rule that explains a difference, or null. A rule may only
     * excuse its own symptom: the states must be equal once it is applied.
     */
    static String knownDifference(SkipList skip, Harness h, CpuState before, CpuState q, CpuState d, long lastBlockPc) {
        String rule = null;
        long[] x = d.x().clone();
        long pstate = d.pstate();
        // The handler's first four instructions (MRS, MRS, LSR, CMP) run on the NZCV exception entry left.
        if (skip.hasRule(SkipList.EXCEPTION_ENTRY_NZCV) && Harness.inVectors(q.pc()) && (q.pc() & 0x7F) <= 12
                && (pstate ^ q.pstate()) >>> 28 != 0) {
            pstate = (pstate & 0x0FFF_FFFFL) | (q.pstate() & 0xF000_0000L);
            rule = SkipList.EXCEPTION_ENTRY_NZCV;
        }
        // The handler's MRS X26, ESR_EL1 after a trapped MSR DAIFSet/DAIFClr.
        int x26 = InstructionGenerator.TEMP_A;
        if (skip.hasRule(SkipList.MSR_IMM_TRAP_ISS) && Harness.inVectors(before.pc()) && (before.pc() & 0x7F) == 0
                && lastBlockPc >= 0 && A64Decoder.name(A64Decoder.decode(h.word(lastBlockPc))).equals("MSR_imm")
                && (q.x()[x26] >>> 26) == 0x18 && x[x26] == swapIssOp1Op2(q.x()[x26])) {
            x[x26] = q.x()[x26];
            rule = rule == null ? SkipList.MSR_IMM_TRAP_ISS : rule + "+" + SkipList.MSR_IMM_TRAP_ISS;
        }
        if (rule == null) return null;
        return q.sameAs(d.withGeneral(x, pstate)) ? rule : null;
    }

    /** Exchanges ISS.Op2 (bits 19:17) and ISS.Op1 (bits 16:14) of an EC 0x18 syndrome. */
    static long swapIssOp1Op2(long esr) {
        long op2 = (esr >>> 17) & 7, op1 = (esr >>> 14) & 7;
        return (esr & ~(0x3FL << 14)) | (op1 << 17) | (op2 << 14);
    }

    private static Mismatch mismatch(String label, Harness h, Disassembler[] dis, int step, CpuState before,
                                     CpuState q, CpuState d, long lastBlockPc, String note) {
        if (dis[0] == null) dis[0] = Disassembler.of(h.image(), HarnessBuilder.LOAD);
        long pc = before == null ? HarnessBuilder.LOAD : before.pc();
        int word = h.word(pc);
        String op = A64Decoder.name(A64Decoder.decode(word));
        String where = "";
        if (before != null && Harness.inVectors(pc)) {
            where = "in the exception handler";
            if (lastBlockPc >= 0) {
                // Blame the instruction that trapped: the handler only reports what it saw (X26 = ESR_EL1).
                int trapped = h.word(lastBlockPc);
                op = A64Decoder.name(A64Decoder.decode(trapped));
                where = String.format("in the exception handler entered from %x: %08x %s", lastBlockPc, trapped, dis[0].at(lastBlockPc));
            }
        } else if (before != null && Harness.inEpilogue(pc)) {
            long offset = before.x()[InstructionGenerator.SCRATCH_REG] - HarnessBuilder.SCRATCH;
            if (offset >= 0 && offset < HarnessBuilder.SCRATCH_SIZE) {
                op = "memory";
                where = String.format("scratch [0x%x, 0x%x) differs; stores there: %s", offset, offset + 16,
                        storesTo(h, dis[0], HarnessBuilder.SCRATCH + offset, 16));
            } else {
                where = "epilogue";
            }
        } else if (before != null && pc < HarnessBuilder.VECTORS) {
            where = "prologue";
        }
        int unit = h.unitAt(pc);
        if (unit >= 0 && h.units().get(unit).rewritten && h.units().get(unit).mainAddress() == pc) {
            int by = h.units().get(unit).rewrittenTo;
            note = (note == null ? "" : note + "; ") + String.format(
                    "a self-modifying store before it may have replaced it with %08x [%s]", by, A64Decoder.name(A64Decoder.decode(by)));
        }
        String kind;
        if (note != null && note.startsWith("HOST EXCEPTION")) kind = "host exception";
        else if (q == null || d == null) kind = "end of run";
        else if (Harness.inVectors(d.pc()) && !Harness.inVectors(q.pc())) kind = "exception in Deja only";
        else if (!Harness.inVectors(d.pc()) && Harness.inVectors(q.pc())) kind = "exception in QEMU only";
        else if (Harness.inVectors(q.pc()) && d.pc() == q.pc() + 4) kind = "Deja ran one more instruction in this step";
        else if (d.pc() != q.pc()) kind = "PC";
        else kind = differingNames(q, d);
        if (where.startsWith("in the exception handler")) kind = "handler: " + kind;
        return new Mismatch(label, step, pc, word, op, kind, where, dis[0].at(pc), before, q, d, note);
    }

    /** Which registers differ, for the summary key ("X3 NZCV"). */
    static String differingNames(CpuState q, CpuState d) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 31; r++) if (q.x()[r] != d.x()[r]) s.append(r == 26 ? "X26(ESR) " : "X" + r + " ");
        if (q.sp() != d.sp()) s.append("SP ");
        if ((q.pstate() ^ d.pstate()) >>> 28 != 0) s.append("NZCV ");
        if (((q.pstate() ^ d.pstate()) & 0x0FFF_FFFFL) != 0) s.append("PSTATE ");
        if (q.v() != null && d.v() != null) {
            for (int n = 0; n < 32; n++) {
                if (q.v()[2 * n] != d.v()[2 * n]) s.append("V").append(n).append(".lo ");
                if (q.v()[2 * n + 1] != d.v()[2 * n + 1]) s.append("V").append(n).append(".hi ");
            }
            if (q.fpcr() != d.fpcr()) s.append("FPCR ");
            if ((q.fpsr() ^ d.fpsr()) != 0) s.append("FPSR(").append(fpsrText(q.fpsr() ^ d.fpsr())).append(") ");
        }
        return s.toString().strip();
    }

    /** The FPSR cumulative flags in bits: "IXC UFC". */
    static String fpsrText(long bits) {
        String[] names = {"IOC", "DZC", "OFC", "UFC", "IXC", "", "", "IDC"};
        StringBuilder s = new StringBuilder();
        for (int b = 0; b < 8; b++) if ((bits & (1L << b)) != 0 && !names[b].isEmpty()) s.append(names[b]).append(' ');
        if ((bits & (1L << 27)) != 0) s.append("QC ");
        if ((bits & ~0x0800_009FL) != 0) s.append(String.format("other %x ", bits & ~0x0800_009FL));
        return s.toString().strip();
    }

    private static String storesTo(Harness h, Disassembler dis, long address, int length) {
        List<String> hits = new ArrayList<>();
        for (Unit u : h.units()) {
            if (u.memWrite && u.memTarget >= 0 && u.memTarget < address + length && u.memTarget + u.memSpan > address) {
                hits.add(String.format("%x %s", u.mainAddress(), dis.at(u.mainAddress())));
            }
        }
        if (hits.isEmpty()) return "none generated (a load or store went elsewhere?)";
        return String.join("; ", hits.size() > 4 ? hits.subList(hits.size() - 4, hits.size()) : hits);
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
