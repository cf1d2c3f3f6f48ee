package dev.sedge.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;

/** The MQTT 3.1.1 packets the load generator sends, built straight from Netty's message types. Stateless. */
public final class MqttPackets {

    /** The largest packet a generator connection accepts: a publish of the largest allowed payload and more. */
    public static final int MAX_PACKET_BYTES = 256 * 1024;

    private MqttPackets() {}

    /** CONNECT with a clean session and no keep-alive: a benchmark connection lives as long as its run. */
    public static MqttConnectMessage connect(String clientId) {
        return MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive(0)
                .build();
    }

    /** PUBLISH; {@code payload} is released by the encoder once written. */
    public static MqttPublishMessage publish(String topic, MqttQoS qos, int packetId, ByteBuf payload) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId),
                payload);
    }

    public static MqttMessage pubAck(int packetId) {
        return new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                MqttMessageIdVariableHeader.from(packetId));
    }

    public static MqttSubscribeMessage subscribe(int packetId, String filter, MqttQoS qos) {
        return MqttMessageBuilders.subscribe()
                .messageId(packetId)
                .addSubscription(qos, filter)
                .build();
    }

    public static int packetId(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    /** Checks a CONNACK; a refusal is an IOException naming the broker's return code. */
    public static void checkConnAck(MqttConnAckMessage ack, String clientId) throws IOException {
        MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            throw new IOException("broker refused connection " + clientId + ": " + code);
        }
    }
}
