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

@Command(name = "describe", description = "Show one function: its descriptor, triggers and status.")
final class DescribeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The function's name.")
    String name;

    @Override
    public Integer call() throws CliException {
        NodeClient client = opts.client();
        JsonNode f = client.ok(client.get("/v1/functions/" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
        if (!opts.printStructured(spec.commandLine().getOut(), f)) {
            FunctionViews.printDescription(spec.commandLine().getOut(), f);
        }
        return 0;
    }
}
