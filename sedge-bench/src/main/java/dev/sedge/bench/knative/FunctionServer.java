package dev.sedge.bench.knative;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;
import dev.sedge.bench.function.NoopFunction;
import dev.sedge.bench.proc.CompletionCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;

/**
 * The last hop of the Knative-style path: the benchmark's no-op function behind an HTTP server (the
 * JDK's), as a Knative service's user container holds it. Each POST is a binary-mode CloudEvent; the
 * function's result is the response (204 when it is empty), and each completed request is counted in a
 * {@link CompletionCounter}.
 *
 * <p>Run as its own process: {@code FunctionServer <counter-file>}; it listens on a free port of
 * 127.0.0.1 and prints {@code function server listening on 127.0.0.1:PORT}. Runs until killed.
 */
public final class FunctionServer {

    public static final String LISTENING = "function server listening on ";

    private FunctionServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: FunctionServer <counter-file>");
            System.exit(2);
        }
        CompletionCounter counter = CompletionCounter.open(Path.of(args[0]));
        HttpServer server = start(new NoopFunction(), counter);
        System.out.println(LISTENING + "127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }

    /** Starts the server on a free loopback port; one virtual thread per request. */
    static HttpServer start(Function function, CompletionCounter counter) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                if (handle(function, exchange)) {
                    counter.increment();
                }
            }
        });
        server.start();
        return server;
    }

    /** Returns whether the function ran. */
    private static boolean handle(Function function, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        var h = exchange.getRequestHeaders();
        for (String required : CloudEventSender.REQUIRED_HEADERS) {
            if (h.getFirst(required) == null) {
                exchange.sendResponseHeaders(400, -1); // not a binary-mode CloudEvent
                return false;
            }
        }
        Event event = Event.builder()
                .id(h.getFirst("ce-id"))
                .source(h.getFirst("ce-source"))
                .type(h.getFirst("ce-type"))
                .subject(h.getFirst("ce-subject"))
                .time(Instant.now())
                .dataContentType(h.getFirst("Content-Type"))
                .data(body)
                .build();
        Result result;
        try {
            result = function.handle(event, new RequestContext(event.id()));
        } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1); // the function failed: the sender tries again
            return false;
        }
        if (result.isEmpty()) {
            exchange.sendResponseHeaders(204, -1);
            return true;
        }
        byte[] out = result.data();
        if (result.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", result.contentType());
        }
        exchange.sendResponseHeaders(200, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
        return true;
    }

    /** What the function sees of its invocation; publishing has no meaning behind plain HTTP. */
    private record RequestContext(String invocationId) implements Context {
        @Override
        public String functionName() {
            return "bench-noop";
        }

        @Override
        public boolean coldStart() {
            return false;
        }

        @Override
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public System.Logger logger() {
            return System.getLogger(FunctionServer.class.getName());
        }

        @Override
        public void publish(String topic, byte[] payload) {
            throw new UnsupportedOperationException("a function behind HTTP replies in its response");
        }
    }
}
