package io.deja.core.difftest;

import io.deja.core.decode.A64Decoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Deja against QEMU 7.2, instruction by instruction (see the difftest package):
 * a seeded sample of generated instructions covering every generated opcode,
 * random words run alone in Deja, and random words compared with QEMU.
 * Known, explained differences live in src/test/resources/difftest/skip-list.txt.
 * Seed: -Ddeja.difftest.seed=N or DEJA_DIFFTEST_SEED. Failing blocks are kept
 * (image, QEMU log, report) under java.io.tmpdir/deja-difftest-failures.
 */
class DifferentialTest {
    static final int BLOCKS = 64, UNITS_PER_BLOCK = 500, THREADS = 2;
    /** The FP/SIMD issue's floor: at least this many generated FP/SIMD instructions per CI run. */
    static final int FP_SIMD_FLOOR = 20_000;
    static final long RANDOM_WORDS_ALONE = 1_000_000;
    static final int RANDOM_WORD_BLOCKS = 4, RANDOM_WORDS_PER_BLOCK = 1000;

    static SkipList skip;

    @BeforeAll
    static void setUp() {
        assertThat(QemuReference.available())
                .as("qemu-system-aarch64 is needed for the differential tests (scripts/install-deps.sh)").isTrue();
        skip = SkipList.load();
    }

    static long seed() {
        String s = System.getProperty("deja.difftest.seed", System.getenv("DEJA_DIFFTEST_SEED"));
        return s == null ? 0xDE1A_2025L : Long.decode(s);
    }

    /** Rows of the FP and Advanced SIMD tables (their handlers live in the Fp*, Simd* and Crypto* classes). */
    static boolean isFpSimd(int op) {
        String cls = A64Decoder.handlerClass(op);
        return cls.startsWith("Fp") || cls.startsWith("Simd") || cls.startsWith("Crypto");
    }

    static Path keepRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "deja-difftest-failures");
    }

    @Test
    void generatedInstructionsMatchQemu() {
        Campaign c = Campaign.run("generated", seed(), 0, BLOCKS, THREADS,
                (rnd, setup) -> new InstructionGenerator(rnd, skip, setup).block(UNITS_PER_BLOCK), skip, keepRoot());
        String report = c.report(5);
        System.out.println(report);

        assertThat(c.instructions).isGreaterThanOrEqualTo(20_000);
        int fpSimd = 0;
        for (int op = 1; op < A64Decoder.count(); op++) {
            if (isFpSimd(op)) fpSimd += c.perOp.getOrDefault(A64Decoder.name(op), 0);
        }
        assertThat(fpSimd).as("generated FP/SIMD instructions").isGreaterThanOrEqualTo(FP_SIMD_FLOOR);
        TreeSet<String> never = new TreeSet<>();
        for (int op : InstructionGenerator.generableOps(skip)) {
            if (!c.perOp.containsKey(A64Decoder.name(op))) never.add(A64Decoder.name(op));
        }
        assertThat(never).as("opcodes the sample never generated").isEmpty();
        if (!c.ok()) fail(report);
    }

    @Test
    void randomWordsNeverRaiseHostExceptionsInDeja() {
        RandomWords.SoloResult r = RandomWords.runAlone(seed(), RANDOM_WORDS_ALONE);
        System.out.println(r.summary());
        if (!r.hostExceptions().isEmpty()) fail(r.summary() + "\n" + String.join("\n", r.hostExceptions()));
    }

    @Test
    void randomWordsMatchQemu() {
        Campaign c = Campaign.run("random-words", seed(), 0, RANDOM_WORD_BLOCKS, THREADS,
                (rnd, setup) -> RandomWords.comparableBlock(rnd, RANDOM_WORDS_PER_BLOCK, skip), skip, keepRoot());
        String report = c.report(5);
        System.out.println(report);
        if (!c.ok()) fail(report);
    }
}
