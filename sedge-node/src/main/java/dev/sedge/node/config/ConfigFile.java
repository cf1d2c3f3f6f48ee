package dev.sedge.node.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sedge.broker.tls.ClientAuthMode;
import dev.sedge.broker.tls.TlsConfig;
import dev.sedge.node.descriptor.Prewarm;
import dev.sedge.node.descriptor.Quantities;
import dev.sedge.scaling.ScaleSettings;
import dev.sedge.scaling.policy.PolicyContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads a node's YAML configuration file ({@code sedge up --config FILE}) into a validated
 * {@link NodeConfig}. Unknown fields are refused, so that a misspelt setting is never silently left at
 * its default; relative paths are resolved against the file's directory. Every refusal is one line:
 * {@code FILE:LINE: field: the bad value and what is allowed}. Stateless and thread-safe.
 *
 * <pre>
 * dataDir: ./sedge-data
 * mqtt: {bind: 127.0.0.1, port: 1883, maxQueuedMessages: 1000}
 * http: {bind: 127.0.0.1, port: 8080, apiToken: secret}
 * auth: {usersFile: users, aclFile: acl, allowAnonymous: false, certificateIdentity: true}
 * tls:  {port: 8883, certFile: cert.pem, keyFile: key.pem, caFile: ca.pem, clientAuth: required}
 * scale: {min: 0, max: 10, initial: 1, window: 60s, retention: 0s, scaleToZeroGracePeriod: 30s,
 *         maxScaleUpRate: 1000, maxScaleDownRate: 2, ...,    # every function's defaults (Knative's names)
 *         prewarm: auto,                                      # and its keep-alive policy
 *         coldStart: 500ms, instanceMemory: 128Mi, nodeMemory: 2Gi,  # what the policies are told
 *         coldStartWorth: 60m}                                # idle instance time one cold start is worth
 * </pre>
 */
public final class ConfigFile {

    /** The longest cold start the policies may be told of. */
    static final Duration COLD_START_MAX = Duration.ofMinutes(10);
    /** The range of what a cold start may be said to be worth. */
    static final Duration COLD_START_WORTH_MIN = Duration.ofSeconds(1);

    static final Duration COLD_START_WORTH_MAX = Duration.ofDays(7);

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    // The file's shape. Every field is nullable: absent means the default.
    record Raw(String dataDir, Mqtt mqtt, Http http, Auth auth, Tls tls, Scale scale) {}

    record Mqtt(String bind, Integer port, Integer maxQueuedMessages) {}

    record Http(String bind, Integer port, String apiToken) {}

    record Auth(String usersFile, String aclFile, Boolean allowAnonymous, Boolean certificateIdentity) {}

    record Tls(Integer port, String certFile, String keyFile, String caFile, String clientAuth) {}

    record Scale(
            Integer min,
            Integer max,
            Integer initial,
            Double target,
            Integer utilization,
            String window,
            Integer panicWindowPercentage,
            Integer panicThresholdPercentage,
            Double maxScaleUpRate,
            Double maxScaleDownRate,
            String retention,
            String scaleToZeroGracePeriod,
            String scaleDownDelay,
            String prewarm,
            String coldStart,
            String instanceMemory,
            String nodeMemory,
            String coldStartWorth) {}

    private final Path file;
    private final Path base;
    private final String text;

    private ConfigFile(Path file, String text) {
        this.file = file;
        this.base = file.toAbsolutePath().getParent();
        this.text = text;
    }

