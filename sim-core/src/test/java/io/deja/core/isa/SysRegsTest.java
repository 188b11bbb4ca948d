package io.deja.core.isa;

import com.sun.management.ThreadMXBean;
import io.deja.core.cpu.Cpu;
import io.deja.core.cpu.IrqLine;
import io.deja.core.cpu.SystemRegisters;
import io.deja.core.decode.A64Decoder;
import io.deja.core.decode.A64Dispatch;
import io.deja.core.testing.GuestAssembler;
import io.deja.core.testing.TestMachine;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.deja.core.testing.TestMachine.CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MRS/MSR through {@link SysRegs}: values, write masks, access rules at EL0
 * and EL1, trap syndromes, side effects, and the host API. Instructions are
 * encoded here and executed directly on a CPU (no run loop) unless the run
 * loop is what is being tested.
 */
class SysRegsTest {
    private static final long VBAR = 0x4010_0000L;
    private static final long IL = 1L << 25;
    private static final int EC_SYSREG = 0x18, EC_FP = 0x07;

    private final TestMachine m = new TestMachine();
    private final Cpu c = m.cpu;

    SysRegsTest() {
        c.vbarEl1 = VBAR;
    }

    private static int enc(String name) {
        int e = SysRegs.byName(name);
        assertThat(e).as(name).isNotNegative();
        return e;
    }

    private static int mrsInsn(String name, int rt) {
        return 0xD530_0000 | (enc(name) << 5) | rt;
    }

    private static int msrInsn(String name, int rt) {
        return 0xD510_0000 | (enc(name) << 5) | rt;
    }

    /**
     * Executes one instruction at CODE; true if it completed (pc advanced),
     * false if it took an exception, after which PSTATE is restored from
     * SPSR_EL1 (as a handler's ERET would) so that a test can go on at EL0.
     */
    private boolean exec(int insn) {
        c.pc = CODE;
        int el = c.el;
        boolean spx = c.spx;
        A64(insn);
        if (c.pc == CODE + 4) return true;
        long vector = VBAR + (el == 0 ? 0x400 : spx ? 0x200 : 0);
        assertThat(c.pc).as("exception vector").isEqualTo(vector);
        assertThat(c.elrEl1).isEqualTo(CODE);
        m.vm.setPstate(c.spsrEl1);
        return false;
    }

    /** Decodes insn and runs its handler with the fields the table extracts, as the interpreter does. */
    private void A64(int insn) {
        A64Dispatch.execute(c, A64Decoder.decode(insn), insn);
    }

    private long read(String name) {
        assertThat(exec(mrsInsn(name, 0))).as("MRS %s completes", name).isTrue();
        return c.x[0];
    }

    private void write(String name, long value) {
        c.x[1] = value;
        assertThat(exec(msrInsn(name, 1))).as("MSR %s completes", name).isTrue();
    }

    private void assertUndefined(int insn, String what) {
        c.esrEl1 = -1;
        boolean done = exec(insn);
        assertThat(done).as("%s takes an exception", what).isFalse();
        assertThat(c.esrEl1).as("%s is UNDEFINED", what).isEqualTo(IL);
    }

    private long trapSyndrome(int insn) {
        assertThat(exec(insn)).as("trapped").isFalse();
        return c.esrEl1;
    }

    /** Leaves EL1 for EL0 (EL0t) with the current SCTLR and other controls. */
    private void toEl0() {
        m.vm.setPstate(0);
    }

    private void toEl1() {
        m.vm.setPstate(0x3C5);
    }

    // ---- Identification registers: QEMU 7.2 cortex-a57 on virt ---------------------------------------

