package dev.sedge.broker.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.TestBacklog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reasons to stop reading one channel, composed; an embedded channel stands in for the connection. */
@Timeout(10)
class ReadGateTest {

    /** Counts pauses as the broker's statistics do. */
    private static final class Counting implements ReadGate.Listener {
        int paused;
        int now;

        @Override
        public void paused() {
            paused++;
            now++;
        }

        @Override
        public void resumed() {
            now--;
        }
    }

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Counting counting = new Counting();
    private final ReadGate gate = new ReadGate(channel, counting);

    @Test
    void aFullBacklogStopsReadingUntilItDrains() {
        TestBacklog backlog = new TestBacklog(true);
        gate.congested(backlog);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(counting.paused).isEqualTo(1);
        assertThat(counting.now).isEqualTo(1);

        backlog.drain();
        assertThat(channel.config().isAutoRead())
                .as("the drain callback hops onto the event loop before it resumes")
                .isFalse();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(gate.isReading()).isTrue();
        assertThat(counting.now).isZero();
        assertThat(counting.paused).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void oneBacklogReportedManyTimesIsWatchedOncePerPause() {
        TestBacklog backlog = new TestBacklog(true);
        gate.congested(backlog);
        gate.congested(backlog);
        gate.congested(backlog);
        assertThat(backlog.registrations()).isEqualTo(1);
        assertThat(counting.paused).isEqualTo(1);

        backlog.drain();
        channel.runPendingTasks();
        backlog.fill();
        gate.congested(backlog); // a second pause watches it again
        assertThat(backlog.registrations()).isEqualTo(2);
        assertThat(counting.paused).isEqualTo(2);
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void readingResumesOnlyWhenEveryBacklogHasDrained() {
        TestBacklog first = new TestBacklog(true);
        TestBacklog second = new TestBacklog(true);
        gate.congested(first);
        gate.congested(second);
        assertThat(counting.paused)
                .as("one pause, however many backlogs hold it")
                .isEqualTo(1);

        first.drain();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        second.drain();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(counting.now).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aBacklogThatFilledAgainBeforeTheCallbackRanIsWaitedForAgain() {
        TestBacklog backlog = new TestBacklog(true);
        gate.congested(backlog);
        backlog.drainedAndRefilled();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(backlog.registrations()).isEqualTo(2);

        backlog.drain();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void theBrokersOwnReasonAndABacklogResumeOnlyWhenBothAreClear() {
        TestBacklog backlog = new TestBacklog(true);
        gate.hold(ReadGate.Reason.RECEIVE_MAXIMUM);
        gate.congested(backlog);

        gate.release(ReadGate.Reason.RECEIVE_MAXIMUM);
        assertThat(channel.config().isAutoRead())
                .as("the backlog still holds it")
                .isFalse();
        backlog.drain();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();

        backlog.fill();
        gate.congested(backlog);
        gate.hold(ReadGate.Reason.RECEIVE_MAXIMUM);
        backlog.drain();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead())
                .as("the receive maximum still holds it")
                .isFalse();
        gate.release(ReadGate.Reason.RECEIVE_MAXIMUM);
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void aBacklogNotFullWhenWatchedLetsGoAtOnce() {
        TestBacklog backlog = new TestBacklog(true);
        gate.congested(backlog);
        backlog.drain();
        backlog.fill();
        backlog.drain(); // not full when the callback runs: it runs at once, on this thread
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void aBacklogThatCannotCallBackHoldsNothing() {
        Backlog broken = new Backlog() {
            @Override
            public boolean full() {
                return true;
            }

            @Override
            public void whenDrained(Runnable action) {
                throw new IllegalStateException("broken on purpose");
            }
        };
        gate.congested(broken);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(counting.now).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aChannelClosedWhilePausedLeavesNothingBehind() {
        TestBacklog backlog = new TestBacklog(true);
        gate.congested(backlog);
        channel.close();
        gate.channelClosed();
        assertThat(counting.now).isZero();

        backlog.drain(); // late: must neither throw nor touch the closed channel
        channel.runPendingTasks();
        gate.congested(new TestBacklog(true));
        assertThat(counting.paused).isEqualTo(1);
        assertThat(counting.now).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void theKeepAliveClockStandsStillWhileReadingIsStoppedAndRestartsOnResume() {
        List<IdleState> idle = new ArrayList<>();
        channel.freezeTime();
        KeepAlive keepAlive = new KeepAlive(1500, 0);
        channel.pipeline().addLast(keepAlive, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent e) {
                    idle.add(e.state());
                }
            }
        });
        gate.attach(keepAlive);
        TestBacklog backlog = new TestBacklog(true);
        gate.congested(backlog);

        channel.advanceTimeBy(10, TimeUnit.SECONDS); // six periods and more without a packet read
        channel.runScheduledPendingTasks();
        assertThat(idle).isEmpty();

        backlog.drain();
        channel.runPendingTasks();
        channel.advanceTimeBy(1400, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(idle).as("a whole period from the resume").isEmpty();
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(idle).containsExactly(IdleState.READER_IDLE);
        channel.finishAndReleaseAll();
    }
}
