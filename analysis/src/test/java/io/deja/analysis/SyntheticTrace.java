package io.deja.analysis;

import io.deja.core.board.Board;
import io.deja.core.board.MachineConfig;
import io.deja.core.vm.ExitKind;
import io.deja.core.isa.SysRegs;
import io.deja.core.trace.CheckpointRegisters;
import io.deja.core.trace.TraceLevel;
import io.deja.core.trace.TraceSink;
import io.deja.recorder.RecordedImage;
import io.deja.recorder.RecordingHeader;
import io.deja.recorder.RecordingWriter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Recordings with known contents, written with the recorder's own writer: the
 * heisenbug in miniature (a main loop keeps 0x2a in X9; the timer interrupt's
 * handler overwrites it with 1; the loop's compare then reads it), plus one
 * event of every other kind, and a few FP instructions (V3 holds MARK in both
 * halves at the opening checkpoint). The tests' expectations refer to the
 * constants and icounts documented here.
 */
public final class SyntheticTrace {
    private SyntheticTrace() {}

    public static final List<String> DEVICES = List.of("gic-dist", "gic-cpu", "pl011", "virtio-console");
    public static final int GIC_CPU = 1;
    public static final long STORE_ADDRESS = 0x40000;
    public static final int TIMER = 27;
    /** The instruction that corrupts X9 (movz x9, #1 in the handler). */
    public static final long CULPRIT_ICOUNT = 5, CULPRIT_PC = 0x884;
    public static final long END_ICOUNT = 51;
    /** V3's value (both halves) at the opening checkpoint. */
    public static final long MARK = 0x5a5a_5a5a_5a5a_5a5aL;
    public static final long D_ONE = 0x3ff0_0000_0000_0000L, D_INF = 0x7ff0_0000_0000_0000L;

    public static RecordingHeader header(TraceLevel level, OptionalLong chaos) {
        byte[] image = "synthetic kernel".getBytes(StandardCharsets.US_ASCII);
        MachineConfig config = MachineConfig.of(Board.VIBE, image);
        return RecordingHeader.of(config, List.of(new RecordedImage("/kernels/synthetic.raw", "", RecordedImage.sha256(image), image.length)),
                DEVICES, level, 1_000_000, chaos, "test").withStartTime(0);
    }

    /** The miniature heisenbug at full level; the second timer interrupt lands at interruptAt (45 in the standard trace). */
    public static void write(Path dir) {
        write(dir, 45, true);
    }

    public static void write(Path dir, long secondInterrupt, boolean end) {
        try (RecordingWriter w = RecordingWriter.open(dir, header(TraceLevel.FULL, OptionalLong.of(7)))) {
            long[] regs = new long[CheckpointRegisters.COUNT];
            regs[9] = 0x2a;
            regs[CheckpointRegisters.SP] = 0x80000;
            regs[CheckpointRegisters.PC] = 0x10000;
            regs[CheckpointRegisters.PSTATE] = 0x6000_03c5L; // Z and C set, EL1h, DAIF masked
            regs[CheckpointRegisters.V + 6] = MARK;           // V3
            regs[CheckpointRegisters.V + 7] = MARK;
            w.checkpoint(0, 0, 1, 2, 3, regs);

            w.insn(0, 0x10000, 0xd518c000);                   // msr vbar_el1, x0
            w.sysregWrite(0, 0x10000, SysRegs.byName("VBAR_EL1"), 0, 0x800);
            w.input(1, TraceSink.INPUT_UART, "hi".getBytes(StandardCharsets.US_ASCII));
            w.insn(1, 0x10004, 0xd2800549);                   // movz x9, #0x2a
            w.regWrite(1, 9, 0x2a);
            w.insn(2, 0x10008, 0x91000400);                   // add x0, x0, #1
            w.regWrite(2, 0, 1);
            w.insn(3, 0x1000c, 0xf9000020);                   // str x0, [x1]
            w.memWrite(3, STORE_ADDRESS, 8, 0x1122334455667701L);

            w.interrupt(4, 0x10010, TIMER, false, 1);
            w.insn(4, 0x880, 0xb9400c20);                     // ldr w0, [x1, #0xc]  (GICC_IAR)
            w.mmio(4, 0x880, GIC_CPU, 0x0c, 4, false, TIMER);
            w.regWrite(4, 0, TIMER);
            w.insn(5, 0x884, 0xd2800029);                     // movz x9, #1   <- the culprit
            w.regWrite(5, 9, 1);
            w.insn(6, 0x888, 0xb9001020);                     // str w0, [x1, #0x10] (GICC_EOIR)
            w.mmio(6, 0x888, GIC_CPU, 0x10, 4, true, TIMER);
            w.insn(7, 0x88c, 0xd69f03e0);                     // eret
            w.insn(8, 0x10010, 0xf100a93f);                   // cmp x9, #0x2a  <- reads the bad value
            w.regWrite(8, TraceSink.REG_NZCV, 0x8000_0000L);
            w.insn(9, 0x10014, 0x54000041);                   // b.ne 0x1001c
            w.insn(10, 0x1001c, 0xd4000001);                  // svc #0
            w.exception(11, 0x10020, 0x15, 0x5600_0000L, 0, 1, 1);
            w.insn(11, 0x400, 0xd2800000);                    // movz x0, #0
            w.regWrite(11, 0, 0);

            console(w, 12, "boot\n");
            console(w, 20, "X9 CORRUPT\n");
            w.exit(31, 0x10040, ExitKind.WFI.code, 0, 0, 0);
            w.exit(40, 0x10044, ExitKind.MMIO_WRITE.code, 0x0900_0000L, 4, 0x41);
            w.insn(41, 0x10060, 0x1e6e1003);                  // fmov d3, #1.0 (clears bits 127:64)
            w.vregWrite(41, 3, D_ONE, 0);
            w.insn(42, 0x10064, 0x9eaf0003);                  // fmov v3.d[1], x0 (bits 63:0 unchanged)
            w.vregWrite(42, 3, D_ONE, 0x1b);
            w.insn(43, 0x10068, 0x1e7f1864);                  // fdiv d4, d3, d31 (by zero: FPSR.DZC)
            w.regWrite(43, TraceSink.REG_FPSR, 2);
            w.vregWrite(43, 4, D_INF, 0);
            w.insn(44, 0x1006c, 0xd51b4401);                  // msr fpcr, x1
            w.regWrite(44, TraceSink.REG_FPCR, 0x40_0000);
            w.interrupt(secondInterrupt, 0x10050, TIMER, false, 1);
            w.exit(50, 0x10048, TraceSink.EXIT_SHUTDOWN, 0, 0, 0);
            regs[9] = 1;
            regs[CheckpointRegisters.FPCR] = 0x40_0000;
            regs[CheckpointRegisters.FPSR] = 2;
            regs[CheckpointRegisters.V + 6] = D_ONE;
            regs[CheckpointRegisters.V + 7] = 0x1b;
            regs[CheckpointRegisters.V + 8] = D_INF;
            w.checkpoint(END_ICOUNT, 60, 4, 5, 6, regs);
            if (end) w.end(END_ICOUNT, 60, ExitKind.SHUTDOWN.code);
        }
    }

    /**
     * Two ticks whose handler writes 1 into X9: the first handler's 1 is
     * harmless (the handler stores it, and the main loop rewrites X9 before
     * reading it), the second's escapes (icount 6 writes it, 7 is the ERET,
     * 8 the main loop's compare that reads it).
     */
    public static void writeTwoTicks(Path dir) {
        try (RecordingWriter w = RecordingWriter.open(dir, header(TraceLevel.FULL, OptionalLong.empty()))) {
            w.checkpoint(0, 0, 1, 2, 3, new long[CheckpointRegisters.COUNT]);
            w.insn(0, 0x10000, 0xd2800029);   // movz x9, #1    (main code: not a handler)
            w.regWrite(0, 9, 1);
            w.insn(1, 0x10004, 0xd2800549);   // movz x9, #0x2a
            w.regWrite(1, 9, 0x2a);
            w.interrupt(2, 0x10008, TIMER, false, 1);
            w.insn(2, 0x884, 0x52800029);     // movz w9, #1
            w.regWrite(2, 9, 1);
            w.insn(3, 0x888, 0xb9000009);     // str w9, [x0]   (the handler's own use)
            w.memWrite(3, STORE_ADDRESS, 4, 1);
            w.insn(4, 0x88c, 0xd69f03e0);     // eret
            w.insn(5, 0x10008, 0xd37cee69);   // lsl x9, x19, #4 (rewritten before any read)
            w.regWrite(5, 9, 0x100);
            w.interrupt(6, 0x1000c, TIMER, false, 1);
            w.insn(6, 0x884, 0x52800029);     // movz w9, #1
            w.regWrite(6, 9, 1);
            w.insn(7, 0x88c, 0xd69f03e0);     // eret
            w.insn(8, 0x1000c, 0xeb13113f);   // cmp x9, x19, lsl #4  <- reads the 1
            w.regWrite(8, TraceSink.REG_NZCV, 0x8000_0000L);
            w.end(9, 9, ExitKind.SHUTDOWN.code);
        }
    }

    private static void console(RecordingWriter w, long icount, String text) {
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) w.console(icount++, b);
    }
}
