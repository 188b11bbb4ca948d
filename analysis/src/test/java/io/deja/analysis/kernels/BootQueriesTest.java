package io.deja.analysis.kernels;

import io.deja.analysis.query.Database;
import io.deja.analysis.query.Query;
import io.deja.analysis.query.QueryResult;
import io.deja.analysis.query.ResultFormat;
import io.deja.core.testing.Kernels;
import io.deja.core.trace.TraceLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.deja.analysis.kernels.RealKernelTest.q;
import static io.deja.analysis.kernels.RealKernelTest.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole-run views of the standard library (exceptions by class, system calls, page faults,
 * interrupts per virtual second, MMIO by register, console lines in virtual time) on
 * events-level recordings of the seed kernels. Expected rows come from the kernels' code and
 * from the QEMU goldens, never from Deja's own output.
 */
class BootQueriesTest {
    @TempDir
    static Path tmp;
    static Database svc, mmu, timer;

    @BeforeAll
    static void recordAll() throws IOException {
        svc = recorded("el0_svc");
        mmu = recorded("mmu");
        timer = recorded("timer_irq");
    }

    private static Database recorded(String kernel) throws IOException {
        Path rec = tmp.resolve(kernel);
        record(rec, kernel, TraceLevel.EVENTS, null);
        Query.ensureExported(rec, Query.defaultExportDir(rec));
        return Database.open(Query.defaultExportDir(rec));
    }

    @AfterAll
    static void close() {
        for (Database db : new Database[] {svc, mmu, timer}) {
            if (db != null) db.close();
        }
    }

    /** One SVC of el0_svc's user code: its immediate, X0 and X1. */
    record Call(int imm, long x0) {}

    /** el0_svc.S's user_main, call by call: SVC #1 per character, #2 adds, #3 prints a number, #0 powers off. */
    static List<Call> el0SvcCalls() {
        List<Call> calls = new ArrayList<>();
        "el0: hello from EL0 via svc #1\n".chars().forEach(ch -> calls.add(new Call(1, ch)));
        calls.add(new Call(2, 40));
        calls.add(new Call(3, 40));
        " + ".chars().forEach(ch -> calls.add(new Call(1, ch)));
        calls.add(new Call(3, 2));
        " = ".chars().forEach(ch -> calls.add(new Call(1, ch)));
        calls.add(new Call(3, 42));
        calls.add(new Call(1, '\n'));
        "el0: asking EL1 to power off\n".chars().forEach(ch -> calls.add(new Call(1, ch)));
        calls.add(new Call(0, 0)); // user_puts leaves the string's terminating 0 in X0
        return calls;
    }

    @Test
    void syscallsListEveryEl0SvcWithItsArguments() throws IOException {
        List<Call> expected = el0SvcCalls();
        List<List<String>> rows = q(svc, "SELECT e.esr & 65535, s.x0, e.pc FROM syscalls s JOIN exceptions e USING (icount) ORDER BY icount");
        // exceptions.pc is the SVC itself, as svc_calls.pc; elr is where the handler returns to, the next instruction
        assertThat(q(svc, "SELECT count(*) FROM syscalls s JOIN exceptions e USING (icount) WHERE e.pc = s.pc AND e.elr = e.pc + 4"))
                .containsExactly(List.of(Integer.toString(expected.size())));
        assertThat(rows.stream().map(r -> new Call(Integer.parseInt(r.get(0)), Long.parseLong(r.get(1)))).toList()).isEqualTo(expected);
        // pc is the SVC instruction itself: SVC #imm is 0xd4000001 | imm << 5 in the image
        byte[] image = Files.readAllBytes(Kernels.virtBin("el0_svc"));
        ByteBuffer words = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (List<String> r : rows) {
            int offset = (int) (Long.parseLong(r.get(2)) - Kernels.VIRT_LOAD);
            assertThat(words.getInt(offset)).as("the word at pc " + r.get(2)).isEqualTo(0xd4000001 | Integer.parseInt(r.get(0)) << 5);
        }
        assertThat(q(svc, "SELECT x1 FROM syscalls s JOIN exceptions e USING (icount) WHERE e.esr & 65535 = 2"))
                .containsExactly(List.of("2"));
        assertThat(q(svc, "SELECT sum(calls) FROM syscall_stats")).containsExactly(List.of(Integer.toString(expected.size())));
        assertThat(q(svc, "SELECT class, from_el, to_el, exceptions FROM exception_stats"))
                .containsExactly(List.of("SVC64", "0", "1", Integer.toString(expected.size())));
    }

