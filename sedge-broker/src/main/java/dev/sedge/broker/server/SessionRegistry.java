package dev.sedge.broker.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections by client identifier, so that a new connection with the same identifier takes the
 * session over (MQTT-3.1.4-3). Thread-safe.
 */
public final class SessionRegistry {

    private final ConcurrentHashMap<String, MqttConnection> byClientId = new ConcurrentHashMap<>();

    /** Registers the connection; returns the one it replaces, or null. */
    MqttConnection register(String clientId, MqttConnection connection) {
        return byClientId.put(clientId, connection);
    }

    /** Unregisters the connection if it is still the one registered for the identifier. */
    void unregister(String clientId, MqttConnection connection) {
        byClientId.remove(clientId, connection);
    }

    public int size() {
        return byClientId.size();
    }
}