    @Test
    void identificationRegistersReadAsQemusCortexA57() {
        Map<String, Long> expected = new HashMap<>();
        expected.put("MIDR_EL1", 0x411FD070L);
        expected.put("MPIDR_EL1", 0x80000000L);
        expected.put("REVIDR_EL1", 0L);
        expected.put("CTR_EL0", 0x8444C004L);
        expected.put("DCZID_EL0", 4L);
        expected.put("CLIDR_EL1", 0x0A200023L);
        expected.put("AIDR_EL1", 0L);
        expected.put("RVBAR_EL1", 0L);
        expected.put("ID_PFR0_EL1", 0x131L);
        expected.put("ID_PFR1_EL1", 0x10001L);
        expected.put("ID_DFR0_EL1", 0x03010006L);
        expected.put("ID_AFR0_EL1", 0L);
        expected.put("ID_MMFR0_EL1", 0x10101105L);
        expected.put("ID_MMFR1_EL1", 0x40000000L);
        expected.put("ID_MMFR2_EL1", 0x01260000L);
        expected.put("ID_MMFR3_EL1", 0x02102211L);
        expected.put("ID_MMFR4_EL1", 0L);
        expected.put("ID_ISAR0_EL1", 0x02101110L);
        expected.put("ID_ISAR1_EL1", 0x13112111L);
        expected.put("ID_ISAR2_EL1", 0x21232042L);
        expected.put("ID_ISAR3_EL1", 0x01112131L);
        expected.put("ID_ISAR4_EL1", 0x00011142L);
        expected.put("ID_ISAR5_EL1", 0x00011121L);
        expected.put("ID_ISAR6_EL1", 0L);
        expected.put("MVFR0_EL1", 0x10110222L);
        expected.put("MVFR1_EL1", 0x12111111L);
        expected.put("MVFR2_EL1", 0x43L);
        expected.put("ID_AA64PFR0_EL1", 0x0000_0011L); // AArch64-only, FP and AdvSIMD (QEMU: 0x22, with AArch32)
        expected.put("ID_AA64PFR1_EL1", 0L);
        expected.put("ID_AA64ZFR0_EL1", 0L);
        expected.put("ID_AA64DFR0_EL1", 0x10305106L);
        expected.put("ID_AA64DFR1_EL1", 0L);
        expected.put("ID_AA64AFR0_EL1", 0L);
        expected.put("ID_AA64AFR1_EL1", 0L);
        expected.put("ID_AA64ISAR0_EL1", 0x00011120L);
        expected.put("ID_AA64ISAR1_EL1", 0L);
        expected.put("ID_AA64ISAR2_EL1", 0L);
        expected.put("ID_AA64MMFR0_EL1", 0x00001124L);
        expected.put("ID_AA64MMFR1_EL1", 0L);
        expected.put("ID_AA64MMFR2_EL1", 0L);
        expected.put("PMCEID0_EL0", 0x20001L);
        expected.put("PMCEID1_EL0", 0L);
        expected.put("PMCR_EL0", 0x41013000L);
        expected.put("CNTFRQ_EL0", 62_500_000L);
        expected.put("OSLSR_EL1", 0xAL);
        expected.put("MDRAR_EL1", 0L);
        expected.put("MDCCSR_EL0", 0L);
        expected.put("CBAR_EL1", 0x08000000L);
        expected.put("CurrentEL", 4L);
        for (var e : expected.entrySet()) {
            assertThat(read(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void cacheSizeIdFollowsTheSelection() {
        long[] ccsidr = {0x701FE00AL, 0x201FE012L, 0x70FFE07AL, 0};
        for (int sel = 0; sel < 4; sel++) {
            write("CSSELR_EL1", sel);
            assertThat(read("CCSIDR_EL1")).as("CSSELR %d", sel).isEqualTo(ccsidr[sel]);
        }
        write("CSSELR_EL1", -1);
        assertThat(read("CSSELR_EL1")).isEqualTo(0xF);
    }

    @Test
    void everyUnallocatedIdRegisterReadsAsZeroAtEl1AndIsUndefinedAtEl0() {
        for (int crm = 1; crm < 8; crm++) {
            for (int op2 = 0; op2 < 8; op2++) {
                int e = SysRegs.encode(3, 0, 0, crm, op2);
                int insn = 0xD530_0000 | (e << 5);
                c.x[0] = -1;
                assertThat(exec(insn)).as(SysRegs.name(e)).isTrue();
                assertUndefined(0xD510_0000 | (e << 5), "write " + SysRegs.name(e));
            }
        }
        assertThat(read("S3_0_C0_C3_7")).isZero();
        toEl0();
        assertUndefined(mrsInsn("ID_AA64PFR0_EL1", 0), "ID_AA64PFR0_EL1 at EL0");
        assertUndefined(mrsInsn("S3_0_C0_C7_7", 0), "reserved ID register at EL0");
        assertUndefined(mrsInsn("MIDR_EL1", 0), "MIDR_EL1 at EL0");
    }

    @Test
    void midrAliasEncodingsAreUndefinedAsInQemu() {
        for (int op2 : new int[] {1, 2, 3, 4, 7}) {
            assertUndefined(0xD530_0000 | (SysRegs.encode(3, 0, 0, 0, op2) << 5), "S3_0_C0_C0_" + op2);
        }
    }

    @Test
    void aGicv3CpuInterfaceIsReportedAndReachable() {
        Map<Integer, Long> regs = new HashMap<>();
        int sre = SysRegs.encode(3, 0, 12, 12, 5), iar = SysRegs.encode(3, 0, 12, 12, 0);
        c.sys.cpuInterface = new SystemRegisters.CpuInterface() {
            public boolean handles(int e) { return e == sre || e == iar; }
            public boolean readable(int e) { return true; }
            public boolean writable(int e) { return e == sre; }
            public long read(int e) { return regs.getOrDefault(e, e == iar ? 1023L : 0L); }
            public void write(int e, long v) { regs.put(e, v); }
        };
        assertThat(read("ID_AA64PFR0_EL1")).isEqualTo(0x0100_0011L);
        assertThat(read("ID_PFR1_EL1")).isEqualTo(0x1001_0001L);
        c.x[1] = 7;
        c.horizon = Long.MAX_VALUE;
        assertThat(exec(0xD510_0000 | (sre << 5) | 1)).isTrue();
        assertThat(c.horizon).as("may change interrupt delivery").isEqualTo(c.cycles);
        assertThat(exec(0xD530_0000 | (sre << 5))).isTrue();
        assertThat(c.x[0]).isEqualTo(7);
        assertThat(exec(0xD530_0000 | (iar << 5))).isTrue();
        assertThat(c.x[0]).isEqualTo(1023);
        assertUndefined(0xD510_0000 | (iar << 5), "write of a read-only CPU interface register");
        assertThat(SysRegs.read(c, sre)).isEqualTo(7);
        toEl0();
        assertUndefined(0xD530_0000 | (sre << 5), "ICC register at EL0");
    }

    // ---- Write masks (checked against QEMU 7.2 by writing all-ones, 0x55.. and 0xAA..) --------------------------------

    @Test
    void readWriteRegistersKeepTheBitsQemuKeeps() {
        Object[][] table = {
                {"TTBR0_EL1", -1L}, {"TTBR1_EL1", -1L}, {"TCR_EL1", -1L}, {"MAIR_EL1", -1L}, {"PAR_EL1", -1L},
                {"ESR_EL1", -1L}, {"FAR_EL1", -1L}, {"ELR_EL1", -1L}, {"SPSR_EL1", -1L}, {"SP_EL0", -1L},
                {"CPACR_EL1", -1L}, {"CONTEXTIDR_EL1", -1L}, {"TPIDR_EL1", -1L}, {"TPIDR_EL0", -1L},
                {"TPIDRRO_EL0", -1L}, {"CSSELR_EL1", 0xFL}, {"NZCV", 0xF000_0000L}, {"DAIF", 0x3C0L},
                {"CNTKCTL_EL1", -1L}, {"CNTFRQ_EL0", -1L}, {"CNTP_CVAL_EL0", -1L}, {"CNTV_CVAL_EL0", -1L},
                {"MDSCR_EL1", -1L}, {"OSDLR_EL1", 1L}, {"DBGPRCR_EL1", 1L}, {"MDCCINT_EL1", 0x6000_0000L},
                {"DBGBVR0_EL1", -1L}, {"DBGBVR5_EL1", -1L}, {"DBGWVR0_EL1", ~3L}, {"DBGWVR3_EL1", ~3L},
                {"DBGBCR0_EL1", -1L}, {"DBGWCR3_EL1", -1L},
                {"PMUSERENR_EL0", 0xFL}, {"PMSELR_EL0", 0x1FL}, {"PMCCFILTR_EL0", 0xFC00_0000L},
                {"PMEVTYPER0_EL0", 0xFE00_FFFFL}, {"PMEVTYPER5_EL0", 0xFE00_FFFFL}, {"PMEVCNTR0_EL0", 0xFFFF_FFFFL},
                {"PMCNTENSET_EL0", 0x8000_003FL}, {"PMINTENSET_EL1", 0x8000_003FL}, {"PMOVSSET_EL0", 0x8000_003FL},
                {"PMCR_EL0", 0x4101_30F9L},
                {"ACTLR_EL1", 0L}, {"AFSR0_EL1", 0L}, {"AFSR1_EL1", 0L}, {"AMAIR_EL1", 0L},
                {"CPUACTLR_EL1", 0L}, {"CPUECTLR_EL1", 0L}, {"L2CTLR_EL1", 0L}, {"L2ECTLR_EL1", 0L},
                {"L2ACTLR_EL1", 0L}, {"CPUMERRSR_EL1", 0L}, {"L2MERRSR_EL1", 0L},
        };
        c.sys.cpacrEl1 = 3 << 20;
        for (Object[] row : table) {
            String name = (String) row[0];
            write(name, -1L);
            assertThat(read(name)).as("%s after writing all ones", name).isEqualTo((long) row[1]);
        }
    }

    @Test
    void fpcrAndFpsrKeepTheirArmv80Fields() {
        c.sys.cpacrEl1 = 3 << 20;
        write("FPCR", -1);
        assertThat(read("FPCR")).isEqualTo(0x07F7_0000L);
        assertThat(c.fpcr).isEqualTo(0x07F7_0000L);
        write("FPSR", -1);
        assertThat(read("FPSR")).isEqualTo(0xF800_009FL);
    }

    @Test
    void sctlrForcesItsRes0AndRes1Bits() {
        assertThat(read("SCTLR_EL1")).as("reset value of the Cortex-A57 TRM and QEMU").isEqualTo(0x00C5_0838L);
        write("SCTLR_EL1", 0);
        assertThat(read("SCTLR_EL1")).isEqualTo(0x30D0_0800L);
        write("SCTLR_EL1", -1);
        assertThat(read("SCTLR_EL1")).isEqualTo(0x37DD_DBBFL);
    }

    @Test
    void vbarIgnoresItsLowElevenBits() {
        write("VBAR_EL1", 0x4010_07FFL);
        assertThat(read("VBAR_EL1")).isEqualTo(0x4010_0000L);
    }

    @Test
    void debugBreakpointControlPairsItsByteAddressSelectBits() {
        write("DBGBCR2_EL1", 0x5555_5555_5555_5555L);
        assertThat(read("DBGBCR2_EL1")).isEqualTo(0x5555_5555_5555_5415L);
        write("DBGBCR2_EL1", 0xAAAA_AAAA_AAAA_AAAAL);
        assertThat(read("DBGBCR2_EL1")).isEqualTo(0xAAAA_AAAA_AAAA_ABEAL);
    }

    // ---- Special-purpose registers -------------------------------------------------------------------

    @Test
    void nzcvAndDaifReflectPstate() {
        write("NZCV", 0xA000_0000L);
        assertThat(c.nf).isTrue();
        assertThat(c.cf).isTrue();
        assertThat(c.zf || c.vf).isFalse();
        assertThat(read("NZCV")).isEqualTo(0xA000_0000L);
        write("DAIF", 0x1C0);
        assertThat(c.daif).isEqualTo(0x1C0);
        assertThat(read("DAIF")).isEqualTo(0x1C0);
    }

    @Test
    void daifWriteLetsAPendingInterruptInAtTheNextBoundary() {
        TestMachine t = TestMachine.withCode(String.format(".inst 0x%08x\n nop", msrInsn("DAIF", 31)));
        t.cpu.vbarEl1 = VBAR;
        t.cpu.irqLine = new IrqLine() {
            public boolean irq() { return true; }
            public boolean fiq() { return false; }
        };
        t.vm.writeMemory(VBAR + 0x280, new byte[] {0x1F, 0x20, 0x03, (byte) 0xD5});
        t.step(2);
        assertThat(t.cpu.elrEl1).isEqualTo(CODE + 4);
        assertThat(t.cpu.pc).isEqualTo(VBAR + 0x284);
    }

    @Test
    void spselAndSpEl0() {
        c.setSpEl0(0x1234);
        assertThat(read("SP_EL0")).isEqualTo(0x1234);
        write("SP_EL0", 0x5678);
        assertThat(c.spEl0()).isEqualTo(0x5678);
        assertThat(read("SPSel")).isEqualTo(1);
        write("SPSel", 0);
        assertThat(c.spx).isFalse();
        assertThat(c.sp).isEqualTo(0x5678);
        assertUndefined(mrsInsn("SP_EL0", 0), "SP_EL0 while it is the stack pointer");
        assertUndefined(msrInsn("SP_EL0", 0), "SP_EL0 write while it is the stack pointer");
        assertThat(read("SPSel")).isZero();
    }

    @Test
    void isrReportsTheInterruptLinesWhateverTheMask() {
        boolean[] lines = {true, true};
        c.irqLine = new IrqLine() {
            public boolean irq() { return lines[0]; }
            public boolean fiq() { return lines[1]; }
        };
        assertThat(read("ISR_EL1")).isEqualTo(0xC0);
        lines[1] = false;
        assertThat(read("ISR_EL1")).isEqualTo(0x80);
    }

    // ---- Access rules ----------------------------------------------------------------------------------

    @Test
    void unknownEncodingsAreUndefined() {
        for (String name : new String[] {"S3_4_C1_C0_0", "S3_6_C12_C0_0", "S3_0_C15_C0_0", "S2_0_C7_C8_6", "S3_0_C12_C0_2",
                "S3_3_C4_C5_0", "S2_3_C0_C4_0"}) {
            assertUndefined(mrsInsn(name, 0), name);
            assertUndefined(msrInsn(name, 0), name);
        }
    }

    @Test
    void readOnlyRegistersAreUndefinedOnWriteAndWriteOnlyOnRead() {
        for (String name : new String[] {"MIDR_EL1", "CurrentEL", "ISR_EL1", "CTR_EL0", "DCZID_EL0", "CCSIDR_EL1",
                "CLIDR_EL1", "OSLSR_EL1", "MDCCSR_EL0", "CNTPCT_EL0", "CNTVCT_EL0", "PMCEID0_EL0", "CBAR_EL1", "RVBAR_EL1"}) {
            assertUndefined(msrInsn(name, 0), "write " + name);
        }
        assertUndefined(mrsInsn("OSLAR_EL1", 0), "read OSLAR_EL1");
        assertUndefined(mrsInsn("PMSWINC_EL0", 0), "read PMSWINC_EL0");
    }

    @Test
    void el1RegistersAreUndefinedAtEl0() {
        String[] el1Only = {"SCTLR_EL1", "VBAR_EL1", "ELR_EL1", "SPSR_EL1", "SP_EL0", "SPSel", "CurrentEL", "ESR_EL1",
                "TTBR0_EL1", "TCR_EL1", "CPACR_EL1", "TPIDR_EL1", "CNTKCTL_EL1", "MDSCR_EL1", "DBGBCR0_EL1", "OSLSR_EL1",
                "PMINTENSET_EL1", "CPUECTLR_EL1", "MPIDR_EL1", "ISR_EL1", "PAR_EL1"};
        toEl0();
        for (String name : el1Only) {
            assertUndefined(mrsInsn(name, 0), name + " read at EL0");
            assertUndefined(msrInsn(name, 0), name + " write at EL0");
        }
        assertUndefined(msrInsn("TPIDRRO_EL0", 0), "TPIDRRO_EL0 write at EL0");
        assertUndefined(msrInsn("PMUSERENR_EL0", 0), "PMUSERENR_EL0 write at EL0");
        assertUndefined(msrInsn("CNTFRQ_EL0", 0), "CNTFRQ_EL0 write at EL0");
    }

    @Test
    void el0RegistersWithoutControlsAreAccessible() {
        c.sys.tpidrroEl0 = 0x77;
        toEl0();
        write("TPIDR_EL0", 0x1234);
        assertThat(read("TPIDR_EL0")).isEqualTo(0x1234);
        assertThat(read("TPIDRRO_EL0")).isEqualTo(0x77);
        write("NZCV", 0x4000_0000L);
        assertThat(read("NZCV")).isEqualTo(0x4000_0000L);
        assertThat(read("PMUSERENR_EL0")).isZero();
        assertThat(read("MDCCSR_EL0")).isZero();
    }

    /** ESR values of EL0 traps, as QEMU 7.2 reports them (EC 0x18, Rt = X0, read). */
    @Test
    void el0AccessesTrapWhenTheirControlIsOff() {
        c.sctlrEl1 = 0x30D0_0800L; // UMA, UCT, DZE, UCI clear
        Object[][] traps = {
                {"CTR_EL0", 0x6232_C001L}, {"CNTVCT_EL0", 0x6234_F801L}, {"CNTPCT_EL0", 0x6232_F801L},
                {"CNTFRQ_EL0", 0x6230_F801L}, {"CNTV_CTL_EL0", 0x6232_F807L}, {"CNTP_CTL_EL0", 0x6232_F805L},
                {"DAIF", 0x6232_D005L}, {"PMCR_EL0", 0x6230_E419L}, {"PMCCNTR_EL0", 0x6230_E41BL},
                {"PMSELR_EL0", 0x623A_E419L},
        };
        toEl0();
        for (Object[] t : traps) {
            toEl0();
            assertThat(trapSyndrome(mrsInsn((String) t[0], 0))).as((String) t[0]).isEqualTo((long) t[1]);
        }
        toEl0();
        assertThat(trapSyndrome(msrInsn("DAIF", 1))).as("DAIF write").isEqualTo(0x6232_D024L);
        toEl0();
        assertThat(trapSyndrome(msrInsn("PMSWINC_EL0", 1))).as("PMSWINC write").isEqualTo(0x6238_E438L);
        toEl1();
        assertThat(read("DCZID_EL0")).as("at EL1 DC ZVA is allowed").isEqualTo(4);
        toEl0();
        assertThat(read("DCZID_EL0")).as("DZP: prohibited at EL0").isEqualTo(0x14);
    }

    @Test
    void el0AccessesWorkWhenTheirControlIsOn() {
        c.sctlrEl1 |= SysRegs.SCTLR_UMA | SysRegs.SCTLR_UCT | SysRegs.SCTLR_DZE;
        c.timer.setCntkctl(0x303); // EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN
        c.sys.pmuserenrEl0 = 1;
        c.cycles = 500;
        toEl0();
        assertThat(read("CTR_EL0")).isEqualTo(0x8444_C004L);
        assertThat(read("DCZID_EL0")).isEqualTo(4);
        assertThat(read("CNTVCT_EL0")).isEqualTo(500);
        assertThat(read("CNTPCT_EL0")).isEqualTo(500);
        assertThat(read("CNTFRQ_EL0")).isEqualTo(62_500_000L);
        write("CNTV_CVAL_EL0", 900);
        assertThat(read("CNTV_TVAL_EL0")).isEqualTo(400);
        write("CNTP_CTL_EL0", 1);
        assertThat(read("CNTP_CTL_EL0")).isEqualTo(5);
        write("DAIF", 0x80);
        assertThat(read("DAIF")).isEqualTo(0x80);
        assertThat(read("PMCR_EL0")).isEqualTo(0x4101_3000L);
    }

    @Test
    void pmuserenrBitsOpenSingleRegistersAtEl0() {
        c.sys.pmuserenrEl0 = 2 | 4 | 8; // SW, CR, ER without EN
        toEl0();
        write("PMSWINC_EL0", 1);
        read("PMCCNTR_EL0");
        read("PMEVCNTR0_EL0");
        read("PMXEVCNTR_EL0");
        write("PMSELR_EL0", 3);
        assertThat(trapSyndrome(msrInsn("PMCCNTR_EL0", 0)) >>> 26).as("CR allows reads only").isEqualTo(EC_SYSREG);
        toEl0();
        assertThat(trapSyndrome(mrsInsn("PMCNTENSET_EL0", 0)) >>> 26).isEqualTo(EC_SYSREG);
    }

    @Test
    void mdccsrTrapsAtEl0WhenMdscrTdccIsSet() {
        c.sys.mdscrEl1 = 1 << 12;
        toEl0();
        assertThat(trapSyndrome(mrsInsn("MDCCSR_EL0", 0)) >>> 26).isEqualTo(EC_SYSREG);
    }

    @Test
    void fpRegistersFollowCpacrFpen() {
        int fpcrRead = mrsInsn("FPCR", 0), fpsrWrite = msrInsn("FPSR", 0);
        c.sys.cpacrEl1 = 0;
        assertThat(trapSyndrome(fpcrRead)).as("as QEMU 7.2 reports").isEqualTo(0x1FE0_0000L);
        assertThat(trapSyndrome(fpsrWrite) >>> 26).isEqualTo(EC_FP);
        c.sys.cpacrEl1 = 2 << 20;
        assertThat(trapSyndrome(fpcrRead) >>> 26).isEqualTo(EC_FP);
        c.sys.cpacrEl1 = 1 << 20;
        assertThat(exec(fpcrRead)).as("FPEN 01 enables EL1").isTrue();
        toEl0();
        assertThat(trapSyndrome(fpcrRead)).as("but not EL0").isEqualTo(0x1FE0_0000L);
        c.sys.cpacrEl1 = 3 << 20;
        toEl0();
        assertThat(exec(fpsrWrite)).isTrue();
        assertThat(exec(fpcrRead)).isTrue();
    }

    // ---- Debug and performance monitors --------------------------------------------------------------------

    @Test
    void osLockIsSetAtResetAndFollowsOslar() {
        assertThat(read("OSLSR_EL1")).isEqualTo(0xA);
        write("OSLAR_EL1", 0);
        assertThat(read("OSLSR_EL1")).isEqualTo(0x8);
        write("OSLAR_EL1", 1);
        assertThat(read("OSLSR_EL1")).isEqualTo(0xA);
    }

    @Test
    void cycleCounterCountsWhileEnabled() {
        c.cycles = 100;
        write("PMCCNTR_EL0", 10);
        c.cycles = 200;
        assertThat(read("PMCCNTR_EL0")).as("stopped").isEqualTo(10);
        write("PMCR_EL0", 1);
        write("PMCNTENSET_EL0", 1L << 31);
        c.cycles = 300;
        assertThat(read("PMCCNTR_EL0")).isEqualTo(110);
        write("PMCNTENCLR_EL0", 1L << 31);
        c.cycles = 400;
        assertThat(read("PMCCNTR_EL0")).isEqualTo(110);
        write("PMCNTENSET_EL0", 1L << 31);
        write("PMCR_EL0", 1 | 4); // E and C (reset the cycle counter)
        c.cycles = 450;
        assertThat(read("PMCCNTR_EL0")).isEqualTo(50);
        assertThat(read("PMCR_EL0")).as("C and P read as zero").isEqualTo(0x4101_3001L);
    }

    @Test
    void eventCountersAreSelectedThroughPmselrAndCountSoftwareIncrements() {
        write("PMSELR_EL0", 2);
        write("PMXEVTYPER_EL0", 0x11);
        assertThat(read("PMEVTYPER2_EL0")).isEqualTo(0x11);
        write("PMXEVCNTR_EL0", 0xFFFF_FFFEL);
        assertThat(read("PMEVCNTR2_EL0")).isEqualTo(0xFFFF_FFFEL);
        write("PMEVTYPER2_EL0", 0); // SW_INCR
        write("PMCR_EL0", 1);
        write("PMCNTENSET_EL0", 1 << 2);
        write("PMSWINC_EL0", 1 << 2);
        assertThat(read("PMEVCNTR2_EL0")).isEqualTo(0xFFFF_FFFFL);
        write("PMSWINC_EL0", 1 << 2);
        assertThat(read("PMEVCNTR2_EL0")).isZero();
        assertThat(read("PMOVSSET_EL0")).as("overflow flag").isEqualTo(1 << 2);
        write("PMOVSCLR_EL0", -1);
        assertThat(read("PMOVSCLR_EL0")).isZero();
        write("PMEVCNTR2_EL0", 5);
        write("PMCR_EL0", 1 | 2); // P resets the event counters
        assertThat(read("PMEVCNTR2_EL0")).isZero();

        write("PMSELR_EL0", 31);
        write("PMXEVTYPER_EL0", -1);
        assertThat(read("PMCCFILTR_EL0")).as("SEL 31 is the cycle counter's filter").isEqualTo(0xFC00_0000L);
        write("PMSELR_EL0", 9);
        write("PMXEVCNTR_EL0", 5);
        assertThat(read("PMXEVCNTR_EL0")).as("no counter 9: RAZ/WI").isZero();
    }

    @Test
    void pmuEnableBitsSetAndClear() {
        write("PMINTENSET_EL1", 0x8000_0005L);
        write("PMINTENCLR_EL1", 0x1);
        assertThat(read("PMINTENSET_EL1")).isEqualTo(0x8000_0004L);
        assertThat(read("PMINTENCLR_EL1")).isEqualTo(0x8000_0004L);
    }

    // ---- Timers ----------------------------------------------------------------------------------------

    @Test
    void timerRegistersUseVirtualTime() {
        c.cycles = 1000;
        c.horizon = Long.MAX_VALUE;
        assertThat(read("CNTVCT_EL0")).isEqualTo(1000);
        assertThat(read("CNTPCT_EL0")).isEqualTo(1000);
        write("CNTV_TVAL_EL0", 500);
        assertThat(read("CNTV_CVAL_EL0")).isEqualTo(1500);
        assertThat(c.horizon).as("a timer write re-evaluates deadlines").isEqualTo(c.cycles);
        write("CNTV_CTL_EL0", 1);
        assertThat(read("CNTV_CTL_EL0")).isEqualTo(1);
        c.cycles = 1500;
        assertThat(read("CNTV_CTL_EL0")).as("ISTATUS").isEqualTo(5);
        assertThat(read("CNTV_TVAL_EL0")).isZero();
        c.cycles = 1501;
        assertThat(read("CNTV_TVAL_EL0")).as("-1 as a 32-bit value").isEqualTo(0xFFFF_FFFFL);
        write("CNTP_TVAL_EL0", 0xFFFF_FFFF_FFFF_FF00L);
        assertThat(read("CNTP_CVAL_EL0")).as("TVAL is a signed 32-bit offset").isEqualTo(1501 - 256);
        write("CNTP_TVAL_EL0", 0x8000_0000L);
        assertThat(read("CNTP_CVAL_EL0")).isEqualTo(1501 - 0x8000_0000L);
    }

    @Test
    void cntfrqIsWritableAtEl1ButOnlyReportsTheFrequency() {
        write("CNTFRQ_EL0", 1_000_000);
        assertThat(read("CNTFRQ_EL0")).isEqualTo(1_000_000);
        c.cycles = 77;
        assertThat(read("CNTVCT_EL0")).isEqualTo(77);
    }

    // ---- Encodings, names and the host API -------------------------------------------------------------------

    @Test
    void encodingsAgreeWithTheAssemblersNames() {
        List<String> names = List.of("NZCV", "DAIF", "SPSel", "CurrentEL", "SP_EL0", "ELR_EL1", "SPSR_EL1", "FPCR", "FPSR",
                "SCTLR_EL1", "ACTLR_EL1", "CPACR_EL1", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "AFSR0_EL1", "AFSR1_EL1",
                "ESR_EL1", "FAR_EL1", "PAR_EL1", "MAIR_EL1", "AMAIR_EL1", "VBAR_EL1", "RVBAR_EL1", "ISR_EL1",
                "CONTEXTIDR_EL1", "TPIDR_EL1", "TPIDR_EL0", "TPIDRRO_EL0", "MIDR_EL1", "MPIDR_EL1", "REVIDR_EL1",
                "CTR_EL0", "DCZID_EL0", "CLIDR_EL1", "CCSIDR_EL1", "AIDR_EL1", "CSSELR_EL1",
                "ID_PFR0_EL1", "ID_PFR1_EL1", "ID_DFR0_EL1", "ID_AFR0_EL1", "ID_MMFR0_EL1", "ID_MMFR1_EL1", "ID_MMFR2_EL1",
                "ID_MMFR3_EL1", "ID_ISAR0_EL1", "ID_ISAR1_EL1", "ID_ISAR2_EL1", "ID_ISAR3_EL1", "ID_ISAR4_EL1",
                "ID_ISAR5_EL1", "ID_MMFR4_EL1", "MVFR0_EL1", "MVFR1_EL1", "MVFR2_EL1", "ID_AA64PFR0_EL1",
                "ID_AA64PFR1_EL1", "ID_AA64DFR0_EL1", "ID_AA64DFR1_EL1", "ID_AA64AFR0_EL1", "ID_AA64AFR1_EL1",
                "ID_AA64ISAR0_EL1", "ID_AA64ISAR1_EL1", "ID_AA64MMFR0_EL1", "ID_AA64MMFR1_EL1",
                "CNTFRQ_EL0", "CNTPCT_EL0", "CNTVCT_EL0", "CNTP_TVAL_EL0", "CNTP_CTL_EL0", "CNTP_CVAL_EL0",
                "CNTV_TVAL_EL0", "CNTV_CTL_EL0", "CNTV_CVAL_EL0", "CNTKCTL_EL1",
                "MDSCR_EL1", "MDCCINT_EL1", "MDCCSR_EL0", "MDRAR_EL1", "OSLAR_EL1", "OSLSR_EL1", "OSDLR_EL1", "DBGPRCR_EL1",
                "DBGBVR0_EL1", "DBGBCR0_EL1", "DBGBVR5_EL1", "DBGBCR5_EL1", "DBGWVR0_EL1", "DBGWCR0_EL1", "DBGWVR3_EL1",
                "DBGWCR3_EL1", "PMCR_EL0", "PMCNTENSET_EL0", "PMCNTENCLR_EL0", "PMOVSCLR_EL0", "PMSWINC_EL0",
                "PMSELR_EL0", "PMCEID0_EL0", "PMCEID1_EL0", "PMCCNTR_EL0", "PMXEVTYPER_EL0", "PMXEVCNTR_EL0",
                "PMUSERENR_EL0", "PMINTENSET_EL1", "PMINTENCLR_EL1", "PMOVSSET_EL0", "PMCCFILTR_EL0",
                "PMEVCNTR0_EL0", "PMEVCNTR5_EL0", "PMEVTYPER0_EL0", "PMEVTYPER5_EL0");
        StringBuilder asm = new StringBuilder();
        for (String n : names) asm.append("mrs x0, ").append(n).append('\n');
        ByteBuffer code = ByteBuffer.wrap(GuestAssembler.assemble(asm.toString(), CODE)).order(ByteOrder.LITTLE_ENDIAN);
        List<String> wrong = new ArrayList<>();
        for (String n : names) {
            int insn = code.getInt();
            int e = (insn >>> 5) & 0xFFFF;
            if (e != SysRegs.byName(n) || !SysRegs.name(e).equals(n)) wrong.add(n + " -> " + SysRegs.name(e));
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void hostApiFindsRegistersByNameAndGenericForm() {
        assertThat(SysRegs.byName("VBAR_EL1")).isEqualTo(SysRegs.encode(3, 0, 12, 0, 0));
        assertThat(SysRegs.byName("vbar_el1")).isEqualTo(SysRegs.byName("VBAR_EL1"));
        assertThat(SysRegs.byName("S3_1_C15_C2_0")).isEqualTo(SysRegs.encode(3, 1, 15, 2, 0));
        assertThat(SysRegs.byName("s3_1_c15_c2_0")).isEqualTo(SysRegs.byName("CPUACTLR_EL1"));
        assertThat(SysRegs.name(SysRegs.encode(3, 1, 15, 2, 0))).isEqualTo("CPUACTLR_EL1");
        assertThat(SysRegs.name(SysRegs.encode(3, 0, 0, 7, 7))).isEqualTo("S3_0_C0_C7_7");
        assertThat(SysRegs.byName("NOT_A_REGISTER")).isEqualTo(-1);
        assertThat(SysRegs.byName("S4_0_C0_C0_0")).isEqualTo(-1);
        assertThat(SysRegs.byName("S3_8_C0_C0_0")).isEqualTo(-1);
    }

    @Test
    void hostReadAndWriteSkipAccessChecksButRefuseWhatDoesNotExist() {
        toEl0();
        c.sys.cpacrEl1 = 0;
        SysRegs.write(c, SysRegs.byName("VBAR_EL1"), 0x4020_0000L);
        assertThat(SysRegs.read(c, SysRegs.byName("VBAR_EL1"))).isEqualTo(0x4020_0000L);
        SysRegs.write(c, SysRegs.byName("FPCR"), 1 << 24);
        assertThat(SysRegs.read(c, SysRegs.byName("FPCR"))).isEqualTo(1 << 24);
        assertThat(m.vm.getSysReg("MIDR_EL1")).isEqualTo(0x411F_D070L);
        m.vm.setSysReg("TPIDR_EL1", 42);
        assertThat(c.sys.tpidrEl1).isEqualTo(42);
        assertThatThrownBy(() -> SysRegs.write(c, SysRegs.byName("MIDR_EL1"), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> SysRegs.read(c, SysRegs.byName("S3_4_C1_C0_0"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown");
        assertThatThrownBy(() -> SysRegs.read(c, SysRegs.byName("OSLAR_EL1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.vm.getSysReg("NOPE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mrsAndMsrDoNotAllocate() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] insns = {mrsInsn("MIDR_EL1", 0), mrsInsn("ID_AA64MMFR0_EL1", 1), mrsInsn("CNTVCT_EL0", 2),
                msrInsn("TPIDR_EL0", 3), mrsInsn("DCZID_EL0", 4), msrInsn("CNTV_CVAL_EL0", 5), mrsInsn("PMCCNTR_EL0", 6),
                msrInsn("DAIF", 7), mrsInsn("CCSIDR_EL1", 8)};
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                c.pc = CODE;
                A64(insns[i % insns.length]);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated < 1024) return;
        }
        throw new AssertionError("MRS/MSR allocate");
    }

    // ---- Differential check against QEMU 7.2 -----------------------------------------------------------

    /** One instruction of the comparison program; presets are X registers loaded before it (by LDR in QEMU). */
    private record Probe(String what, int insn, long[] presets, boolean compareValue) {}

    /** Registers whose values depend on wall-clock or host time in QEMU: only whether the access faults is compared. */
    private static final List<String> TIME_DEPENDENT = List.of("CNTPCT_EL0", "CNTVCT_EL0", "CNTP_TVAL_EL0", "CNTV_TVAL_EL0",
            "PMCCNTR_EL0");

    /** Values that differ from QEMU's cortex-a57 on purpose: ID_AA64PFR0 says what Deja implements (no AArch32, no FP yet). */
    private static final List<String> DELIBERATELY_DIFFERENT = List.of("ID_AA64PFR0_EL1");

    /**
     * Where Deja follows the Arm ARM and QEMU 7.2 does not, so no write is compared:
     * SCTLR_EL1 (RES0/RES1 enforced), VBAR_EL1 (bits 10:0 RES0), MDCCINT_EL1 (RAZ/WI in QEMU),
     * DBGPRCR_EL1 (absent in QEMU). TVAL writes depend on the counter, which differs.
     */
    private static final List<String> NOT_COMPARED = List.of("SCTLR_EL1", "VBAR_EL1", "MDCCINT_EL1", "DBGPRCR_EL1",
            "CNTP_TVAL_EL0", "CNTV_TVAL_EL0");

    /** Encodings that neither QEMU 7.2's cortex-a57 nor Deja implement at EL1 (both must be UNDEFINED). */
    private static final String[] ABSENT = {"S3_0_C0_C0_1", "S3_0_C0_C0_4", "S3_0_C0_C0_7", "S3_0_C12_C0_2", "S2_0_C7_C8_6",
            "S2_0_C7_C9_6", "S2_0_C7_C14_6", "S2_0_C0_C6_2", "S2_3_C0_C4_0", "S2_3_C0_C5_0", "S2_4_C0_C7_0",
            "S2_0_C0_C6_4", "S2_0_C0_C4_6", "S3_3_C14_C12_6", "S3_3_C14_C8_6", "S3_4_C1_C0_0", "S3_3_C4_C5_0",
            "S3_0_C15_C0_0", "S3_1_C15_C4_0", "S3_3_C9_C14_4"};

    private static final long[] PATTERNS = {-1L, 0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL, 0};

    private static List<Probe> qemuProbes() {
        List<Probe> p = new ArrayList<>();
        int[] all = SysRegs.definedEncodings();
        for (int e : all) {
            String n = SysRegs.name(e);
            if (!SysRegs.readableAtEl1(e) || n.equals("DBGPRCR_EL1")) continue;
            p.add(new Probe("read " + n, 0xD520_0000 | (e << 5), new long[0],
                    !TIME_DEPENDENT.contains(n) && !DELIBERATELY_DIFFERENT.contains(n)));
        }
        for (int e : all) {
            String n = SysRegs.name(e);
            if (!SysRegs.writableAtEl1(e) || NOT_COMPARED.contains(n)) continue;
            boolean readable = SysRegs.readableAtEl1(e);
            boolean compare = !TIME_DEPENDENT.contains(n);
            if (readable) p.add(new Probe("save " + n, 0xD520_0000 | (e << 5) | 21, new long[0], false));
            for (long pattern : PATTERNS) {
                p.add(new Probe(String.format("write %s %x", n, pattern), 0xD500_0000 | (e << 5) | 1, new long[] {pattern}, false));
                if (readable) p.add(new Probe(String.format("read %s after %x", n, pattern), 0xD520_0000 | (e << 5), new long[0], compare));
            }
            if (readable) p.add(new Probe("restore " + n, 0xD500_0000 | (e << 5) | 21, new long[0], false));
            else if (n.equals("OSLAR_EL1")) p.add(new Probe("relock", 0xD500_0000 | (e << 5) | 1, new long[] {1}, false));
        }
        int csselr = SysRegs.byName("CSSELR_EL1"), ccsidr = SysRegs.byName("CCSIDR_EL1");
        for (int sel = 0; sel < 16; sel++) {
            p.add(new Probe("select cache " + sel, 0xD500_0000 | (csselr << 5) | 1, new long[] {sel}, false));
            p.add(new Probe("CCSIDR_EL1 for " + sel, 0xD520_0000 | (ccsidr << 5), new long[0], true));
        }
        for (String n : ABSENT) {
            int e = SysRegs.byName(n);
            p.add(new Probe("read " + n, 0xD520_0000 | (e << 5), new long[0], true));
            p.add(new Probe("write " + n, 0xD500_0000 | (e << 5) | 1, new long[] {0}, true));
        }
        return p;
    }

    private record Outcome(boolean faulted, long esr, long x0) {
        @Override
        public String toString() {
            return faulted ? String.format("fault ESR=%x", esr) : String.format("x0=%x", x0);
        }
    }

    @Test
    void agreesWithQemu() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("qemu-system-aarch64"), "qemu-system-aarch64 is not installed");
        List<Probe> probes = qemuProbes();

        // QEMU: a flat image at 0x4008_0000 entered at EL1h; a handler counts faults (X27), keeps ESR (X28) and skips the instruction.
        StringBuilder asm = new StringBuilder();
        List<Long> addresses = new ArrayList<>();
        long pc = CODE;
        for (String line : new String[] {"adr x20, vectors", "msr vbar_el1, x20", "mov x27, #0", "ldr x5, =0x300000",
                "msr cpacr_el1, x5", "isb"}) {
            asm.append(line).append('\n');
            pc += 4;
        }
        for (Probe probe : probes) {
            for (int r = 0; r < probe.presets().length; r++) {
                asm.append(String.format("ldr x%d, =0x%x%n", r + 1, probe.presets()[r]));
                pc += 4;
            }
            asm.append(String.format(".inst 0x%08x%n", probe.insn()));
            addresses.add(pc);
            pc += 4;
        }
        asm.append("movz x0, #0x0008\n movk x0, #0x8400, lsl 16\n hvc #0\n b .\n .ltorg\n .balign 2048\n vectors:\n");
        for (int i = 0; i < 16; i++) asm.append(".balign 128\n b handler\n");
        asm.append("handler: add x27, x27, #1\n mrs x28, esr_el1\n mrs x26, elr_el1\n add x26, x26, #4\n msr elr_el1, x26\n eret\n");
        byte[] image = GuestAssembler.assemble(asm.toString(), CODE);
        ByteBuffer words = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < probes.size(); i++) {
            assertThat(words.getInt((int) (addresses.get(i) - CODE))).as("layout").isEqualTo(probes.get(i).insn());
        }
        List<Outcome> qemu = runQemu(image, addresses);

        // Deja: the same instructions from the same state, the handler emulated.
        c.vbarEl1 = (addresses.get(addresses.size() - 1) + 4 + 16 + 2047) & ~2047L; // not used by the comparison
        c.sys.cpacrEl1 = 0x30_0000;
        c.zf = true;
        c.sp = 0;
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            for (int r = 0; r < probe.presets().length; r++) c.x[r + 1] = probe.presets()[r];
            c.pc = addresses.get(i);
            A64(probe.insn());
            Outcome deja;
            if (c.pc == addresses.get(i) + 4) {
                deja = new Outcome(false, 0, c.x[0]);
            } else {
                deja = new Outcome(true, c.esrEl1, 0);
                c.elrEl1 += 4;
                c.exceptionReturn();
            }
            Outcome q = qemu.get(i);
            boolean same = q.faulted() == deja.faulted()
                    && (q.faulted() ? q.esr() == deja.esr() : !probe.compareValue() || q.x0() == deja.x0());
            if (!same) differences.add(probe.what() + ": QEMU " + q + ", Deja " + deja);
        }
        assertThat(differences).isEmpty();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) return true;
        }
        return false;
    }

    private static List<Outcome> runQemu(byte[] image, List<Long> addresses) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("deja-qemu-sysregs");
        try {
            java.nio.file.Path bin = dir.resolve("probe.bin"), log = dir.resolve("cpu.log");
            java.nio.file.Files.write(bin, image);
            Process q = new ProcessBuilder("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "128M",
                    "-display", "none", "-serial", "null", "-monitor", "none", "-nic", "none", "-kernel", bin.toString(),
                    "-singlestep", "-d", "cpu,nochain", "-D", log.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.out").toFile()).start();
            if (!q.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                q.destroyForcibly().waitFor();
                throw new AssertionError("QEMU did not power off within 120 s");
            }
            String text = java.nio.file.Files.readString(log);
            var pcs = java.util.regex.Pattern.compile("PC=([0-9a-f]{16}) X00=([0-9a-f]{16})").matcher(text);
            var counters = java.util.regex.Pattern.compile("X27=([0-9a-f]{16}) X28=([0-9a-f]{16})").matcher(text);
            List<long[]> records = new ArrayList<>(); // pc, x0, x27, x28 before each instruction
            while (pcs.find() && counters.find()) {
                records.add(new long[] {Long.parseUnsignedLong(pcs.group(1), 16), Long.parseUnsignedLong(pcs.group(2), 16),
                        Long.parseUnsignedLong(counters.group(1), 16), Long.parseUnsignedLong(counters.group(2), 16)});
            }
            List<Outcome> outcomes = new ArrayList<>();
            int r = 0;
            for (long address : addresses) {
                while (records.get(r)[0] != address) r++;
                long[] before = records.get(r);
                while (records.get(r)[0] != address + 4) r++;
                long[] after = records.get(r);
                boolean faulted = after[2] != before[2];
                outcomes.add(new Outcome(faulted, faulted ? after[3] : 0, after[1]));
            }
            return outcomes;
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) java.nio.file.Files.deleteIfExists(f);
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }
}
