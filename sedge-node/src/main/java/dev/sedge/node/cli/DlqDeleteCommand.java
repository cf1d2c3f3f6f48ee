package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "delete", aliases = "rm", description = "Delete dead letters without replaying them.")
final class DlqDeleteCommand implements Callable<Integer> {

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
        NodeClient client = opts.client();
        JsonNode r = client.ok(client.delete(DlqCommand.path(name) + (id == null ? "" : "/" + id)));
        PrintWriter out = spec.commandLine().getOut();
        if (!opts.printStructured(out, r)) {
            out.println("deleted " + r.path("deleted").asInt() + " dead letter(s) of " + name);
            out.flush();
        }
        return 0;
    }
}
