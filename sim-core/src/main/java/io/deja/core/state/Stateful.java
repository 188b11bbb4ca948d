package io.deja.core.state;

/** A component whose state is described once (see {@link StateVisitor}). */
public interface Stateful {
    /**
     * Visits every piece of state, in a fixed order. After a reader has
     * visited, the component must behave exactly as the one that was written:
     * derived fields are recomputed here (at the end), not saved.
     */
    void state(StateVisitor v);
}
