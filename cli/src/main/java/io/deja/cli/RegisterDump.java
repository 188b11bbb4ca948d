package io.deja.cli;

import io.deja.core.vm.VirtualMachine;

/** --dump-regs: the general registers in QEMU's layout (four per line). */
final class RegisterDump {
    private RegisterDump() {}

    static String format(VirtualMachine vm) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            sb.append(String.format("X%02d=%016x", i, vm.getX(i)));
            sb.append(i % 4 == 3 ? '\n' : ' ');
        }
        long p = vm.getPstate();
        sb.append(String.format(" SP=%016x%n PC=%016x PSTATE=%08x %c%c%c%c EL%d%c%n", vm.getSp(), vm.getPc(), p,
                (p & (1L << 31)) != 0 ? 'N' : '-', (p & (1L << 30)) != 0 ? 'Z' : '-',
                (p & (1L << 29)) != 0 ? 'C' : '-', (p & (1L << 28)) != 0 ? 'V' : '-',
                (p >> 2) & 3, (p & 1) != 0 ? 'h' : 't'));
        return sb.toString();
    }
}
