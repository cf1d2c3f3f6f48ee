package dev.sedge.node.config;

import java.io.Serial;

/**
 * A configuration file was refused. The message is one line naming the file, the field (and the line
 * where the parser knows it) and the bad value with what is allowed, such as
 * {@code sedge.yaml: mqtt.port: 70000 is not a port (0..65535)}.
 */
public final class ConfigException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
