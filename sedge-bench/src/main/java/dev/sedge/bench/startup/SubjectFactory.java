package dev.sedge.bench.startup;

import java.io.IOException;
import java.io.Serial;

/** Makes a runtime's benchmark function, or says why it cannot here. */
interface SubjectFactory {

    String name();

    /** Whether an instance is a process of its own, so fewer (slower) samples are taken. */
    boolean outOfProcess();

    Subject create() throws IOException, Unavailable;

    /** The runtime cannot run here (a missing interpreter or compiler); the message says why. */
    final class Unavailable extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }
}
