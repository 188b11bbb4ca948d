package io.deja.core.difftest;

import io.deja.core.decode.A64Decoder;
import io.deja.core.decode.A64Patterns;
import io.deja.core.difftest.BlockRunner.Mismatch;
import io.deja.core.difftest.BlockRunner.Result;
import io.deja.core.difftest.HarnessBuilder.Harness;
import io.deja.core.difftest.InstructionGenerator.Unit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comparison finds planted bugs: Deja is given an image with one word
 * changed, and the runner must report exactly that instruction, with the
 * right symptom, and then carry on in step with QEMU.
 */
class HarnessSelfTest {
    static SkipList skip;

    @BeforeAll
    static void setUp() {
        assertThat(QemuReference.available()).as("qemu-system-aarch64 is needed").isTrue();
        skip = SkipList.load();
    }

    private static Unit unit(int word) {
        return Unit.plain(A64Decoder.decode(word), word);
    }

    private static Harness harness(int... words) {
        List<Unit> units = new java.util.ArrayList<>();
        for (int w : words) units.add(unit(w));
        return HarnessBuilder.build(units, new SplittableRandom(7));
    }

    /** As {@link #harness}, with the first seed from 7 on whose block runs with FP enabled (CPACR_EL1.FPEN = 0b11). */
    private static Harness fpHarness(int... words) {
        for (long seed = 7; ; seed++) {
            List<Unit> units = new java.util.ArrayList<>();
            for (int w : words) units.add(unit(w));
            Harness h = HarnessBuilder.build(units, new SplittableRandom(seed));
            long cpacr = ByteBuffer.wrap(h.image()).order(ByteOrder.LITTLE_ENDIAN).getLong((int) (HarnessBuilder.REGS - HarnessBuilder.LOAD) + 296);
            if (cpacr == HarnessBuilder.CPACR_FPEN) return h;
        }
    }

