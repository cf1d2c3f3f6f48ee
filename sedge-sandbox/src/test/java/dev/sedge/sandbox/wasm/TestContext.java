package dev.sedge.sandbox.wasm;

import dev.sedge.api.Context;
import java.time.Instant;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A context that records what the function published and logged. */
class TestContext implements Context {

    record Published(String topic, byte[] payload) {}

    final List<Published> published = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Counted down at the first line logged. */
    final CountDownLatch logged = new CountDownLatch(1);

    private final System.Logger logger = new System.Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            log.add(level + " " + msg);
            logged.countDown();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            log.add(level + " " + java.text.MessageFormat.format(format, params));
            logged.countDown();
        }
    };

    @Override
    public String functionName() {
        return "f";
    }

    @Override
    public String invocationId() {
        return "1";
    }

    @Override
    public boolean coldStart() {
        return false;
    }

    @Override
    public Instant deadline() {
        return Instant.MAX;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public void publish(String topic, byte[] payload) {
        if (topic.contains("#") || topic.contains("+")) {
            throw new IllegalArgumentException("not a topic name: " + topic);
        }
        published.add(new Published(topic, payload));
    }
}
