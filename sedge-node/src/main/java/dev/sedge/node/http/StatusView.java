package dev.sedge.node.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.dataplane.DispatcherStatus;
import dev.sedge.scaling.policy.KnativeKeepAlive;

/**
 * A function's live state in the API's views, under {@code status}: instances ready, starting and
 * desired, the queue, panic, and the autoscaler's last decision in words, with the keep-alive plan it
 * followed (the policy, the next pre-warm, until when the instance is kept). Stateless.
 */
final class StatusView {

    private StatusView() {}

    /** @param s the dispatcher's status, or null when the function is not active */
    static void put(ObjectNode status, DispatcherStatus s) {
        ObjectNode instances = status.putObject("instances");
        instances.put("ready", s == null ? 0 : s.ready());
        instances.put("starting", s == null ? 0 : s.starting());
        instances.put("desired", s == null ? 0 : s.desired());
        if (s != null && s.draining() > 0) {
            instances.put("draining", s.draining());
        }
        status.put("warm", s != null && s.ready() > 0);
        status.put("running", s == null ? 0 : s.running());
        status.put("queue", s == null ? 0 : s.queued() + s.waiting());
        status.put("queuePeak", s == null ? 0 : s.mostQueued());
        status.put("queueOverflows", s == null ? 0 : s.overflowed());
        status.put("panic", s != null && s.panic());
        if (s != null && s.decision() != null) {
            ObjectNode decision = status.putObject("decision");
            decision.put("desired", s.desired());
            decision.put("reason", s.decision());
            decision.put("at", s.decidedAt().toString());
            // The keep-alive policy of the step between zero and one; "knative" when the autoscaler decides it.
            decision.put("policy", s.policy() == null ? KnativeKeepAlive.NAME : s.policy());
            if (s.nextPrewarm() != null) {
                decision.put("nextPrewarm", s.nextPrewarm().toString());
            }
            if (s.keptUntil() != null) {
                decision.put("keptUntil", s.keptUntil().toString());
            }
        }
    }
}
