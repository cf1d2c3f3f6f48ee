package dev.sedge.bench.replay;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one {@code sedge replay} does, validated once: each refusal is one line naming the option, the
 * value and what is allowed. Immutable.
 *
 * @param trace the arrivals CSV
 * @param speedup trace time divided by this is replay time (300: 22 h in 4.4 min)
 * @param mode serverless, serverful, or both one after the other
 * @param key the trace column naming each event's function
 * @param mqttHost where the node's MQTT listener is
 * @param mqttPort its port
 * @param api the node's HTTP API, such as {@code http://127.0.0.1:8080}
 * @param apiToken the API's bearer token, or null
 * @param runtime the echo function's runtime: {@code wasm} or {@code jvm}
 * @param memoryMib the memory one instance is accounted (and declared) with, in MiB
 * @param limitEvents replay only the first this many events; 0 for all
 * @param warmupEvents events sent to a function of the warm-up's own before the first mode; 0 for none
 */
record ReplaySettings(
        Path trace,
        double speedup,
        ReplayMode mode,
        String key,
        String mqttHost,
        int mqttPort,
        URI api,
        String apiToken,
        String runtime,
        int memoryMib,
        int limitEvents,
        int warmupEvents) {

    static final String MQTT_DEFAULT = "127.0.0.1:1883";
    static final String API_DEFAULT = "http://127.0.0.1:8080";
    static final String RUNTIME_DEFAULT = "wasm";
    static final List<String> RUNTIMES = List.of("wasm", "jvm");
    static final int MEMORY_MIB_DEFAULT = 128;
    static final int WARMUP_EVENTS_DEFAULT = 3000;
    private static final int WARMUP_EVENTS_MAX = 1_000_000;
    /** Beyond this a 22-hour trace lasts less than a tenth of a second: timing would be all lateness. */
    static final double SPEEDUP_MAX = 1_000_000;

    private static final int MEMORY_MIB_MAX = 65_536;

    ReplaySettings {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(api, "api");
        if (!(speedup > 0) || speedup > SPEEDUP_MAX) {
            throw new IllegalArgumentException("--speedup: " + number(speedup)
                    + " is out of range (more than 0, at most " + number(SPEEDUP_MAX) + ")");
        }
        if (!RUNTIMES.contains(runtime)) {
            throw new IllegalArgumentException(
                    "--runtime: unknown \"" + runtime + "\" (use " + String.join(" or ", RUNTIMES) + ")");
        }
        if (memoryMib < 1 || memoryMib > MEMORY_MIB_MAX) {
            throw new IllegalArgumentException(
                    "--memory-mib: " + memoryMib + " is out of range (1.." + MEMORY_MIB_MAX + ")");
        }
        if (limitEvents < 0) {
            throw new IllegalArgumentException("--limit-events: " + limitEvents + " must be at least 1");
        }
        if (warmupEvents < 0 || warmupEvents > WARMUP_EVENTS_MAX) {
            throw new IllegalArgumentException(
                    "--warmup-events: " + warmupEvents + " is out of range (0.." + WARMUP_EVENTS_MAX + ")");
        }
        if (mqttPort < 1 || mqttPort > 65_535) {
            throw new IllegalArgumentException("--mqtt: port " + mqttPort + " is out of range (1..65535)");
        }
    }

    /** Reads {@code HOST:PORT} (an IPv6 address in brackets); refuses anything else naming {@code --mqtt}. */
    static HostPort mqtt(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.contains("/")) {
            throw new IllegalArgumentException(
                    "--mqtt: \"" + text + "\" is not HOST:PORT (such as " + MQTT_DEFAULT + ")");
        }
        try {
            return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--mqtt: \"" + text + "\" has no port number (such as " + MQTT_DEFAULT + ")");
        }
    }

    /** Reads an {@code http://} or {@code https://} URL; refuses anything else naming {@code --api}. */
    static URI api(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // Refused below, as every other malformed value is.
        }
        throw new IllegalArgumentException(
                "--api: \"" + text + "\" is not an http(s) URL (such as " + API_DEFAULT + ")");
    }

    /** A listener's address. */
    record HostPort(String host, int port) {}

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
