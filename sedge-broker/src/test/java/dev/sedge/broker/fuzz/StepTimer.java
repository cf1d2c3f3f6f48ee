package dev.sedge.broker.fuzz;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on a clock that moves only when told to, running due tasks on the caller's thread. The
 * embedded fuzzer gives it to the session registry: session expiry and delayed wills then fire between
 * packets on the test thread (embedded channels are single-threaded), and a seed replays a run exactly.
 *
 * <p>Not thread-safe: one thread schedules, advances and runs.
 */
final class StepTimer extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> due = new PriorityQueue<>();
    private long nowMillis;
    private long sequence;
    private boolean shutdown;

    /** Epoch milliseconds on this timer's clock, for the broker's clock. */
    long millis() {
        return 1_700_000_000_000L + nowMillis;
    }

    /**
     * Moves the clock on and runs every task that is due, in order.
     *
     * @throws IllegalStateException when a task failed, which a real scheduler would swallow silently
     */
    void advance(long millis) {
        nowMillis += millis;
        while (!due.isEmpty() && due.peek().atMillis <= nowMillis) {
            Task<?> task = due.poll();
            task.run();
            if (task.isDone() && !task.isCancelled()) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a scheduled task failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Task<V> task = new Task<>(callable, nowMillis + Math.max(0, unit.toMillis(delay)), sequence++);
        due.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the session registry schedules one-shot tasks only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the session registry schedules one-shot tasks only");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        due.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long atMillis;
        final long seq;

        Task(Callable<V> callable, long atMillis, long seq) {
            super(callable);
            this.atMillis = atMillis;
            this.seq = seq;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atMillis - nowMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> o = (Task<?>) other;
            int c = Long.compare(atMillis, o.atMillis);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq);
        }
    }
}
