package dev.sedge.scaling.sim;

/** A trace that cannot be read, with the line and the field in the message. */
public final class TraceException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }
}
