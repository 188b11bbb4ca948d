package io.deja.core.state;

/**
 * Restores a state description from what {@link StateWriter} saved. The
 * component must be of the same shape (same array lengths): a mismatch is a
 * programming error and fails loudly.
 */
public final class StateReader implements StateVisitor {
    private final long[] words;
    private int next;

    private StateReader(long[] words) {
        this.words = words;
    }

    public static void restore(Stateful component, long[] saved) {
        StateReader r = new StateReader(saved);
        component.state(r);
        if (r.next != saved.length) throw new IllegalStateException("state of " + component.getClass().getSimpleName()
                + " read " + r.next + " of " + saved.length + " saved words");
    }

    private long take() {
        return words[next++];
    }

    private void length(String name, int expected) {
        long saved = take();
        if (saved != expected) throw new IllegalStateException(name + ": saved " + saved + " elements, the component has " + expected);
    }

    @Override public long u64(String name, long value) { return take(); }
    @Override public int u32(String name, int value) { return (int) take(); }
    @Override public boolean bool(String name, boolean value) { return take() != 0; }

    @Override
    public void u64s(String name, long[] values) {
        length(name, values.length);
        for (int i = 0; i < values.length; i++) values[i] = take();
    }

    @Override
    public void u32s(String name, int[] values) {
        length(name, values.length);
        for (int i = 0; i < values.length; i++) values[i] = (int) take();
    }

    @Override
    public void bools(String name, boolean[] values) {
        length(name, values.length);
        for (int i = 0; i < values.length; i++) values[i] = take() != 0;
    }

    @Override
    public void bytes(String name, byte[] values) {
        length(name, values.length);
        for (int i = 0; i < values.length; i++) values[i] = (byte) take();
    }
}