    /** The harness image with the word of unit i replaced. */
    private static byte[] plant(Harness h, int i, int word) {
        byte[] copy = h.image().clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (h.units().get(i).address - HarnessBuilder.LOAD), word);
        return copy;
    }

    @Test
    void identicalImagesMatch() {
        Harness h = harness(0x91000441, 0xD2800A63, 0x8B030041); // add x1, x2, #1; mov x3, #0x53; add x1, x2, x3
        Result r = BlockRunner.run("self-same", h, null, skip);
        assertThat(r.error()).isNull();
        assertThat(r.mismatches()).isEmpty();
        assertThat(r.steps()).isGreaterThan(3 + HarnessBuilder.SCRATCH_SIZE / 16);
    }

    @Test
    void wrongResultIsReportedAtItsInstructionAndOnlyThere() {
        Harness h = harness(0x91000441, 0xD2800A63, 0x8B030041);
        Result r = BlockRunner.run("self-result", h, null, skip, plant(h, 0, 0x91000841)); // add x1, x2, #2
        assertThat(r.mismatches()).hasSize(1);
        Mismatch m = r.mismatches().get(0);
        assertThat(m.pc()).isEqualTo(h.units().get(0).address);
        assertThat(m.op()).isEqualTo("ADD_imm");
        assertThat(m.kind()).isEqualTo("X1");
        assertThat(m.deja().x()[1] - m.qemu().x()[1]).isEqualTo(1);
        assertThat(m.detail()).contains("add x1, x2, #0x1").contains("X1 ").contains("<<<");
    }

    @Test
    void wrongFpResultIsReportedInItsVRegister() {
        Harness h = fpHarness(0x1E6E1001, 0x91000441); // fmov d1, #1.0; add x1, x2, #1
        Result r = BlockRunner.run("self-fp", h, null, skip, plant(h, 0, 0x1E601001)); // fmov d1, #2.0
        assertThat(r.error()).isNull();
        assertThat(r.mismatches()).hasSize(1);
        Mismatch m = r.mismatches().get(0);
        assertThat(m.op()).isEqualTo("FMOV_imm");
        assertThat(m.kind()).isEqualTo("V1.lo");
        assertThat(m.qemu().v()[2]).isEqualTo(0x3FF0_0000_0000_0000L);
        assertThat(m.deja().v()[2]).isEqualTo(0x4000_0000_0000_0000L);
        assertThat(m.detail()).contains("Q1 ").contains("3ff0000000000000").contains("<<<");
    }

    @Test
    void missingFpExceptionFlagIsReportedInFpsr() {
        // fmov d1, #1.0; fmov d3, xzr; fdiv d2, d1, d3 (divide by zero: FPSR.DZC)
        Harness h = fpHarness(0x1E6E1001, 0x9E6703E3, 0x1E631822);
        Result r = BlockRunner.run("self-fpsr", h, null, skip, plant(h, 2, 0x1E630822)); // fmul d2, d1, d3
        assertThat(r.error()).isNull();
        assertThat(r.mismatches()).hasSize(1);
        Mismatch m = r.mismatches().get(0);
        assertThat(m.op()).isEqualTo("FDIV_s");
        assertThat(m.kind()).isEqualTo("V2.lo FPSR(DZC)");
        assertThat(m.key()).isEqualTo("FDIV_s | Vn.lo FPSR(DZC)");
    }

    @Test
    void undefinedInDejaOnlyIsReportedAsSuch() {
        Harness h = harness(0x91000441, 0xD2800A63);
        Result r = BlockRunner.run("self-undef", h, null, skip, plant(h, 1, 0));
        assertThat(r.mismatches()).isNotEmpty();
        assertThat(r.mismatches().get(0).kind()).isEqualTo("exception in Deja only");
    }

    @Test
    void wrongStoreIsReportedInScratchMemory() {
        // mov x3, #0x1111; mov x4, #0x2222; then a unit: add x5, x28, #0x100; str x3, [x5]
        int str = 0xF90000A3;
        Unit store = new Unit(A64Decoder.decode(str), new int[] {0x91040385, str}, 1, InstructionGenerator.Patch.NONE, 0, 0,
                HarnessBuilder.SCRATCH + 0x100, 8, 8, true);
        Harness h = HarnessBuilder.build(List.of(unit(0xD2822223), unit(0xD2844444), store), new SplittableRandom(7));
        byte[] planted = h.image().clone();
        ByteBuffer.wrap(planted).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (store.mainAddress() - HarnessBuilder.LOAD), 0xF90000A4);
        Result r = BlockRunner.run("self-store", h, null, skip, planted); // str x4, [x5]
        assertThat(r.mismatches()).isNotEmpty();
        Mismatch m = r.mismatches().get(0);
        assertThat(m.op()).isEqualTo("memory");
        assertThat(m.where()).contains("[0x100, 0x110)").contains("str x3, [x5]");
    }

    @Test
    void failingBlocksAreKeptForInspection() throws Exception {
        Harness h = harness(0x91000441);
        Path keep = Files.createTempDirectory("deja-keep");
        try {
            Result r = BlockRunner.run("self-keep", h, keep, skip, plant(h, 0, 0x91000841));
            assertThat(r.kept()).isNotNull();
            assertThat(r.kept().resolve("h.bin")).exists();
            assertThat(r.kept().resolve("qemu.log")).exists();
            assertThat(Files.readString(r.kept().resolve("report.txt"))).contains("ADD_imm");
        } finally {
            BlockRunner.deleteTree(keep);
        }
    }

    @Test
    void qemuLogParserReadsTheFpRegistersWhereQemuShowsThem() throws Exception {
        StringBuilder log = new StringBuilder();
        for (long pc : new long[] {HarnessBuilder.LOAD, HarnessBuilder.LOAD + 4}) {
            log.append(String.format(" PC=%016x X00=0000000044000000 X01=0000000000000000%n", pc));
            for (int r = 2; r < 29; r += 3) {
                log.append(String.format("X%02d=%016x X%02d=%016x X%02d=%016x%n", r, r, r + 1, r + 1, r + 2, r + 2));
            }
            log.append("X29=0000000000000000 X30=ffffffffffffffff  SP=0000000040001230\n");
            if (pc == HarnessBuilder.LOAD) {
                log.append("PSTATE=600003c5 -ZC- EL1h    FPU disabled\n");
                continue;
            }
            log.append("PSTATE=600003c5 -ZC- EL1h     FPCR=03c00000 FPSR=00000010\n");
            for (int q = 0; q < 32; q += 2) {
                log.append(String.format("Q%02d=%016x:%016x Q%02d=%016x:%016x%n", q, 0x100L + q, q, q + 1, 0x100L + q + 1, q + 1));
            }
        }
        Path f = Files.createTempFile("qemu", ".log");
        try {
            Files.writeString(f, log);
            List<CpuState> states = QemuReference.parse(f, HarnessBuilder.LOAD);
            assertThat(states).hasSize(2);
            assertThat(states.get(0).v()).isNull();
            CpuState s = states.get(1);
            assertThat(s.x()[28]).isEqualTo(28);
            assertThat(s.fpcr()).isEqualTo(0x03C0_0000L);
            assertThat(s.fpsr()).isEqualTo(0x10);
            assertThat(s.v()[0]).isEqualTo(0);
            assertThat(s.v()[1]).isEqualTo(0x100);
            assertThat(s.v()[62]).isEqualTo(31);
            assertThat(s.v()[63]).isEqualTo(0x11F);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void qemuLogParserStartsAtTheEntryAndSkipsExceptionNotes() throws Exception {
        StringBuilder log = new StringBuilder();
        for (long pc : new long[] {0x4000_0000L, HarnessBuilder.LOAD, HarnessBuilder.LOAD + 4}) {
            log.append(String.format(" PC=%016x X00=0000000044000000 X01=0000000000000000%n", pc));
            for (int r = 2; r < 29; r += 3) {
                log.append(String.format("X%02d=%016x X%02d=%016x X%02d=%016x%n", r, r, r + 1, r + 1, r + 2, r + 2));
            }
            log.append("X29=0000000000000000 X30=ffffffffffffffff  SP=0000000040001230\n");
            log.append("PSTATE=600003c5 -ZC- EL1h\n");
            log.append("Taking exception 1 [Undefined Instruction] on CPU 0\n...with ESR 0x0/0x2000000\n");
        }
        Path f = Files.createTempFile("qemu", ".log");
        try {
            Files.writeString(f, log);
            List<CpuState> states = QemuReference.parse(f, HarnessBuilder.LOAD);
            assertThat(states).hasSize(2);
            CpuState s = states.get(1);
            assertThat(s.pc()).isEqualTo(HarnessBuilder.LOAD + 4);
            assertThat(s.x()[0]).isEqualTo(0x4400_0000L);
            assertThat(s.x()[28]).isEqualTo(28);
            assertThat(s.x()[30]).isEqualTo(-1L);
            assertThat(s.sp()).isEqualTo(0x4000_1230L);
            assertThat(s.pstate()).isEqualTo(0x6000_03C5L);
            assertThat(s.v()).isNull();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void skipListRulesExcuseOnlyTheirOwnSymptom() {
        Harness h = harness(0x91000441);
        long[] x = new long[31];
        CpuState before = new CpuState(h.units().get(0).address, x, 0, 0x3C5);
        long vector = HarnessBuilder.VECTORS + 0x200;
        CpuState qemu = new CpuState(vector, x, 0, 0x0000_03C5L);
        CpuState dejaKeptNzcv = new CpuState(vector, x, 0, 0x6000_03C5L);
        assertThat(BlockRunner.knownDifference(skip, h, before, qemu, dejaKeptNzcv, before.pc()))
                .isEqualTo(SkipList.EXCEPTION_ENTRY_NZCV);
        long[] other = x.clone();
        other[3] = 1;
        CpuState dejaAlsoX3 = new CpuState(vector, other, 0, 0x6000_03C5L);
        assertThat(BlockRunner.knownDifference(skip, h, before, qemu, dejaAlsoX3, before.pc())).isNull();
        CpuState afterCmp = new CpuState(vector + 0x10, x, 0, 0x0000_03C5L);
        assertThat(BlockRunner.knownDifference(skip, h, before, afterCmp, new CpuState(vector + 0x10, x, 0, 0x6000_03C5L), before.pc()))
                .isNull();
    }

    @Test
    void issOp1Op2SwapMatchesQemusDaifSetSyndrome() {
        // MSR DAIFSet, #0xb trapped at EL0: QEMU reports 0x620793F6, the Arm ARM 0x620CD3F6.
        assertThat(BlockRunner.swapIssOp1Op2(0x620793F6L)).isEqualTo(0x620CD3F6L);
    }

    @Test
    void unallocatedIsOpcodeZero() {
        assertThat(A64Patterns.UNALLOCATED).isZero();
        assertThat(A64Decoder.name(0)).isEqualTo("UNALLOCATED");
    }
}
