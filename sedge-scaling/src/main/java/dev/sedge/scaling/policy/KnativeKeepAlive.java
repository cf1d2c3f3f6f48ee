package dev.sedge.scaling.policy;

import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;

/**
 * Knative's defaults as a keep-alive policy: the last instance goes once the stable window has seen no
 * event and the retention has passed after that, and nothing is pre-warmed. In a node the autoscaler
 * itself plays this part ({@link dev.sedge.scaling.kpa.KpaDecider}); this class is its equivalent for
 * the simulator, to the millisecond:
 *
 * <ul>
 *   <li>the window counts whole seconds, as the autoscaler's per-second buckets do: it is empty once the
 *       second that held the last event has left it (an event on a second's boundary belongs to the
 *       second before), which is up to a second before the window's length after the event;
 *   <li>an instance that an event had to start stays at least a whole window after it became ready (a
 *       cold start after the event), as the autoscaler keeps a new instance;
 *   <li>the grace period after a function is deployed has no equivalent: a trace has no deployment.
 * </ul>
 */
public final class KnativeKeepAlive extends PerFunctionPolicy<KnativeKeepAlive.LastEvent> {

    public static final String NAME = "knative";

    /** With Knative's default window and retention, and no cold start. */
    public KnativeKeepAlive() {
        this(ScaleSettings.WINDOW_DEFAULT, ScaleSettings.RETENTION_DEFAULT, 0);
    }

    /** With Knative's default window and retention, and the context's cold start. */
    public KnativeKeepAlive(PolicyContext context) {
        this(ScaleSettings.WINDOW_DEFAULT, ScaleSettings.RETENTION_DEFAULT, context.coldStartMillis());
    }

    /**
     * @param window the stable window, counted in whole seconds (rounded up)
     * @param retention how long the last instance stays once the window is empty
     * @param coldStartMillis how long after its event a started instance is ready
     */
    public KnativeKeepAlive(Duration window, Duration retention, long coldStartMillis) {
        super(NAME, f -> new LastEvent((window.toMillis() + 999) / 1000, retention.toMillis(), coldStartMillis));
    }

    static final class LastEvent implements History {
        private final long windowSeconds;
        private final long retentionMillis;
        private final long coldStartMillis;
        private long readyAt;
        /** When the instance goes, as of the last event; {@link Long#MIN_VALUE} before the first. */
        private long until = Long.MIN_VALUE;

        LastEvent(long windowSeconds, long retentionMillis, long coldStartMillis) {
            this.windowSeconds = windowSeconds;
            this.retentionMillis = retentionMillis;
            this.coldStartMillis = coldStartMillis;
        }

        @Override
        public void arrived(long atMillis) {
            if (atMillis >= until) {
                readyAt = atMillis + coldStartMillis; // the instance had gone: this event starts one
            }
            long quiet = (Math.floorDiv(atMillis - 1, 1000) + windowSeconds) * 1000;
            until = Math.max(quiet, readyAt + windowSeconds * 1000) + retentionMillis;
        }

        @Override
        public WarmPlan plan(long now) {
            return WarmPlan.keep(now, until, () -> "the stable window and retention after the last event");
        }
    }
}
