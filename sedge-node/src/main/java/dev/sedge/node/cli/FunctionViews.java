package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Table renderings of the API's function views. Stateless. */
final class FunctionViews {

    private FunctionViews() {}

    static void printList(PrintWriter out, Iterable<JsonNode> functions) {
        Table t = new Table("NAME", "RUNTIME", "TRIGGERS", "INSTANCES", "QUEUE", "INVOCATIONS", "ERRORS");
        for (JsonNode f : functions) {
            JsonNode s = f.path("status");
            t.row(
                    f.path("name").asText(),
                    f.path("runtime").asText(),
                    triggers(f),
                    instances(s.path("instances")),
                    s.path("queue").asInt(),
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
        JsonNode i = s.path("instances");
        out.println("Status:       " + (s.path("active").asBoolean() ? "active" : "inactive") + ", "
                + s.path("running").asInt() + " running, "
                + s.path("queue").asInt() + " waiting" + (s.path("panic").asBoolean() ? ", panicking" : ""));
        out.println("Instances:    " + i.path("ready").asInt() + " ready, "
                + i.path("starting").asInt() + " starting, " + i.path("desired").asInt() + " desired");
        if (s.has("decision")) {
            JsonNode d = s.path("decision");
            out.println("Scaling:      " + d.path("reason").asText() + " ("
                    + d.path("at").asText() + ")");
            out.println("Keep-alive:   " + d.path("policy").asText()
                    + (d.has("keptUntil")
                            ? ", kept until " + d.path("keptUntil").asText()
                            : "")
                    + (d.has("nextPrewarm")
                            ? ", next pre-warm at " + d.path("nextPrewarm").asText()
                            : ""));
        }
        out.println("Invocations:  " + s.path("invocations").asLong() + " ("
                + s.path("errors").asLong() + " failed)");
        out.flush();
    }

    /** Ready of desired, as kubectl shows a deployment's replicas: {@code 2/3}, with those starting. */
    private static String instances(JsonNode i) {
        String text = i.path("ready").asInt() + "/" + i.path("desired").asInt();
        int starting = i.path("starting").asInt();
        return starting > 0 ? text + " (+" + starting + " starting)" : text;
    }

    private static String triggers(JsonNode f) {
        List<String> filters = new ArrayList<>();
        for (JsonNode t : f.path("triggers")) {
            filters.add("mqtt:" + t.path("mqtt").path("filter").asText());
        }
        return filters.isEmpty() ? "-" : String.join(",", filters);
    }
}
