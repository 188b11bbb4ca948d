package io.deja.cli;

import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.analysis.query.ResultFormat;
import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.trace.TraceLevel;
import io.deja.recorder.Plural;
import io.deja.replayer.ReplayOptions;
import io.deja.replayer.ReplayResult;
import io.deja.replayer.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * deja demo: the whole pipeline on the heisenbug kernel. Runs it once without
 * chaos (it passes), hunts a failing chaos seed with a full trace, replays
 * the recording bit-exactly, runs docs/queries/heisenbug.sql on it and
 * explains the answer. With --race the same story on four CPUs: smp_race's
 * lost update, hunted over schedules and explained by docs/queries/smp_race.sql.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Hunts the heisenbug of kernels/heisenbug.S (a timer interrupt handler that",
            "clobbers X9), replays the failing run bit-exactly and runs the query that",
            "explains it (docs/queries/heisenbug.sql). Takes a few seconds.",
            "With --race: the same on four CPUs, a lost update of kernels/smp_race.S (a",
            "lock set with a plain store where a store-exclusive belongs), hunted over",
            "schedules and explained by docs/queries/smp_race.sql."
        })
public final class DemoCommand implements Callable<Integer> {
    static final String KERNEL = "kernels/build/heisenbug.raw";
    static final String QUERY = "docs/queries/heisenbug.sql";
    static final String TEXT = "X9 CORRUPT";
    static final SeedRange SEEDS = new SeedRange(1, 500);
    static final String RACE_KERNEL = "kernels/build/smp_race.virt.bin";
    static final String RACE_QUERY = "docs/queries/smp_race.sql";
    static final String RACE_TEXT = "LOST UPDATE";
    static final int RACE_CPUS = 4;
    static final SeedRange RACE_SEEDS = new SeedRange(1, 200);

