package dev.sedge.broker;

import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-process subscriber, as a trigger is, whose queue reads full at {@code limit} messages and is
 * emptied only when the test says so. Keeps every message it was given, in order. Thread-safe.
 */
final class FillingSubscriber implements Subscriber, Backlog {

    private final List<Message> delivered = new ArrayList<>();
    private final List<Runnable> waiting = new ArrayList<>();
    private int queued;
    private int limit;

    FillingSubscriber(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized CompletableFuture<Void> deliver(Message message, int qos) {
        delivered.add(message);
        queued++;
        return DONE;
    }

    @Override
    public Backlog backlog() {
        return this;
    }

    @Override
    public synchronized boolean full() {
        return queued >= limit;
    }

    @Override
    public void whenDrained(Runnable action) {
        synchronized (this) {
            if (full()) {
                waiting.add(action);
                return;
            }
        }
        action.run();
    }

    /** Empties the queue; {@code forGood} also lifts the limit, so that it never reads full again. */
    void drain(boolean forGood) {
        List<Runnable> due;
        synchronized (this) {
            queued = 0;
            if (forGood) {
                limit = Integer.MAX_VALUE;
            }
            due = List.copyOf(waiting);
            waiting.clear();
        }
        due.forEach(Runnable::run); // outside the lock, as a subscriber's own thread would
    }

    /** Messages delivered so far. */
    synchronized int count() {
        return delivered.size();
    }

    synchronized List<Message> messages() {
        return List.copyOf(delivered);
    }
}
