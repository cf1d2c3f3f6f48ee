package dev.sedge.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.Event;
import dev.sedge.api.Result;
import dev.sedge.dataplane.Outcome;
import dev.sedge.node.Deployments;
import dev.sedge.node.descriptor.DescriptorException;
import dev.sedge.node.descriptor.FunctionDescriptor;
import dev.sedge.node.descriptor.Quantities;
import dev.sedge.node.metrics.NodeMetrics;
import dev.sedge.node.registry.StoredFunction;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.node.runtime.LiveFunction;
import dev.sedge.sandbox.SandboxException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's HTTP API (JSON):
 *
 * <pre>
 * POST   /v1/functions                 deploy: a descriptor (YAML or JSON body, artifact by path on the
 *                                      node) or multipart/form-data with parts "descriptor" and "artifact"
 * GET    /v1/functions                 list
 * GET    /v1/functions/{name}          describe
 * DELETE /v1/functions/{name}          delete
 * POST   /v1/functions/{name}/invoke   invoke with the body as the event's data
 * GET    /healthz                      liveness
 * GET    /metrics                      Prometheus text
 * </pre>
 *
 * <p>Sharable and stateless: each request runs on a virtual thread of its own, never on the event loop.
 * Every error is a JSON object {@code {"error": "one line"}} with a 4xx or 5xx status.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger("dev.sedge.node");
    private static final String PREFIX = "/v1/functions";

    private final Deployments deployments;
    private final FunctionHost host;
    private final NodeMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final String apiToken;
    private final AtomicLong invokeSeq = new AtomicLong();

    /** @param apiToken the bearer token every request must carry, or null for none */
    public ApiHandler(
            Deployments deployments,
            FunctionHost host,
            NodeMetrics metrics,
            ObjectMapper json,
            Clock clock,
            String apiToken) {
        super(false);
        this.deployments = deployments;
        this.host = host;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
        this.apiToken = apiToken;
    }

    /** An HTTP error with its status; the message is the one line the client sees. */
    private static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final transient HttpResponseStatus status;

        HttpError(HttpResponseStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Thread.ofVirtual().name("http-request").start(() -> {
            FullHttpResponse response;
            try {
                response = route(request);
            } catch (HttpError e) {
                response = error(e.status, e.getMessage());
            } catch (RuntimeException | IOException e) {
                LOG.log(System.Logger.Level.ERROR, "HTTP " + request.method() + " " + request.uri() + " failed", e);
                response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
            } finally {
                request.release();
            }
            HttpUtil.setContentLength(response, response.content().readableBytes());
            ctx.writeAndFlush(response);
        });
    }

    private FullHttpResponse route(FullHttpRequest request) throws HttpError, IOException {
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        if (path.equals("/healthz")) {
            return jsonResponse(HttpResponseStatus.OK, json.createObjectNode().put("status", "ok"));
        }
        authorize(request);
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            return text(HttpResponseStatus.OK, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8");
        }
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            if (method.equals(HttpMethod.GET)) {
                return list();
            }
            if (method.equals(HttpMethod.POST)) {
                return deploy(request);
            }
            throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or POST on " + PREFIX);
        }
        if (path.startsWith(PREFIX + "/")) {
            String rest = path.substring(PREFIX.length() + 1);
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            String action = slash < 0 ? "" : rest.substring(slash + 1);
            if (action.isEmpty()) {
                if (method.equals(HttpMethod.GET)) {
                    return describe(name);
                }
                if (method.equals(HttpMethod.DELETE)) {
                    return delete(name);
                }
                throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or DELETE on " + path);
            }
            if (action.equals("invoke")) {
                if (!method.equals(HttpMethod.POST)) {
                    throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST on " + path);
                }
                return invoke(name, request);
            }
        }
        throw new HttpError(HttpResponseStatus.NOT_FOUND, "no such resource: " + method + " " + path);
    }

    private void authorize(FullHttpRequest request) throws HttpError {
        if (apiToken == null) {
            return;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        byte[] given =
                header.startsWith("Bearer ") ? header.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, apiToken.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token");
        }
    }

    // ---- deploy ----

    private FullHttpResponse deploy(FullHttpRequest request) throws HttpError, IOException {
        String contentType =
                request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
        String descriptor;
        byte[] artifact = null;
        String artifactName = null;
        if (contentType.startsWith("multipart/form-data")) {
            HttpPostRequestDecoder decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request);
            try {
                descriptor = null;
                for (InterfaceHttpData part : decoder.getBodyHttpDatas()) {
                    if (part.getName().equals("descriptor")) {
                        descriptor = part instanceof FileUpload f
                                ? f.getString(StandardCharsets.UTF_8)
                                : ((Attribute) part).getValue();
                    } else if (part.getName().equals("artifact") && part instanceof FileUpload f) {
                        artifact = ByteBufUtil.getBytes(f.content());
                        artifactName = f.getFilename();
                    } else {
                        throw new HttpError(
                                HttpResponseStatus.BAD_REQUEST,
                                "unknown form part \"" + part.getName() + "\" (use descriptor and artifact)");
                    }
                }
            } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
                throw new HttpError(HttpResponseStatus.BAD_REQUEST, "malformed multipart body: " + e.getMessage());
            } finally {
                decoder.destroy();
            }
            if (descriptor == null) {
                throw new HttpError(HttpResponseStatus.BAD_REQUEST, "multipart body has no \"descriptor\" part");
            }
        } else {
            descriptor = request.content().toString(StandardCharsets.UTF_8);
        }
        if (descriptor.isBlank()) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "descriptor: empty request body");
        }
        Deployments.Deployed deployed;
        try {
            deployed = deployments.deploy(descriptor, artifact, artifactName);
        } catch (DescriptorException | SandboxException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        ObjectNode view = view(deployed.stored(), deployed.descriptor(), false);
        return jsonResponse(deployed.replaced() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, view);
    }

    // ---- read and delete ----

    private FullHttpResponse list() throws HttpError {
        ArrayNode out = json.createArrayNode();
        for (StoredFunction f : deployments.list()) {
            out.add(view(f, descriptor(f), false));
        }
        return jsonResponse(HttpResponseStatus.OK, out);
    }

    private FullHttpResponse describe(String name) throws HttpError, IOException {
        StoredFunction f = deployments.get(name);
        if (f == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "function \"" + name + "\" not found");
        }
        return jsonResponse(HttpResponseStatus.OK, view(f, descriptor(f), true));
    }

    private FullHttpResponse delete(String name) throws HttpError {
        if (!deployments.delete(name)) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "function \"" + name + "\" not found");
        }
        return jsonResponse(HttpResponseStatus.OK, json.createObjectNode().put("deleted", name));
    }

    private FunctionDescriptor descriptor(StoredFunction f) throws HttpError {
        try {
            return deployments.descriptor(f);
        } catch (DescriptorException e) {
            throw new HttpError(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "stored descriptor of " + f.name() + " is unreadable: " + e.getMessage());
        }
    }

    private ObjectNode view(StoredFunction f, FunctionDescriptor d, boolean withDescriptor) throws HttpError {
        ObjectNode o = json.createObjectNode();
        o.put("name", f.name());
        o.put("runtime", d.runtime());
        if (d.handler() != null) {
            o.put("handler", d.handler());
        }
        o.put("artifact", f.artifact());
        o.put("timeout", Quantities.format(d.timeout()));
        o.put("concurrency", d.concurrency());
        o.put("deployedAt", f.deployedAt());
        ArrayNode triggers = o.putArray("triggers");
        for (FunctionDescriptor.MqttTrigger t : d.triggers()) {
            ObjectNode mqtt = triggers.addObject().putObject("mqtt");
            mqtt.put("filter", t.filter());
            mqtt.put("qos", t.qos());
            mqtt.put("ack", t.ack().text());
            if (t.group() != null) {
                mqtt.put("group", t.group());
            }
            if (t.response() != null) {
                mqtt.put("response", t.response().toString());
            }
            mqtt.put("errorTopic", t.errorTopic());
            if (t.maxRetries() >= 0) {
                mqtt.put("maxRetries", t.maxRetries());
            }
        }
        LiveFunction live = host.get(f.name());
        ObjectNode status = o.putObject("status");
        status.put("active", live != null);
        StatusView.put(status, live == null ? null : live.dispatcher().status());
        status.put("invocations", metrics.invocations(f.name()));
        status.put("errors", metrics.errors(f.name()));
        if (withDescriptor) {
            try {
                o.set("descriptor", json.readTree(f.descriptor()));
            } catch (IOException e) {
                throw new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "stored descriptor is unreadable");
            }
        }
        return o;
    }

    // ---- invoke ----

    private FullHttpResponse invoke(String name, FullHttpRequest request) throws HttpError {
        LiveFunction live = host.get(name);
        if (live == null) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "function \"" + name + "\" not found");
        }
        var h = request.headers();
        Event event = Event.builder()
                .id(h.get("ce-id", "http-" + invokeSeq.incrementAndGet()))
                .source(h.get("ce-source", "/sedge/http"))
                .type(h.get("ce-type", "dev.sedge.http.invoke"))
                .subject(h.get("ce-subject"))
                .time(clock.instant())
                .dataContentType(h.get(HttpHeaderNames.CONTENT_TYPE))
                .data(ByteBufUtil.getBytes(request.content()))
                .build();
        Outcome outcome;
        try {
            // The dispatcher ends every attempt at the function's timeout; this bound only guards against a bug.
            // Retries wait their backoff too: at most maxBackoff each.
            var retry = live.descriptor().retry();
            long bound =
                    (live.descriptor().timeout().toMillis() + retry.maxBackoff().toMillis()) * (1 + retry.maxRetries())
                            + 60_000;
            outcome = live.dispatcher().dispatch(event).get(bound, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "interrupted");
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new HttpError(HttpResponseStatus.GATEWAY_TIMEOUT, "no outcome: " + e);
        }
        FullHttpResponse response = switch (outcome) {
            case Outcome.Success s -> success(s.result());
            case Outcome.Failure f -> {
                HttpResponseStatus status = switch (f.kind()) {
                    case ERROR -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
                    case TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
                    case START_FAILED, REJECTED, EXPIRED -> HttpResponseStatus.SERVICE_UNAVAILABLE;
                };
                ObjectNode body = json.createObjectNode()
                        .put("error", f.message())
                        .put("kind", f.kind().label());
                yield jsonResponse(status, body);
            }
        };
        Outcome.Info info = outcome.info();
        response.headers()
                .set("Sedge-Invocation-Id", info.invocationId())
                .set("Sedge-Cold-Start", String.valueOf(info.coldStart()))
                .set("Sedge-Attempts", String.valueOf(info.attempts()))
                .set("Sedge-Duration-Us", String.valueOf(info.durationNanos() / 1000));
        if (!info.coldStartPhases().isEmpty()) {
            response.headers().set("Sedge-Cold-Start-Phases", phasesHeader(info.coldStartPhases()));
        }
        return response;
    }

    /** {@code fetch=12.3, compile=450.0, ...}: each phase in microseconds, in phase order. */
    private static String phasesHeader(Map<String, Duration> phases) {
        StringBuilder b = new StringBuilder();
        phases.forEach((phase, took) -> {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(phase).append('=').append(String.format(Locale.ROOT, "%.1f", took.toNanos() / 1000.0));
        });
        return b.toString();
    }

    private static FullHttpResponse success(Result result) {
        if (result.isEmpty()) {
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(result.data()));
        if (result.contentType() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, result.contentType());
        }
        return r;
    }

    // ---- responses ----

    private FullHttpResponse jsonResponse(HttpResponseStatus status, JsonNode body) {
        try {
            return text(status, json.writeValueAsString(body) + "\n", HttpHeaderValues.APPLICATION_JSON.toString());
        } catch (IOException e) {
            return text(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "{\"error\":\"cannot encode response\"}\n",
                    "application/json");
        }
    }

    private FullHttpResponse error(HttpResponseStatus status, String message) {
        String oneLine = message == null
                ? status.reasonPhrase()
                : message.lines().findFirst().orElse("");
        return jsonResponse(status, json.createObjectNode().put("error", oneLine));
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "HTTP connection failed: {0}", String.valueOf(cause));
        ctx.close();
    }
}