    @Option(names = "--race", description = "The race between CPUs instead: smp_race on four CPUs (--smp 4), its lost update hunted over schedules, replayed and explained.")
    boolean race;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the failing run's recording goes (must not exist, or be empty; default: a new directory under the system temp directory).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return race ? race() : heisenbug();
    }

    private Integer heisenbug() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path home = home();
        Path kernel = existing(home, KERNEL);
        Path query = existing(home, QUERY);
        Path dir = outDir();
        MachineConfig config = MachineOptions.config(Board.VIBE.cliName(), kernel.toString(), null, null, null);
        Path shownKernel = shown(home, kernel);
        java.util.function.Function<Path, java.util.List<io.deja.recorder.RecordedImage>> images =
                rec -> java.util.List.of(io.deja.recorder.RecordedImage.of(kernel, config.image(), rec));

        o.println("Deja demo: a heisenbug, hunted, replayed and explained.");
        o.println();
        o.println("kernels/heisenbug.S keeps a live value in X9 for three instructions of a 512-instruction loop;");
        o.println("its timer interrupt handler uses X9 without saving it. Deja is deterministic: without chaos the");
        o.println("20 ticks land at the same places every run, all outside the window, and the guest passes:");
        HuntRun.Outcome plain = new HuntRun(config, images, 0, TraceLevel.EVENTS, HuntCommand.DEFAULT_BUDGET, dir).runWithoutChaos();
        o.printf(Locale.ROOT, "  %s%n", lastLine(plain.console()));
        o.println();

        o.printf(Locale.ROOT, "1. Hunt: each seed delays every interrupt delivery by a seeded 0..1023 instructions.%n");
        o.printf(Locale.ROOT, "   $ deja hunt --binary %s --seeds %s --until-console \"%s\" --trace full --out %s%n", shownKernel, SEEDS, TEXT, dir);
        o.flush();
        long start = System.nanoTime();
        Optional<Hunter.Found> found = new Hunter(config, images, TraceLevel.FULL, HuntCommand.DEFAULT_BUDGET, false)
                .hunt(SEEDS, TEXT, dir);
        if (found.isEmpty()) {
            throw new UserError("no seed in " + SEEDS + " made heisenbug fail: the kernel or the chaos jitter changed", Main.EXIT_FAILURE);
        }
        Hunter.Found f = found.get();
        o.printf(Locale.ROOT, "   seed %d: %s%n", f.seed(), f.line());
        o.printf(Locale.ROOT, "   (%s passed before it; recorded %s, %s; %.1f s)%n",
                Plural.count(f.passed(), "seed"), Plural.count(f.outcome().instructions(), "instruction"), Plural.count(f.outcome().events(), "event"),
                seconds(start));
        o.println();

        o.println("2. Replay: the recording rebuilds the machine and every event and checkpoint must match.");
        replayStep(o, dir);

        o.println("3. Query: who wrote the bad X9, which interrupt was it, and who read it?");
        QueryResult result = queryStep(o, dir, home, query);
        o.println(explain(result));
        o.println();
        return closing(o, dir, "SELECT * FROM reg_history('X9') ORDER BY icount DESC LIMIT 5");
    }

    private Integer race() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path home = home();
        Path kernel = existing(home, RACE_KERNEL);
        Path query = existing(home, RACE_QUERY);
        Path dir = outDir();
        MachineConfig config = MachineOptions.config(Board.VIRT.cliName(), kernel.toString(), null, null, null)
                .withCpus(RACE_CPUS).withQuantum(MachineConfig.DEFAULT_QUANTUM);
        Path shownKernel = shown(home, kernel);
        java.util.function.Function<Path, java.util.List<io.deja.recorder.RecordedImage>> images =
                rec -> java.util.List.of(io.deja.recorder.RecordedImage.of(kernel, config.image(), rec));

        o.println("Deja demo: a race between CPUs, hunted, replayed and explained.");
        o.println();
        o.printf(Locale.ROOT, "kernels/smp_race.S runs %d CPUs that each add 1 to a shared counter 1,000 times under a lock.%n", RACE_CPUS);
        o.println("The lock is broken: `ldaxr` sees it free, then a plain `str` sets it where a store-exclusive");
        o.println("(`stxr`, which fails if another CPU set the lock meanwhile) belongs. Deja runs the CPUs in turn,");
        o.printf(Locale.ROOT, "in slices of %,d instructions; without chaos the schedule is the same every run and the guest passes:%n",
                MachineConfig.DEFAULT_QUANTUM);
        HuntRun.Outcome plain = new HuntRun(config, images, 0, TraceLevel.EVENTS, HuntCommand.DEFAULT_BUDGET, dir).runWithoutChaos();
        o.printf(Locale.ROOT, "  %s%n", lastLine(plain.console()));
        o.println();

        o.println("1. Hunt: each seed draws the CPUs' order and where each slice ends (and interrupt jitter).");
        o.printf(Locale.ROOT, "   $ deja hunt --board virt --binary %s --smp %d --seeds %s --until-console \"%s\" --trace full --out %s%n",
                shownKernel, RACE_CPUS, RACE_SEEDS, RACE_TEXT, dir);
        o.flush();
        long start = System.nanoTime();
        Optional<Hunter.Found> found = new Hunter(config, images, TraceLevel.FULL, HuntCommand.DEFAULT_BUDGET, false)
                .hunt(RACE_SEEDS, RACE_TEXT, dir);
        if (found.isEmpty()) {
            throw new UserError("no seed in " + RACE_SEEDS + " made smp_race lose an update: the kernel or the scheduler changed", Main.EXIT_FAILURE);
        }
        Hunter.Found f = found.get();
        String counter = f.outcome().console().lines().filter(l -> l.startsWith("counter=")).findFirst().orElse("");
        o.printf(Locale.ROOT, "   seed %d: %s (%s, %,d expected)%n", f.seed(), f.line(), counter, RACE_CPUS * 1000);
        o.printf(Locale.ROOT, "   (%s passed before it; recorded %s, %s; %.1f s)%n",
                Plural.count(f.passed(), "seed"), Plural.count(f.outcome().instructions(), "instruction"), Plural.count(f.outcome().events(), "event"),
                seconds(start));
        o.println();

        o.println("2. Replay: the recording rebuilds the machine and the schedule from the seed; every event and");
        o.println("   checkpoint (all CPUs, the scheduler, the exclusive monitor) must match.");
        replayStep(o, dir);

        o.println("3. Query: which CPUs were inside the lock together, and whose increments were lost?");
        o.println("   (icount: the CPU's own instruction count; global: the machine's, from the slices table)");
        QueryResult result = queryStep(o, dir, home, query);
        o.println(explainRace(result));
        o.println();
        return closing(o, dir, "SELECT cpu, icount, total FROM slices ORDER BY total");
    }

    /** Step 2 of either story: the replay's proof, timed. */
    private static void replayStep(PrintWriter o, Path dir) {
        o.printf(Locale.ROOT, "   $ deja replay %s%n", dir);
        o.flush();
        long start = System.nanoTime();
        o.printf(Locale.ROOT, "   %s (%.1f s)%n", replay(dir), seconds(start));
        o.println();
    }

    /** Step 3 of either story: the documented query's rows as a table, timed. */
    private static QueryResult queryStep(PrintWriter o, Path dir, Path home, Path query) throws IOException {
        o.printf(Locale.ROOT, "   $ deja query %s --file %s%n", dir, shown(home, query));
        o.flush();
        long start = System.nanoTime();
        QueryResult result = query(dir, Files.readString(query));
        StringWriter table = new StringWriter();
        ResultFormat.TABLE.print(result, new PrintWriter(table), true);
        table.toString().lines().forEach(line -> o.println("   " + line));
        o.printf(Locale.ROOT, "   (export and query: %.1f s)%n", seconds(start));
        o.println();
        return result;
    }

    private static int closing(PrintWriter o, Path dir, String exampleSql) {
        o.printf(Locale.ROOT, "The recording stays in %s: replay it again, or ask your own questions, e.g.%n", dir);
        o.printf(Locale.ROOT, "  $ deja query %s \"%s\"%n", dir, exampleSql);
        o.flush();
        return 0;
    }

    /** The first lost update in words, from the query's rows (its steps, in global order). */
    static String explainRace(QueryResult r) {
        if (r.rows().isEmpty()) {
            return "The query found no counter store that overwrote another CPU's: unexpected for a failing run.";
        }
        Row look = null, take = null, read = null, intrude = null, last = null, stale = null;
        for (int i = 0; i < r.rows().size(); i++) {
            Row row = new Row(r, i, RACE_QUERY);
            if (row.num("lost").intValue() != 1) continue;
            String what = row.text("what");
            if (what.endsWith("sees the lock free")) look = row;
            else if (what.endsWith("sets the lock")) take = row;
            else if (what.endsWith("reads the counter")) read = row;
            else if (what.contains("sets the lock CPU")) intrude = row;
            else if (what.contains("stores the last of")) last = row;
            else if (what.contains("stores its stale count")) stale = row;
        }
        if (look == null || take == null || read == null || intrude == null || last == null || stale == null) {
            throw new IllegalStateException(RACE_QUERY + " no longer tells a lost update in its six steps");
        }
        long lostIncrements = last.num("value").longValue() + 1 - stale.num("value").longValue();
        return String.format(Locale.ROOT, """
                What happened (the first lost update):
                  - CPU %d held the lock (its `str w2, [x1]` at global icount %,d) and read the counter, %,d, at
                    0x%x (its icount %,d, global %,d); then its slice ended before its store.
                  - CPU %d, whose `ldaxr` had seen the lock free at global %,d, set it at global %,d although
                    CPU %d held it: a plain `str` cannot fail. From then on the CPUs' critical sections overlap.
                  - The other CPUs carried the counter on to %,d (CPU %d's store at its icount %,d, global %,d).
                  - CPU %d came back and stored %,d at global %,d: %s lost.
                  The fix: set the lock with `stxr w3, w2, [x1]` and retry while w3 != 0: a store-exclusive fails
                  when another CPU wrote the lock after this CPU's `ldaxr`.""",
                take.num("cpu").intValue(), take.num("global"), read.num("value"), read.num("pc"), read.num("icount"), read.num("global"),
                intrude.num("cpu").intValue(), look.num("global"), intrude.num("global"), take.num("cpu").intValue(),
                last.num("value"), last.num("cpu").intValue(), last.num("icount"), last.num("global"),
                stale.num("cpu").intValue(), stale.num("value"), stale.num("global"),
                Plural.count(lostIncrements, "increment was", "increments were"));
    }

    private Path outDir() throws IOException {
        Path dir = out != null ? out : Files.createTempDirectory("deja-demo-");
        RecordCommand.prepareOut(dir, false);
        return dir;
    }

    private static Path existing(Path home, String file) {
        Path p = home.resolve(file);
        if (Files.isRegularFile(p)) return p;
        if (file.startsWith("kernels/build/")) {
            throw new UserError(p + ": missing (build the kernels: make -C " + home.resolve("kernels") + ")", Main.EXIT_FAILURE);
        }
        throw new UserError(p + ": missing", Main.EXIT_FAILURE);
    }

    /** Replays the recording and returns its verdict ("bit-exact: ..."); a divergence is an error. */
    static String replay(Path dir) {
        ReplayResult r = Replayer.replay(dir, ReplayOptions.defaults());
        if (!r.bitExact()) throw new UserError("the replay diverged from the recording:\n" + r.report(), Main.EXIT_FAILURE);
        return String.format(Locale.ROOT, "bit-exact: %s and %s match the recording, final state hash %016x",
                Plural.count(r.events(), "event"), Plural.count(r.instructions(), "instruction"), r.finalHash().combined());
    }

    /** Exports the recording (if needed) and runs sql on it. */
    static QueryResult query(Path dir, String sql) {
        Path arrow = Query.defaultExportDir(dir);
        Query.ensureExported(dir, arrow);
        try (Database db = Database.open(arrow)) {
            return Query.run(db, sql);
        }
    }

    /** The query's answer in words, from its one row (or what it means when there is none). */
    static String explain(QueryResult r) {
        if (r.rows().isEmpty()) {
            return "The query found no interrupt whose handler returned a changed X9 that was then read: unexpected for a failing run.";
        }
        Row row = new Row(r, 0, QUERY);
        return String.format(Locale.ROOT, """
                What happened:
                  - The virtual timer's interrupt (INTID %d) was taken at icount %,d, interrupting the main loop
                    at 0x%x while X9 held %s, a live value.
                  - In the handler, `%s` at 0x%x (icount %,d) overwrote X9, and the handler returned
                    without restoring it.
                  - Back in the loop, `%s` at 0x%x (icount %,d) read X9 = %s instead of %s:
                    the guest's invariant check failed and it printed "%s".
                  The fix: save and restore X9 in the handler. AAPCS64 lets a function clobber X9, an interrupt
                  handler must preserve every register the interrupted code may hold live.""",
                row.num("intid").intValue(), row.num("interrupt_icount"), row.num("interrupted_pc"), row.hex("x9_when_interrupted"),
                row.text("handler_insn"), row.num("handler_pc"), row.num("handler_icount"),
                row.text("read_insn"), row.num("read_pc"), row.num("read_icount"), row.hex("x9_after_eret"),
                row.hex("x9_when_interrupted"), TEXT);
    }

    /** One result row, read by column name. */
    private record Row(QueryResult r, int index, String query) {
        Object get(String column) {
            int c = r.columns().indexOf(column);
            if (c < 0) throw new IllegalStateException(query + " no longer returns column " + column);
            return r.rows().get(index)[c];
        }

        BigInteger num(String column) {
            Object v = get(column);
            if (v instanceof BigInteger b) return b;
            if (v instanceof Number n) return BigInteger.valueOf(n.longValue());
            throw new IllegalStateException(query + ": column " + column + " is " + v);
        }

        String hex(String column) {
            Object v = get(column);
            return v == null ? "(unknown)" : "0x" + num(column).toString(16);
        }

        String text(String column) {
            return String.valueOf(get(column));
        }
    }

    private static String lastLine(String console) {
        String s = console.stripTrailing();
        return s.substring(s.lastIndexOf('\n') + 1);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A path as the user would type it: relative to the current directory when it is inside it. */
    private static Path shown(Path home, Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
    }

    /**
     * The Deja checkout: the launcher's -Ddeja.home, else the first directory
     * upwards from the current one that holds kernels/Makefile.
     */
    static Path home() {
        String prop = System.getProperty("deja.home");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath();
        Path cwd = Path.of("").toAbsolutePath();
        for (Path d = cwd; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("kernels/Makefile"))) return d;
        }
        throw new UserError("cannot find the Deja checkout (no kernels/Makefile in " + cwd + " or above): run deja demo from it",
                Main.EXIT_FAILURE);
    }
}
