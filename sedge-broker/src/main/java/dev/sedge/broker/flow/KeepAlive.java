package dev.sedge.broker.flow;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * A connection's keep-alive timer: Netty's idle timer, whose silence clock stands still while the
 * connection's {@link ReadGate} has stopped reading and starts from zero when reading resumes. A peer
 * whose packets wait unread in TCP is not silent, so it must not be disconnected for silence
 * (MQTT-3.1.2-24 counts the packets the server receives; a paused server receives none).
 *
 * <p>Not sharable: one per channel, confined to its event loop. Driven by the {@link ReadGate} it is
 * {@linkplain ReadGate#attach attached} to.
 */
public final class KeepAlive extends IdleStateHandler {

    private boolean added;
    private boolean stopped;

    /**
     * @param readerIdleMillis silence after which a {@code READER_IDLE} event fires, 0 for never
     * @param writerIdleMillis time without writing after which a {@code WRITER_IDLE} event fires, 0 for never
     */
    public KeepAlive(long readerIdleMillis, long writerIdleMillis) {
        super(readerIdleMillis, writerIdleMillis, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        added = true;
    }

    /** Reading stopped: silence from now on is not the peer's. */
    void stop() {
        stopped = true;
    }

    /** Reading resumed: the peer has a whole period again from now. */
    void restart() {
        stopped = false;
        if (added) {
            resetReadTimeout();
        }
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) throws Exception {
        if (stopped && evt.state() == IdleState.READER_IDLE) {
            return; // unread, not unsent; the timer checks again one period later
        }
        super.channelIdle(ctx, evt);
    }
}
