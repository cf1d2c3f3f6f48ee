package dev.sedge.node.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sedge.broker.Message.UserProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DeadLetterStoreTest {

    private static final Instant AT = Instant.parse("2025-03-01T12:00:00.123456789Z");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(DeadLetterStore.FILE_NAME);
    }

    static DeadLetter letter(String function, String payload) {
        return new DeadLetter(
                0,
                function,
                "sensors/7/temp",
                payload.getBytes(StandardCharsets.UTF_8),
                1,
                "application/json",
                new byte[] {1, 2, 3},
                "replies/7",
                Boolean.TRUE,
                List.of(new UserProperty("site", "north"), new UserProperty("site", "south")),
                "timeout",
                "no answer within 2s",
                3,
                AT);
    }

    private static DeadLetter committed(DeadLetterStore store, DeadLetter letter) throws Exception {
        return store.add(letter).get(10, TimeUnit.SECONDS);
    }

    @Test
    void addedLettersAreListedOldestFirstWithIdsPerFunction() throws Exception {
        try (DeadLetterStore store = new DeadLetterStore(file(), 10)) {
            DeadLetter a = committed(store, letter("alerts", "{\"t\":1}"));
            DeadLetter b = committed(store, letter("alerts", "{\"t\":2}"));
            DeadLetter other = committed(store, letter("billing", "{}"));

            assertThat(a.id()).isEqualTo(1);
            assertThat(b.id()).isEqualTo(2);
            assertThat(other.id()).as("ids are per function").isEqualTo(1);
            assertThat(store.list("alerts")).containsExactly(a, b);
            assertThat(a).isEqualTo(letter("alerts", "{\"t\":1}").withId(1));
            assertThat(store.get("alerts", 2)).contains(b);
            assertThat(store.get("alerts", 3)).isEmpty();
            assertThat(store.count("alerts")).isEqualTo(2);
            assertThat(store.list("nobody")).isEmpty();
            assertThat(store.count("nobody")).isZero();
        }
    }

    @Test
    void removeTakesOneLetterAndRemoveAllTheRest() throws Exception {
        try (DeadLetterStore store = new DeadLetterStore(file(), 10)) {
            for (int i = 0; i < 3; i++) {
                committed(store, letter("alerts", "m" + i));
            }
            committed(store, letter("billing", "x"));

            assertThat(store.remove("alerts", 2)).isTrue();
            assertThat(store.remove("alerts", 2)).as("already gone").isFalse();
            assertThat(store.remove("nobody", 1)).isFalse();
            assertThat(store.list("alerts")).extracting(DeadLetter::id).containsExactly(1L, 3L);

            assertThat(store.removeAll("alerts")).isEqualTo(2);
            assertThat(store.removeAll("alerts")).isZero();
            assertThat(store.removeAll("nobody")).isZero();
            assertThat(store.list("alerts")).isEmpty();
            assertThat(store.count("billing")).as("other functions keep theirs").isEqualTo(1);
            assertThat(committed(store, letter("alerts", "again")).id())
                    .as("ids are not reused after a removal")
                    .isEqualTo(4);
        }
    }

    @Test
    void beyondTheLimitTheOldestAreDroppedAndCounted() throws Exception {
        try (DeadLetterStore store = new DeadLetterStore(file(), 3)) {
            for (int i = 1; i <= 5; i++) {
                committed(store, letter("alerts", "m" + i));
            }
            committed(store, letter("billing", "x"));

            assertThat(store.list("alerts"))
                    .extracting(l -> new String(l.payload(), StandardCharsets.UTF_8))
                    .containsExactly("m3", "m4", "m5");
            assertThat(store.list("alerts")).extracting(DeadLetter::id).containsExactly(3L, 4L, 5L);
            assertThat(store.count("alerts")).isEqualTo(3);
            assertThat(store.dropped("alerts")).isEqualTo(2);
            assertThat(store.dropped("billing")).isZero();
            assertThat(store.droppedTotal()).isEqualTo(2);
        }
    }

    @Test
    void lettersIdsAndDropsSurviveReopening() throws Exception {
        try (DeadLetterStore store = new DeadLetterStore(file(), 2)) {
            for (int i = 1; i <= 3; i++) {
                committed(store, letter("alerts", "m" + i));
            }
            store.removeAll("alerts");
            committed(store, letter("alerts", "m4"));
        }
        try (DeadLetterStore store = new DeadLetterStore(file(), 2)) {
            assertThat(store.list("alerts")).extracting(DeadLetter::id).containsExactly(4L);
            assertThat(store.dropped("alerts")).isEqualTo(1);
            assertThat(committed(store, letter("alerts", "m5")).id()).isEqualTo(5);
        }
    }

    @Test
    void concurrentAddsAreAllCommittedInOneGroupWhileTheWriterIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // The writer waits until every add below has queued its letter, so they all form one group.
        ThreadFactory heldBack = r -> Thread.ofPlatform().daemon().unstarted(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        });
        int threads = 8;
        int perThread = 125;
        try (DeadLetterStore store = new DeadLetterStore(file(), 10_000, heldBack)) {
            List<List<CompletableFuture<DeadLetter>>> perAdder = new ArrayList<>();
            List<Thread> adders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String function = "f" + (t % 2);
                List<CompletableFuture<DeadLetter>> mine = new ArrayList<>();
                perAdder.add(mine);
                adders.add(Thread.ofPlatform().name("adder-" + t).start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.add(letter(function, "m" + i)));
                    }
                }));
            }
            List<CompletableFuture<DeadLetter>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                adders.get(t).join(); // also makes the adder's list visible here
                futures.addAll(perAdder.get(t));
            }
            assertThat(futures).hasSize(threads * perThread).noneMatch(CompletableFuture::isDone);
            assertThat(store.commits()).isZero();

            release.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            assertThat(store.commits()).isEqualTo(1);
            assertThat(store.count("f0") + store.count("f1")).isEqualTo(threads * perThread);
            assertThat(store.list("f0"))
                    .extracting(DeadLetter::id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, threads / 2 * perThread)
                            .boxed()
                            .toList());
        }
        try (DeadLetterStore reopened = new DeadLetterStore(file(), 10_000)) {
            assertThat(reopened.count("f0") + reopened.count("f1"))
                    .as("committed to the file")
                    .isEqualTo(1000);
        }
    }

    @Test
    void anUnreadableLetterIsLeftOutOfTheList() throws Exception {
        try (DeadLetterStore store = new DeadLetterStore(file(), 10)) {
            for (int i = 1; i <= 3; i++) {
                committed(store, letter("alerts", "m" + i));
            }
        }
        MVStore raw = new MVStore.Builder().fileName(file().toString()).open();
        MVMap<Long, byte[]> map = raw.openMap("letters/alerts");
        map.put(2L, new byte[] {DeadLetterCodec.VERSION, 0, 0, 0x7f, 0x7f}); // a topic length far past the end
        raw.commit();
        raw.close();

        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger("dev.sedge.node");
        log.addHandler(handler);
        try (DeadLetterStore store = new DeadLetterStore(file(), 10)) {
            assertThat(store.list("alerts")).extracting(DeadLetter::id).containsExactly(1L, 3L);
            assertThat(store.get("alerts", 2)).isEmpty();
            assertThat(store.list("alerts")).as("again, still no crash").hasSize(2);
        } finally {
            log.removeHandler(handler);
        }
        assertThat(warnings).as("one warning for the one letter").hasSize(1);
    }

    @Test
    void anAddAfterCloseFailsAtOnce() {
        DeadLetterStore store = new DeadLetterStore(file(), 10);
        store.close();
        store.close(); // idempotent

        CompletableFuture<DeadLetter> late = store.add(letter("alerts", "late"));

        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class).hasMessageContaining("closed");
    }

    @Test
    void aLimitBelowOneIsRefusedWithTheValue() {
        assertThatThrownBy(() -> new DeadLetterStore(file(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dead-letter limit: 0 is not a positive number of letters per function");
    }
}
