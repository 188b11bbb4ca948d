package io.deja.gdb;

/**
 * gdb's AArch64 register numbering and the target description that declares
 * it: the features org.gnu.gdb.aarch64.core (X0-X30, SP, PC, CPSR) and
 * org.gnu.gdb.aarch64.fpu (V0-V31, FPSR, FPCR), with the register names,
 * sizes and types gdb's own aarch64-core.xml and aarch64-fpu.xml give them
 * (gdb recognises the architecture by these names), then a few system
 * registers (writable where the guest's MSR at EL1 can write them).
 */
public final class Aarch64Registers {
    private Aarch64Registers() {}

    /** COUNT: the core and FP registers, the ones a g packet carries. */
    public static final int SP = 31, PC = 32, CPSR = 33, V0 = 34, FPSR = 66, FPCR = 67, COUNT = 68;

    /**
     * EL0/EL1 system registers shown to gdb, numbered from
     * {@link #COUNT}: the ones a kernel developer asks for, and none whose
     * read has a side effect (no interrupt acknowledge registers).
     */
    public static final java.util.List<String> SYSTEM = java.util.List.of(
            "SCTLR_EL1", "TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "MAIR_EL1", "VBAR_EL1", "ESR_EL1", "FAR_EL1",
            "ELR_EL1", "SPSR_EL1", "SP_EL0", "TPIDR_EL0", "TPIDR_EL1", "TPIDRRO_EL0", "CONTEXTIDR_EL1", "CPACR_EL1",
            "PAR_EL1", "MDSCR_EL1", "CNTKCTL_EL1", "CNTV_CTL_EL0", "CNTV_CVAL_EL0", "CNTP_CTL_EL0", "CNTP_CVAL_EL0",
            "CNTVCT_EL0", "MIDR_EL1", "MPIDR_EL1");

    /** The system register regnum shows, or null if it is not one. */
    public static String systemRegister(int regnum) {
        int i = regnum - COUNT;
        return i >= 0 && i < SYSTEM.size() ? SYSTEM.get(i) : null;
    }

    /**
     * Why system register regnum cannot be written from gdb, or null if it
     * can: what the guest can write with MSR at EL1 (written as MSR writes it,
     * with its effects: a new TTBR or SCTLR flushes the TLB), not the ID
     * registers or the counter.
     */
    public static String readOnlyReason(int regnum) {
        String name = systemRegister(regnum);
        if (name == null) return null;
        int encoding = io.deja.core.isa.SysRegs.byName(name);
        return io.deja.core.isa.SysRegs.writableAtEl1(encoding) ? null
                : name.toLowerCase(java.util.Locale.ROOT) + " is read-only (the guest cannot write it either)";
    }

    /** Size in bytes of register regnum, or 0 if there is none. */
    public static int size(int regnum) {
        if (systemRegister(regnum) != null) return 8;
        if (regnum < 0 || regnum >= COUNT) return 0;
        if (regnum < CPSR) return 8;
        if (regnum == CPSR || regnum >= FPSR) return 4;
        return 16;
    }

    /** The annexes qXfer:features:read serves, by name; null for any other. */
    public static String annex(String name) {
        return switch (name) {
            case "target.xml" -> TARGET;
            case "aarch64-core.xml" -> CORE;
            case "aarch64-fpu.xml" -> FPU;
            case "system-registers.xml" -> SYSTEM_XML;
            default -> null;
        };
    }

    private static final String TARGET = """
            <?xml version="1.0"?>
            <!DOCTYPE target SYSTEM "gdb-target.dtd">
            <target>
              <architecture>aarch64</architecture>
              <xi:include href="aarch64-core.xml"/>
              <xi:include href="aarch64-fpu.xml"/>
              <xi:include href="system-registers.xml"/>
            </target>
            """;

    private static final String CORE = core();
    private static final String FPU = fpu();
    private static final String SYSTEM_XML = systemXml();

    /** Under the feature name QEMU gives its system registers, numbered after FPCR. */
    private static String systemXml() {
        StringBuilder s = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE feature SYSTEM "gdb-target.dtd">
                <feature name="org.qemu.gdb.arm.sys.regs">
                """);
        for (int i = 0; i < SYSTEM.size(); i++) {
            s.append("  <reg name=\"").append(SYSTEM.get(i).toLowerCase(java.util.Locale.ROOT))
                    .append("\" bitsize=\"64\" regnum=\"").append(COUNT + i).append("\" group=\"system\"/>\n");
        }
        return s.append("</feature>\n").toString();
    }

    private static String core() {
        StringBuilder s = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE feature SYSTEM "gdb-target.dtd">
                <feature name="org.gnu.gdb.aarch64.core">
                """);
        for (int i = 0; i <= 30; i++) s.append("  <reg name=\"x").append(i).append("\" bitsize=\"64\"/>\n");
        s.append("""
                  <reg name="sp" bitsize="64" type="data_ptr"/>
                  <reg name="pc" bitsize="64" type="code_ptr"/>
                  <flags id="cpsr_flags" size="4">
                    <field name="SP" start="0" end="0"/>
                    <field name="EL" start="2" end="3"/>
                    <field name="nRW" start="4" end="4"/>
                    <field name="F" start="6" end="6"/>
                    <field name="I" start="7" end="7"/>
                    <field name="A" start="8" end="8"/>
                    <field name="D" start="9" end="9"/>
                    <field name="IL" start="20" end="20"/>
                    <field name="SS" start="21" end="21"/>
                    <field name="V" start="28" end="28"/>
                    <field name="C" start="29" end="29"/>
                    <field name="Z" start="30" end="30"/>
                    <field name="N" start="31" end="31"/>
                  </flags>
                  <reg name="cpsr" bitsize="32" type="cpsr_flags"/>
                </feature>
                """);
        return s.toString();
    }

    private static String fpu() {
        StringBuilder s = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE feature SYSTEM "gdb-target.dtd">
                <feature name="org.gnu.gdb.aarch64.fpu">
                  <vector id="v2d" type="ieee_double" count="2"/>
                  <vector id="v2u" type="uint64" count="2"/>
                  <vector id="v2i" type="int64" count="2"/>
                  <vector id="v4f" type="ieee_single" count="4"/>
                  <vector id="v4u" type="uint32" count="4"/>
                  <vector id="v4i" type="int32" count="4"/>
                  <vector id="v8f" type="ieee_half" count="8"/>
                  <vector id="v8u" type="uint16" count="8"/>
                  <vector id="v8i" type="int16" count="8"/>
                  <vector id="v16u" type="uint8" count="16"/>
                  <vector id="v16i" type="int8" count="16"/>
                  <vector id="v1u" type="uint128" count="1"/>
                  <vector id="v1i" type="int128" count="1"/>
                  <union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>
                  <union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>
                  <union id="vnh"><field name="f" type="v8f"/><field name="u" type="v8u"/><field name="s" type="v8i"/></union>
                  <union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>
                  <union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>
                  <union id="aarch64v">
                    <field name="d" type="vnd"/>
                    <field name="s" type="vns"/>
                    <field name="h" type="vnh"/>
                    <field name="b" type="vnb"/>
                    <field name="q" type="vnq"/>
                  </union>
                """);
        for (int i = 0; i <= 31; i++) {
            s.append("  <reg name=\"v").append(i).append("\" bitsize=\"128\" type=\"aarch64v\"");
            if (i == 0) s.append(" regnum=\"").append(V0).append('"');
            s.append("/>\n");
        }
        s.append("""
                  <reg name="fpsr" bitsize="32"/>
                  <reg name="fpcr" bitsize="32"/>
                </feature>
                """);
        return s.toString();
    }
}
