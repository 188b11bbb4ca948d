package io.deja.core.state;

/**
 * What a component's state description talks to. A component describes its
 * state once, in {@link Stateful#state}, as a sequence of named values; the
 * same description then hashes it ({@link StateHash}), saves it
 * ({@link StateWriter}), restores it ({@link StateReader}) and lists it by name
 * ({@link StateDump}).
 *
 * Scalars go through the visitor and come back: a description writes
 * {@code x = v.u64("x", x)}, so that a reader can replace the value and the
 * others return it unchanged. Arrays are visited in place (a reader fills
 * them). The order of the calls is the format: a description must visit the
 * same names in the same order every time.
 */
public interface StateVisitor {
    long u64(String name, long value);

    int u32(String name, int value);

    boolean bool(String name, boolean value);

    void u64s(String name, long[] values);

    void u32s(String name, int[] values);

    void bools(String name, boolean[] values);

    void bytes(String name, byte[] values);

    /** A nested component: its names are prefixed with name and a dot in dumps. */
    default void child(String name, Stateful component) {
        component.state(this);
    }
}
