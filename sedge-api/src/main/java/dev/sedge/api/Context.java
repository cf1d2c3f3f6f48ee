package dev.sedge.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the node tells a function about the invocation in progress, and what it lets the function do.
 *
 * <p>A context belongs to one invocation and is valid only until {@link Function#handle} returns.
 */
public interface Context {

    /** The function's name, from the descriptor's {@code metadata.name}. */
    String functionName();

    /** A unique identifier of this invocation. */
    String invocationId();

    /** True when this invocation had to create the instance that runs it. */
    boolean coldStart();

    /**
     * When {@link #coldStart()}, how long each phase of that start took, in order: {@code fetch},
     * {@code compile}, {@code instantiate}, {@code initialise} (the runtime's phases; the first call is
     * this one, still running). Empty for a warm invocation.
     */
    default Map<String, Duration> coldStartPhases() {
        return Map.of();
    }

    /** The moment after which the node abandons the invocation (the descriptor's {@code timeout}). */
    Instant deadline();

    /** A logger whose lines go to the function's log. */
    System.Logger logger();

    /**
     * Publishes a message through the node's broker, at QoS 0, as if a client had published it.
     *
     * @throws IllegalArgumentException if the topic is not a valid MQTT topic name
     */
    void publish(String topic, byte[] payload);
}
