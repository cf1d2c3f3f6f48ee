package dev.sedge.node.deadletter;

import java.util.concurrent.CompletableFuture;

/**
 * Runs a dead letter's original message through its function again, exactly as a trigger would: the
 * reply is published, and a new failure becomes a new dead letter (with a new id).
 *
 * <p>Implementations are thread-safe and live as long as the node; {@link #replay} does not block.
 */
public interface DeadLetterReplayer {

    /**
     * Replays one letter.
     *
     * @return the outcome once the function has run; exceptionally only when the replay could not be
     *     attempted at all, in which case no new letter was recorded
     */
    CompletableFuture<ReplayOutcome> replay(DeadLetter letter);

    /**
     * How one replay ended. Immutable.
     *
     * @param succeeded whether the function handled the message this time
     * @param error the failure's message when it did not, one line; null when it succeeded
     */
    record ReplayOutcome(boolean succeeded, String error) {

        public static final ReplayOutcome SUCCEEDED = new ReplayOutcome(true, null);

        public static ReplayOutcome failed(String error) {
            return new ReplayOutcome(false, error);
        }
    }
}
