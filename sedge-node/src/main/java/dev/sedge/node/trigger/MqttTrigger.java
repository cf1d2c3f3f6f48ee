package dev.sedge.node.trigger;

import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.broker.Message;
import dev.sedge.broker.Message.MessageProperties;
import dev.sedge.broker.Message.UserProperty;
import dev.sedge.broker.MqttBroker;
import dev.sedge.broker.router.Subscriber;
import dev.sedge.broker.router.Topics;
import dev.sedge.dataplane.Dispatcher;
import dev.sedge.dataplane.Outcome;
import dev.sedge.node.descriptor.FunctionDescriptor;
import dev.sedge.node.descriptor.FunctionDescriptor.Ack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A function's MQTT trigger: an in-process subscriber in the broker's router. Each matching message
 * becomes a CloudEvent, goes to the function's dispatcher, and its result is published to the reply
 * topic; a failure goes to the error topic. With {@code ack: on-complete} the publisher's PUBACK or
 * PUBREC waits for all of that.
 *
 * <p>Thread-safe; {@link #deliver} never blocks.
 */
public final class MqttTrigger implements Subscriber {

    private static final System.Logger LOG = System.getLogger("dev.sedge.trigger");

    private final String function;
    private final FunctionDescriptor.MqttTrigger spec;
    private final Dispatcher dispatcher;
    private final MqttEventBinding binding;
    private final MqttBroker broker;

    public MqttTrigger(
            String function,
            FunctionDescriptor.MqttTrigger spec,
            Dispatcher dispatcher,
            MqttEventBinding binding,
            MqttBroker broker) {
        this.function = function;
        this.spec = spec;
        this.dispatcher = dispatcher;
        this.binding = binding;
        this.broker = broker;
    }

    public FunctionDescriptor.MqttTrigger spec() {
        return spec;
    }

    @Override
    public CompletableFuture<Void> deliver(Message message, int qos) {
        Event event = binding.toEvent(message);
        CompletableFuture<Void> handled = dispatcher.dispatch(event).thenAccept(o -> settle(message, o));
        return spec.ack() == Ack.ON_COMPLETE && qos > 0 ? handled : Subscriber.DONE;
    }

    /** Publishes the reply or the dead letter. Never throws: the publisher's acknowledgement waits on it. */
    private void settle(Message request, Outcome outcome) {
        try {
            switch (outcome) {
                case Outcome.Success s -> reply(request, s.result());
                case Outcome.Failure f -> deadLetter(request, f);
            }
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    function + ": cannot publish the outcome of an event on " + request.topic(),
                    e);
        }
    }

    private void reply(Message request, Result result) {
        if (result.isEmpty()) {
            return;
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
            return;
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
        broker.publish(new Message(topic, result.data(), Math.min(spec.qos(), 1), false, props, null));
    }

    private void deadLetter(Message request, Outcome.Failure failure) {
        LOG.log(
                System.Logger.Level.WARNING,
                "{0}: event on {1} failed ({2}: {3}) after {4} attempt(s); sent to {5}",
                function,
                request.topic(),
                failure.kind().label(),
                failure.message(),
                failure.info().attempts(),
                spec.errorTopic());
        List<UserProperty> users = new ArrayList<>(request.properties().userProperties());
        users.add(new UserProperty("sedge-function", function));
        users.add(new UserProperty("sedge-topic", request.topic()));
        users.add(new UserProperty("sedge-error-kind", failure.kind().label()));
        users.add(new UserProperty("sedge-error", String.valueOf(failure.message())));
        MessageProperties rp = request.properties();
        MessageProperties props =
                new MessageProperties(null, rp.correlationData(), rp.contentType(), rp.payloadUtf8(), null, users);
        broker.publish(new Message(spec.errorTopic(), request.payload(), Math.min(spec.qos(), 1), false, props, null));
    }
}
