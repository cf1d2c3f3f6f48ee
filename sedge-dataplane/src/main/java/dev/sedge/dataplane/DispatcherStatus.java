package dev.sedge.dataplane;

import dev.sedge.scaling.Decision;
import java.time.Duration;
import java.time.Instant;

/**
 * A dispatcher as it is at one moment: its instances, its queue, its autoscaler's last decision and the
 * keep-alive plan that decision followed.
 * Immutable.
 *
 * @param ready instances that take events
 * @param starting instances being started
 * @param draining instances retired that still finish their events
 * @param desired the instances the autoscaler wants
 * @param peak the most instances alive at once since the function was activated
 * @param running events running now
 * @param queued events waiting for a free slot on an instance
 * @param mostQueued the most events that waited for a slot at once since activation
 * @param overflowed events that arrived while the queue was full since activation: taken while their
 *     publishers were paused ({@link Overflow#BACKPRESSURE}), or refused ({@link Overflow#DEAD_LETTER})
 * @param waiting events waiting behind an earlier one of the same order key, or for their retry
 * @param panic whether the autoscaler is in panic mode
 * @param decision the autoscaler's last decision in words, or null before the first
 * @param decidedAt when it was taken, or null before the first
 * @param policy the keep-alive policy that owns the step between zero and one instance, or null for the
 *     autoscaler alone
 * @param nextPrewarm when the policy's plan starts an instance ahead of the next event, or null when the
 *     last decision did not follow a plan or the plan has none ahead
 * @param keptUntil until when the plan keeps the instance with no event, or null when the last decision
 *     did not follow a plan, or the plan keeps none, or keeps it until the next event
 */
public record DispatcherStatus(
        int ready,
        int starting,
        int draining,
        int desired,
        int peak,
        int running,
        int queued,
        int mostQueued,
        long overflowed,
        int waiting,
        boolean panic,
        String decision,
        Instant decidedAt,
        String policy,
        Instant nextPrewarm,
        Instant keptUntil) {

    /** Reads a dispatcher's parts, under its lock. */
    static DispatcherStatus read(
            InstancePool pool, Admission admission, ScaleLoop scaling, long overflowed, DispatcherEnvironment env) {
        Decision d = scaling.last();
        KeepAliveStep keepAlive = scaling.keepAlive();
        return new DispatcherStatus(
                pool.count(PooledInstance.State.READY),
                pool.count(PooledInstance.State.STARTING),
                pool.count(PooledInstance.State.DRAINING),
                pool.desired(),
                pool.peak(),
                admission.running(),
                admission.queued(),
                admission.mostQueued(),
                overflowed,
                admission.waiting(),
                d != null && d.panic(),
                d == null ? null : d.reason(),
                d == null
                        ? null
                        : env.clock()
                                .instant()
                                .minus(Duration.ofNanos(env.timers().nanoTime() - d.atNanos())),
                keepAlive == null ? null : keepAlive.policy(),
                keepAlive == null ? null : keepAlive.nextPrewarm(),
                keepAlive == null ? null : keepAlive.keptUntil());
    }
}
