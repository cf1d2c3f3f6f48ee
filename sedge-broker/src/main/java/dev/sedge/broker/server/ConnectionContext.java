package dev.sedge.broker.server;

import dev.sedge.broker.BrokerConfig;
import dev.sedge.broker.BrokerSecurity;
import dev.sedge.broker.Message;
import dev.sedge.broker.retain.RetainedMessages;
import dev.sedge.broker.router.Backlog;
import dev.sedge.broker.router.Router;
import dev.sedge.broker.session.SessionRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What every connection of one broker shares.
 *
 * @param publish routes a client's message (retaining it first when flagged) and tells the given
 *     consumer of each full backlog it went into; the future completes when the publisher may be
 *     acknowledged
 * @param clockMillis the wall clock, epoch milliseconds
 * @param security who may connect, publish and subscribe
 */
public record ConnectionContext(
        BrokerConfig config,
        Router router,
        SessionRegistry sessions,
        RetainedMessages retained,
        BrokerStats stats,
        BiFunction<Message, Consumer<Backlog>, CompletableFuture<Void>> publish,
        LongSupplier clockMillis,
        BrokerSecurity security) {}
