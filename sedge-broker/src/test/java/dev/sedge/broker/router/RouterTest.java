package dev.sedge.broker.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static Message msg(String topic, int qos, String from) {
        return new Message(topic, new byte[] {1}, qos, false, Message.MessageProperties.NONE, from);
    }

    @Test
    void deliversAtTheLowerOfPublishedAndSubscribedQos() {
        Router router = new Router();
        List<Integer> qos = new ArrayList<>();
        router.subscribe(new Router.Subscription(
                "a/#",
                1,
                (m, q) -> {
                    qos.add(q);
                    return Subscriber.DONE;
                },
                "c1",
                false));
        router.route(msg("a/b", 2, "p"));
        router.route(msg("a/b", 0, "p"));
        assertThat(qos).containsExactly(1, 0);
    }

    @Test
    void theAcknowledgementWaitsForEverySubscriberThatAsksForIt() {
        Router router = new Router();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        router.subscribe(new Router.Subscription("t", 1, (m, q) -> slow, null, false));
        router.subscribe(new Router.Subscription("t", 1, (m, q) -> Subscriber.DONE, null, false));
        CompletableFuture<Void> ack = router.route(msg("t", 1, "p"));
        assertThat(ack).isNotDone();
        slow.completeExceptionally(new IllegalStateException("failed function"));
        assertThat(ack).isCompleted(); // a failure also releases the acknowledgement
    }

    @Test
    void noLocalSkipsThePublishersOwnSubscription() {
        Router router = new Router();
        List<String> got = new ArrayList<>();
        router.subscribe(new Router.Subscription(
                "t",
                0,
                (m, q) -> {
                    got.add(m.publisherId());
                    return Subscriber.DONE;
                },
                "me",
                true));
        router.route(msg("t", 0, "me"));
        router.route(msg("t", 0, "you"));
        assertThat(got).containsExactly("you");
    }

    @Test
    void aThrowingSubscriberDoesNotStopTheOthers() {
        Router router = new Router();
        List<String> got = new ArrayList<>();
        router.subscribe(new Router.Subscription(
                "t",
                0,
                (m, q) -> {
                    throw new IllegalStateException("bug");
                },
                null,
                false));
        router.subscribe(new Router.Subscription(
                "t",
                0,
                (m, q) -> {
                    got.add("ok");
                    return Subscriber.DONE;
                },
                null,
                false));
        assertThat(router.route(msg("t", 1, null))).isCompleted();
        assertThat(got).containsExactly("ok");
    }

    @Test
    void refusesAnInvalidFilter() {
        assertThatThrownBy(() -> new Router()
                        .subscribe(new Router.Subscription("a/#/b", 0, (m, q) -> Subscriber.DONE, null, false)))
                .hasMessage("invalid topic filter \"a/#/b\": '#' must be the whole last level");
    }
}
