package dev.sedge.broker.router;

import dev.sedge.broker.Message;
import java.util.concurrent.CompletableFuture;

/**
 * Receives the messages that match its subscriptions: a client's session, or an in-process trigger.
 *
 * <p>{@link #deliver} is called on the publisher's I/O thread and must not block. Implementations are
 * thread-safe: the same subscriber may receive from many publishers at once.
 */
@FunctionalInterface
public interface Subscriber {

    /** Returned by subscribers that have taken the message over at once. */
    CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * Takes one message.
     *
     * @param message the message as published
     * @param qos the QoS of this delivery: the lower of the published QoS and the subscription's
     * @return a future that completes when the message has been handled as far as the publisher's
     *     acknowledgement must wait for; the broker acknowledges a QoS 1 or 2 PUBLISH only after every
     *     matching subscriber's future completed (normally or not). Return {@link #DONE} for "at once".
     */
    CompletableFuture<Void> deliver(Message message, int qos);

    /**
     * Whether the subscriber can take a message now; a shared subscription prefers members that can.
     * A client session that is offline answers false. The default is true.
     */
    default boolean available() {
        return true;
    }

    /**
     * The queue in front of this subscriber, through which it slows down the connections that feed it;
     * null (the default) when it never does.
     */
    default Backlog backlog() {
        return null;
    }
}
