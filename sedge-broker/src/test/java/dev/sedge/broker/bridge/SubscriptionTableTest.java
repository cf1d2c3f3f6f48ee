package dev.sedge.broker.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.bridge.SubscriptionTable.Change;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubscriptionTableTest {

    private final BridgeSessionStore store = BridgeSessionStore.inMemory();

    @Test
    void holdersOfOneFilterShareOneSubscriptionAtTheirHighestQos() {
        SubscriptionTable table = new SubscriptionTable(store);
        BridgeSubscription a = new BridgeSubscription("$share/g/a/+", 0);
        BridgeSubscription b = new BridgeSubscription("$share/g/a/+", 1);
        table.add(a);
        table.add(b);
        table.connected(false);
        assertThat(table.changes()).containsExactly(new Change("$share/g/a/+", 1, 1, true));
        assertThat(table.changes()).as("nothing more to send").isEmpty();

        table.remove(b); // a remains, at QoS 0: asked for again at its QoS
        assertThat(table.changes()).containsExactly(new Change("$share/g/a/+", 0, 1, true));
        table.remove(a);
        assertThat(table.changes()).containsExactly(new Change("$share/g/a/+", 0, 1, false));
        assertThat(store.load()).as("kept until the broker confirms").containsKey("$share/g/a/+");
        table.unsubscribed("$share/g/a/+");
        assertThat(store.load()).isEmpty();
    }

    @Test
    void aRestartedBridgeKeepsItsIdentifiersAndDropsWhatIsNoLongerWanted() {
        SubscriptionTable before = new SubscriptionTable(store);
        before.add(new BridgeSubscription("$share/g/kept/#", 1));
        before.add(new BridgeSubscription("$share/sedge/dropped/#", 1));
        before.connected(false);
        assertThat(before.changes()).hasSize(2);
        assertThat(store.load())
                .isEqualTo(Map.of(
                        "$share/g/kept/#", new BridgeSessionStore.Entry(1, 1),
                        "$share/sedge/dropped/#", new BridgeSessionStore.Entry(1, 2)));

        SubscriptionTable after = new SubscriptionTable(store);
        after.add(new BridgeSubscription("$share/g/kept/#", 1));
        after.add(new BridgeSubscription("$share/g/new/#", 2));
        // Messages queued before the restart carry the old identifiers, and are still told apart.
        assertThat(after.via("dropped/x", List.of(2))).isEqualTo("$share/sedge/dropped/#");
        after.connected(true);
        assertThat(after.changes())
                .containsExactly(
                        new Change("$share/g/kept/#", 1, 1, true),
                        new Change("$share/g/new/#", 2, 3, true),
                        new Change("$share/sedge/dropped/#", 0, 2, false));
    }

    @Test
    void aNewSessionForgetsWhatTheOldOneHad() {
        SubscriptionTable table = new SubscriptionTable(store);
        table.add(new BridgeSubscription("$share/g/x", 1));
        table.connected(false);
        table.changes();
        assertThat(store.load()).containsKey("$share/g/x");

        SubscriptionTable restarted = new SubscriptionTable(store); // and no longer wanting $share/g/x
        restarted.connected(false); // the external broker lost the session (expired, or restarted)
        assertThat(restarted.changes())
                .as("nothing to unsubscribe in a new session")
                .isEmpty();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void aMessageIsToldApartByItsIdentifierElseByTheOnlyMatchingFilter() {
        SubscriptionTable table = new SubscriptionTable(store);
        table.add(new BridgeSubscription("$share/alerts/sensors/+/temperature", 1));
        table.add(new BridgeSubscription("$share/sedge/sensors/#", 1));
        table.add(new BridgeSubscription("$share/sedge/doors/#", 1));
        table.connected(false);
        table.changes();
        assertThat(table.via("sensors/s1/temperature", List.of(1))).isEqualTo("$share/alerts/sensors/+/temperature");
        assertThat(table.via("sensors/s1/temperature", List.of(2))).isEqualTo("$share/sedge/sensors/#");
        assertThat(table.via("doors/front", List.of())).isEqualTo("$share/sedge/doors/#");
        assertThat(table.via("sensors/s1/temperature", List.of()))
                .as("two filters match and no identifier says which")
                .isNull();
        assertThat(table.via("doors/front", List.of(1)))
                .as("an identifier whose filter does not match is not trusted")
                .isEqualTo("$share/sedge/doors/#");
    }
}
