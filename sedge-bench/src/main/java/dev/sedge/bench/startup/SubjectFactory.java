package dev.sedge.bench.startup;

import java.io.IOException;
import java.io.Serial;

/**
 * Makes a runtime's benchmark function, or says why it cannot here.
 *
 * @param name the row's name
 * @param outOfProcess whether an instance is a process of its own, so fewer (slower) samples are taken
 */
record SubjectFactory(String name, boolean outOfProcess, Maker maker) {

    /** Makes the subject; the caller cleans it up. */
    interface Maker {
        Subject make() throws IOException, Unavailable;
    }

    Subject create() throws IOException, Unavailable {
        return maker.make();
    }

    /** The runtime cannot run here (a missing interpreter or compiler); the message says why. */
    static final class Unavailable extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }
}
