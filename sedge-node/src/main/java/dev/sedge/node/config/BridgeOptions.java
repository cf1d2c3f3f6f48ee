package dev.sedge.node.config;

import dev.sedge.broker.bridge.BridgeConfig;
import dev.sedge.broker.bridge.BridgeEndpoint;
import dev.sedge.broker.bridge.BridgeOrigin;
import dev.sedge.broker.router.Topics;
import dev.sedge.node.descriptor.Quantities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * How a node bridges to an external MQTT broker ({@code sedge up --bridge URL ...}). Immutable;
 * validated on construction, and every refusal is one line that names the option and quotes the value.
 *
 * @param endpoint {@code --bridge}
 * @param topics {@code --bridge-topic}: plain filters, routed in through shared subscriptions of {@code
 *     group}
 * @param clientId {@code --bridge-client-id}, or null for the one kept in the data directory
 * @param username {@code --bridge-username}, or null
 * @param password {@code --bridge-password}, or null
 * @param caFile {@code --bridge-ca}: PEM certificates to trust instead of the JDK's, or null
 * @param group {@code --bridge-group}: the share name for triggers without a {@code group} and for
 *     {@code topics}
 * @param sessionExpiry {@code --bridge-session-expiry}: how long the external broker keeps the node's
 *     session, and queues its messages, while the node is away
 */
public record BridgeOptions(
        BridgeEndpoint endpoint,
        List<String> topics,
        String clientId,
        String username,
        String password,
        Path caFile,
        String group,
        Duration sessionExpiry) {

    /** The share name of triggers without a group and of {@code --bridge-topic}s. */
    public static final String GROUP_DEFAULT = "sedge";

    public static final Duration SESSION_EXPIRY_DEFAULT = BridgeConfig.SESSION_EXPIRY_DEFAULT;

    public BridgeOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        topics = List.copyOf(new LinkedHashSet<>(topics));
        for (String t : topics) {
            String error = Topics.filterError(t);
            if (error == null && t.startsWith("$share/")) {
                error = "give the plain filter; the bridge shares it in the group of --bridge-group";
            }
            if (error != null) {
                throw new IllegalArgumentException("--bridge-topic: \"" + t + "\": " + error);
            }
        }
        if (clientId != null
                && (clientId.isEmpty()
                        || clientId.indexOf('\u0000') >= 0
                        || clientId.getBytes(StandardCharsets.UTF_8).length > 65_535)) {
            throw new IllegalArgumentException("--bridge-client-id: \"" + clientId + "\" is not a valid client id");
        }
        if (username != null && username.isEmpty()) {
            throw new IllegalArgumentException("--bridge-username: must not be empty when given");
        }
        String groupError = BridgeOrigin.groupError(group);
        if (groupError != null) {
            throw new IllegalArgumentException("--bridge-group: \"" + group + "\": " + groupError);
        }
        long expiry = sessionExpiry.toSeconds();
        if (expiry < 1 || expiry > BridgeConfig.SESSION_EXPIRY_MAX_SECONDS) {
            throw new IllegalArgumentException("--bridge-session-expiry: " + Quantities.format(sessionExpiry)
                    + " is out of range (1s.." + BridgeConfig.SESSION_EXPIRY_MAX_SECONDS + "s)");
        }
        if (caFile != null) {
            if (!endpoint.tls()) {
                throw new IllegalArgumentException(
                        "--bridge-ca: only used with an mqtts:// bridge, not with " + endpoint.url());
            }
            checkCertificates(caFile);
        }
    }

    /**
     * Reads the options as given on the command line.
     *
     * @param url {@code --bridge}
     * @param sessionExpiry {@code --bridge-session-expiry} as written, or null for the default
     * @throws IllegalArgumentException with one line naming the option and quoting the value
     */
    public static BridgeOptions parse(
            String url,
            List<String> topics,
            String clientId,
            String username,
            String password,
            Path caFile,
            String group,
            String sessionExpiry) {
        BridgeEndpoint endpoint;
        try {
            endpoint = BridgeEndpoint.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bridge: " + e.getMessage(), e);
        }
        Duration expiry;
        try {
            expiry = sessionExpiry == null ? SESSION_EXPIRY_DEFAULT : Quantities.duration(sessionExpiry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bridge-session-expiry: " + e.getMessage(), e);
        }
        return new BridgeOptions(
                endpoint,
                topics == null ? List.of() : topics,
                clientId,
                username,
                password,
                caFile,
                group == null ? GROUP_DEFAULT : group,
                expiry);
    }

    /** The bridge's configuration, with the client id to use. */
    public BridgeConfig toConfig(String effectiveClientId) {
        return BridgeConfig.of(endpoint, effectiveClientId)
                .withCredentials(username, password)
                .withCaFile(caFile)
                .withSessionExpiry(sessionExpiry);
    }

    private static void checkCertificates(Path caFile) {
        if (!Files.isRegularFile(caFile)) {
            throw new IllegalArgumentException("--bridge-ca: \"" + caFile + "\": no such file");
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException("--bridge-ca: \"" + caFile + "\": no certificate in it");
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(
                    "--bridge-ca: \"" + caFile + "\": not a PEM certificate file (" + e.getMessage() + ")", e);
        }
    }

    /** Says whether a password is set, never what it is. */
    @Override
    public String toString() {
        return "BridgeOptions[endpoint=" + endpoint + ", topics=" + topics + ", clientId=" + clientId + ", username="
                + username + ", password=" + (password == null ? "none" : "***") + ", caFile=" + caFile + ", group="
                + group + ", sessionExpiry=" + sessionExpiry + "]";
    }
}