    /** Reads and validates the file. */
    public static NodeConfig read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e);
        }
        return parse(file, text);
    }

    /** Validates the text of a file; {@code file} names it in messages and anchors relative paths. */
    public static NodeConfig parse(Path file, String text) throws ConfigException {
        ConfigFile config = new ConfigFile(file, text);
        return config.validate(config.bind());
    }

    private Raw bind() throws ConfigException {
        try {
            JsonNode tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new Raw(null, null, null, null, null, null); // empty, or comments only: all defaults
            }
            return YAML.readValue(text, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .sorted()
                    .collect(Collectors.joining(", "));
            throw fail(path(e), "unknown field \"" + path(e) + "\" (known here: " + known + ")");
        } catch (InvalidFormatException e) {
            throw fail(path(e), path(e) + ": \"" + e.getValue() + "\" is not " + kind(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String where = path(e);
            throw fail(where, (where.isEmpty() ? "the file" : where) + ": must be " + kind(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw fail(path(e), path(e) + ": " + firstLine(e));
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr();
            throw new ConfigException(file + line + ": not valid YAML: " + firstLine(e));
        }
    }

    private static String firstLine(JacksonException e) {
        return e.getOriginalMessage().lines().findFirst().orElse("");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        return "a mapping of fields";
    }

    private NodeConfig validate(Raw raw) throws ConfigException {
        Mqtt mqtt = Objects.requireNonNullElse(raw.mqtt(), new Mqtt(null, null, null));
        Http http = Objects.requireNonNullElse(raw.http(), new Http(null, null, null));
        Auth auth = Objects.requireNonNullElse(raw.auth(), new Auth(null, null, null, null));

        Path dataDir = raw.dataDir() == null ? NodeConfig.DATA_DIR_DEFAULT : path("dataDir", raw.dataDir());
        String bind = host("mqtt.bind", mqtt.bind());
        int mqttPort = port("mqtt.port", mqtt.port(), NodeConfig.MQTT_PORT_DEFAULT);
        String httpBind = host("http.bind", http.bind());
        int httpPort = port("http.port", http.port(), NodeConfig.HTTP_PORT_DEFAULT);
        if (http.apiToken() != null && http.apiToken().isBlank()) {
            throw fail("http.apiToken", "http.apiToken: must not be empty (leave it out for an open API)");
        }

        Path usersFile = auth.usersFile() == null ? null : path("auth.usersFile", auth.usersFile());
        Path aclFile = auth.aclFile() == null ? null : path("auth.aclFile", auth.aclFile());
        AuthConfig authConfig = new AuthConfig(
                usersFile,
                aclFile,
                Objects.requireNonNullElse(auth.allowAnonymous(), AuthConfig.allowAnonymousDefault(usersFile)),
                Objects.requireNonNullElse(auth.certificateIdentity(), AuthConfig.CERTIFICATE_IDENTITY_DEFAULT));

        TlsListenerConfig tls = raw.tls() == null ? null : tls(raw.tls());
        ScaleSettings scale = raw.scale() == null ? ScaleSettings.DEFAULTS : scale(raw.scale());
        KeepAliveConfig keepAlive = raw.scale() == null ? KeepAliveConfig.DEFAULTS : keepAlive(raw.scale());
        try {
            int maxQueued =
                    Objects.requireNonNullElse(mqtt.maxQueuedMessages(), NodeConfig.MAX_QUEUED_MESSAGES_DEFAULT);
            return new NodeConfig(
                    dataDir,
                    bind,
                    mqttPort,
                    httpPort,
                    http.apiToken(),
                    httpBind,
                    authConfig,
                    tls,
                    maxQueued,
                    null,
                    scale,
                    keepAlive);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage()); // relations between fields: no one line
        }
    }

    private ScaleSettings scale(Scale s) throws ConfigException {
        ScaleSettings d = ScaleSettings.DEFAULTS;
        try {
            return new ScaleSettings(
                    Objects.requireNonNullElse(s.min(), d.min()),
                    Objects.requireNonNullElse(s.max(), d.max()),
                    Objects.requireNonNullElse(s.initial(), d.initial()),
                    Objects.requireNonNullElse(s.target(), d.target()),
                    Objects.requireNonNullElse(s.utilization(), d.utilizationPercentage()),
                    duration("scale.window", s.window(), d.window()),
                    Objects.requireNonNullElse(s.panicWindowPercentage(), d.panicWindowPercentage()),
                    Objects.requireNonNullElse(s.panicThresholdPercentage(), d.panicThresholdPercentage()),
                    Objects.requireNonNullElse(s.maxScaleUpRate(), d.maxScaleUpRate()),
                    Objects.requireNonNullElse(s.maxScaleDownRate(), d.maxScaleDownRate()),
                    duration("scale.retention", s.retention(), d.retention()),
                    duration("scale.scaleToZeroGracePeriod", s.scaleToZeroGracePeriod(), d.scaleToZeroGracePeriod()),
                    duration("scale.scaleDownDelay", s.scaleDownDelay(), d.scaleDownDelay()));
        } catch (IllegalArgumentException e) {
            // ScaleSettings names the field first: "window: 3s is out of range 6s..1h".
            String field =
                    e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':')));
            throw fail("scale." + field, "scale." + e.getMessage());
        }
    }

    private KeepAliveConfig keepAlive(Scale s) throws ConfigException {
        PolicyContext d = PolicyContext.DEFAULTS;
        Duration coldStart = duration("scale.coldStart", s.coldStart(), Duration.ofMillis(d.coldStartMillis()));
        if (coldStart.compareTo(COLD_START_MAX) > 0) {
            throw fail(
                    "scale.coldStart", "scale.coldStart: " + Quantities.format(coldStart) + " is out of range 0s..10m");
        }
        long instance = mebibytes("scale.instanceMemory", s.instanceMemory(), d.memoryMib());
        long node = mebibytes("scale.nodeMemory", s.nodeMemory(), d.nodeMemoryMib());
        if (node < instance) {
            throw fail(
                    "scale.nodeMemory",
                    "scale.nodeMemory: " + node + "Mi is below one instance's scale.instanceMemory " + instance + "Mi");
        }
        Duration worth =
                duration("scale.coldStartWorth", s.coldStartWorth(), Duration.ofMillis(d.coldStartWorthMillis()));
        if (worth.compareTo(COLD_START_WORTH_MIN) < 0 || worth.compareTo(COLD_START_WORTH_MAX) > 0) {
            throw fail(
                    "scale.coldStartWorth",
                    "scale.coldStartWorth: " + Quantities.format(worth) + " is out of range 1s..168h");
        }
        String prewarm = Objects.requireNonNullElse(s.prewarm(), Prewarm.DEFAULT);
        if (prewarm.equals("false")) {
            prewarm = Prewarm.OFF; // YAML 1.1 reads a bare off as false
        }
        try {
            return new KeepAliveConfig(
                    prewarm, new PolicyContext(coldStart.toMillis(), instance, node, worth.toMillis()));
        } catch (IllegalArgumentException e) {
            throw fail("scale.prewarm", e.getMessage()); // names scale.prewarm and the known names
        }
    }

    /** A size in whole mebibytes, 1Mi..1Ti. */
    private long mebibytes(String field, String value, long dflt) throws ConfigException {
        if (value == null) {
            return dflt;
        }
        long bytes;
        try {
            bytes = Quantities.bytes(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw fail(field, field + ": " + e.getMessage());
        }
        if (bytes < 1L << 20 || bytes > 1L << 40 || bytes % (1L << 20) != 0) {
            throw fail(field, field + ": \"" + value + "\" is not a whole number of Mi in 1Mi..1Ti");
        }
        return bytes >> 20;
    }

    private Duration duration(String field, String value, Duration dflt) throws ConfigException {
        if (value == null) {
            return dflt;
        }
        try {
            return Quantities.duration(value);
        } catch (IllegalArgumentException e) {
            throw fail(field, field + ": " + e.getMessage());
        }
    }

    private TlsListenerConfig tls(Tls tls) throws ConfigException {
        int port = port("tls.port", tls.port(), TlsListenerConfig.PORT_DEFAULT);
        if (tls.certFile() == null) {
            throw fail(
                    "tls", "tls.certFile: required with a tls section (PEM: server certificate, then intermediates)");
        }
        if (tls.keyFile() == null) {
            throw fail("tls", "tls.keyFile: required with a tls section (PEM: the server's unencrypted private key)");
        }
        Path caFile = tls.caFile() == null ? null : path("tls.caFile", tls.caFile());
        ClientAuthMode clientAuth;
        if (tls.clientAuth() == null) {
            clientAuth = caFile == null ? ClientAuthMode.NONE : ClientAuthMode.REQUIRED;
        } else {
            clientAuth = ClientAuthMode.ofWord(tls.clientAuth());
            if (clientAuth == null) {
                throw fail(
                        "tls.clientAuth",
                        "tls.clientAuth: \"" + tls.clientAuth() + "\" is not one of none, optional, required");
            }
        }
        try {
            return new TlsListenerConfig(
                    port,
                    new TlsConfig(
                            path("tls.certFile", tls.certFile()),
                            path("tls.keyFile", tls.keyFile()),
                            caFile,
                            clientAuth));
        } catch (IllegalArgumentException e) {
            throw fail(tls.caFile() != null ? "tls.caFile" : "tls.clientAuth", e.getMessage());
        }
    }

    private String host(String field, String value) throws ConfigException {
        if (value == null) {
            return NodeConfig.BIND_HOST_DEFAULT;
        }
        if (value.isBlank()) {
            throw fail(field, field + ": must not be empty (an address such as 127.0.0.1 or 0.0.0.0)");
        }
        return value;
    }

    private int port(String field, Integer value, int defaultPort) throws ConfigException {
        if (value == null) {
            return defaultPort;
        }
        if (value < 0 || value > 65_535) {
            throw fail(field, field + ": " + value + " is not a port (0..65535)");
        }
        return value;
    }

    private Path path(String field, String value) throws ConfigException {
        if (value.isBlank()) {
            throw fail(field, field + ": must not be empty");
        }
        try {
            return base.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw fail(field, field + ": \"" + value + "\" is not a path: " + e.getReason());
        }
    }

    /** A refusal about a field, with the line the field is on. */
    private ConfigException fail(String field, String message) {
        int line = lineOf(field);
        return new ConfigException(file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    /**
     * The line where the field (dotted path) is written, or 0 when it is not. Found by walking the tokens,
     * because Jackson reports some errors at the end of the enclosing mapping rather than at the field.
     */
    private int lineOf(String field) {
        if (field.isEmpty()) {
            return 1;
        }
        String pointer = "/" + field.replace('.', '/');
        try (JsonParser p = YAML.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME
                        && p.getParsingContext().pathAsPointer().toString().equals(pointer)) {
                    return p.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            return 0; // the text was parsed once already; nothing better to say than the file
        }
        return 0;
    }
}
