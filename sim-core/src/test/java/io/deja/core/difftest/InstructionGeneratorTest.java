package io.deja.core.difftest;

import io.deja.core.decode.A64Decoder;
import io.deja.core.difftest.HarnessBuilder.Harness;
import io.deja.core.difftest.InstructionGenerator.Unit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** What the generator promises: every opcode, decodable words, accesses inside the scratch area, forward branches. */
class InstructionGeneratorTest {
    private final SkipList skip = SkipList.load();

    @Test
    void everyGenerableOpcodeDecodesToItself() {
        InstructionGenerator g = new InstructionGenerator(new SplittableRandom(1), skip);
        for (int op : g.generable()) {
            for (int i = 0; i < 50; i++) {
                Unit u = g.generate(op);
                assertThat(A64Decoder.decode(u.main())).as(A64Decoder.name(op)).isEqualTo(op);
            }
        }
    }

    @Test
    void generatesEveryPatternExceptMachineLevelOnes() {
        List<String> missing = new ArrayList<>();
        int[] generable = InstructionGenerator.generableOps(skip);
        for (int op = 1; op < A64Decoder.count(); op++) {
            boolean drawn = false;
            for (int g : generable) drawn |= g == op;
            // The scalar FP rows are drawn too: the harness seeds V0-V31, FPCR and FPSR.
            if (!drawn) missing.add(A64Decoder.name(op));
        }
        assertThat(missing).containsExactlyInAnyOrder("SYSL");
    }

    @Test
    void accessesStayInsideTheScratchAreaAndAreAligned() {
        InstructionGenerator g = new InstructionGenerator(new SplittableRandom(2), skip);
        for (int i = 0; i < 20_000; i++) {
            Unit u = g.next();
            if (u.memTarget < 0 || u.patch == InstructionGenerator.Patch.LITERAL) continue;
            assertThat(u.memTarget).isBetween(HarnessBuilder.SCRATCH, HarnessBuilder.SCRATCH + HarnessBuilder.SCRATCH_SIZE - u.memSpan);
            assertThat(u.memTarget % u.memAlign).as("%s at %x", A64Decoder.name(u.op), u.memTarget).isZero();
        }
    }

    @Test
    void generatedCodeNeverWritesTheHarnessRegisters() {
        InstructionGenerator g = new InstructionGenerator(new SplittableRandom(3), skip);
        for (int i = 0; i < 20_000; i++) {
            Unit u = g.next();
            String pattern = A64Decoder.pattern(u.op);
            for (int lo : new int[] {0, 10, 16}) {
                char f = InstructionGenerator.registerField(pattern, lo);
                if (f == 'd' || f == 'u' || f == 's' || (f == 't' && !InstructionGenerator.tagged(u.op, "branch"))) {
                    assertThat(InstructionGenerator.reserved((u.main() >>> lo) & 31)).as("%08x %s", u.main(), A64Decoder.name(u.op)).isFalse();
                }
            }
        }
    }

    @Test
    void branchesGoForwardToAUnitStartInsideTheBlock() {
        SplittableRandom rnd = new SplittableRandom(4);
        List<Unit> units = new InstructionGenerator(rnd, skip).block(2000);
        Harness h = HarnessBuilder.build(units, rnd);
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (u.patch == InstructionGenerator.Patch.NONE || u.patch == InstructionGenerator.Patch.LITERAL
                    || u.patch == InstructionGenerator.Patch.REWRITE || u.patch == InstructionGenerator.Patch.ADR_OWN_NOP) continue;
            int w = u.patch == InstructionGenerator.Patch.ADR ? u.words[0] : u.main();
            long from = u.patch == InstructionGenerator.Patch.ADR ? u.address : u.mainAddress();
            long target = from + switch (u.patch) {
                case IMM26 -> (long) ((w << 6) >> 6) << 2;
                case IMM19 -> (long) ((w << 8) >> 13) << 2;
                case IMM14 -> (long) ((w << 13) >> 18) << 2;
                default -> ((long) ((w << 8) >> 13) << 2) | ((w >>> 29) & 3);
            };
            int expected = Math.min(i + 1 + u.skip, units.size());
            long expectedAddress = expected == units.size() ? h.blockEnd() : units.get(expected).address;
            assertThat(target).as("unit %d %s", i, A64Decoder.name(u.op)).isEqualTo(expectedAddress);
        }
    }
}
