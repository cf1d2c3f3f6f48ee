package dev.sedge.broker.fuzz;

import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.BrokerSecurity;
import dev.sedge.broker.Message;
import dev.sedge.broker.retain.RetainedMessages;
import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.server.BrokerStats;
import dev.sedge.broker.server.ConnectionContext;
import dev.sedge.broker.server.MqttConnection;
import dev.sedge.broker.session.SessionLimits;
import dev.sedge.broker.session.SessionRegistry;
import dev.sedge.broker.store.BrokerStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.LogRecord;

/**
 * Drives fuzzed connections through embedded channels whose pipelines are the broker's (flush
 * consolidation, {@link MqttDecoder}, {@link MqttEncoder}, {@link MqttConnection}), several at a time
 * against one shared broker state, so that routing, session takeover and resumption, wills and expiry
 * happen between them. Time is a {@link StepTimer} and every choice comes from one seed, so a seed
 * replays a run exactly. Many packets per second and exact: each channel's buffers are checked the
 * moment it closes.
 *
 * <p>Not thread-safe: runs on the calling thread.
 */
final class EmbeddedFuzzer {

    private static final int LIVE_CONNECTIONS = 4;
    private static final int CONNECTIONS_PER_BROKER = 250;
    private static final long STEP_MILLIS = 5;
    private static final int MAX_FINDINGS = 10;

    /** What one run did and found. */
    record Result(long packets, long connections, long malformed, long published, List<String> findings) {}

    private final PacketCorpus corpus;
    private final long seed;
    private final LogWatch log;
    private final Random random;
    private final List<String> findings = new ArrayList<>();
    private long packets;
    private long connections;
    private long malformed;
    private long published;
    private int brokers;
    private long logCountSeen;
    private int ownLogSeen;

    EmbeddedFuzzer(PacketCorpus corpus, long seed, LogWatch log) {
        this.corpus = corpus;
        this.seed = seed;
        this.log = log;
        this.random = new Random(seed);
    }

    /** Runs until {@code targetPackets} were delivered, the deadline passed, or enough was found. */
    Result run(long targetPackets, long deadlineNanos) throws Exception {
        while (packets < targetPackets && System.nanoTime() < deadlineNanos && findings.size() < MAX_FINDINGS) {
            runOneBroker(targetPackets, deadlineNanos);
        }
        return new Result(packets, connections, malformed, published, List.copyOf(findings));
    }

    /** The state one broker shares between its connections, with a clock that moves per packet. */
    private final class Broker {
        final StepTimer timer = new StepTimer();
        final BrokerStore store = BrokerStore.inMemory();
        final Router router = new Router();
        final RetainedMessages retained = new RetainedMessages(store, timer::millis);
        final BrokerStats stats = new BrokerStats();
        final ConnectionContext context;
        boolean miscounted;

        Broker(BrokerConfig config) {
            // As MqttBroker publishes a client's message: retained first, then routed.
            BiFunction<Message, Consumer<Backlog>, CompletableFuture<Void>> publish = (m, congested) -> {
                if (m.retain()) {
                    retained.retain(m);
                }
                return router.route(m, congested);
            };
            SessionRegistry sessions = new SessionRegistry(
                    store, router, config.sessionLimits(), timer, timer::millis, m -> publish.apply(m, b -> {}));
            context = new ConnectionContext(
                    config, router, sessions, retained, stats, publish, timer::millis, BrokerSecurity.NONE);
        }
    }

    /** One connection: its channel, its allocator (the leak check) and what is left to send. */
    private static final class Live {
        final int index;
        final ConnectionScript script;
        final RecordingAllocator allocator = new RecordingAllocator();
        final EmbeddedChannel channel;
        int next;

        Live(int index, ConnectionScript script, ConnectionContext context) throws Exception {
            this.index = index;
            this.script = script;
            channel = new EmbeddedChannel(false, false); // registered once the allocator is set
            channel.config().setAllocator(allocator);
            channel.register();
            channel.freezeTime(); // keep-alive timers follow the step clock, not the wall clock
            // The broker's pipeline, handler for handler (MqttBroker.start).
            channel.pipeline()
                    .addLast("flush", new FlushConsolidationHandler(256, true))
                    .addLast("decoder", new MqttDecoder(context.config().maxPacketBytes()))
                    .addLast("encoder", MqttEncoder.INSTANCE)
                    .addLast("connection", new MqttConnection(context));
        }

        boolean done() {
            return next >= script.packets().size() || !channel.isOpen();
        }
    }

