package dev.sedge.sandbox;

/**
 * One runtime kind ({@code jvm}, {@code wasm}, {@code process}): checks artifacts at deploy and starts
 * instances from them.
 *
 * <p>Implementations are thread-safe and live as long as the node.
 */
public interface Sandbox {

    /** The runtime name used in descriptors. */
    String runtime();

    /**
     * Checks at deploy time that an instance could be started from the spec, without starting one.
     *
     * @throws SandboxException with a one-line reason naming the artifact or handler
     */
    void check(FunctionSpec spec) throws SandboxException;

    /**
     * Starts a new instance: the cold start up to, not including, its first call. The sandbox marks the
     * phases it goes through on {@code timing} ({@link Phase#FETCH} to {@link Phase#INITIALISE}); the
     * dispatcher times {@link Phase#FIRST_CALL}.
     *
     * @throws SandboxException if the artifact cannot be loaded or the function cannot be created
     */
    Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException;

    /** Starts a new instance without keeping its phase timings. */
    default Instance start(FunctionSpec spec) throws SandboxException {
        return start(spec, ColdStart.begin());
    }
}
