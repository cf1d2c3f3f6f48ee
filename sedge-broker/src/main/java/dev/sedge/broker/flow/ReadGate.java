package dev.sedge.broker.flow;

import dev.sedge.broker.router.Backlog;
import io.netty.channel.Channel;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Whether one connection is read from. Reading stops while anything holds it and resumes only when
 * nothing does: the broker's own {@linkplain Reason reasons}, and each full {@link Backlog} that the
 * connection's messages were routed into. Stopping is Netty's auto-read turned off, so that TCP's own
 * flow control slows the peer down instead of the broker buffering for it; an attached {@link
 * KeepAlive} does not count the pause as the peer's silence.
 *
 * <p>Not thread-safe: confined to the channel's event loop, like the handler that owns it. Only {@link
 * #congested} may be called from another thread, and a backlog's drain callback may run on any: both
 * hop onto the loop. Lifecycle: one per channel; {@link #channelClosed()} when the channel goes
 * inactive, after which nothing changes and late drain callbacks do nothing.
 */
public final class ReadGate {

    private static final System.Logger LOG = System.getLogger("dev.sedge.broker");

    /** The broker's own reasons to stop reading a connection. */
    public enum Reason {
        /** CONNECT is being authenticated off the event loop; what arrives meanwhile is held unread. */
        AUTHENTICATION,
        /** An MQTT 3.1.1 client has as many QoS 1/2 PUBLISHes unacknowledged as the receive maximum. */
        RECEIVE_MAXIMUM
    }

    /** Told, on the event loop, when full backlogs start and stop holding the connection. */
    public interface Listener {

        /** A listener that does nothing. */
        Listener NONE = new Listener() {
            @Override
            public void paused() {}

            @Override
            public void resumed() {}
        };

        /** The first full backlog holds the connection (whatever else may hold it too). */
        void paused();

        /** The last backlog let go, or the connection closed while backlogs held it. */
        void resumed();
    }

    private final Channel channel;
    private final Listener listener;
    private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);
    // Identity, not equals: one registration per backlog object is what "once per backlog" needs.
    private final Set<Backlog> backlogs = Collections.newSetFromMap(new IdentityHashMap<>());
    private KeepAlive keepAlive;
    private Runnable onOpen = () -> {};
    private boolean reading = true;
    private boolean closed;

    /**
     * @param channel the connection; its auto-read is this gate's from now on
     * @param listener told of back-pressure pauses, for counting
     */
    public ReadGate(Channel channel, Listener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    /**
     * Runs {@code action} each time reading resumes, before the channel reads again: the owner reads what
     * it held back while stopped. The action may stop reading again (a held message that meets a full
     * backlog); the channel then stays unread.
     */
    public void onOpen(Runnable action) {
        this.onOpen = action;
    }

    /** Makes {@code keepAlive}'s silence clock stand still while reading is stopped. */
    public void attach(KeepAlive keepAlive) {
        this.keepAlive = keepAlive;
        if (!reading) {
            keepAlive.stop();
        }
    }

    /** Stops reading for {@code reason} until {@link #release(Reason)}. Idempotent. */
    public void hold(Reason reason) {
        if (reasons.add(reason)) {
            apply();
        }
    }

    /** Lets go for {@code reason}; reading resumes if nothing else holds it. Idempotent. */
    public void release(Reason reason) {
        if (reasons.remove(reason)) {
            apply();
        }
    }

    /**
     * A message of this connection went into {@code backlog}, which is full: reading stops until it has
     * drained. Call it from routing ({@code router.route(message, gate::congested)}).
     */
    public void congested(Backlog backlog) {
        if (!channel.eventLoop().inEventLoop()) {
            onLoop(() -> congested(backlog));
            return;
        }
        if (closed || !backlogs.add(backlog)) {
            return; // gone, or already waiting for this backlog to drain
        }
        if (backlogs.size() == 1) {
            listener.paused();
        }
        apply();
        watch(backlog);
    }

    /** Whether the connection is read from now. */
    public boolean isReading() {
        return reading;
    }

    /** The channel went inactive: forget every reason; drain callbacks still to come do nothing. */
    public void channelClosed() {
        if (closed) {
            return;
        }
        closed = true;
        reasons.clear();
        if (!backlogs.isEmpty()) {
            backlogs.clear();
            listener.resumed();
        }
        keepAlive = null;
    }

    private void watch(Backlog backlog) {
        try {
            backlog.whenDrained(() -> onLoop(() -> drained(backlog)));
        } catch (RuntimeException e) {
            // A backlog that cannot call back would hold the connection for good: it holds nothing instead.
            LOG.log(System.Logger.Level.WARNING, "a subscriber's backlog failed; not waiting for it", e);
            letGo(backlog);
        }
    }

    private void drained(Backlog backlog) {
        if (closed || !backlogs.contains(backlog)) {
            return;
        }
        if (full(backlog)) {
            watch(backlog); // it filled up again before this ran: wait for the next drain
            return;
        }
        letGo(backlog);
    }

    private void letGo(Backlog backlog) {
        if (backlogs.remove(backlog) && backlogs.isEmpty()) {
            listener.resumed();
        }
        apply();
    }

    /** Sets auto-read to what the reasons and backlogs say, and the keep-alive's clock with it. */
    private void apply() {
        if (closed) {
            return;
        }
        boolean open = reasons.isEmpty() && backlogs.isEmpty();
        if (open == reading) {
            return;
        }
        reading = open;
        if (open) {
            onOpen.run();
            if (!reading) {
                return; // what was held stopped it again, and said so to the channel and the keep-alive
            }
        }
        channel.config().setAutoRead(open);
        if (keepAlive != null) {
            if (open) {
                keepAlive.restart();
            } else {
                keepAlive.stop();
            }
        }
    }

    private static boolean full(Backlog backlog) {
        try {
            return backlog.full();
        } catch (RuntimeException e) {
            return false; // as if drained: a broken backlog must not hold the connection
        }
    }

    private void onLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The loop has shut down, and the channel with it: nothing is left to resume.
        }
    }
}
