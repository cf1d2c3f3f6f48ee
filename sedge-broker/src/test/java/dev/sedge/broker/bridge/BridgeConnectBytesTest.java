package dev.sedge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The CONNECT the bridge sends, byte by byte: a persistent MQTT 5 session with flow control. */
class BridgeConnectBytesTest {

    private static String encoded(BridgeConfig config) {
        EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
        ch.writeOutbound(BridgeConnection.connect(config));
        ByteBuf out = ch.readOutbound();
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
            ch.finishAndReleaseAll();
        }
    }

    private static String hex(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return HexFormat.of().formatHex(b);
    }

    @Test
    void connectAsksToResumeTheSessionAndKeepItAnHour() {
        BridgeConfig config = BridgeConfig.of(new BridgeEndpoint("broker", 1883, false), "node-1")
                .withCredentials("u", "p");
        assertThat(encoded(config))
                .isEqualTo(hex(
                        0x10, 0x26, //                      CONNECT, remaining length 38
                        0x00, 0x04, 'M', 'Q', 'T', 'T', //  protocol name
                        0x05, //                            protocol level 5
                        0xC0, //                            user name, password; clean start 0: resume the session
                        0x00, 0x1E, //                      keep alive 30 s
                        0x0D, //                            properties: 13 bytes
                        0x11, 0x00, 0x00, 0x0E, 0x10, //    session expiry interval 3600 s
                        0x21, 0x00, 0x40, //                receive maximum 64
                        0x27, 0x00, 0x10, 0x00, 0x00, //    maximum packet size 1048576
                        0x00, 0x06, 'n', 'o', 'd', 'e', '-', '1', // client identifier
                        0x00, 0x01, 'u', //                 user name
                        0x00, 0x01, 'p')); //               password
    }

    @Test
    void anonymousConnectHasNoCredentialFlagsAndTheSessionExpiryGiven() {
        BridgeConfig config =
                BridgeConfig.of(new BridgeEndpoint("broker", 1883, false), "n").withSessionExpiry(Duration.ofDays(1));
        assertThat(encoded(config))
                .isEqualTo(hex(
                        0x10, 0x1B, //                      CONNECT, remaining length 27
                        0x00, 0x04, 'M', 'Q', 'T', 'T', //  protocol name
                        0x05, //                            protocol level 5
                        0x00, //                            no credentials, clean start 0
                        0x00, 0x1E, //                      keep alive 30 s
                        0x0D, //                            properties: 13 bytes
                        0x11, 0x00, 0x01, 0x51, 0x80, //    session expiry interval 86400 s
                        0x21, 0x00, 0x40, //                receive maximum 64
                        0x27, 0x00, 0x10, 0x00, 0x00, //    maximum packet size 1048576
                        0x00, 0x01, 'n')); //               client identifier
    }
}
