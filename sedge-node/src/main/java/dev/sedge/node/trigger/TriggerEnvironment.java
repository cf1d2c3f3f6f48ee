package dev.sedge.node.trigger;

import dev.sedge.broker.MqttBroker;
import dev.sedge.dataplane.time.Timers;
import dev.sedge.node.deadletter.DeadLetterStore;
import dev.sedge.node.metrics.NodeMetrics;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * What every trigger of a node shares.
 *
 * @param binding turns MQTT messages into CloudEvents
 * @param broker where replies and dead letters are published
 * @param timers the dispatchers' clock, on which a message's expiry is given to its dispatcher
 * @param wallMillis the broker's wall clock (epoch milliseconds), on which messages carry their expiry
 * @param deadLetters where failed events are kept, so that they survive nobody listening on the error topic
 * @param metrics counts the dead letters
 * @param clock stamps dead letters
 */
public record TriggerEnvironment(
        MqttEventBinding binding,
        MqttBroker broker,
        Timers timers,
        LongSupplier wallMillis,
        DeadLetterStore deadLetters,
        NodeMetrics metrics,
        Clock clock) {}
