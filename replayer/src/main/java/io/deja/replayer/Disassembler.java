package io.deja.replayer;

import capstone.Capstone;
import capstone.api.Instruction;

/**
 * AArch64 disassembly for reports, by Capstone (its JNA binding: the JNI one
 * crashes). If the native library cannot be loaded, instructions are shown as
 * ".inst 0x..." rather than failing the report.
 */
public final class Disassembler implements AutoCloseable {
    private final Capstone capstone;

    public Disassembler() {
        Capstone cs;
        try {
            cs = new Capstone(Capstone.CS_ARCH_ARM64, Capstone.CS_MODE_ARM);
        } catch (Throwable unavailable) {
            cs = null;
        }
        capstone = cs;
    }

    /** "add x0, x0, #1", or ".inst 0x..." for a word Capstone does not decode. */
    public String disassemble(long pc, int opcode) {
        if (capstone != null) {
            byte[] b = {(byte) opcode, (byte) (opcode >>> 8), (byte) (opcode >>> 16), (byte) (opcode >>> 24)};
            try {
                Instruction[] insns = capstone.disasm(b, pc);
                if (insns != null && insns.length == 1) {
                    String ops = insns[0].getOpStr();
                    return ops == null || ops.isEmpty() ? insns[0].getMnemonic() : insns[0].getMnemonic() + " " + ops;
                }
            } catch (RuntimeException | LinkageError ignored) {
                // fall through to the raw word
            }
        }
        return String.format(".inst 0x%08x", opcode);
    }

    @Override
    public void close() {
        if (capstone != null) capstone.close();
    }
}
