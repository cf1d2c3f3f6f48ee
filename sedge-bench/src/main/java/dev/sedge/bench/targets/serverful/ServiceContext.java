package dev.sedge.bench.targets.serverful;

import dev.sedge.api.Context;
import java.time.Instant;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * What a function sees of one call in the {@link FunctionService}: the {@link Context} a node would give
 * it, with {@link #publish} through the service's own MQTT connection at QoS 0. The instance is always
 * on, so no call is a cold start. Immutable; valid for the one call.
 */
record ServiceContext(String functionName, String invocationId, Instant deadline, MqttAsyncClient client)
        implements Context {

    @Override
    public boolean coldStart() {
        return false;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger(FunctionService.class.getName() + "." + functionName);
    }

    @Override
    public void publish(String topic, byte[] payload) {
        try {
            client.publish(topic, payload, 0, false);
        } catch (MqttException e) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + e.getMessage(), e);
        }
    }
}
