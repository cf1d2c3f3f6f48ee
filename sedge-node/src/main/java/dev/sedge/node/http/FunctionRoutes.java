package dev.sedge.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The functions resource: deploy, list, describe and delete, and the function view they answer with.
 * Thread-safe and stateless; called on a request's virtual thread.
 */
final class FunctionRoutes {

    private final Deployments deployments;
    private final FunctionHost host;
    private final NodeMetrics metrics;
    private final ObjectMapper json;
    private final Responses responses;

    FunctionRoutes(
            Deployments deployments, FunctionHost host, NodeMetrics metrics, ObjectMapper json, Responses responses) {
        this.deployments = deployments;
        this.host = host;
        this.metrics = metrics;
        this.json = json;
        this.responses = responses;
    }

    /** {@code POST /v1/functions}: 201 created, 200 replaced. */
    FullHttpResponse deploy(FullHttpRequest request) throws HttpError, IOException {
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
                        throw HttpError.badRequest(
                                "unknown form part \"" + part.getName() + "\" (use descriptor and artifact)");
                    }
                }
            } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
                throw HttpError.badRequest("malformed multipart body: " + e.getMessage());
            } finally {
                decoder.destroy();
            }
            if (descriptor == null) {
                throw HttpError.badRequest("multipart body has no \"descriptor\" part");
            }
        } else {
            descriptor = request.content().toString(StandardCharsets.UTF_8);
        }
        if (descriptor.isBlank()) {
            throw HttpError.badRequest("descriptor: empty request body");
        }
        Deployments.Deployed deployed;
        try {
            deployed = deployments.deploy(descriptor, artifact, artifactName);
        } catch (DescriptorException | SandboxException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        ObjectNode view = view(deployed.stored(), deployed.descriptor(), false);
        return responses.json(deployed.replaced() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, view);
    }

    /** {@code GET /v1/functions}. */
    FullHttpResponse list() throws HttpError {
        ArrayNode out = json.createArrayNode();
        for (StoredFunction f : deployments.list()) {
            out.add(view(f, descriptor(f), false));
        }
        return responses.ok(out);
    }

    /** {@code GET /v1/functions/{name}}: the view with the descriptor. */
    FullHttpResponse describe(String name) throws HttpError {
        StoredFunction f = deployments.get(name);
        if (f == null) {
            throw HttpError.notFound("function \"" + name + "\" not found");
        }
        return responses.ok(view(f, descriptor(f), true));
    }

    /** {@code DELETE /v1/functions/{name}}. */
    FullHttpResponse delete(String name) throws HttpError {
        if (!deployments.delete(name)) {
            throw HttpError.notFound("function \"" + name + "\" not found");
        }
        return responses.ok(json.createObjectNode().put("deleted", name));
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

    /** The function view of deploy, list and describe. */
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
        putStatus(o.putObject("status"), f.name());
        if (withDescriptor) {
            try {
                o.set("descriptor", json.readTree(f.descriptor()));
            } catch (IOException e) {
                throw new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "stored descriptor is unreadable");
            }
        }
        return o;
    }

    /** The view's {@code status}: what the node is doing with the function now. */
    private void putStatus(ObjectNode status, String name) {
        LiveFunction live = host.get(name);
        status.put("active", live != null);
        StatusView.put(status, live == null ? null : live.dispatcher().status());
        status.put("invocations", metrics.invocations(name));
        status.put("errors", metrics.errors(name));
    }
}
