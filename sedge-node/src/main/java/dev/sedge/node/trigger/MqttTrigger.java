package dev.sedge.node.trigger;

import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.broker.Message;
import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.bridge.BridgeOrigin;
import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.Topics;
import dev.sedge.dataplane.DispatchOptions;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.Outcome;
import dev.sedge.node.deadletter.DeadLetter;
import dev.sedge.node.deadletter.DeadLetterReplayer.ReplayOutcome;
import dev.sedge.node.descriptor.FunctionDescriptor;
import dev.sedge.node.descriptor.FunctionDescriptor.Ack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A function's MQTT trigger: an in-process subscriber in the broker's router. Each matching message
 * becomes a CloudEvent, goes to the function's dispatcher, and its result is published to the reply
 * topic; a failure goes to the error topic. With {@code ack: on-complete} the publisher's PUBACK or
 * PUBREC waits for all of that, including the routing of the reply or dead letter (so a bridge has
 * forwarded it to its external broker before the request is acknowledged).
 *
 * <p>Thread-safe; {@link #deliver} never waits for an instance or another thread, but it runs the
 * function itself when the dispatcher lets a short in-process function run on the delivering thread
 * (the publisher's event loop: see the dispatcher's {@code InlineGate}).
 */
public final class MqttTrigger implements Subscriber {

    private static final System.Logger LOG = System.getLogger("dev.sedge.trigger");
    private static final long FAILURE_LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final java.util.concurrent.atomic.AtomicLong lastFailureLog =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);
    private final java.util.concurrent.atomic.AtomicLong suppressedFailures =
            new java.util.concurrent.atomic.AtomicLong();

    private final String function;
    private final FunctionDescriptor.MqttTrigger spec;
    private final Dispatcher dispatcher;
    private final TriggerEnvironment env;
    private final MqttEventBinding binding;
    private final MqttBroker broker;
    private final String sharedFilter;
    private final Backlog backlog;
    /** The options of a message with no order key and no expiry: most of them, made once. */
    private final DispatchOptions plain;

    /**
     * @param sharedFilter the bridge's shared subscription that feeds this trigger from the external
     *     broker, or null when the node is not bridged
     */
    public MqttTrigger(
            String function,
            FunctionDescriptor.MqttTrigger spec,
            Dispatcher dispatcher,
            TriggerEnvironment env,
            String sharedFilter) {
        this.function = function;
        this.spec = spec;
        this.dispatcher = dispatcher;
        this.env = env;
        this.binding = env.binding();
        this.broker = env.broker();
        this.sharedFilter = sharedFilter;
        // A message is delivered on its publisher's event loop: a short function may run right there.
        this.plain = new DispatchOptions(null, 0, spec.maxRetries(), true);
        // The dispatcher's queue drains by running the function, whatever the publishers do: a paused
        // connection never holds up its own resumption.
        this.backlog = new Backlog() {
            @Override
            public boolean full() {
                return dispatcher.saturated();
            }

            @Override
            public void whenDrained(Runnable action) {
                dispatcher.whenDrained(action);
            }
        };
    }

    /** The function's queue: while it is full, the broker stops reading the publishers that feed it. */
    @Override
    public Backlog backlog() {
        return backlog;
    }

    /** Runs a dead letter's message through the function again, as a delivery would, and says how it ended. */
    public CompletableFuture<ReplayOutcome> replay(Message message) {
        return dispatcher
                .dispatch(binding.toEvent(message), options(message))
                .thenCompose(o -> settle(message, o).thenApply(v -> switch (o) {
                    case Outcome.Success s -> ReplayOutcome.SUCCEEDED;
                    case Outcome.Failure f -> ReplayOutcome.failed(f.kind().label() + ": " + f.message());
                }));
    }

    public FunctionDescriptor.MqttTrigger spec() {
        return spec;
    }

    @Override
    public CompletableFuture<Void> deliver(Message message, int qos) {
        String via = BridgeOrigin.via(message);
        if (sharedFilter != null && via != null && !via.isEmpty() && !via.equals(sharedFilter)) {
            // Another of the node's shared subscriptions brought this copy; this trigger's own brings it
            // to exactly one node of its group, so taking this one too would run the function twice.
            return Subscriber.DONE;
        }
        Event event = binding.toEvent(message);
        CompletableFuture<Void> handled =
                dispatcher.dispatch(event, options(message)).thenCompose(o -> settle(message, o));
        return spec.ack() == Ack.ON_COMPLETE && qos > 0 ? handled : Subscriber.DONE;
    }

    /** The event's order key, its expiry on the dispatcher's clock, and this trigger's retries. */
    private DispatchOptions options(Message message) {
        String key = switch (spec.orderBy()) {
            case "topic" -> "topic:" + message.topic();
            case "client" -> "client:" + (message.publisherId() == null ? "" : message.publisherId());
            default -> null;
        };
        long expiresAt = 0;
        if (message.expiresAtMillis() != 0) {
            long left = message.expiresAtMillis() - env.wallMillis().getAsLong();
            expiresAt = env.timers().nanoTime() + Math.max(-1, left) * 1_000_000L;
            if (expiresAt == 0) {
                expiresAt = 1; // 0 means never
            }
        }
        return key == null && expiresAt == 0 ? plain : new DispatchOptions(key, expiresAt, spec.maxRetries(), true);
    }

    /**
     * Publishes the reply or the dead letter. Never throws: the publisher's acknowledgement waits on it.
     *
     * @return the routing of what was published: it completes once the subscribers that acknowledge
     *     (such as a bridge forwarding it to an external broker) have it
     */
    private CompletableFuture<Void> settle(Message request, Outcome outcome) {
        try {
            return switch (outcome) {
                case Outcome.Success s -> reply(request, s.result());
                case Outcome.Failure f -> deadLetter(request, f);
            };
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    function + ": cannot publish the outcome of an event on " + request.topic(),
                    e);
            return Subscriber.DONE;
        }
    }

    private CompletableFuture<Void> reply(Message request, Result result) {
        if (result.isEmpty()) {
            return Subscriber.DONE;
        }
        MessageProperties rp = request.properties();
        String topic = null;
        byte[] correlation = null;
        if (rp.responseTopic() != null && Topics.nameError(rp.responseTopic()) == null) {
            topic = rp.responseTopic(); // MQTT 5 request/response: the request's response topic wins
            correlation = rp.correlationData();
        } else if (spec.response() != null) {
            topic = spec.response().render(request.topic());
        }
        if (topic == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: no reply topic for a message on {1}", function, request.topic());
            return Subscriber.DONE;
        }
        String contentType = result.contentType();
        MessageProperties props = new MessageProperties(
                null,
                correlation,
                contentType,
                contentType != null && (contentType.startsWith("text/") || contentType.startsWith("application/json"))
                        ? Boolean.TRUE
                        : null,
                null,
                List.of());
        return broker.publish(new Message(topic, result.data(), Math.min(spec.qos(), 1), false, props, null));
    }

    private CompletableFuture<Void> deadLetter(Message request, Outcome.Failure failure) {
        // One line per failure until failures come in a flood; then one line per interval with the count,
        // so that an overloaded function does not spend its node's CPU on logging.
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            long more = suppressedFailures.getAndSet(0);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0}: event on {1} failed ({2}: {3}) after {4} attempt(s); sent to {5}{6}",
                    function,
                    request.topic(),
                    failure.kind().label(),
                    failure.message(),
                    failure.info().attempts(),
                    spec.errorTopic(),
                    more == 0 ? "" : " (" + more + " more failures since the last line)");
        } else {
            suppressedFailures.incrementAndGet();
        }
        List<UserProperty> users = new ArrayList<>(request.properties().userProperties());
        users.add(new UserProperty("sedge-function", function));
        users.add(new UserProperty("sedge-topic", request.topic()));
        users.add(new UserProperty("sedge-error-kind", failure.kind().label()));
        users.add(new UserProperty("sedge-error", String.valueOf(failure.message())));
        MessageProperties rp = request.properties();
        MessageProperties props =
                new MessageProperties(null, rp.correlationData(), rp.contentType(), rp.payloadUtf8(), null, users);
        env.metrics().deadLettered(function, failure.kind().label());
        // Kept in the store as well as published: the acknowledgement waits for both, so a dead letter that
        // nobody subscribes to is still on disk before its publisher hears that the node has it.
        CompletableFuture<DeadLetter> kept = env.deadLetters()
                .add(DeadLetter.of(
                        function,
                        request,
                        failure.kind().label(),
                        String.valueOf(failure.message()),
                        failure.info().attempts(),
                        env.clock().instant()));
        CompletableFuture<Void> published = broker.publish(
                new Message(spec.errorTopic(), request.payload(), Math.min(spec.qos(), 1), false, props, null));
        return CompletableFuture.allOf(published, kept.handle((letter, e) -> {
                    if (e != null) {
                        LOG.log(
                                System.Logger.Level.ERROR,
                                "{0}: a dead letter of {1} could not be stored: {2}",
                                function,
                                request.topic(),
                                e.toString());
                    }
                    return null;
                }))
                .handle((v, e) -> null);
    }
}
