/**
 * Synthetic IoT workloads: arrival traces in the shape of the real ones, generated from a seed, so that a
 * clone without the real traces can run every trace-driven study. Pure: no clock, no I/O but the {@link
 * java.lang.Appendable} a trace is written to. Entry point: {@link
 * dev.sedge.scaling.sim.workload.SyntheticTrace}.
 */
package dev.sedge.scaling.sim.workload;
