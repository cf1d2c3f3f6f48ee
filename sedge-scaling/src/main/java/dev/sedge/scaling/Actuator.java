package dev.sedge.scaling;

/** Makes a decision real: starts or retires instances until the function has the count asked for. */
@FunctionalInterface
public interface Actuator {

    /** Aims for {@code desired} instances; returns at once, starting and retiring in the background. */
    void scaleTo(int desired);
}
