package dev.sedge.broker.bridge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The external broker a bridge connects to, read from a URL: {@code mqtt://HOST[:PORT]} for TCP (port
 * {@value #MQTT_PORT_DEFAULT} by default) or {@code mqtts://HOST[:PORT]} for TLS (port {@value
 * #MQTTS_PORT_DEFAULT}). Immutable.
 *
 * @param host a host name or an IP address (IPv6 without brackets)
 * @param port the TCP port, 1..65535
 * @param tls whether to speak TLS ({@code mqtts})
 */
public record BridgeEndpoint(String host, int port, boolean tls) {

    public static final int MQTT_PORT_DEFAULT = 1883;
    public static final int MQTTS_PORT_DEFAULT = 8883;

    private static final String FORMS = "use mqtt://HOST[:PORT] or mqtts://HOST[:PORT]";

    public BridgeEndpoint {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("bridge host must not be empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("bridge port must be 1..65535, was " + port);
        }
    }

    /**
     * Reads a bridge URL.
     *
     * @throws IllegalArgumentException with a one-line message that quotes the URL and says what is wrong
     */
    public static BridgeEndpoint parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("must not be empty (" + FORMS + ")");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad(url, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("mqtt") || scheme.equals("mqtts"))) {
            throw bad(url, "the scheme must be mqtt or mqtts");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw bad(url, "no host");
        }
        if (uri.getRawUserInfo() != null) {
            // Quoted without the credentials: this message is printed and logged.
            throw bad(
                    url.replace(uri.getRawUserInfo() + "@", "***@"),
                    "a user name or password does not belong in the URL (give them as separate options)");
        }
        if (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) {
            throw bad(url, "a path is not allowed");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(url, "a query or fragment is not allowed");
        }
        boolean tls = scheme.equals("mqtts");
        return authority(url, uri.getRawAuthority(), tls ? MQTTS_PORT_DEFAULT : MQTT_PORT_DEFAULT, tls);
    }

    /** Host and port by hand: {@link URI} gives up on names such as {@code broker_1} that DNS accepts. */
    private static BridgeEndpoint authority(String url, String authority, int defaultPort, boolean tls) {
        String host;
        String rest;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) {
                throw bad(url, "unclosed IPv6 address");
            }
            host = authority.substring(1, end);
            rest = authority.substring(end + 1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            rest = colon < 0 ? "" : authority.substring(colon);
        }
        if (host.isEmpty()) {
            throw bad(url, "no host");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == ':' || c == '%')) {
                throw bad(url, "invalid host \"" + host + "\"");
            }
        }
        int port = defaultPort;
        if (!rest.isEmpty()) {
            String digits = rest.substring(1);
            if (!rest.startsWith(":") || digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
                throw bad(url, "invalid port \"" + (rest.startsWith(":") ? digits : rest) + "\"");
            }
            port = digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (port < 1 || port > 65_535) {
                throw bad(url, "port " + digits + " is not 1..65535");
            }
        }
        return new BridgeEndpoint(host, port, tls);
    }

    private static IllegalArgumentException bad(String url, String reason) {
        return new IllegalArgumentException("\"" + url + "\": " + reason + " (" + FORMS + ")");
    }

    /** The canonical URL, such as {@code mqtts://broker.example:8883}. */
    public String url() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "mqtts://" : "mqtt://") + h + ":" + port;
    }

    @Override
    public String toString() {
        return url();
    }
}
