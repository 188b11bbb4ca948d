package io.deja.replayer;

import io.deja.core.vm.VirtualMachine;

import java.util.ArrayList;
import java.util.List;

/** The register block of a checkpoint: X0-X30, SP, PC, PSTATE as 34 little-endian 64-bit values. */
final class Registers {
    private Registers() {}

    static final int COUNT = 34;

    static String name(int i) {
        return i < 31 ? String.format("X%d", i) : i == 31 ? "SP" : i == 32 ? "PC" : "PSTATE";
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
        r[31] = vm.getSp();
        r[32] = vm.getPc();
        r[33] = vm.getPstate();
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
