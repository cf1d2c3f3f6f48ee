package dev.sedge.dataplane;

/** Where a function's own {@code Context.publish} calls go: the node's broker. Thread-safe. */
@FunctionalInterface
public interface Outbox {

    /** @throws IllegalArgumentException if the topic is not a valid topic name */
    void publish(String topic, byte[] payload);
}
