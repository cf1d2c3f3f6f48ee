package dev.sedge.node.deadletter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The last dead letters of each function, kept in an embedded MVStore file in the data directory, so
 * that a failed event outlives a moment when nobody subscribes to the error topic, and a restart.
 *
 * <p>At most {@code limit} letters per function: a letter added beyond it drops the oldest one, and
 * the drop is counted, per function and in total. Ids are per function, start at 1 and are never
 * reused, across removals and restarts.
 *
 * <p>Writes are grouped: {@link #add} only queues the letter and returns. One writer thread takes all
 * that is queued, writes it, commits once and then completes the futures of the whole group, so a burst
 * of failures costs a few commits rather than one each. A commit reaches the file system (it survives
 * a killed process); it does not fsync.
 *
 * <p>Thread-safe. Lifecycle: construct (opens or creates the file and starts the writer thread), use,
 * {@link #close} (writes what is queued, then closes the file). The futures of {@link #add} complete on
 * the writer thread: dependent work that is not quick belongs on an executor of its own.
 */
public final class DeadLetterStore implements AutoCloseable {

    /** The name of the store's file in the node's data directory. */
    public static final String FILE_NAME = "dead-letters.mv.db";

    /** How many letters per function are kept when nothing else is said. */
    public static final int LIMIT_DEFAULT = 1000;

    private static final System.Logger LOG = System.getLogger("dev.sedge.node");
    private static final String LETTERS = "letters/";
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final Path file;
    private final int limit;
    private final MVStore store;
    /** Function to its next id: kept apart from the letters so that ids outlive removals. */
    private final MVMap<String, Long> nextIds;
    /** Function to how many of its letters were dropped at the bound. */
    private final MVMap<String, Long> dropped;
    /** One map per function, id to encoded letter; opened under {@link #writeLock}. */
    private final Map<String, MVMap<Long, byte[]>> letters = new ConcurrentHashMap<>();
    /** Held by every change and every commit, so that no commit holds half a change. */
    private final ReentrantLock writeLock = new ReentrantLock();

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private final AtomicLong commits = new AtomicLong();
    private final Set<String> reportedUnreadable = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    // Written by the writer thread only.
    private boolean failing;
    private long lostWhileFailing;

    /** A queued letter and whoever waits for it; compared by identity. */
    private static final class Pending {
        final DeadLetter letter;
        final CompletableFuture<DeadLetter> done = new CompletableFuture<>();

        Pending(DeadLetter letter) {
            this.letter = letter;
        }
    }

    /**
     * Opens or creates the store.
     *
     * @param limit how many letters to keep per function, at least 1
     */
    public DeadLetterStore(Path file, int limit) {
        this(
                file,
                limit,
                Thread.ofPlatform().name("sedge-dead-letters").daemon().factory());
    }

    /** With the writer thread made by {@code writerThreads}: tests hold it back to see writes grouped. */
    DeadLetterStore(Path file, int limit, ThreadFactory writerThreads) {
        if (limit < 1) {
            throw new IllegalArgumentException(
                    "dead-letter limit: " + limit + " is not a positive number of letters per function");
        }
        this.file = file;
        this.limit = limit;
        this.store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open();
        this.nextIds = store.openMap("nextIds");
        this.dropped = store.openMap("dropped");
        this.writer = writerThreads.newThread(this::writeLoop);
        writer.start();
    }

    /**
     * Queues a letter and returns at once, never blocking: it may be called on an event loop.
     *
     * @param withoutId the letter; its id is ignored, the store assigns the next one of its function
     * @return the letter with its id, once it is committed to the file; exceptionally if it cannot be
     *     written or the store is closed
     */
    public CompletableFuture<DeadLetter> add(DeadLetter withoutId) {
        Pending p = new Pending(withoutId);
        pending.add(p);
        // Queued before the check: either this sees the store closed, or close() finds the letter queued.
        if (closed && pending.remove(p)) {
            p.done.completeExceptionally(new IllegalStateException("the dead-letter store is closed"));
        } else {
            LockSupport.unpark(writer);
        }
        return p.done;
    }

    /** The function's letters, oldest first; a stored letter that cannot be read is left out. */
    public List<DeadLetter> list(String function) {
        MVMap<Long, byte[]> map = letters(function, false);
        if (map == null) {
            return List.of();
        }
        List<DeadLetter> out = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : map.entrySet()) {
            read(function, e.getKey(), e.getValue()).ifPresent(out::add);
        }
        return out;
    }

    /** One letter, if it is stored and readable. */
    public Optional<DeadLetter> get(String function, long id) {
        MVMap<Long, byte[]> map = letters(function, false);
        byte[] value = map == null ? null : map.get(id);
        return value == null ? Optional.empty() : read(function, id, value);
    }

    /** Removes one letter and commits; false when there was none with that id. */
    public boolean remove(String function, long id) {
        writeLock.lock();
        try {
            MVMap<Long, byte[]> map = letters(function, false);
            if (map == null || map.remove(id) == null) {
                return false;
            }
            store.commit();
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes every letter of a function and commits; returns how many there were. */
    public int removeAll(String function) {
        writeLock.lock();
        try {
            MVMap<Long, byte[]> map = letters(function, false);
            if (map == null || map.isEmpty()) {
                return 0;
            }
            int removed = map.size();
            map.clear();
            store.commit();
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    /** How many letters of the function are stored. */
    public long count(String function) {
        MVMap<Long, byte[]> map = letters(function, false);
        return map == null ? 0 : map.sizeAsLong();
    }

    /** How many letters of the function were dropped, oldest first, to keep within the limit. */
    public long dropped(String function) {
        return dropped.getOrDefault(function, 0L);
    }

    /** How many letters of all functions were dropped to keep within the limit. */
    public long droppedTotal() {
        long total = 0;
        for (long n : dropped.values()) {
            total += n;
        }
        return total;
    }

    /** How many commits the writer has made: grouped writes make fewer than letters added. */
    long commits() {
        return commits.get();
    }

    private MVMap<Long, byte[]> letters(String function, boolean create) {
        MVMap<Long, byte[]> map = letters.get(function);
        if (map != null) {
            return map;
        }
        writeLock.lock();
        try {
            // Opening an absent map would create it: a read for an unknown function must leave no trace.
            if (!create && !store.hasMap(LETTERS + function)) {
                return null;
            }
            return letters.computeIfAbsent(function, f -> store.openMap(LETTERS + f));
        } finally {
            writeLock.unlock();
        }
    }

    private Optional<DeadLetter> read(String function, long id, byte[] value) {
        try {
            return Optional.of(DeadLetterCodec.decode(function, id, value));
        } catch (DeadLetterCodec.MalformedLetterException e) {
            if (reportedUnreadable.add(function + '#' + id)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dead letter {0} of {1} in {2} is unreadable and left out: {3}",
                        id,
                        function,
                        file,
                        e.getMessage());
            }
            return Optional.empty();
        }
    }

    // ---- the writer thread ----

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            for (Pending p = pending.poll(); p != null; p = pending.poll()) {
                group.add(p);
            }
            if (!group.isEmpty()) {
                write(group);
                group.clear();
            } else if (closed) {
                return;
            } else {
                LockSupport.park(this); // add() unparks; a spurious return just loops
            }
        }
    }

    private void write(List<Pending> group) {
        List<DeadLetter> written = new ArrayList<>(group.size());
        RuntimeException failure = null;
        writeLock.lock();
        try {
            for (Pending p : group) {
                written.add(put(p.letter));
            }
            store.commit();
            commits.incrementAndGet();
        } catch (RuntimeException e) {
            failure = e;
            rollBack();
        } finally {
            writeLock.unlock();
        }
        if (failure != null) {
            failed(group, failure);
            return;
        }
        if (failing) {
            failing = false;
            LOG.log(
                    System.Logger.Level.INFO,
                    "dead letters are written to {0} again; {1} were lost meanwhile",
                    file,
                    lostWhileFailing);
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done.complete(written.get(i));
        }
    }

    /** Writes one letter under the next id of its function, dropping the oldest beyond the limit. */
    private DeadLetter put(DeadLetter letter) {
        String function = letter.function();
        long id = nextIds.getOrDefault(function, 1L);
        nextIds.put(function, id + 1);
        DeadLetter stored = letter.withId(id);
        MVMap<Long, byte[]> map = letters(function, true);
        map.put(id, DeadLetterCodec.encode(stored));
        long over = map.sizeAsLong() - limit;
        if (over > 0) {
            for (long i = 0; i < over; i++) {
                map.remove(map.firstKey()); // ids increase: the first key is the oldest letter
            }
            dropped.put(function, dropped.getOrDefault(function, 0L) + over);
        }
        return stored;
    }

    /** Undoes a group that could not be committed, so that the maps hold only what the file holds. */
    private void rollBack() {
        try {
            store.rollback();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dead-letter store: rollback failed: {0}", String.valueOf(e));
        }
        letters.clear(); // a map the group created may be gone after the rollback: open them again
    }

    private void failed(List<Pending> group, RuntimeException e) {
        // Logged once per outage, not once per letter: a failing disk under a stream of failures would
        // otherwise flood the log.
        if (!failing) {
            failing = true;
            lostWhileFailing = 0;
            LOG.log(
                    System.Logger.Level.ERROR,
                    "cannot write dead letters to " + file + "; they are lost until writing works again",
                    e);
        }
        lostWhileFailing += group.size();
        for (Pending p : group) {
            p.done.completeExceptionally(e);
        }
    }

    /** Writes what is queued, fails what comes later, and closes the file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        try {
            if (!writer.join(Duration.ofSeconds(CLOSE_WAIT_SECONDS))) {
                LOG.log(System.Logger.Level.WARNING, "dead-letter writer did not finish in {0} s", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            p.done.completeExceptionally(new IllegalStateException("the dead-letter store is closed"));
        }
        writeLock.lock();
        try {
            store.close();
        } finally {
            writeLock.unlock();
        }
    }
}
