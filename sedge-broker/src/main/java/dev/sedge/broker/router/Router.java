package dev.sedge.broker.router;

import dev.sedge.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Routes published messages to the subscribers whose filters match: client sessions and in-process
 * triggers alike, so that a trigger costs no extra connection and no extra hop. Shared subscriptions
 * ({@code $share/{group}/{filter}}) deliver each message to one member of the group. A publisher that
 * can be slowed down learns which full {@link Backlog}s its messages went into.
 *
 * <p>Thread-safe; routing waits for nothing, though a subscriber may do its work on the routing thread
 * (a trigger whose function is short runs it there) before the next subscriber gets the message.
 */
public final class Router {

    /** The prefix of a shared subscription's filter. */
    public static final String SHARE_PREFIX = "$share/";

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");

    /** What {@link #route(Message)} reports congestion to: nobody, so backlogs are not even asked. */
    private static final Consumer<Backlog> NO_PUBLISHER = backlog -> {};

    /**
     * One subscription: a filter, its maximum QoS and who receives.
     *
     * @param filter the topic filter as subscribed, {@code $share/...} for a shared subscription
     * @param qos the maximum QoS of deliveries
     * @param clientId the subscribing client, or null for an in-process subscriber
     * @param noLocal MQTT 5 No Local: do not deliver messages published by {@code clientId}
     * @param retainAsPublished MQTT 5 Retain As Published: keep the RETAIN flag on routed messages
     */
    public record Subscription(
            String filter,
            int qos,
            Subscriber subscriber,
            String clientId,
            boolean noLocal,
            boolean retainAsPublished) {
        public Subscription {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(subscriber, "subscriber");
        }

        public Subscription(String filter, int qos, Subscriber subscriber, String clientId, boolean noLocal) {
            this(filter, qos, subscriber, clientId, noLocal, false);
        }
    }

    /** A shared subscription's filter split into its group and the plain filter; null when not shared. */
    public record Share(String group, String filter) {
        /**
         * Parses {@code $share/{group}/{filter}}.
         *
         * @return the parts, or null when the filter is not a shared subscription
         * @throws IllegalArgumentException when it starts with $share/ but is malformed
         */
        public static Share parse(String filter) {
            if (!filter.startsWith(SHARE_PREFIX)) {
                return null;
            }
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            String group = slash < 0
                    ? filter.substring(SHARE_PREFIX.length())
                    : filter.substring(SHARE_PREFIX.length(), slash);
            if (slash < 0 || group.isEmpty() || group.contains("+") || group.contains("#")) {
                // MQTT-4.8.2-1 and -2: a non-empty share name without wildcards, then a filter.
                throw new IllegalArgumentException("a shared subscription is $share/{group}/{filter}");
            }
            return new Share(group, filter.substring(slash + 1));
        }
    }

    /** The members of one shared subscription; each message goes to one of them, in turn. */
    private static final class SharedGroup implements Subscriber {
        final List<Subscription> members = new CopyOnWriteArrayList<>();
        final AtomicInteger next = new AtomicInteger();

        /** The member that gets the next message, or null when the group is empty. */
        Subscription choose() {
            List<Subscription> snapshot = List.copyOf(members);
            int n = snapshot.size();
            if (n == 0) {
                return null;
            }
            int start = Math.floorMod(next.getAndIncrement(), n);
            // Prefer a member that can take the message now; fall back to the one whose turn it is.
            for (int i = 0; i < n; i++) {
                Subscription s = snapshot.get((start + i) % n);
                if (s.subscriber().available()) {
                    return s;
                }
            }
            return snapshot.get(start);
        }

        /** Not used by {@link Router#route}, which delivers to the chosen member itself to see its backlog. */
        @Override
        public CompletableFuture<Void> deliver(Message message, int qos) {
            Subscription chosen = choose();
            if (chosen == null) {
                return DONE;
            }
            int q = Math.min(message.qos(), chosen.qos());
            return chosen.subscriber().deliver(message.withQosAndRetain(q, false), q);
        }
    }

    private final TopicTree<Subscription> tree = new TopicTree<>();
    private final Map<String, Subscription> sharedGroups = new ConcurrentHashMap<>();
    private final LongAdder routed = new LongAdder();
    private final LongAdder unmatched = new LongAdder();

