package dev.sedge.dataplane;

/** What a dispatcher does with an event that arrives while its queue is full. */
public enum Overflow {
    /**
     * Takes it, and tells the publishers that feed the queue to stop sending until it drains (the broker
     * stops reading their connections): nothing is lost, the publishers are slowed down.
     */
    BACKPRESSURE("backpressure"),
    /** Refuses it as {@link Outcome.Kind#REJECTED}: it goes to the function's dead letters at once. */
    DEAD_LETTER("dead-letter");

    private final String text;

    Overflow(String text) {
        this.text = text;
    }

    /** The word in a descriptor. */
    public String text() {
        return text;
    }
}
