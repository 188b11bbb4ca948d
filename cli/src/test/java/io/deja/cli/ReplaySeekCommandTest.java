package io.deja.cli;

import io.deja.replayer.SnapshotIndex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deja replay --at and --index on a copy of the committed heisenbug sample
 * (traces/README.md; docs/queries/heisenbug.sql finds the handler's
 * movz w9, #0x1 at icount 101,161, pc 0x101e4, and x9 = 1 after it).
 */
class ReplaySeekCommandTest {
    @TempDir
    static Path tmp;
    static Path sample;

    @BeforeAll
    static void copySample() throws IOException {
        Path traces = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && traces == null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("traces/heisenbug"))) traces = d.resolve("traces");
        }
        assertThat(traces).isNotNull();
        sample = tmp.resolve("heisenbug");
        Files.createDirectories(sample);
        try (Stream<Path> files = Files.list(traces.resolve("heisenbug"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".cq4")).toList()) Files.copy(f, sample.resolve(f.getFileName()));
        }
        Files.copy(traces.resolve("heisenbug.raw"), tmp.resolve("heisenbug.raw")); // the recording names ../heisenbug.raw
    }

    static HuntCommandTest.Cli deja(String... args) {
        return HuntCommandTest.deja(args);
    }

    @Test
    void atShowsTheStateJustBeforeTheInstruction() {
        HuntCommandTest.Cli c = deja("replay", sample.toString(), "--at", "101161", "--dump-regs", "--disasm", "2", "--dump-mem", "0x12000:16");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("at icount 101,161 of 101,856: pc 0x101e4, EL1")
                .contains(" PC=00000000000101e4 ")
                .contains("=> 0x00000000000101e4: 52800029  movz w9, #0x1\n")
                .contains("   0x00000000000101e8: ")
                .contains("Q31=0000000000000000:0000000000000000\n").contains("FPCR=")
                .contains("VBAR_EL1     =")
                .contains("memory 0x12000..0x12010:");
        assertThat(c.out()).doesNotContain("X09=0000000000000001");
        HuntCommandTest.Cli after = deja("replay", sample.toString(), "--at", "101162");
        assertThat(after.out()).as("--dump-regs is the default").contains("X09=0000000000000001").contains(" PC=00000000000101e8 ");
    }

    /** --dump-vmem reads RAM by virtual address (the heisenbug runs with the MMU off: the same bytes as by physical address). */
    @Test
    void atDumpsMemoryByVirtualAddress() {
        HuntCommandTest.Cli c = deja("replay", sample.toString(), "--at", "101161", "--dump-mem", "0x12000:16", "--dump-vmem", "0x12000:16",
                "--dump-vmem", "0x7ffffff8:16");
        assertThat(c.exit()).as(c.err()).isZero();
        String physical = c.out().lines().filter(l -> l.startsWith("0000000000012000 ")).findFirst().orElseThrow();
        assertThat(physical).contains(" 14 00 00 00 01 00 00 00 ");
        assertThat(c.out()).contains("virtual memory 0x12000..0x12010:\n" + physical + "\n")
                .contains("virtual memory 0x7ffffff8..0x7ffffff8:\n  (0x7ffffff8 maps to 0x7ffffff8, outside RAM)");
    }

    @Test
    void aCountBeyondTheEndIsAnErrorNotAStackTrace() {
        HuntCommandTest.Cli c = deja("replay", sample.toString(), "--at", "101857");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).isEqualTo("deja: --at 101857: icount 101857 is beyond the recording's end at icount 101856\n");
        assertThat(deja("replay", sample.toString(), "--at", "-5").err()).contains("--at").contains("'-5' is not a count");
        assertThat(deja("replay", sample.toString(), "--disasm", "3").err()).isEqualTo("deja: --dump-regs, --dump-mem, --dump-vmem and --disasm need --at ICOUNT\n");
        HuntCommandTest.Cli end = deja("replay", sample.toString(), "--at", "101856");
        assertThat(end.exit()).isZero();
        assertThat(end.out()).contains("the guest has stopped the machine here");
    }

    @Test
    void indexIsStoredUsedAndDistrustedWhenChanged() throws IOException {
        Path dir = tmp.resolve("indexed");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(sample)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".cq4")).toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        HuntCommandTest.Cli made = deja("replay", dir.toString(), "--index");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.out()).containsPattern("index: .*seek.index: 2 snapshots every 65,536 instructions over 101,856, [0-9,]+ bytes");
        assertThat(dir.resolve(SnapshotIndex.FILE)).isRegularFile();
        assertThat(deja("replay", dir.toString(), "--index").out()).contains("is up to date (2 snapshots every 65,536 instructions)");

        HuntCommandTest.Cli at = deja("replay", dir.toString(), "--at", "101162");
        assertThat(at.err()).isEmpty();
        assertThat(at.out()).contains("from the snapshot at icount 65,536 of the index").contains("X09=0000000000000001");

        Files.write(dir.resolve(SnapshotIndex.FILE), new byte[] {1}, StandardOpenOption.APPEND);
        HuntCommandTest.Cli changed = deja("replay", dir.toString(), "--at", "101162");
        assertThat(changed.exit()).isZero();
        assertThat(changed.err()).startsWith("deja: warning: " + dir.resolve(SnapshotIndex.FILE) + ": snapshot index ignored, it is corrupted");
        assertThat(changed.out()).contains("X09=0000000000000001").doesNotContain("of the index");
    }
}
