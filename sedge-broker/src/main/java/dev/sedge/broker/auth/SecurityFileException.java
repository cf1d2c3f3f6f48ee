package dev.sedge.broker.auth;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A users or ACL file has a line that cannot be used. The message is one line:
 * {@code FILE:LINE: what is wrong with which value}. Thrown at start-up, so that a broker never runs
 * with half of its rules.
 */
public final class SecurityFileException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public SecurityFileException(Path file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** The line number, counting from 1. */
    public int line() {
        return line;
    }
}
