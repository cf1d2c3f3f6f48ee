package dev.sedge.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.node.Deployments;
import dev.sedge.node.deadletter.DeadLetterReplayer;
import dev.sedge.node.deadletter.DeadLetterStore;
import dev.sedge.node.metrics.NodeMetrics;
import dev.sedge.node.runtime.FunctionHost;
import dev.sedge.node.runtime.LiveFunction;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

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
 * GET    /v1/functions/{name}/deadletters          the dead letters
 * POST   /v1/functions/{name}/deadletters/replay   replay {"id": N} or {"all": true}
 * DELETE /v1/functions/{name}/deadletters          delete them all
 * DELETE /v1/functions/{name}/deadletters/{id}     delete one
 * GET    /healthz                      liveness
 * GET    /metrics                      Prometheus text
 * </pre>
 *
 * <p>This handler checks the bearer token, routes each request to its resource ({@link FunctionRoutes},
 * {@link InvokeRoute}, {@link DeadLetterRoutes}) and turns an {@link HttpError} into its response.
 *
 * <p>Sharable and thread-safe: each request runs on a virtual thread of its own, never on the event loop.
 * Every error is a JSON object {@code {"error": "one line"}} with a 4xx or 5xx status.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger("dev.sedge.node");
    private static final String PREFIX = "/v1/functions";

    private final NodeMetrics metrics;
    private final String apiToken;
    private final Responses responses;
    private final FunctionRoutes functions;
    private final InvokeRoute invoke;
    private final DeadLetterRoutes deadLetters;

    /**
     * @param apiToken the bearer token every request must carry, or null for none
     * @param letters the node's dead letters
     * @param replayer how a dead letter runs through its function again
     */
    public ApiHandler(
            Deployments deployments,
            FunctionHost host,
            NodeMetrics metrics,
            ObjectMapper json,
            Clock clock,
            String apiToken,
            DeadLetterStore letters,
            DeadLetterReplayer replayer) {
        super(false);
        this.metrics = metrics;
        this.apiToken = apiToken;
        this.responses = new Responses(json);
        this.functions = new FunctionRoutes(deployments, host, metrics, json, responses);
        this.invoke = new InvokeRoute(host, clock, json, responses);
        this.deadLetters = new DeadLetterRoutes(
                letters,
                replayer,
                new DeadLetterRoutes.Functions() {
                    @Override
                    public boolean deployed(String name) {
                        return deployments.get(name) != null;
                    }

                    @Override
                    public Duration replayBound(String name) {
                        LiveFunction live = host.get(name);
                        return live == null ? null : InvokeRoute.outcomeBound(live);
                    }
                },
                json,
                responses);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Thread.ofVirtual().name("http-request").start(() -> {
            FullHttpResponse response;
            try {
                response = route(request);
            } catch (HttpError e) {
                response = responses.error(e.status(), e.getMessage());
            } catch (RuntimeException | IOException e) {
                LOG.log(System.Logger.Level.ERROR, "HTTP " + request.method() + " " + request.uri() + " failed", e);
                response = responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
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
            return responses.ok(responses.objectNode().put("status", "ok"));
        }
        authorize(request);
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            return Responses.text(HttpResponseStatus.OK, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8");
        }
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            if (method.equals(HttpMethod.GET)) {
                return functions.list();
            }
            if (method.equals(HttpMethod.POST)) {
                return functions.deploy(request);
            }
            throw HttpError.methodNotAllowed("use GET or POST on " + PREFIX);
        }
        if (path.startsWith(PREFIX + "/")) {
            String rest = path.substring(PREFIX.length() + 1);
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            String action = slash < 0 ? "" : rest.substring(slash + 1);
            if (action.isEmpty()) {
                if (method.equals(HttpMethod.GET)) {
                    return functions.describe(name);
                }
                if (method.equals(HttpMethod.DELETE)) {
                    return functions.delete(name);
                }
                throw HttpError.methodNotAllowed("use GET or DELETE on " + path);
            }
            if (action.equals("invoke")) {
                if (!method.equals(HttpMethod.POST)) {
                    throw HttpError.methodNotAllowed("use POST on " + path);
                }
                return invoke.invoke(name, request);
            }
            if (action.equals("deadletters")) {
                if (method.equals(HttpMethod.GET)) {
                    return deadLetters.list(name);
                }
                if (method.equals(HttpMethod.DELETE)) {
                    return deadLetters.deleteAll(name);
                }
                throw HttpError.methodNotAllowed("use GET or DELETE on " + path);
            }
            if (action.equals("deadletters/replay")) {
                if (!method.equals(HttpMethod.POST)) {
                    throw HttpError.methodNotAllowed("use POST on " + path);
                }
                return deadLetters.replay(name, request);
            }
            if (action.startsWith("deadletters/") && action.indexOf('/', "deadletters/".length()) < 0) {
                if (!method.equals(HttpMethod.DELETE)) {
                    throw HttpError.methodNotAllowed("use DELETE on " + path);
                }
                return deadLetters.delete(name, action.substring("deadletters/".length()));
            }
        }
        throw HttpError.notFound("no such resource: " + method + " " + path);
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "HTTP connection failed: {0}", String.valueOf(cause));
        ctx.close();
    }
}