    private void runOneBroker(long targetPackets, long deadlineNanos) throws Exception {
        int brokerIndex = brokers++;
        Broker broker = new Broker(brokerIndex % 2 == 0 ? BrokerConfig.defaults() : tightConfig());
        Live[] live = new Live[LIVE_CONNECTIONS];
        int started = 0;
        try {
            while (packets < targetPackets && findings.size() < MAX_FINDINGS) {
                int slot = random.nextInt(LIVE_CONNECTIONS);
                if (live[slot] == null) {
                    if (started == CONNECTIONS_PER_BROKER || System.nanoTime() > deadlineNanos) {
                        break;
                    }
                    live[slot] = new Live(started++, ConnectionScript.draw(corpus, random, 400), broker.context);
                    connections++;
                }
                Live c = live[slot];
                // Done, closed by the broker (perhaps while another connection took its session over), or
                // now and then a client that just drops the connection.
                if (c.done() || random.nextInt(2000) == 0) {
                    finish(brokerIndex, c);
                    live[slot] = null;
                    checkConnectedCount(broker, brokerIndex, c, live);
                    continue;
                }
                send(brokerIndex, c);
                step(broker, brokerIndex, live);
            }
        } finally {
            for (Live c : live) {
                if (c != null) {
                    finish(brokerIndex, c);
                }
            }
            int connected = broker.context.sessions().connectedCount();
            if (connected != 0 && !broker.miscounted) {
                findings.add(where(brokerIndex, -1) + "the broker counts " + connected
                        + " connected clients after every channel closed");
            }
            malformed += broker.stats.malformed();
            published += broker.stats.received();
            broker.timer.shutdown();
            broker.store.close();
        }
    }

    private void send(int brokerIndex, Live c) {
        byte[] packet = c.script.packets().get(c.next++);
        ByteBuf in = c.allocator.buffer(packet.length).writeBytes(packet);
        try {
            c.channel.writeInbound(in);
        } catch (RuntimeException e) {
            finding(brokerIndex, c, "an exception went through the pipeline: " + e);
        }
        packets++;
        checkLog(brokerIndex, c);
    }

    /** Moves time on: scheduled wills and expiries, keep-alive timeouts, and drains what was written. */
    private void step(Broker broker, int brokerIndex, Live[] live) {
        try {
            broker.timer.advance(STEP_MILLIS);
        } catch (IllegalStateException e) {
            findings.add(where(brokerIndex, -1) + e.getMessage() + ": " + e.getCause());
        }
        for (Live c : live) {
            if (c != null && c.channel.isOpen()) {
                c.channel.advanceTimeBy(STEP_MILLIS, TimeUnit.MILLISECONDS);
                c.channel.runPendingTasks();
                drain(c.channel);
                checkLog(brokerIndex, c);
            }
        }
    }

    private void finish(int brokerIndex, Live c) {
        try {
            c.channel.finishAndReleaseAll();
        } catch (RuntimeException e) {
            finding(brokerIndex, c, "closing the channel raised " + e);
        }
        checkLog(brokerIndex, c);
        List<ByteBuf> leaked = c.allocator.unreleasedAndForget();
        if (!leaked.isEmpty()) {
            finding(brokerIndex, c, leaked.size() + " buffer(s) not released after the channel closed");
        }
    }

    /** The broker counts no more connected clients than there are open channels. */
    private void checkConnectedCount(Broker broker, int brokerIndex, Live closed, Live[] live) {
        int open = 0;
        for (Live c : live) {
            if (c != null && c.channel.isOpen()) {
                open++;
            }
        }
        int connected = broker.context.sessions().connectedCount();
        if (connected > open && !broker.miscounted) {
            broker.miscounted = true; // once per broker: every later check would repeat it
            finding(
                    brokerIndex,
                    closed,
                    "the broker counts " + connected + " connected clients with " + open
                            + " channel(s) open, after this connection closed");
        }
    }

    private static void drain(EmbeddedChannel channel) {
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ReferenceCountUtil.release(o);
        }
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            ReferenceCountUtil.release(o);
        }
    }

    /** A WARNING from this thread since the last packet is a finding, with the packets that led to it. */
    private void checkLog(int brokerIndex, Live c) {
        if (log.count() == logCountSeen) {
            return;
        }
        logCountSeen = log.count();
        List<LogRecord> own = log.problemsOf(Thread.currentThread());
        for (int i = ownLogSeen; i < own.size(); i++) {
            finding(brokerIndex, c, LogWatch.describe(own.get(i)));
        }
        ownLogSeen = own.size();
    }

    private void finding(int brokerIndex, Live c, String what) {
        StringBuilder s = new StringBuilder(where(brokerIndex, c.index)).append(what);
        List<byte[]> sent = c.script.packets().subList(0, c.next);
        int from = Math.max(0, sent.size() - 12);
        s.append("\n    after ").append(sent.size()).append(" packet(s); the last ones, in hex:");
        for (int i = from; i < sent.size(); i++) {
            byte[] p = sent.get(i);
            String hex = ByteBufUtil.hexDump(p, 0, Math.min(p.length, 160));
            s.append("\n    #").append(i).append(' ').append(hex).append(p.length > 160 ? "..." : "");
        }
        findings.add(s.toString());
    }

    private String where(int brokerIndex, int connection) {
        return "[seed " + seed + ", embedded broker " + brokerIndex + ", connection " + connection + "] ";
    }

    /** Small limits, so that fuzzed clients hit them: packet size, receive maximum, aliases, queues. */
    private static BrokerConfig tightConfig() {
        return new BrokerConfig(BrokerConfig.HOST_DEFAULT, 0, 4096, 5, 3, 2, new SessionLimits(20, 10), 0);
    }
}
