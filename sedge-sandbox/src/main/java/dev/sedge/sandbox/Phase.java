package dev.sedge.sandbox;

/**
 * The phases of a cold start, in the order they happen. Each runtime times the phases it has; a phase
 * a runtime does not have takes no time.
 */
public enum Phase {
    /** Reading the artifact from the node's artifact store (jvm: opening the jar; process: checking the executable). */
    FETCH("fetch"),
    /** Turning the artifact into runnable code (wasm: compiling the module, or finding it compiled in the cache; jvm: loading the handler class). */
    COMPILE("compile"),
    /** Creating the instance (wasm: instantiating the module; jvm: the handler's constructor; process: fork and exec, in its cgroup). */
    INSTANTIATE("instantiate"),
    /** The function's own initialisation (wasm: {@code _initialize} and the snapshot; process: until it says it is ready). */
    INITIALISE("initialise"),
    /** The first event's call on the new instance, measured by the dispatcher. */
    FIRST_CALL("first-call");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** The phase's name in metrics, JSON and documentation. */
    public String label() {
        return label;
    }
}
