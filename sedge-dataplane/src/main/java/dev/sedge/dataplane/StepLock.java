package dev.sedge.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A dispatcher's one lock, whose steps list what must happen once it is let go: starting or closing an
 * instance, running an event, reporting an outcome. Nothing that calls out runs with the lock held.
 * Thread-safe.
 */
final class StepLock {

    /** A step under the lock, which lists what must happen once the lock is let go. */
    @FunctionalInterface
    interface Step {
        void run(List<Runnable> after);
    }

    private final ReentrantLock lock = new ReentrantLock();

    /** Runs {@code step} under the lock, then what it asked for. */
    void run(Step step) {
        List<Runnable> after = new ArrayList<>(2);
        lock.lock();
        try {
            step.run(after);
        } finally {
            lock.unlock();
        }
        runAll(after);
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    static void runAll(List<Runnable> actions) {
        for (Runnable r : actions) {
            r.run();
        }
    }
}
