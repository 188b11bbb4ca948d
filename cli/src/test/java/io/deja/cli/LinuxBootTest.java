package io.deja.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static io.deja.cli.HuntCommandTest.deja;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's arm64 kernel boots the scripted busybox initramfs
 * (scripts/linux-guest.sh, kernels/linux/init) to its final marker and powers
 * off, with GICv2 on one CPU and with GICv3 on two (--smp 2: a redistributor
 * and ICC_* interface each); both boots are recorded at events level and
 * replay bit-exactly. Each boot is about 0.94-0.96 G instructions.
 *
 * Without the guest (no network for apt-get download) the test fails in CI
 * (CI=true) and is skipped elsewhere.
 */
class LinuxBootTest {
    private static final String APPEND = "console=ttyAMA0 rdinit=/init";
    private static final String BUDGET = "2G";
    private static Path image, initrd;

    @BeforeAll
    static void prepareGuest() {
        Path dir = LinuxGuest.dir();
        image = dir.resolve("Image");
        initrd = dir.resolve("initrd.cpio.gz");
    }

    private record Boot(HuntCommandTest.Cli cli, String console) {}

    /** Runs deja with args, the guest console (standard output) captured. */
    private static Boot boot(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            return new Boot(deja(args), console.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    /** What kernels/linux/init prints, checked line by line where it is fixed and by pattern where it depends on the kernel. */
    private static void checkScript(Boot b) {
        String c = b.console().replace("\r", "");
        assertThat(b.cli().exit()).as(b.cli().err() + "\n" + tail(c)).isZero();
        assertThat(b.cli().err()).as(tail(c)).contains("guest powered off (PSCI SYSTEM_OFF)");
        assertThat(c).contains("Booting Linux on physical CPU 0x0000000000", "Run /init as init process", "DEJA-INIT: start", "DEJA-INIT: done");
        assertThat(c.indexOf("DEJA-INIT: done")).isGreaterThan(c.indexOf("DEJA-INIT: start"));
        assertThat(c).containsPattern(Pattern.compile("(?m)^Linux \\(none\\) 6\\.1\\.\\S+-arm64 #1 SMP Debian \\S+ \\(\\d{4}-\\d\\d-\\d\\d\\) aarch64 GNU/Linux$"));
        assertThat(c).contains("Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\n", "CPU part\t: 0xd07\n");
        assertThat(c).containsPattern("(?m)^ *\\d+:( +\\d+)+ +GIC\\S* +27 Level +arch_timer$");
        assertThat(c).contains("6*7=42 2^40=1099511627776 -7/2=-3\n", "22/7=3.142857 1/3=0.333333 2^-20=9.53674e-07\n");
        assertThat(c).contains("d08fe73234adf98e4621148c2cf0c830d4e8b41e64cd64678bcf7dd78feb2337  /etc/deja/known.txt\n");
        // The PL031 starts at 2026-01-01T00:00:00Z (the default --rtc-start) and follows virtual time: some 15 s of boot.
        assertThat(c).containsPattern("(?m)^== date\n2026-01-01T00:00:[0-5]\\dZ$");
        assertThat(c).contains("== pipeline\napple=3\nfig=2\n4\nDEJA-INIT: done\n");
        assertThat(c).doesNotContain("Kernel panic");
    }

    private static String tail(String console) {
        return console.length() <= 3000 ? console : console.substring(console.length() - 3000);
    }

    /** The GICv2 boot (the baseline) and the two-CPU GICv3 boot, both recorded at events level once for every test. */
    @TempDir
    static Path recordings;
    private static Boot v2, v3;

    private static synchronized void recordBoots() {
        if (v2 != null) return;
        v2 = boot("record", "--kernel", image.toString(), "--initrd", initrd.toString(), "--append", APPEND, "--mem", "512M",
                "--trace", "events", "--max-insns", BUDGET, "--out", recordings.resolve("v2").toString());
        v3 = boot("record", "--kernel", image.toString(), "--initrd", initrd.toString(), "--append", APPEND, "--mem", "512M",
                "--gic", "3", "--smp", "2", "--trace", "events", "--max-insns", BUDGET, "--out", recordings.resolve("v3").toString());
    }

    @Test
    void gicV2BootRecordedAtEventsLevelReplaysBitExactly() {
        recordBoots();
        checkScript(v2);
        HuntCommandTest.Cli replay = deja("replay", recordings.resolve("v2").toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:").contains(": Image, initrd initrd.cpio.gz on virt, 512 MiB");
    }

    @Test
    void twoCpuGicV3BootRunsTheScriptAndReplaysBitExactly() {
        recordBoots();
        checkScript(v3);
        // As under QEMU 7.2 with -M virt,gic-version=3,its=off -smp 2.
        String c = v3.console().replace("\r", "");
        assertThat(c).contains("GICv3: 224 SPIs implemented", "GICv3  27 Level     arch_timer",
                "GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000",
                "GICv3: CPU1: found redistributor 1 region 0:0x00000000080c0000",
                "smp: Brought up 1 node, 2 CPUs", "processor\t: 0\n", "processor\t: 1\n");
        assertThat(c).doesNotContain("processor\t: 2");
        assertThat(c).containsPattern("(?m)^IPI0: +\\d+ +\\d+ +Rescheduling interrupts$");
        HuntCommandTest.Cli replay = deja("replay", recordings.resolve("v3").toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("bit-exact:");
    }

    /**
     * The query library's clock is each CPU's own: once the console is live (after the switch to
     * arch_sys_counter, before which printk buffers its lines), every line's virtual time on the
     * clock of the CPU that wrote it (console_lines.seconds) lies the same offset ahead of the
     * kernel's printk timestamp, which each CPU reads from its own counter (sched_clock starts
     * after the machine). On a four-CPU boot the offset varied by 0.08 ms over 73 lines of all four
     * CPUs; CPU 0's clock at the other CPUs' icounts was 0.5 to 12 s off.
     */
    @Test
    void consoleLineTimesFollowEachCpusOwnClock() {
        recordBoots();
        HuntCommandTest.Cli q = deja("query", recordings.resolve("v3").toString(), "--format", "csv", """
                SELECT count(DISTINCT cpu), max(off) - min(off) < 0.001 FROM (
                    SELECT cpu, seconds - TRY_CAST(regexp_extract(text, '^\\[ *([0-9]+\\.[0-9]+)\\]', 1) AS DOUBLE) AS off
                    FROM console_lines
                    WHERE line > (SELECT min(line) FROM console_lines WHERE text LIKE '%Switched to clocksource arch_sys_counter%'))
                WHERE off IS NOT NULL""");
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out().strip().lines().toList()).last().isEqualTo("2,true");
    }

    @Test
    void theBootReachesEveryBuiltInStageInOrderAndTheStageDiffIsACiGate() {
        recordBoots();
        String a = recordings.resolve("v2").toString(), b = recordings.resolve("v3").toString();
        HuntCommandTest.Cli stages = deja("stages", a);
        assertThat(stages.exit()).as(stages.err()).isZero();
        List<String> order = List.of("first-tick", "first-output", "booting", "gic", "arch-timer", "free-init-mem", "run-init",
                "first-el0-trap", "init-start", "init-done", "power-off", "end");
        int at = -1;
        for (String stage : order) {
            int k = stages.out().indexOf("\n  " + stage + " ");
            assertThat(k).as(stage + " in\n" + stages.out()).isGreaterThan(at);
            at = k;
        }
        assertThat(stages.out()).doesNotContain("not reached", "FORBIDDEN").endsWith("stages: no forbidden stage reached (8 looked for: panic, oops, bug, warning, call-trace, soft-lockup, rcu-stall, hung-task)\n");
        // The same boot against itself passes the gate; GICv3 against GICv2 lines up every stage.
        HuntCommandTest.Cli same = deja("diff", a, a, "--threshold", "5%");
        assertThat(same.exit()).as(same.out() + same.err()).isZero();
        assertThat(same.out().strip()).endsWith("stages: no regression (B against baseline A, threshold 5%)");
        HuntCommandTest.Cli gic = deja("diff", a, b, "--threshold", "5%");
        String verdict = gic.out().strip().substring(gic.out().strip().lastIndexOf('\n') + 1);
        assertThat(gic.exit()).as(gic.out() + gic.err()).isEqualTo(verdict.startsWith("stages: REGRESSION") ? 1 : 0);
        for (String stage : order) assertThat(gic.out()).contains("\n  " + stage + " ");
        assertThat(gic.out()).doesNotContain("DISAPPEARED", "REORDERED");
    }
}
