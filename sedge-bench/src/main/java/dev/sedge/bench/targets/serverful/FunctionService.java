package dev.sedge.bench.targets.serverful;

import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;
import dev.sedge.bench.proc.CompletionCounter;
import dev.sedge.node.descriptor.ResponseTemplate;
import dev.sedge.node.trigger.MqttEventBinding;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The serverful design's function service (as in the CloudNet paper): an always-on JVM beside the
 * broker, an ordinary MQTT client (Eclipse Paho, MQTT 3.1.1) subscribed at QoS 1, that calls a Sedge
 * {@link Function} for each message and publishes a non-empty result at QoS 1 to the reply topic.
 *
 * <pre>
 *   FunctionService HOST PORT FILTER FUNCTION-CLASS FUNCTION-NAME COUNTER-FILE [RESPONSE-TOPIC]
 * </pre>
 *
 * The function is the class on this class path, created once; each message becomes an {@link Event}
 * (the topic as subject, the payload as data) with a {@link ServiceContext}, as a node would build them.
 * RESPONSE-TOPIC is a template as a trigger's {@code response.topic}, such as {@code bench/reply/{topic.2}};
 * without it, results are not published. Paho calls back on one thread, so calls never overlap (the
 * descriptor's {@code concurrency: 1}), and it acknowledges a message (PUBACK) once the call returned,
 * as a trigger with {@code ack: on-complete} does. A completion, counted in COUNTER-FILE ({@link
 * CompletionCounter}), is a call that returned and, when it published a reply, the broker's PUBACK of
 * that reply.
 *
 * <p>Prints {@link #SUBSCRIBED} on stdout once the broker granted the subscription; runs until its stdin
 * ends, it is killed, or the broker closes the connection (then it exits with status 3). Failures go to
 * stderr, one line a second at most.
 */
public final class FunctionService implements MqttCallback {

    public static final String SUBSCRIBED = "function service subscribed";

    private static final String CLIENT_ID = "sedge-bench-function-service";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** What the Sedge target's descriptor says; the service does not abandon a call, it only reports it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * QoS 1 replies Paho may have unacknowledged: all the packet identifiers, where its default is 10,
     * since Mosquitto's limit for this client is lifted too ({@code max_inflight_messages 0}).
     */
    private static final int MAX_INFLIGHT = 65_535;

    private static final int EXIT_USAGE = 64;
    private static final int EXIT_CONNECTION_LOST = 3;

    private final MqttAsyncClient client;
    private final Function function;
    private final String functionName;
    private final ResponseTemplate responseTopic;
    private final CompletionCounter completions;
    private final FailureLog failures = new FailureLog();
    private final IMqttActionListener replyAcknowledged;
    private long invocations;

    FunctionService(
            MqttAsyncClient client,
            Function function,
            String functionName,
            ResponseTemplate responseTopic,
            CompletionCounter completions) {
        this.client = client;
        this.function = function;
        this.functionName = functionName;
        this.responseTopic = responseTopic;
        this.completions = completions;
        this.replyAcknowledged = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                completions.increment();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
                failures.report("a reply was not acknowledged: " + error);
            }
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6 || args.length > 7) {
            System.err.println("usage: FunctionService HOST PORT FILTER FUNCTION-CLASS FUNCTION-NAME COUNTER-FILE"
                    + " [RESPONSE-TOPIC]");
            System.exit(EXIT_USAGE);
        }
        String host = args[0];
        String filter = args[2];
        Function function = Class.forName(args[3])
                .asSubclass(Function.class)
                .getDeclaredConstructor()
                .newInstance();
        ResponseTemplate template = args.length == 7 ? ResponseTemplate.parse(args[6]) : null;
        CompletionCounter counter = CompletionCounter.open(Path.of(args[5]));

        MqttAsyncClient client = new MqttAsyncClient(
                "tcp://" + host + ":" + Integer.parseInt(args[1]), CLIENT_ID, new MemoryPersistence());
        FunctionService service = new FunctionService(client, function, args[4], template, counter);
        client.setCallback(service);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options).waitForCompletion(CONNECT_TIMEOUT.toMillis());
        IMqttToken subscription = client.subscribe(filter, 1);
        subscription.waitForCompletion(CONNECT_TIMEOUT.toMillis());
        int granted = subscription.getGrantedQos()[0];
        if (granted != 1) {
            throw new IOException("the broker granted QoS " + granted + " instead of 1 on " + filter);
        }
        System.out.println(SUBSCRIBED);
        System.out.flush();
        while (System.in.read() != -1) {
            // The harness holds stdin open while it wants the service; EOF (or its death) stops it.
        }
        client.disconnect().waitForCompletion(CONNECT_TIMEOUT.toMillis());
        client.close();
        function.close();
        System.exit(0);
    }

    /** One message: the function, then its reply; never throws, since Paho drops the connection if it does. */
    @Override
    public void messageArrived(String topic, MqttMessage message) {
        long n = ++invocations;
        String id = CLIENT_ID + "-" + n;
        Instant now = Instant.now();
        Event event = Event.builder()
                .id(id)
                .source("/serverful/mqtt")
                .type(MqttEventBinding.RAW_TYPE)
                .subject(topic)
                .time(now)
                .data(message.getPayload())
                .build();
        Result result;
        try {
            result = function.handle(event, new ServiceContext(functionName, id, now.plus(TIMEOUT), client));
        } catch (Exception | LinkageError e) {
            failures.report("event " + id + " on " + topic + " failed: " + e);
            return;
        }
        if (result.isEmpty() || responseTopic == null) {
            completions.increment();
            return;
        }
        String reply = responseTopic.render(topic);
        if (reply == null) {
            failures.report("no reply topic for " + topic + " from " + responseTopic);
            return;
        }
        try {
            client.publish(reply, result.data(), 1, false, null, replyAcknowledged);
        } catch (MqttException | RuntimeException e) {
            failures.report("the reply to event " + id + " was not published: " + e);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        System.err.println("function service: the broker closed the connection: " + cause);
        System.exit(EXIT_CONNECTION_LOST);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // Replies are counted by their own listener.
    }

    /**
     * Plain sockets with Nagle's algorithm off, as the benchmark's own clients and brokers have it. Paho
     * leaves it on, and then a reply and the PUBACK written right after it wait for the broker's delayed
     * ACK: milliseconds per message at low rates, which would measure that setting and not the design.
     */
    private static final class NoDelaySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws SocketException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket s = createSocket();
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        }
    }

    /** Failure lines on stderr, one a second at most, with how many were left out. Thread-safe. */
    private static final class FailureLog {
        private static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
        private long lastNanos = System.nanoTime() - INTERVAL_NANOS;
        private long leftOut;

        synchronized void report(String line) {
            long now = System.nanoTime();
            if (now - lastNanos < INTERVAL_NANOS) {
                leftOut++;
                return;
            }
            System.err.println("function service: " + line + (leftOut == 0 ? "" : " (and " + leftOut + " more)"));
            lastNanos = now;
            leftOut = 0;
        }
    }
}
