package dev.sedge.node.cli;

import java.io.Serial;

/** A command failed for a reason the user can act on; the message is the one line printed. */
final class CliException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message, null, false, false);
    }
}
