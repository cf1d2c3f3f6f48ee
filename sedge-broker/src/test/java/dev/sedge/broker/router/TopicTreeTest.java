package dev.sedge.broker.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicTreeTest {

    @Test
    void findsEveryMatchingValueOnce() {
        TopicTree<String> tree = new TopicTree<>();
        tree.add("a/b/c", "exact");
        tree.add("a/+/c", "plus");
        tree.add("a/#", "hash");
        tree.add("#", "all");
        tree.add("a/b", "other");
        assertThat(tree.match("a/b/c")).containsExactlyInAnyOrder("exact", "plus", "hash", "all");
    }

    @Test
    void removeTakesOneValueAwayAndKeepsTheRest() {
        TopicTree<String> tree = new TopicTree<>();
        tree.add("a/+", "one");
        tree.add("a/+", "two");
        assertThat(tree.remove("a/+", "one")).isTrue();
        assertThat(tree.remove("a/+", "one")).isFalse();
        assertThat(tree.remove("never/added", "one")).isFalse();
        assertThat(tree.match("a/x")).containsExactly("two");
    }

    @Test
    void aMatchDuringChangesSeesAConsistentTree() throws Exception {
        TopicTree<Integer> tree = new TopicTree<>();
        tree.add("s/+/t", -1);
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20_000; i++) {
                tree.add("s/" + (i % 50) + "/t", i);
                tree.remove("s/" + (i % 50) + "/t", i);
            }
        });
        while (writer.isAlive()) {
            assertThat(tree.match("s/7/t")).contains(-1);
        }
        writer.join();
        assertThat(tree.match("s/7/t")).containsExactly(-1);
    }
}
