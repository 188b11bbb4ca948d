package io.deja.core.jit;

import io.deja.core.cpu.Cpu;

/**
 * A run of guest instructions translated into one JVM method (see BlockTranslator).
 * Executing a block has exactly the effect of interpreting its instructions one
 * by one: it counts one cycle per instruction and returns as soon as virtual
 * time reaches the CPU's horizon (an exception, an exit, an interrupt check,
 * a write to code), so every event still happens at the same instruction.
 */
public abstract class Block {
    /** How many instructions the block holds: the run loop enters it only when all of them fit before the horizon. */
    public final int length;

    protected Block(int length) {
        this.length = length;
    }

    /** Executes from the block's first instruction; c.pc must be that instruction's address. */
    public abstract void run(Cpu c);
}
