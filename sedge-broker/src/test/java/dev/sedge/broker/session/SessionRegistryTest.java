package dev.sedge.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.Message;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.store.BrokerStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session ownership when connections with one client identifier overlap. Connections admit clients on
 * different event loops, so a second CONNECT can arrive while the first is between taking its session
 * and writing its CONNACK; these steps are what the threads do, in the order that broke it.
 */
@Timeout(10)
class SessionRegistryTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final BrokerStore store = BrokerStore.inMemory();
    private final Router router = new Router();
    private final SessionRegistry registry =
            new SessionRegistry(store, router, SessionLimits.DEFAULT, timer, System::currentTimeMillis, m -> {});

    @AfterEach
    void stop() {
        timer.shutdownNow();
        store.close();
    }

    /** A connection as the session sees it, recording what it is asked to do. */
    private static final class Link implements ClientLink {
        final List<String> published = new ArrayList<>();
        int takenOver;

        @Override
        public void publish(Message message, int packetId, boolean dup) {
            published.add(new String(message.payload(), StandardCharsets.UTF_8));
        }

        @Override
        public void pubrel(int packetId) {}

        @Override
        public boolean fits(Message message) {
            return true;
        }

        @Override
        public void takenOver() {
            takenOver++;
        }
    }

    @Test
    void aConnectWhileTheFirstIsStillBeingAdmittedTakesTheSessionOverFromIt() {
        Link first = new Link();
        Link second = new Link();
        // The first connection has its session and is writing its CONNACK on its event loop ...
        SessionRegistry.Connected a = registry.connect("c", false, 300, first);
        // ... when the second CONNECT, on another event loop, takes the session: MQTT-3.1.4-3.
        SessionRegistry.Connected b = registry.connect("c", false, 300, second);
        assertThat(first.takenOver).as("the first connection is told").isEqualTo(1);
        assertThat(b.present()).isTrue();
        assertThat(registry.connectedCount()).isEqualTo(1);

        // The first connection finishes its CONNACK and attaches late; the session stays the second's.
        b.session().attach(second, 10);
        a.session().attach(first, 10);
        b.session().subscribe("t", new SubscriptionOptions(0, false, false, 0));
        router.route(Message.of("t", "m".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(second.published).containsExactly("m");
        assertThat(first.published).isEmpty();

        // The first connection closes, as told: the second is still connected, and then it leaves too.
        registry.disconnected(a.session(), first, null, 0);
        assertThat(registry.connectedCount()).isEqualTo(1);
        assertThat(b.session().available()).isTrue();
        registry.disconnected(b.session(), second, null, 0);
        assertThat(registry.connectedCount()).isZero();
        assertThat(b.session().available()).isFalse();
    }

    @Test
    void anAttachedConnectionIsTakenOverAsBefore() {
        Link first = new Link();
        Link second = new Link();
        SessionRegistry.Connected a = registry.connect("c", true, 0, first);
        a.session().attach(first, 10);
        SessionRegistry.Connected b = registry.connect("c", true, 0, second);
        b.session().attach(second, 10);
        assertThat(first.takenOver).isEqualTo(1);
        assertThat(b.present()).isFalse(); // clean start: a new session
        registry.disconnected(a.session(), first, null, 0);
        assertThat(registry.connectedCount()).isEqualTo(1);
        registry.disconnected(b.session(), second, null, 0);
        assertThat(registry.connectedCount()).isZero();
        assertThat(registry.sessionCount()).isZero();
    }
}
