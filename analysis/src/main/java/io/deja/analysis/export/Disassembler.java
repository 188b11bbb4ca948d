package io.deja.analysis.export;

import capstone.Capstone;
import capstone.api.Instruction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AArch64 disassembly for the insns table, cached. Capstone through JNA costs
 * tens of microseconds per call, and a trace repeats the same few thousand
 * instructions millions of times, so:
 * - text that does not depend on the pc is cached per opcode;
 * - pc-relative instructions (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, ADR, ADRP,
 *   literal loads), whose text shows the resolved target, are cached per
 *   (pc, opcode);
 * - a direct-mapped table in front of both, indexed by pc, makes the common
 *   case (a loop re-executing the same code) one array probe.
 * Each distinct text gets an id (0, 1, 2, ... in order of first appearance),
 * which is its index in the insns file's disassembly dictionary.
 */
public final class Disassembler implements AutoCloseable {
    private static final int SLOTS = 1 << 16;

    private final Capstone capstone = new Capstone(Capstone.CS_ARCH_ARM64, Capstone.CS_MODE_ARM);
    private final Map<Integer, Integer> byOpcode = new HashMap<>();
    private final Map<PcOpcode, Integer> byPc = new HashMap<>();
    private final Map<String, Integer> byText = new HashMap<>();
    private final List<byte[]> texts = new ArrayList<>();
    private final long[] slotPc = new long[SLOTS];
    private final int[] slotOpcode = new int[SLOTS];
    private final int[] slotId = new int[SLOTS];
    private long capstoneCalls;

    private record PcOpcode(long pc, int opcode) {}

    public Disassembler() {
        java.util.Arrays.fill(slotId, -1);
    }

    /** The id of the disassembly of opcode at pc. */
    public int id(long pc, int opcode) {
        int slot = (int) (pc >>> 2) & (SLOTS - 1);
        int id = slotId[slot];
        if (id >= 0 && slotPc[slot] == pc && slotOpcode[slot] == opcode) return id;
        if (pcRelative(opcode)) {
            PcOpcode key = new PcOpcode(pc, opcode);
            Integer known = byPc.get(key);
            if (known == null) byPc.put(key, known = intern(disassemble(pc, opcode)));
            id = known;
        } else {
            Integer known = byOpcode.get(opcode);
            if (known == null) byOpcode.put(opcode, known = intern(disassemble(0, opcode)));
            id = known;
        }
        slotPc[slot] = pc;
        slotOpcode[slot] = opcode;
        slotId[slot] = id;
        return id;
    }

    /** How many distinct texts there are so far (ids are below this). */
    public int size() {
        return texts.size();
    }

    /** The text with this id, UTF-8 encoded (shared: do not modify). */
    public byte[] utf8(int id) {
        return texts.get(id);
    }

    public String text(long pc, int opcode) {
        return new String(utf8(id(pc, opcode)), StandardCharsets.UTF_8);
    }

    /** How many times Capstone itself was called (the cache's misses). */
    public long capstoneCalls() {
        return capstoneCalls;
    }

    private int intern(String text) {
        Integer id = byText.get(text);
        if (id == null) {
            id = texts.size();
            texts.add(text.getBytes(StandardCharsets.UTF_8));
            byText.put(text, id);
        }
        return id;
    }

    /** Whether the text of this instruction names an address computed from its pc. */
    static boolean pcRelative(int op) {
        return (op & 0x7C00_0000) == 0x1400_0000     // B, BL
                || (op & 0xFF00_0010) == 0x5400_0000 // B.cond
                || (op & 0x7E00_0000) == 0x3400_0000 // CBZ, CBNZ
                || (op & 0x7E00_0000) == 0x3600_0000 // TBZ, TBNZ
                || (op & 0x1F00_0000) == 0x1000_0000 // ADR, ADRP
                || (op & 0x3B00_0000) == 0x1800_0000; // LDR (literal), LDRSW (literal), PRFM (literal), SIMD literal
    }

    private String disassemble(long pc, int opcode) {
        capstoneCalls++;
        byte[] word = {(byte) opcode, (byte) (opcode >>> 8), (byte) (opcode >>> 16), (byte) (opcode >>> 24)};
        Instruction[] insns = capstone.disasm(word, pc, 1);
        return insns.length == 0
                ? String.format(".inst 0x%08x", opcode)
                : (insns[0].getMnemonic() + " " + insns[0].getOpStr()).strip();
    }

    private boolean closed;

    /** Frees Capstone's handle (once: a second cs_close would free it twice). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        capstone.close();
    }
}
