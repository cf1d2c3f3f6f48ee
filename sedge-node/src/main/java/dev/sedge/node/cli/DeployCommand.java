package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sedge.node.descriptor.DescriptorException;
import dev.sedge.node.descriptor.DescriptorParser;
import dev.sedge.node.descriptor.FunctionDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Deploys a descriptor: validates it here first (so a bad file never reaches the node), resolves
 * {@code spec.artifact} relative to the descriptor's folder and uploads it with the descriptor.
 */
@Command(name = "deploy", description = "Deploy a function from its descriptor (YAML or JSON), uploading its artifact.")
final class DeployCommand implements Callable<Integer> {

    @Mixin
    ClientOptions opts;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The function descriptor, such as function.yaml.")
    Path file;

    @Override
    public Integer call() throws CliException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CliException(
                    file + ": cannot read (" + (Files.exists(file) ? e.getMessage() : "no such file") + ")");
        }
        FunctionDescriptor d;
        try {
            d = new DescriptorParser().parse(text);
        } catch (DescriptorException e) {
            throw new CliException(file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        Path artifact = base.resolve(d.artifact()).normalize();
        if (!Files.isRegularFile(artifact)) {
            throw new CliException(
                    file + ": spec.artifact: file not found: " + d.artifact() + " (looked at " + artifact + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(artifact);
        } catch (IOException e) {
            throw new CliException(file + ": spec.artifact: cannot read " + artifact + ": " + e.getMessage());
        }
        NodeClient client = opts.client();
        spec.commandLine()
                .getErr()
                .println("Deploying " + d.name() + " (" + d.runtime() + ", " + bytes.length + " bytes) to "
                        + client.base() + " ...");
        NodeClient.Response r = client.postMultipart(
                "/v1/functions", "descriptor", text, artifact.getFileName().toString(), "artifact", bytes);
        JsonNode view = client.ok(r);
        spec.commandLine()
                .getErr()
                .println("Function '" + d.name() + "' " + (r.status() == 201 ? "deployed" : "updated") + ".");
        if (!opts.printStructured(spec.commandLine().getOut(), view)) {
            FunctionViews.printList(spec.commandLine().getOut(), List.of(view));
        }
        return 0;
    }
}
