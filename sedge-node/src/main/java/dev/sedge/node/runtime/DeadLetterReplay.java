package dev.sedge.node.runtime;

import dev.sedge.broker.Message;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.router.Topics;
import dev.sedge.node.deadletter.DeadLetter;
import dev.sedge.node.deadletter.DeadLetterReplayer;
import dev.sedge.node.trigger.MqttTrigger;
import java.util.concurrent.CompletableFuture;

/**
 * Replays a dead letter through the active function's trigger whose filter matches the letter's original
 * topic, exactly as a delivery of that message would run: the reply goes where it would have, and a new
 * failure becomes a new dead letter. Stateless and thread-safe.
 */
public final class DeadLetterReplay implements DeadLetterReplayer {

    private final FunctionHost host;

    public DeadLetterReplay(FunctionHost host) {
        this.host = host;
    }

    @Override
    public CompletableFuture<ReplayOutcome> replay(DeadLetter letter) {
        LiveFunction live = host.get(letter.function());
        if (live == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("function \"" + letter.function() + "\" is not active"));
        }
        Message message = letter.message();
        for (Router.Subscription s : live.subscriptions()) {
            if (s.subscriber() instanceof MqttTrigger trigger && Topics.matches(s.filter(), message.topic())) {
                return trigger.replay(message);
            }
        }
        return CompletableFuture.failedFuture(new IllegalStateException("no trigger of " + letter.function()
                + " matches the letter's topic \"" + message.topic() + "\" any more"));
    }
}
