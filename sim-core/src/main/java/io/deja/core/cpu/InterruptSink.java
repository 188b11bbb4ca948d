package io.deja.core.cpu;

/** Where level-sensitive private interrupts (the generic timer's) are wired: the GIC. */
public interface InterruptSink {
    void setPpiLevel(int intid, boolean level);

    InterruptSink NONE = (intid, level) -> {};
}
