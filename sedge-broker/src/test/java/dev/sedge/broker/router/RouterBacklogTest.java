package dev.sedge.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What routing tells a publisher about the backlogs its messages went into. */
@Timeout(10)
class RouterBacklogTest {

    private final Router router = new Router();
    private final List<String> events = new ArrayList<>();

    private static Message msg(String topic) {
        return new Message(topic, new byte[] {1}, 0, false, Message.MessageProperties.NONE, "p");
    }

    /** A subscriber that records its deliveries in {@link #events} and shows {@code backlog}. */
    private Subscriber subscriber(String name, Backlog backlog) {
        return new Subscriber() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> deliver(Message message, int qos) {
                events.add("deliver " + name);
                return DONE;
            }

            @Override
            public Backlog backlog() {
                return backlog;
            }
        };
    }

    private void subscribe(String filter, Subscriber s) {
        router.subscribe(new Router.Subscription(filter, 0, s, null, false));
    }

    @Test
    void onlyFullBacklogsAreReportedEachAfterItsDelivery() {
        TestBacklog full = new TestBacklog(true);
        subscribe("t", subscriber("full", full));
        subscribe("t", subscriber("roomy", new TestBacklog(false)));
        subscribe("t", subscriber("none", null));

        router.route(msg("t"), b -> events.add(b == full ? "congested full" : "congested other"));

        assertThat(events).containsExactlyInAnyOrder("deliver full", "congested full", "deliver roomy", "deliver none");
        assertThat(events.indexOf("congested full")).isEqualTo(events.indexOf("deliver full") + 1);
    }

    @Test
    void aThrowingPublisherDoesNotStopRouting() {
        subscribe("t", subscriber("a", new TestBacklog(true)));
        subscribe("t", subscriber("b", new TestBacklog(true)));

        assertThat(router.route(msg("t"), b -> {
                    throw new IllegalStateException("broken on purpose");
                }))
                .isCompleted();

        assertThat(events).containsExactlyInAnyOrder("deliver a", "deliver b");
    }

    @Test
    void aThrowingBacklogDoesNotStopRouting() {
        Backlog broken = new Backlog() {
            @Override
            public boolean full() {
                throw new IllegalStateException("broken on purpose");
            }

            @Override
            public void whenDrained(Runnable action) {}
        };
        subscribe("t", subscriber("a", broken));
        subscribe("t", subscriber("b", new TestBacklog(false)));
        List<Backlog> congested = new ArrayList<>();

        router.route(msg("t"), congested::add);

        assertThat(events).containsExactlyInAnyOrder("deliver a", "deliver b");
        assertThat(congested).isEmpty();
    }

    @Test
    void routingWithoutAPublisherNeverAsksForBacklogs() {
        int[] asked = {0};
        subscribe("t", new Subscriber() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> deliver(Message message, int qos) {
                return DONE;
            }

            @Override
            public Backlog backlog() {
                asked[0]++;
                return new TestBacklog(true);
            }
        });

        router.route(msg("t"));

        assertThat(asked[0]).isZero();
    }

    @Test
    void aSharedSubscriptionReportsTheBacklogOfTheMemberItChose() {
        TestBacklog full = new TestBacklog(true);
        TestBacklog roomy = new TestBacklog(false);
        subscribe("$share/g/t", subscriber("full", full));
        subscribe("$share/g/t", subscriber("roomy", roomy));
        List<Backlog> congested = new ArrayList<>();

        router.route(msg("t"), congested::add);
        router.route(msg("t"), congested::add);

        assertThat(events).containsExactlyInAnyOrder("deliver full", "deliver roomy");
        assertThat(congested).containsExactly(full);
    }
}
