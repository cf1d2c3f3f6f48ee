package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", aliases = "ls", description = "List the functions deployed on a node.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        NodeClient client = opts.client();
        JsonNode list = client.ok(client.get("/v1/functions"));
        if (!opts.printStructured(spec.commandLine().getOut(), list)) {
            FunctionViews.printList(spec.commandLine().getOut(), list);
        }
        return 0;
    }
}