    /**
     * Adds a subscription.
     *
     * @throws IllegalArgumentException if the filter is invalid
     */
    public synchronized Subscription subscribe(Subscription subscription) {
        Share share;
        try {
            share = Share.parse(subscription.filter());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid topic filter \"" + subscription.filter() + "\": " + e.getMessage(), e);
        }
        String plain = share == null ? subscription.filter() : share.filter();
        String error = Topics.filterError(plain);
        if (error != null) {
            throw new IllegalArgumentException("invalid topic filter \"" + subscription.filter() + "\": " + error);
        }
        if (share == null) {
            tree.add(plain, subscription);
        } else {
            Subscription group = sharedGroups.computeIfAbsent(subscription.filter(), k -> {
                Subscription g = new Subscription(plain, 2, new SharedGroup(), null, false, false);
                tree.add(plain, g);
                return g;
            });
            ((SharedGroup) group.subscriber()).members.add(subscription);
        }
        return subscription;
    }

    /** Removes a subscription added before; returns whether it was there. */
    public synchronized boolean unsubscribe(Subscription subscription) {
        Share share = Share.parse(subscription.filter());
        if (share == null) {
            return tree.remove(subscription.filter(), subscription);
        }
        Subscription group = sharedGroups.get(subscription.filter());
        if (group == null) {
            return false;
        }
        SharedGroup g = (SharedGroup) group.subscriber();
        boolean removed = g.members.remove(subscription);
        if (g.members.isEmpty()) {
            sharedGroups.remove(subscription.filter());
            tree.remove(group.filter(), group);
        }
        return removed;
    }

    /**
     * Delivers a message to every matching subscription, at the lower of the published and the
     * subscribed QoS, with the RETAIN flag cleared unless the subscription keeps it (MQTT-3.3.1-12).
     * Nobody is slowed down by a full backlog: the message comes from inside the node.
     *
     * @return a future that completes when every subscriber's delivery future has completed; the
     *     publisher's acknowledgement waits for it
     */
    public CompletableFuture<Void> route(Message message) {
        return route(message, NO_PUBLISHER);
    }

    /**
     * As {@link #route(Message)}, for a publisher that can be slowed down: after delivering to each
     * subscriber (for a shared subscription, the member chosen) whose {@link Subscriber#backlog()} is
     * full, hands that backlog to {@code congested}, on the calling thread. Neither a failing backlog
     * nor a failing {@code congested} stops routing.
     *
     * @param congested told of each full backlog this message went into
     * @return as {@link #route(Message)}
     */
    public CompletableFuture<Void> route(Message message, Consumer<Backlog> congested) {
        Objects.requireNonNull(congested, "congested");
        routed.increment();
        List<CompletableFuture<Void>> pending = null;
        boolean any = false;
        for (Subscription matched : tree.match(message.topic())) {
            if (matched.noLocal()
                    && matched.clientId() != null
                    && matched.clientId().equals(message.publisherId())) {
                continue; // MQTT-3.8.3-3
            }
            any = true;
            boolean shared = matched.subscriber() instanceof SharedGroup;
            Subscription s = shared ? ((SharedGroup) matched.subscriber()).choose() : matched;
            if (s == null) {
                continue; // a group whose last member just left
            }
            int qos = Math.min(message.qos(), s.qos());
            boolean retain = !shared && s.retainAsPublished() && message.retain();
            CompletableFuture<Void> done;
            try {
                done = s.subscriber().deliver(message.withQosAndRetain(qos, retain), qos);
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
            if (congested != NO_PUBLISHER) {
                reportFull(s.subscriber(), congested);
            }
        }
        if (!any) {
            unmatched.increment();
        }
        if (pending == null) {
            return Subscriber.DONE;
        }
        if (pending.size() == 1) {
            return pending.getFirst().handle((v, e) -> null);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
        // Completion, normal or exceptional, is what the publisher waits for.
        return all.handle((v, e) -> null);
    }

    private static void reportFull(Subscriber subscriber, Consumer<Backlog> congested) {
        try {
            Backlog backlog = subscriber.backlog();
            if (backlog != null && backlog.full()) {
                congested.accept(backlog);
            }
        } catch (RuntimeException e) {
            // The message is delivered already; at worst its publisher is not slowed down this once.
            LOG.log(System.Logger.Level.DEBUG, "back-pressure from a subscriber failed: {0}", String.valueOf(e));
        }
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
