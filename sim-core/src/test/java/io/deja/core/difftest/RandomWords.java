package io.deja.core.difftest;

import io.deja.core.cpu.Cpu;
import io.deja.core.decode.A64Decoder;
import io.deja.core.difftest.InstructionGenerator.Unit;
import io.deja.core.mem.MmioDevice;
import io.deja.core.vm.VirtualMachine;
import io.deja.core.vm.Vcpu;
import io.deja.core.vm.VmExit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Arbitrary 32-bit words: run alone in Deja (which must never throw a host
 * exception, whatever the word and the state), and a filtered sample for the
 * comparison with QEMU (words that neither access memory nor branch, or
 * that no pattern matches).
 */
final class RandomWords {
    private RandomWords() {}

    static final long RAM_BASE = 0x4000_0000L;
    static final long RAM_SIZE = 16L << 20;
    static final long CODE = 0x4008_0000L;
    static final long VBAR = 0x4010_0000L;
    /** A range that exits to the host (as the board's PL011 would not) and one served in-process. */
    static final long MMIO_EXIT = 0x0900_0000L, MMIO_DEVICE = 0x0A00_0000L;

    /** What running words alone did: outcome counts and every host exception (word, stack trace). */
    record SoloResult(long words, TreeMap<String, Long> outcomes, List<String> hostExceptions) {
        String summary() {
            StringBuilder s = new StringBuilder(String.format("%d random words run alone in Deja, %d host exceptions; outcomes:",
                    words, hostExceptions.size()));
            outcomes.forEach((k, v) -> s.append(String.format(" %s %.1f%%;", k, 100.0 * v / words)));
            return s.toString();
        }
    }

    /**
     * Executes count random words, each as a one-instruction block at CODE from
     * a state that is reset every time (EL1h, EL1t or EL0t, MMU off, VBAR set)
     * and re-randomised every 64 words. Registers often point into RAM, at
     * MMIO, or near them. Exits (MMIO reads are answered) just end the step.
     */
    static SoloResult runAlone(long seed, long count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TreeMap<String, Long> outcomes = new TreeMap<>();
        List<String> hostExceptions = new ArrayList<>();
        Vcpu vm = null;
        Cpu cpu = null;
        long sctlrReset = 0;
        for (long i = 0; i < count; i++) {
            if (i % 100_000 == 0) {
                // A fresh machine now and then, so that no system register written at random sticks for long.
                vm = newMachine();
                cpu = vm.cpu();
                sctlrReset = cpu.sctlrEl1;
            }
            if (i % 64 == 0) randomise(vm, rnd);
            int word = rnd.nextInt();
            String outcome;
            try {
                // Through the API, so that the MMU forgets what a random word may have enabled.
                vm.setSysReg("SCTLR_EL1", sctlrReset);
                cpu.mmu.write32(CODE, word);
                cpu.vbarEl1 = VBAR;
                int mode = switch (rnd.nextInt(4)) {
                    case 0 -> 0x3C4;  // EL1t
                    case 1 -> 0x3C0;  // EL0t
                    default -> 0x3C5; // EL1h
                };
                vm.setPstate(((long) rnd.nextInt(16) << 28) | mode);
                vm.setPc(CODE);
                VmExit exit = vm.run(1);
                for (int k = 0; k < 4 && exit instanceof VmExit.MmioRead; k++) {
                    vm.completeMmioRead(rnd.nextLong());
                    exit = vm.run(1);
                }
                outcome = outcome(cpu, exit);
                if (cpu.x[31] != 0) throw new IllegalStateException("XZR (x[31]) holds " + Long.toHexString(cpu.x[31]));
            } catch (Throwable t) {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                if (hostExceptions.size() < 50) {
                    hostExceptions.add(String.format("%08x [%s]: %s", word, A64Decoder.name(A64Decoder.decode(word)), sw));
                } else {
                    hostExceptions.add(String.format("%08x", word));
                }
                outcome = "host exception";
                vm = newMachine(); // whatever state it left, start over
                cpu = vm.cpu();
                randomise(vm, rnd);
            }
            outcomes.merge(outcome, 1L, Long::sum);
        }
        return new SoloResult(count, outcomes, hostExceptions);
    }

