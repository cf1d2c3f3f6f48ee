package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "delete",
        aliases = "rm",
        description = "Delete a function: its triggers stop and its instances are retired.")
final class DeleteCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Override
    public Integer call() throws CliException {
        NodeClient client = opts.client();
        JsonNode r = client.ok(client.delete("/v1/functions/" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
        if (!opts.printStructured(spec.commandLine().getOut(), r)) {
            spec.commandLine().getOut().println("Function '" + name + "' deleted.");
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
