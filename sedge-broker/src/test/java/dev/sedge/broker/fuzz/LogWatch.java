package dev.sedge.broker.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects every record of WARNING or above that the broker ({@code dev.sedge.broker}, through
 * {@code System.Logger}) and Netty ({@code io.netty}, through its JDK logger) write while installed:
 * "packet handling failed", "A task raised an exception", "LEAK: ...". Records the caller declares
 * expected are left out.
 *
 * <p>Thread-safe: records arrive from event loops and timers.
 */
final class LogWatch implements AutoCloseable {

    private final List<Logger> loggers = new ArrayList<>(); // strong references: JUL keeps loggers weakly
    private final ConcurrentLinkedQueue<LogRecord> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong count = new AtomicLong();
    private final Predicate<LogRecord> expected;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue() && !expected.test(r)) {
                count.incrementAndGet();
                problems.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogWatch(Predicate<LogRecord> expected) {
        this.expected = expected;
    }

    /** Starts collecting from the named loggers and everything below them. */
    static LogWatch install(Predicate<LogRecord> expected, String... loggerNames) {
        LogWatch watch = new LogWatch(expected);
        for (String name : loggerNames) {
            Logger logger = Logger.getLogger(name);
            logger.addHandler(watch.handler);
            watch.loggers.add(logger);
        }
        return watch;
    }

    /** How many unexpected records have arrived so far; cheap, for checking after every packet. */
    long count() {
        return count.get();
    }

    /** The unexpected records, oldest first. */
    List<LogRecord> problems() {
        return List.copyOf(problems);
    }

    /** The unexpected records written by one thread. */
    List<LogRecord> problemsOf(Thread thread) {
        return problems.stream()
                .filter(r -> r.getLongThreadID() == thread.threadId())
                .toList();
    }

    /** One line per record: level, message, and the exception with its first frames. */
    static String describe(LogRecord r) {
        StringBuilder s = new StringBuilder()
                .append(r.getLevel())
                .append(' ')
                .append(r.getLoggerName())
                .append(": ")
                .append(new java.util.logging.SimpleFormatter().formatMessage(r));
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            s.append("\n    caused by ").append(t);
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(8, frames.length); i++) {
                s.append("\n        at ").append(frames[i]);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        for (Logger logger : loggers) {
            logger.removeHandler(handler);
        }
    }
}
