package dev.sedge.dataplane;

import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Phase;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A sandbox whose instances run a given body; counts the instances it starts and closes, and those alive. */
class ScriptedSandbox implements Sandbox {

    interface Body {
        Result run(Event e, Context c) throws Exception;
    }

    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger alive = new AtomicInteger();
    final AtomicInteger mostAlive = new AtomicInteger();
    private final Body body;

    ScriptedSandbox(Body body) {
        this.body = body;
    }

    /** A sandbox whose starts say so on {@code starting}, then wait for {@code finish} before they return. */
    static ScriptedSandbox withHeldStarts(Body body, CountDownLatch starting, CountDownLatch finish) {
        return new ScriptedSandbox(body) {
            @Override
            public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
                starting.countDown();
                try {
                    finish.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return super.start(spec, timing);
            }
        };
    }

    @Override
    public String runtime() {
        return "scripted";
    }

    @Override
    public void check(FunctionSpec spec) {}

    @Override
    public Instance start(FunctionSpec spec, ColdStart timing) throws SandboxException {
        starts.incrementAndGet();
        mostAlive.accumulateAndGet(alive.incrementAndGet(), Math::max);
        timing.mark(Phase.INSTANTIATE);
        return new Instance() {
            private final java.util.concurrent.atomic.AtomicBoolean closed =
                    new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public Result invoke(Event event, Context context) throws Exception {
                return body.run(event, context);
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    alive.decrementAndGet();
                    closes.incrementAndGet();
                }
            }
        };
    }
}
