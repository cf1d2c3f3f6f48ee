package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Table renderings of the API's function views. Stateless. */
final class FunctionViews {

    private FunctionViews() {}

    static void printList(PrintWriter out, Iterable<JsonNode> functions) {
        Table t = new Table("NAME", "RUNTIME", "TRIGGERS", "WARM", "INVOCATIONS", "ERRORS");
        for (JsonNode f : functions) {
            JsonNode s = f.path("status");
            t.row(
                    f.path("name").asText(),
                    f.path("runtime").asText(),
                    triggers(f),
                    s.path("warm").asBoolean(),
                    s.path("invocations").asLong(),
                    s.path("errors").asLong());
        }
        t.print(out);
    }

    static void printDescription(PrintWriter out, JsonNode f) {
        JsonNode s = f.path("status");
        out.println("Name:         " + f.path("name").asText());
        out.println("Runtime:      " + f.path("runtime").asText());
        if (f.hasNonNull("handler")) {
            out.println("Handler:      " + f.path("handler").asText());
        }
        out.println("Artifact:     " + f.path("artifact").asText());
        out.println("Timeout:      " + f.path("timeout").asText());
        out.println("Concurrency:  " + f.path("concurrency").asInt());
        out.println("Deployed at:  " + f.path("deployedAt").asText());
        out.println("Triggers:");
        for (JsonNode t : f.path("triggers")) {
            JsonNode m = t.path("mqtt");
            out.println("  mqtt " + m.path("filter").asText() + "  qos "
                    + m.path("qos").asInt() + "  ack "
                    + m.path("ack").asText()
                    + (m.hasNonNull("response")
                            ? "  reply to " + m.path("response").asText()
                            : "")
                    + "  errors to " + m.path("errorTopic").asText());
        }
        out.println("Status:       " + (s.path("active").asBoolean() ? "active" : "inactive") + ", "
                + (s.path("warm").asBoolean() ? "warm" : "cold") + ", "
                + s.path("running").asInt() + " running, "
                + s.path("queued").asInt() + " queued");
        out.println("Invocations:  " + s.path("invocations").asLong() + " ("
                + s.path("errors").asLong() + " failed)");
        out.flush();
    }

    private static String triggers(JsonNode f) {
        List<String> filters = new ArrayList<>();
        for (JsonNode t : f.path("triggers")) {
            filters.add("mqtt:" + t.path("mqtt").path("filter").asText());
        }
        return filters.isEmpty() ? "-" : String.join(",", filters);
    }
}
