package io.deja.replayer;

import io.deja.core.trace.CheckpointRegisters;
import io.deja.core.vm.VirtualMachine;

import java.util.ArrayList;
import java.util.List;

/** The register block of a checkpoint (see {@link CheckpointRegisters}) as little-endian bytes, and its differences. */
final class Registers {
    private Registers() {}

    static final int COUNT = CheckpointRegisters.COUNT;

    static String name(int i) {
        return CheckpointRegisters.name(i);
    }

    static byte[] toBytes(long[] regs) {
        byte[] b = new byte[regs.length * 8];
        for (int i = 0; i < regs.length; i++) {
            for (int k = 0; k < 8; k++) b[8 * i + k] = (byte) (regs[i] >>> (8 * k));
        }
        return b;
    }

    static long[] fromBytes(byte[] b) {
        long[] r = new long[b.length / 8];
        for (int i = 0; i < r.length; i++) {
            long v = 0;
            for (int k = 7; k >= 0; k--) v = v << 8 | (b[8 * i + k] & 0xFF);
            r[i] = v;
        }
        return r;
    }

    static long[] of(VirtualMachine vm) {
        long[] r = new long[COUNT];
        for (int i = 0; i < 31; i++) r[i] = vm.getX(i);
        r[CheckpointRegisters.SP] = vm.getSp();
        r[CheckpointRegisters.PC] = vm.getPc();
        r[CheckpointRegisters.PSTATE] = vm.getPstate();
        r[CheckpointRegisters.FPCR] = vm.getFpcr();
        r[CheckpointRegisters.FPSR] = vm.getFpsr();
        for (int n = 0; n < 32; n++) {
            r[CheckpointRegisters.V + 2 * n] = vm.getV(n, 0);
            r[CheckpointRegisters.V + 2 * n + 1] = vm.getV(n, 1);
        }
        return r;
    }

    /** One line per register that differs: "X9  expected 0x... actual 0x...". */
    static List<String> diff(long[] expected, long[] actual) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
            if (expected[i] != actual[i]) {
                lines.add(String.format("%-6s expected 0x%016x  actual 0x%016x", name(i), expected[i], actual[i]));
            }
        }
        return lines;
    }
}
