package io.deja.core.difftest;

import io.deja.core.decode.A64Decoder;
import io.deja.core.difftest.BlockRunner.Mismatch;
import io.deja.core.difftest.BlockRunner.Result;
import io.deja.core.difftest.InstructionGenerator.Unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many seeded blocks (a few QEMU processes at a time) and sums them up:
 * instructions per opcode and per encoding group, and mismatches grouped by
 * instruction and symptom, each with its first occurrence in full.
 */
final class Campaign {
    /** Produces the units of one block, to run with setup, from that block's own random source. */
    interface BlockSource {
        List<Unit> units(SplittableRandom rnd, HarnessBuilder.Setup setup);
    }

    final String name;
    final long seed;
    final List<Result> results = new ArrayList<>();
    final Map<String, Integer> perOp = new TreeMap<>();
    final Map<String, Integer> perGroup = new TreeMap<>();
    /** Differences excused by skip-list rules, by rule. */
    final Map<String, Integer> tolerated = new TreeMap<>();
    long instructions, words, steps, fpSteps;

    private Campaign(String name, long seed) {
        this.name = name;
        this.seed = seed;
    }

    /** Block i uses seed + i: any block can be re-run alone. */
    static SplittableRandom blockRandom(long seed, int block) {
        return new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + block);
    }

    static Campaign run(String name, long seed, int firstBlock, int blocks, int threads, BlockSource source, SkipList skip, Path keepRoot) {
        Campaign c = new Campaign(name, seed);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (int b = firstBlock; b < firstBlock + blocks; b++) {
                int block = b;
                futures.add(pool.submit(() -> {
                    SplittableRandom rnd = blockRandom(seed, block);
                    HarnessBuilder.Setup setup = HarnessBuilder.Setup.random(rnd);
                    List<Unit> units = source.units(rnd, setup);
                    HarnessBuilder.Harness h = HarnessBuilder.build(units, rnd, setup);
                    return BlockRunner.run(String.format("%s-%x-%d", name, seed, block), h, keepRoot, skip);
                }));
            }
            for (Future<Result> f : futures) c.add(f.get(), blocks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return c;
    }

    private synchronized void add(Result r, int total) {
        steps += r.steps();
        fpSteps += r.fpSteps();
        for (Unit u : r.units()) {
            instructions++;
            words += u.words.length;
            perOp.merge(A64Decoder.name(u.op), 1, Integer::sum);
            perGroup.merge(InstructionGenerator.group(u.op), 1, Integer::sum);
        }
        // Keep what the report needs, not the units: a soak run has millions.
        results.add(new Result(r.block(), List.of(), r.steps(), r.fpSteps(), r.mismatches(), r.error(), r.kept(), r.tolerated()));
        r.tolerated().forEach((rule, n) -> tolerated.merge(rule, n, Integer::sum));
        if (total >= 50 && (results.size() % 25 == 0 || results.size() == total)) {
            System.err.printf("%s: %d/%d blocks, %d instructions, %d mismatches%n", name, results.size(), total, instructions,
                    mismatches().size());
        }
    }

    List<Mismatch> mismatches() {
        List<Mismatch> all = new ArrayList<>();
        for (Result r : results) all.addAll(r.mismatches());
        return all;
    }

    List<String> errors() {
        List<String> all = new ArrayList<>();
        for (Result r : results) if (r.error() != null) all.add(r.block() + ": " + r.error());
        return all;
    }

    boolean ok() {
        return mismatches().isEmpty() && errors().isEmpty();
    }

    /** The report printed by the tests: counts, then mismatches by instruction, then a few in full. */
    String report(int detailed) {
        StringBuilder s = new StringBuilder();
        List<Mismatch> all = mismatches();
        s.append(String.format("%s (seed 0x%x): %d blocks, %d instructions (%d words with fix-ups), %d steps compared (%d with V0-V31, FPCR, FPSR), %d mismatches, %d errors%n",
                name, seed, results.size(), instructions, words, steps, fpSteps, all.size(), errors().size()));
        s.append("  per group:");
        perGroup.forEach((g, n) -> s.append(String.format(" %s %d;", g, n)));
        s.append('\n');
        s.append("  per opcode:");
        perOp.forEach((op, n) -> s.append(String.format(" %s %d", op, n)));
        s.append('\n');
        if (!tolerated.isEmpty()) {
            s.append("  known differences excused by skip-list rules:");
            tolerated.forEach((rule, n) -> s.append(String.format(" %s %d;", rule, n)));
            s.append('\n');
        }
        for (String e : errors()) s.append("  ERROR ").append(e).append('\n');
        if (!all.isEmpty()) {
            Map<String, List<Mismatch>> byKey = new LinkedHashMap<>();
            for (Mismatch m : all) byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
            s.append("  mismatches by instruction and symptom (count, first occurrence):\n");
            byKey.entrySet().stream()
                    .sorted((a, b) -> b.getValue().size() - a.getValue().size())
                    .forEach(e -> s.append(String.format("  %6d  %-40s %s%n", e.getValue().size(), e.getKey(),
                            e.getValue().get(0).oneLine())));
            s.append("  first mismatches in full:\n");
            byKey.values().stream().limit(detailed).forEach(l -> s.append(l.get(0).detail().indent(4)));
            for (Result r : results) {
                if (r.kept() != null) {
                    s.append("  kept for inspection: ").append(r.kept().getParent()).append('\n');
                    break;
                }
            }
        }
        return s.toString();
    }
}
