package io.deja.core.board;

/** Hashes of the machine state at one instant: CPU (registers, system registers), RAM, and devices. */
public record StateHashes(long cpu, long ram, long devices) {
    /** One number for all three, as reports print it. */
    public long combined() {
        return io.deja.core.mem.Ram.mix(cpu * 31 + ram) ^ devices;
    }
}
