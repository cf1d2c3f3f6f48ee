package dev.sedge.sandbox;

import java.io.Serial;

/** A function's artifact or entry point is unusable. The message is one line, fit for a user. */
public final class SandboxException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
