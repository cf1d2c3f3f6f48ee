package dev.sedge.broker.auth;

/** What an ACL rule grants: {@code read} is subscribing, {@code write} is publishing. */
public enum Access {
    READ(true, false),
    WRITE(false, true),
    READWRITE(true, true);

    private final boolean read;
    private final boolean write;

    Access(boolean read, boolean write) {
        this.read = read;
        this.write = write;
    }

    public boolean read() {
        return read;
    }

    public boolean write() {
        return write;
    }

    /** The access for its ACL file word, or null for an unknown word. */
    static Access ofWord(String word) {
        return switch (word) {
            case "read" -> READ;
            case "write" -> WRITE;
            case "readwrite" -> READWRITE;
            default -> null;
        };
    }
}
