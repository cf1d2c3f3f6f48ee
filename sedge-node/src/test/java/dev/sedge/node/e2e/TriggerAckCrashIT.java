package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sedge.node.e2e.fixtures.BlockOnce;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ack: on-complete end to end: a publisher's PUBACK waits for the function; if the node dies while the
 * function runs, the publisher's session sends the message again to the restarted node, and the function
 * completes it. Nothing acknowledged is lost, because nothing was acknowledged.
 */
@Timeout(180)
class TriggerAckCrashIT {

    @TempDir
    Path dir;

    @Test
    void anUnfinishedEventIsRedeliveredAfterTheNodeDies() throws Exception {
        Path jar = dir.resolve("block-once.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out)) {
            String entry = BlockOnce.class.getName().replace('.', '/') + ".class";
            j.putNextEntry(new JarEntry(entry));
            try (InputStream in = BlockOnce.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(j);
            }
            j.closeEntry();
        }
        NodeProcess node = new NodeProcess(dir.resolve("data")).start();
        MqttAsyncClient pub = null;
        MqttAsyncClient watcher = null;
        try {
            String descriptor = """
                    apiVersion: sedge.dev/v1alpha1
                    kind: Function
                    metadata: {name: block-once}
                    spec:
                      runtime: jvm
                      artifact: %s
                      handler: %s
                      timeout: 120s
                      triggers:
                      - mqtt: {filter: "jobs/+", qos: 1, ack: on-complete, response: {topic: "done/{topic.1}"}}
                    """.formatted(jar, BlockOnce.class.getName());
            HttpResponse<String> deployed = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(node.httpUrl() + "/v1/functions"))
                                    .header("Content-Type", "application/yaml")
                                    .POST(HttpRequest.BodyPublishers.ofString(descriptor))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

            CompletableFuture<String> started = new CompletableFuture<>();
            CompletableFuture<String> done = new CompletableFuture<>();
            watcher = new MqttAsyncClient(node.mqttUrl(), "watcher", new MemoryPersistence());
            MqttConnectionOptions w = new MqttConnectionOptions();
            w.setCleanStart(false);
            w.setSessionExpiryInterval(3600L);
            watcher.connect(w).waitForCompletion(20_000);
            watcher.subscribe(
                            new MqttSubscription[] {
                                new MqttSubscription("started", 1), new MqttSubscription("done/+", 1)
                            },
                            null,
                            null,
                            new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                                (t, m) -> started.complete(new String(m.getPayload(), StandardCharsets.UTF_8)),
                                (t, m) -> done.complete(new String(m.getPayload(), StandardCharsets.UTF_8))
                            },
                            new org.eclipse.paho.mqttv5.common.packet.MqttProperties())
                    .waitForCompletion(20_000);

            pub = new MqttAsyncClient(node.mqttUrl(), "publisher", new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(false);
            o.setSessionExpiryInterval(3600L);
            pub.connect(o).waitForCompletion(20_000);
            String marker = dir.resolve("marker").toString();
            MqttMessage m = new MqttMessage(marker.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            IMqttToken token = pub.publish("jobs/1", m);

            assertThat(started.get(30, TimeUnit.SECONDS)).isEqualTo(marker);
            // The function is running and will never return on this node: no PUBACK yet.
            assertThat(token.isComplete()).isFalse();
            node.kill();
            node.start();
            MqttAsyncClient p = pub;
            MqttAsyncClient ww = watcher;
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> reconnect(ww, w));
            // The publisher's session resends the unacknowledged PUBLISH; the function finishes it.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> reconnect(p, o));
            assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo("done " + marker);
        } finally {
            for (MqttAsyncClient c : new MqttAsyncClient[] {pub, watcher}) {
                if (c != null) {
                    try {
                        c.disconnectForcibly(0, 1000, false);
                        c.close(true);
                    } catch (Exception e) {
                        // Test teardown.
                    }
                }
            }
            node.stop();
        }
    }

    private static boolean reconnect(MqttAsyncClient c, MqttConnectionOptions o) {
        if (c.isConnected()) {
            return true;
        }
        try {
            c.connect(o).waitForCompletion(5_000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
