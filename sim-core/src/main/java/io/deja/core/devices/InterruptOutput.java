package io.deja.core.devices;

/** A device's interrupt output wire; devices call it only when the level changes. */
@FunctionalInterface
public interface InterruptOutput {
    void setLevel(boolean level);

    InterruptOutput NONE = level -> {};
}
