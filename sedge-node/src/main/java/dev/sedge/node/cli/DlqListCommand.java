package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", aliases = "ls", description = "List a function's dead letters, oldest first.")
final class DlqListCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Override
    public Integer call() throws CliException {
        NodeClient client = opts.client();
        JsonNode letters = client.ok(client.get(DlqCommand.path(name)));
        PrintWriter out = spec.commandLine().getOut();
        if (opts.printStructured(out, letters)) {
            return 0;
        }
        Table t = new Table("ID", "AT", "TOPIC", "KIND", "ATTEMPTS", "ERROR");
        for (JsonNode l : letters.path("items")) {
            t.row(
                    l.path("id").asLong(),
                    l.path("at").asText(),
                    l.path("topic").asText(),
                    l.path("kind").asText(),
                    l.path("attempts").asInt(),
                    l.path("error").asText());
        }
        t.print(out);
        long dropped = letters.path("dropped").asLong();
        if (dropped > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(dropped + " older dead letter(s) of " + name + " were dropped to keep within the node's limit");
            err.flush();
        }
        return 0;
    }
}
