package io.deja.core.difftest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The long run: N million generated instructions against QEMU, N million
 * random words alone in Deja and N x 20,000 random words against QEMU.
 * Excluded from the default build; run it with {@code scripts/difftest.sh N [SEED]}
 * (or Maven with -Pslow). N: -Ddeja.difftest.millions or DEJA_DIFFTEST_MILLIONS
 * (default 1). Seed: -Ddeja.difftest.seed or DEJA_DIFFTEST_SEED (default: a
 * new one per run, printed so that a failure can be replayed). Focus: -Ddeja.difftest.only
 * or DEJA_DIFFTEST_ONLY, a regex on row names and handlers (e.g. {@code SimdShift\.}):
 * the generator draws only the rows it matches.
 */
@Tag("slow")
class DifferentialSoakTest {
    static final int UNITS_PER_BLOCK = 2000;

    static SkipList skip;
    static double millions;
    static long seed;
    static int threads;

    @BeforeAll
    static void setUp() {
        assertThat(QemuReference.available()).as("qemu-system-aarch64 is needed (scripts/install-deps.sh)").isTrue();
        skip = SkipList.load();
        String only = setting("deja.difftest.only", "DEJA_DIFFTEST_ONLY", null);
        if (only != null) skip.only(only);
        millions = Double.parseDouble(setting("deja.difftest.millions", "DEJA_DIFFTEST_MILLIONS", "1"));
        String s = setting("deja.difftest.seed", "DEJA_DIFFTEST_SEED", null);
        seed = s != null ? Long.decode(s) : System.nanoTime() ^ System.currentTimeMillis() << 20;
        threads = Integer.decode(setting("deja.difftest.threads", "DEJA_DIFFTEST_THREADS",
                Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors()))));
        System.out.printf("difftest soak: %s million, seed 0x%x (DEJA_DIFFTEST_SEED=0x%x replays it), %d threads%n",
                millions, seed, seed, threads);
    }

    static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null) v = System.getenv(env);
        return v != null ? v : fallback;
    }

    @Test
    void millionsOfGeneratedInstructionsMatchQemu() {
        int blocks = (int) Math.max(1, millions * 1_000_000 / UNITS_PER_BLOCK);
        Campaign c = Campaign.run("soak", seed, 0, blocks, threads,
                (rnd, setup) -> new InstructionGenerator(rnd, skip, setup).block(UNITS_PER_BLOCK), skip, DifferentialTest.keepRoot());
        String report = c.report(10);
        System.out.println(report);
        if (!c.ok()) fail(report);
    }

    @Test
    void millionsOfRandomWordsNeverRaiseHostExceptionsInDeja() {
        RandomWords.SoloResult r = RandomWords.runAlone(seed, (long) (millions * 1_000_000));
        System.out.println(r.summary());
        if (!r.hostExceptions().isEmpty()) fail(r.summary() + "\n" + String.join("\n", r.hostExceptions()));
    }

    @Test
    void randomWordsMatchQemu() {
        Campaign c = Campaign.run("soak-words", seed, 0, (int) Math.max(1, millions * 10), threads,
                (rnd, setup) -> RandomWords.comparableBlock(rnd, 2000, skip), skip, DifferentialTest.keepRoot());
        String report = c.report(10);
        System.out.println(report);
        if (!c.ok()) fail(report);
    }
}
