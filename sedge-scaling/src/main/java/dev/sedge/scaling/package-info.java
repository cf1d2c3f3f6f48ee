/**
 * Scaling: the metrics each dispatcher reports, the decider that turns a window of them into a desired
 * instance count, and the keep-alive and pre-warm policies learned from a function's arrival history.
 *
 * <p>Deciders and policies are pure: they take the observed window and {@code now}, return a decision,
 * and do no I/O. The node wires them to dispatchers; nothing in this package reads a clock.
 */
package dev.sedge.scaling;
