package dev.sedge.broker.router;

import dev.sedge.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Routes published messages to the subscribers whose filters match: client sessions and in-process
 * triggers alike, so that a trigger costs no extra connection and no extra hop.
 *
 * <p>Thread-safe; routing never blocks.
 */
public final class Router {

    /**
     * One subscription: a filter, its maximum QoS and who receives.
     *
     * @param noLocal MQTT 5 No Local: do not deliver messages published by {@code clientId}
     */
    public record Subscription(String filter, int qos, Subscriber subscriber, String clientId, boolean noLocal) {
        public Subscription {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(subscriber, "subscriber");
        }
    }

    private final TopicTree<Subscription> tree = new TopicTree<>();
    private final LongAdder routed = new LongAdder();
    private final LongAdder unmatched = new LongAdder();

    /**
     * Adds a subscription.
     *
     * @throws IllegalArgumentException if the filter is invalid
     */
    public Subscription subscribe(Subscription subscription) {
        String error = Topics.filterError(subscription.filter());
        if (error != null) {
            throw new IllegalArgumentException("invalid topic filter \"" + subscription.filter() + "\": " + error);
        }
        tree.add(subscription.filter(), subscription);
        return subscription;
    }

    /** Removes a subscription added before; returns whether it was there. */
    public boolean unsubscribe(Subscription subscription) {
        return tree.remove(subscription.filter(), subscription);
    }

    /**
     * Delivers a message to every matching subscription.
     *
     * @return a future that completes when every subscriber's delivery future has completed; the
     *     publisher's acknowledgement waits for it
     */
    public CompletableFuture<Void> route(Message message) {
        routed.increment();
        List<CompletableFuture<Void>> pending = null;
        boolean any = false;
        for (Subscription s : tree.match(message.topic())) {
            if (s.noLocal() && s.clientId() != null && s.clientId().equals(message.publisherId())) {
                continue; // MQTT-3.8.3-3
            }
            any = true;
            CompletableFuture<Void> done;
            try {
                done = s.subscriber().deliver(message, Math.min(message.qos(), s.qos()));
            } catch (RuntimeException e) {
                // A failing subscriber must not stop delivery to the others, nor the acknowledgement.
                done = Subscriber.DONE;
            }
            if (!done.isDone()) {
                if (pending == null) {
                    pending = new ArrayList<>(2);
                }
                pending.add(done);
            }
        }
        if (!any) {
            unmatched.increment();
        }
        if (pending == null) {
            return Subscriber.DONE;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
        // Completion, normal or exceptional, is what the publisher waits for.
        return all.handle((v, e) -> null);
    }

    /** Messages routed since start. */
    public long routedCount() {
        return routed.sum();
    }

    /** Messages that matched no subscription. */
    public long unmatchedCount() {
        return unmatched.sum();
    }
}
