package dev.sedge.dataplane;

import java.time.Instant;

/**
 * A dispatcher as it is at one moment: its instances, its queue and its autoscaler's last decision.
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
        Instant decidedAt) {}
