package dev.sedge.node.cli;

import java.io.Serial;

/**
 * A command failed for a reason the user can act on; the message is the one line printed after
 * {@code error:}. Public so that the verbs of {@link CliExtension}s report failures the same way.
 */
public final class CliException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message, null, false, false);
    }
}
