package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        description = "Run dead letters through their function again, oldest first. A replayed letter is removed;"
                + " one that fails again comes back as a new letter.")
final class DlqReplayCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Mixin
    LetterSelection selection;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Override
    public Integer call() throws CliException {
        Long id = selection.resolve();
        String request = id == null ? "{\"all\":true}" : "{\"id\":" + id + "}";
        NodeClient client = opts.client();
        JsonNode r = client.ok(client.post(
                DlqCommand.path(name) + "/replay",
                request.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json")));
        PrintWriter out = spec.commandLine().getOut();
        if (!opts.printStructured(out, r)) {
            out.println("replayed " + r.path("replayed").asInt() + ": "
                    + r.path("succeeded").asInt() + " succeeded, "
                    + r.path("failed").asInt() + " failed");
            out.flush();
        }
        for (JsonNode result : r.path("results")) {
            if (result.path("outcome").asText().equals("failed")) {
                spec.commandLine()
                        .getErr()
                        .println("error: dead letter " + result.path("id").asLong() + " of " + name + " failed again: "
                                + result.path("error").asText());
                return SedgeCli.EXIT_FAILED;
            }
        }
        return 0;
    }
}
