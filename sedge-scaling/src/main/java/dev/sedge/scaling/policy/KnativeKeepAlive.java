package dev.sedge.scaling.policy;

import dev.sedge.scaling.ScaleSettings;
import java.time.Duration;

/**
 * Knative's defaults as a keep-alive policy: the last instance goes once the stable window has seen no
 * event and the retention has passed after that, and nothing is pre-warmed. In a node the autoscaler
 * itself plays this part ({@link dev.sedge.scaling.kpa.KpaDecider}); this class is its equivalent for
 * the simulator, where the window and the retention are all that matter for one instance.
 */
public final class KnativeKeepAlive extends PerFunctionPolicy<KnativeKeepAlive.LastEvent> {

    public static final String NAME = "knative";

    /** With Knative's default window and retention. */
    public KnativeKeepAlive() {
        this(ScaleSettings.WINDOW_DEFAULT, ScaleSettings.RETENTION_DEFAULT);
    }

    public KnativeKeepAlive(Duration window, Duration retention) {
        super(NAME, f -> new LastEvent(window.plus(retention).toMillis()));
    }

    static final class LastEvent implements History {
        private final long keepMillis;
        private long last;

        LastEvent(long keepMillis) {
            this.keepMillis = keepMillis;
        }

        @Override
        public void arrived(long atMillis) {
            last = atMillis;
        }

        @Override
        public WarmPlan plan(long now) {
            return WarmPlan.keep(now, last + keepMillis, () -> "the stable window and retention after the last event");
        }
    }
}
