package dev.sedge.sandbox.wasm;

import java.io.Serial;

/**
 * A wasm invocation that failed: the guest trapped, returned a non-zero status, was interrupted or exited.
 * The message names the cause in one line, such as {@code wasm trap: unreachable} or
 * {@code handle returned 7}.
 */
final class WasmFailure extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** True when the guest ended normally (a non-zero status), so its state can be rewound and reused. */
    private final boolean clean;

    WasmFailure(String message, boolean clean, Throwable cause) {
        super(message, cause);
        this.clean = clean;
    }

    boolean clean() {
        return clean;
    }
}
