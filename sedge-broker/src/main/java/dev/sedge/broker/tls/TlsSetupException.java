package dev.sedge.broker.tls;

import java.io.IOException;
import java.io.Serial;

/**
 * A TLS listener cannot be set up from its files. The message is one line naming the setting, the file
 * and what is wrong, such as {@code tls.keyFile /etc/sedge/key.pem: no PRIVATE KEY block}.
 */
public final class TlsSetupException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