    private static Vcpu newMachine() {
        Vcpu vm = (Vcpu) VirtualMachine.create(RAM_BASE, RAM_SIZE);
        vm.mapMmioExit(MMIO_EXIT, 0x1000, "exit");
        vm.mapDevice(MMIO_DEVICE, 0x1000, new Echo());
        return vm;
    }

    private static String outcome(Cpu cpu, VmExit exit) {
        if (!(exit instanceof VmExit.BudgetExhausted)) return "exit " + exit.kind();
        long pc = cpu.pc;
        if (pc >= VBAR && pc < VBAR + 0x800) {
            int ec = (int) (cpu.esrEl1 >>> 26) & 0x3F;
            return "exception EC 0x" + Integer.toHexString(ec);
        }
        return pc == CODE + 4 ? "retired" : "branched";
    }

    private static void randomise(Vcpu vm, SplittableRandom rnd) {
        for (int r = 0; r < 31; r++) vm.setX(r, operand(rnd));
        vm.setPstate(0x3C4);
        vm.setSp(operand(rnd));
        vm.setPstate(0x3C5);
        vm.setSp(operand(rnd));
    }

    /** Register values for words run alone: addresses in and around RAM and devices, and plain numbers. */
    private static long operand(SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0, 1 -> RAM_BASE + rnd.nextLong(RAM_SIZE) & ~7L;
            case 2 -> RAM_BASE + rnd.nextLong(RAM_SIZE);
            case 3 -> (rnd.nextBoolean() ? MMIO_EXIT : MMIO_DEVICE) + rnd.nextInt(0x1000);
            case 4 -> RAM_BASE + RAM_SIZE - rnd.nextInt(64);
            default -> HarnessBuilder.interestingValue(rnd);
        };
    }

    /** An in-process device that reads back what was last written. */
    private static final class Echo implements MmioDevice {
        private long last;

        @Override public String name() { return "echo"; }

        @Override public long read(long offset, int size) { return last ^ offset; }

        @Override public void write(long offset, int size, long value) { last = value; }
    }

    // ---- Words for the comparison with QEMU ---------------------------------------------

    /**
     * Whether a random word can run in the harness and be compared: no memory
     * access, no branch, nothing machine-level (the @mem, @branch, @nogen and
     * @sys tags), or no pattern at all; and not on the skip list.
     */
    static boolean comparable(int word, SkipList skip) {
        int op = A64Decoder.decode(word);
        if (op != 0) {
            for (String tag : new String[] {"mem", "branch", "nogen", "sys"}) {
                if (InstructionGenerator.tagged(op, tag)) return false;
            }
        }
        return skip.skipsWord(word, A64Decoder.name(op)) == null;
    }

    /**
     * Half uniformly random words (mostly unallocated encodings), half words
     * whose pattern bits are fixed and whose fields are random with no
     * constraint at all (so reserved field values are common).
     */
    static List<Unit> comparableBlock(SplittableRandom rnd, int count, SkipList skip) {
        List<Integer> ops = new ArrayList<>();
        for (int op = 1; op < A64Decoder.count(); op++) {
            if (comparable(A64Decoder.value(op), skip) && A64Decoder.decode(A64Decoder.value(op)) == op) ops.add(op);
        }
        List<Unit> units = new ArrayList<>(count);
        while (units.size() < count) {
            int word = rnd.nextInt();
            if (rnd.nextBoolean()) {
                int op = ops.get(rnd.nextInt(ops.size()));
                word = A64Decoder.value(op) | (word & ~A64Decoder.mask(op));
            }
            if (comparable(word, skip)) units.add(Unit.plain(A64Decoder.decode(word), word));
        }
        return units;
    }

}
