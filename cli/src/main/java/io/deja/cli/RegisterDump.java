package io.deja.cli;

import io.deja.core.vm.VirtualMachine;

/**
 * --dump-regs: the general registers, then FPCR, FPSR and V0-V31, in the
 * layout of QEMU's {@code -d cpu,fpu} (so the two can be diffed): X registers
 * four per line, PSTATE followed by FPCR and FPSR, and each V register as
 * Qnn=bits 127:64:bits 63:0, two per line. FP state is always shown: it is
 * architectural state like the rest, whether or not the guest used it.
 * replay --at adds the EL1 system registers ({@link #system}).
 */
final class RegisterDump {
    private RegisterDump() {}

    static String format(VirtualMachine vm) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            sb.append(String.format("X%02d=%016x", i, vm.getX(i)));
            sb.append(i % 4 == 3 ? '\n' : ' ');
        }
        long p = vm.getPstate();
        sb.append(String.format(" SP=%016x%n PC=%016x PSTATE=%08x %c%c%c%c EL%d%c     FPCR=%08x FPSR=%08x%n", vm.getSp(), vm.getPc(), p,
                (p & (1L << 31)) != 0 ? 'N' : '-', (p & (1L << 30)) != 0 ? 'Z' : '-',
                (p & (1L << 29)) != 0 ? 'C' : '-', (p & (1L << 28)) != 0 ? 'V' : '-',
                (p >> 2) & 3, (p & 1) != 0 ? 'h' : 't', vm.getFpcr(), vm.getFpsr()));
        for (int n = 0; n < 32; n++) {
            sb.append(String.format("Q%02d=%016x:%016x", n, vm.getV(n, 1), vm.getV(n, 0)));
            sb.append(n % 2 == 1 ? '\n' : ' ');
        }
        return sb.toString();
    }

    /** System registers that reading cannot change (not the GIC's acknowledge registers), four per line. */
    static final java.util.List<String> SYSTEM = java.util.List.of("SCTLR_EL1", "TCR_EL1", "TTBR0_EL1", "TTBR1_EL1",
            "MAIR_EL1", "VBAR_EL1", "CPACR_EL1", "TPIDR_EL1", "ELR_EL1", "SPSR_EL1", "ESR_EL1", "FAR_EL1",
            "SP_EL0", "SP_EL1", "CNTV_CTL_EL0", "CNTV_CVAL_EL0");

    static String system(VirtualMachine vm) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (String name : SYSTEM) {
            long value;
            try {
                value = vm.getSysReg(name);
            } catch (RuntimeException notHere) {
                continue;
            }
            sb.append(String.format("%-13s=%016x", name, value));
            sb.append(++n % 4 == 0 ? '\n' : ' ');
        }
        if (n % 4 != 0) sb.append('\n');
        return sb.toString();
    }
}