    @Test
    void linuxSyscallNamesFollowTheArm64Table() {
        // include/uapi/asm-generic/unistd.h
        assertThat(q(svc, "SELECT nr, name FROM linux_syscalls WHERE nr IN (56, 57, 63, 64, 93, 94, 214, 220, 221, 222) ORDER BY nr"))
                .containsExactly(List.of("56", "openat"), List.of("57", "close"), List.of("63", "read"), List.of("64", "write"),
                        List.of("93", "exit"), List.of("94", "exit_group"), List.of("214", "brk"), List.of("220", "clone"),
                        List.of("221", "execve"), List.of("222", "mmap"));
        assertThat(q(svc, "SELECT count(*) = count(DISTINCT nr), count(*) = count(DISTINCT name) FROM linux_syscalls"))
                .containsExactly(List.of("true", "true"));
    }

    /** The "  fault esr=... far=..." lines mmu's handler prints, from the QEMU golden: (esr, far). */
    static List<long[]> goldenFaults() {
        List<long[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("fault esr=0x([0-9a-f]+) far=0x([0-9a-f]+)").matcher(Kernels.golden("mmu"));
        while (m.find()) out.add(new long[] {Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)});
        return out;
    }

    @Test
    void pageFaultsAreTheAbortsQemuReportsWithAccessAndEl() {
        List<List<String>> expected = new ArrayList<>();
        for (long[] f : goldenFaults()) {
            long ec = f[0] >>> 26;
            if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25) continue;
            String access = ec <= 0x21 ? "fetch" : (f[0] >>> 6 & 1) == 1 ? "write" : "read";
            String el = ec == 0x20 || ec == 0x24 ? "0" : "1";
            expected.add(List.of(Long.toUnsignedString(f[0]), Long.toUnsignedString(f[1]), access, el));
        }
        assertThat(expected).hasSizeGreaterThan(25);
        assertThat(q(mmu, "SELECT esr, far, access, from_el FROM page_faults ORDER BY icount")).isEqualTo(expected);
        // mmu.S test_faults: levels 3, 2, 1 and 0 translation faults, an access flag fault, an address size fault
        assertThat(q(mmu, "SELECT fault FROM page_faults ORDER BY icount LIMIT 6").stream().map(List::getFirst).toList())
                .containsExactly("translation L3", "translation L2", "translation L1", "translation L0", "access flag L3", "address size L3");
        assertThat(q(mmu, "SELECT DISTINCT region FROM page_faults WHERE far = u64('0x80004000') OR far = u64('0x5a00000080000000') ORDER BY region"))
                .containsExactly(List.of("non-canonical"), List.of("user"));
        assertThat(q(mmu, "SELECT sum(faults) FROM page_fault_stats")).containsExactly(List.of(Integer.toString(expected.size())));
        // from EL0: the aborts above, the trapped system register access (the golden's esr=0x6212de68,
        // EC 0x18) and the SVC that ends the EL0 test
        assertThat(q(mmu, "SELECT class FROM exception_stats WHERE from_el = 0 ORDER BY class").stream().map(List::getFirst).toList())
                .containsExactly("DABT_LOW", "IABT_LOW", "SVC64", "SYS64");
    }

    @Test
    void timerInterruptsLandInVirtualTimeAt100Hz() {
        // timer_irq.S: CNTV_TVAL = CNTFRQ / 100 armed at the start and again in each of 5 handlers
        assertThat(q(timer, "SELECT second, intid, interrupts FROM irq_rate")).containsExactly(List.of("0", "27", "5"));
        List<List<String>> ticks = q(timer, "SELECT text, seconds FROM console_lines WHERE text LIKE 'tick%' ORDER BY line");
        assertThat(ticks).hasSize(5);
        for (int k = 1; k <= 5; k++) {
            assertThat(ticks.get(k - 1).get(0)).isEqualTo("tick " + k);
            // each wait is 10 ms of counter time plus the few hundred instructions between arming and sleeping
            assertThat(Double.parseDouble(ticks.get(k - 1).get(1))).as("tick " + k).isBetween(k * 0.01, k * 0.01 + 0.0001);
        }
    }

    @Test
    void mmioStatsNamesTheRegistersOfEachAccess() {
        assertThat(q(timer, "SELECT register, reads, writes FROM mmio_stats WHERE device = 'gic-cpu' AND register IN ('GICC_IAR', 'GICC_EOIR') ORDER BY register"))
                .containsExactly(List.of("GICC_EOIR", "0", "5"), List.of("GICC_IAR", "5", "0"));
        // one UARTDR write per console byte
        int bytes = Kernels.golden("timer_irq").length();
        assertThat(q(timer, "SELECT writes FROM mmio_stats WHERE device = 'pl011' AND register = 'UARTDR'"))
                .containsExactly(List.of(Integer.toString(bytes)));
        assertThat(q(timer, "SELECT mmio_register('gic-dist', 260), mmio_register('virtio-mmio@a000200', 0), mmio_register('pl011', 4096)"))
                .containsExactly(List.of("GICD_ISENABLER1", "MagicValue", "NULL"));
    }

    @Test
    void aTableEmptyBecauseOfTheTraceLevelGetsANote() {
        List<String> notes = Query.coverageNotes(timer, "SELECT * FROM reg_history('X9')", "REC");
        assertThat(notes).hasSize(1);
        assertThat(notes.getFirst()).contains("reg_writes", "insns", "trace level events", "level full", "deja replay REC --trace full");
        assertThat(Query.coverageNotes(timer, "SELECT count(*) FROM insns", "REC").getFirst()).contains("insns is empty", "level insns");
        assertThat(Query.coverageNotes(timer, "SELECT * FROM exit_stats", "REC")).isEmpty();
    }

    @Test
    void aReTracedWindowSaysWhichInstructionsItsRicherTablesCover() {
        Path window = tmp.resolve("window");
        var r = io.deja.replayer.Replayer.replay(tmp.resolve("timer_irq"), io.deja.replayer.ReplayOptions.defaults()
                .withRetrace(new io.deja.replayer.ReplayOptions.Retrace(TraceLevel.FULL, 600, 700, window)));
        assertThat(r.bitExact()).isTrue();
        Query.ensureExported(window, Query.defaultExportDir(window));
        try (Database db = Database.open(Query.defaultExportDir(window))) {
            assertThat(Query.coverageNotes(db, "SELECT * FROM reg_history('X9')", "W"))
                    .containsExactly("insns, reg_writes, vreg_writes cover only icount 600 to 700: this recording is a re-traced window");
            assertThat(Query.coverageNotes(db, "SELECT * FROM exits", "W")).isEmpty();
        }
    }

    @Test
    void systemRegisterEncodingsAndSyndromesPrintInHex() {
        QueryResult r = Query.run(timer, "SELECT encoding, name FROM sysreg_writes WHERE name = 'VBAR_EL1'");
        assertThat(r.types().getFirst()).isEqualTo("UINTEGER");
        StringWriter out = new StringWriter();
        ResultFormat.TABLE.print(r, new PrintWriter(out), true);
        assertThat(out.toString()).containsPattern("0xc600 +VBAR_EL1"); // op0 3, op1 0, CRn 12, CRm 0, op2 0
        out = new StringWriter();
        ResultFormat.TABLE.print(Query.run(mmu, "SELECT ec, class FROM exception_stats WHERE class = 'DABT_CUR'"), new PrintWriter(out), true);
        assertThat(out.toString()).containsPattern("0x25 +DABT_CUR");
    }
}
