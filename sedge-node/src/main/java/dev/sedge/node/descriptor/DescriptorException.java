package dev.sedge.node.descriptor;

import java.io.Serial;

/**
 * A descriptor was refused. The message is one line that names the field and the bad value, such as
 * {@code spec.timeout: invalid duration "5 sec"}.
 */
public final class DescriptorException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public DescriptorException(String message) {
        super(message);
    }
}
