package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "invoke", description = "Invoke a function once over HTTP and print its result.")
final class InvokeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Option(
            names = "--data",
            paramLabel = "JSON|@FILE",
            description = "The event's data, or @FILE to read it from a file.")
    String data;

    @Option(
            names = "--subject",
            paramLabel = "TOPIC",
            description = "The event's subject, as an MQTT topic would set it.")
    String subject;

    @Option(
            names = "--content-type",
            paramLabel = "TYPE",
            description = "The data's content type (default: application/json when --data is given).")
    String contentType;

    @Override
    public Integer call() throws CliException {
        byte[] body = new byte[0];
        if (data != null) {
            if (data.startsWith("@")) {
                Path p = Path.of(data.substring(1));
                try {
                    body = Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new CliException(
                            "--data: cannot read " + p + (Files.exists(p) ? ": " + e.getMessage() : ": no such file"));
                }
            } else {
                body = data.getBytes(StandardCharsets.UTF_8);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String type = contentType != null ? contentType : (data != null ? "application/json" : null);
        if (type != null) {
            headers.put("Content-Type", type);
        }
        if (subject != null) {
            headers.put("ce-subject", subject);
        }
        NodeClient client = opts.client();
        NodeClient.Response r = client.post(
                "/v1/functions/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/invoke", body, headers);
        if (r.status() == 404 || r.status() == 401 || r.status() == 400) {
            throw new CliException(client.errorMessage(r));
        }
        PrintWriter out = spec.commandLine().getOut();
        String resultType = r.header("Content-Type");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        boolean failed = r.status() >= 400;
        if (opts.output != ClientOptions.Format.table) {
            ObjectNode o = opts.json.createObjectNode();
            o.put("function", name);
            o.put("invocationId", r.header("Sedge-Invocation-Id"));
            o.put("status", failed ? "failed" : "succeeded");
            o.put("httpStatus", r.status());
            o.put("coldStart", Boolean.parseBoolean(r.header("Sedge-Cold-Start")));
            o.put("attempts", r.header("Sedge-Attempts") == null ? 0 : Integer.parseInt(r.header("Sedge-Attempts")));
            String us = r.header("Sedge-Duration-Us");
            o.put("durationMs", us == null ? 0.0 : Long.parseLong(us) / 1000.0);
            String phases = r.header("Sedge-Cold-Start-Phases");
            if (phases != null) {
                ObjectNode p = o.putObject("coldStartPhasesMs");
                for (String part : phases.split(",")) {
                    String[] kv = part.trim().split("=", 2);
                    if (kv.length == 2) {
                        p.put(kv[0], new java.math.BigDecimal(kv[1]).movePointLeft(3));
                    }
                }
            }
            if (failed) {
                o.put("error", client.errorMessage(r));
            } else {
                o.put("contentType", resultType);
                o.set("result", result(text, resultType));
            }
            opts.printStructured(out, o);
        } else if (!failed) {
            out.print(text);
            if (!text.endsWith("\n") && !text.isEmpty()) {
                out.println();
            }
            out.flush();
        }
        if (failed) {
            spec.commandLine().getErr().println("error: " + name + " failed: " + client.errorMessage(r));
            return SedgeCli.EXIT_FAILED;
        }
        return 0;
    }

    private JsonNode result(String text, String type) {
        if (type != null && type.startsWith("application/json")) {
            try {
                return opts.json.readTree(text);
            } catch (IOException e) {
                // Declared JSON but is not: show it as text.
            }
        }
        return opts.json.getNodeFactory().textNode(text);
    }
}
