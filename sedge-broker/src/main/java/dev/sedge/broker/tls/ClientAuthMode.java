package dev.sedge.broker.tls;

import io.netty.handler.ssl.ClientAuth;

/** Whether a TLS listener asks clients for a certificate. */
public enum ClientAuthMode {
    /** No client certificate is asked for. */
    NONE("none", ClientAuth.NONE),
    /** A client may present a certificate; if it does, it must verify against the CA file. */
    OPTIONAL("optional", ClientAuth.OPTIONAL),
    /** Every client must present a certificate that verifies against the CA file. */
    REQUIRED("required", ClientAuth.REQUIRE);

    private final String word;
    private final ClientAuth netty;

    ClientAuthMode(String word, ClientAuth netty) {
        this.word = word;
        this.netty = netty;
    }

    /** The configuration word: {@code none}, {@code optional} or {@code required}. */
    public String word() {
        return word;
    }

    ClientAuth netty() {
        return netty;
    }

    /** The mode for its configuration word, or null for an unknown word. */
    public static ClientAuthMode ofWord(String word) {
        for (ClientAuthMode m : values()) {
            if (m.word.equals(word)) {
                return m;
            }
        }
        return null;
    }
}
