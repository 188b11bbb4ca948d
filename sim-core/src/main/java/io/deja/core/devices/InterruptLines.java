package io.deja.core.devices;

import io.deja.core.state.StateVisitor;
import io.deja.core.state.Stateful;

/**
 * The per-INTID state a GIC keeps, whichever architecture version: bitmaps
 * (one bit per INTID, word i holding INTIDs 32i..32i+31) of enabled, pending
 * latch, input level, edge-triggered, active and group 1, and an 8-bit
 * priority per INTID. Level-sensitive interrupts are pending while their input
 * is high; edge-triggered ones latch. GicV2 and GicV3 each own one.
 */
final class InterruptLines implements Stateful {
    final int[] enabled;
    /** The latch: set by an edge, by a set-pending write or by an SGI; the input level is kept apart. */
    final int[] pendingLatch;
    final int[] inputLevel;
    final int[] edgeTriggered;
    final int[] active;
    final int[] group1;
    final byte[] priority;

    InterruptLines(int interrupts) {
        int words = interrupts / 32;
        enabled = new int[words];
        pendingLatch = new int[words];
        inputLevel = new int[words];
        edgeTriggered = new int[words];
        active = new int[words];
        group1 = new int[words];
        priority = new byte[interrupts];
    }

    /** Drives an input; returns whether its level changed (an edge latches it pending). */
    boolean setInput(int intid, boolean level) {
        if (bit(inputLevel, intid) == level) return false;
        setBit(inputLevel, intid, level);
        if (level && bit(edgeTriggered, intid)) setBit(pendingLatch, intid, true);
        return true;
    }

    boolean isPending(int intid) {
        return bit(pendingLatch, intid) || (bit(inputLevel, intid) && !bit(edgeTriggered, intid));
    }

    /** The pending bits of word w: latched, or level-sensitive with the input high. */
    int pendingWord(int w) {
        return pendingLatch[w] | (inputLevel[w] & ~edgeTriggered[w]);
    }

    int priorityOf(int intid) {
        return priority[intid] & 0xFF;
    }

    static boolean bit(int[] bits, int intid) {
        return (bits[intid >> 5] & (1 << (intid & 31))) != 0;
    }

    static void setBit(int[] bits, int intid, boolean value) {
        if (value) {
            bits[intid >> 5] |= 1 << (intid & 31);
        } else {
            bits[intid >> 5] &= ~(1 << (intid & 31));
        }
    }

    @Override
    public void state(StateVisitor v) {
        v.u32s("enabled", enabled);
        v.u32s("pending_latch", pendingLatch);
        v.u32s("input_level", inputLevel);
        v.u32s("edge_triggered", edgeTriggered);
        v.u32s("active", active);
        v.u32s("group1", group1);
        v.bytes("priority", priority);
    }
}
