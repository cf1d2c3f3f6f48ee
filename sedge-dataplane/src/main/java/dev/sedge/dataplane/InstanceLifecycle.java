package dev.sedge.dataplane;

import dev.sedge.sandbox.ColdStart;
import dev.sedge.sandbox.FunctionSpec;
import dev.sedge.sandbox.Instance;
import dev.sedge.sandbox.Sandbox;
import dev.sedge.sandbox.SandboxException;
import java.util.function.LongSupplier;

/**
 * Starts and closes a function's instances, each on a virtual thread of its own, never on the thread
 * that decided it (an event loop, the timer, a worker holding the dispatcher's lock): a start compiles,
 * forks or waits for a process to be ready, and a close may wait out a process's grace period.
 * Thread-safe and stateless.
 */
final class InstanceLifecycle {

    private static final System.Logger LOG = System.getLogger("dev.sedge.dataplane");

    /** Told how a start ended, on the thread that made it. */
    interface Started {
        /** The instance is up; its start's phases are in {@code timing}. */
        void started(PooledInstance p, Instance instance, ColdStart timing);

        /** It could not start, for the reason given in one line. */
        void failed(PooledInstance p, String why);
    }

    private final String function;
    private final Sandbox sandbox;
    private final FunctionSpec spec;
    private final LongSupplier stopwatch;

    InstanceLifecycle(String function, Sandbox sandbox, FunctionSpec spec, LongSupplier stopwatch) {
        this.function = function;
        this.sandbox = sandbox;
        this.spec = spec;
        this.stopwatch = stopwatch;
    }

    /** Starts an instance on a new virtual thread, timing its phases, and reports how it ended. */
    void start(PooledInstance p, Started then) {
        Thread.ofVirtual().name(function + "-start-" + p.number).start(() -> {
            ColdStart timing = new ColdStart(stopwatch);
            Instance instance;
            try {
                instance = sandbox.start(spec, timing);
            } catch (Throwable e) {
                then.failed(p, e instanceof SandboxException ? e.getMessage() : e.toString());
                return;
            }
            p.instance = instance;
            then.started(p, instance, timing);
        });
    }

    /** Closes an instance on a new virtual thread. */
    void closeLater(PooledInstance p) {
        Instance instance = p.instance;
        if (instance != null) {
            Thread.ofVirtual().name(function + "-close-" + p.number).start(() -> close(instance));
        }
    }

    /** Closes an instance on this thread; a runtime's failure to close is logged, never thrown. */
    void close(Instance instance) {
        if (instance == null) {
            return;
        }
        try {
            instance.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: closing an instance threw {1}", function, e.toString());
        }
    }
}
