package dev.sedge.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Options of every verb that talks to a running node: where it is and how to print the answer. */
final class ClientOptions {

    enum Format {
        table,
        json,
        yaml
    }

    @Option(
            names = "--node",
            paramLabel = "URL",
            description = "The node's HTTP API (default: $SEDGE_NODE or http://127.0.0.1:8080).")
    String node;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Bearer token for the node's API (default: $SEDGE_API_TOKEN).")
    String token;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format output;

    final ObjectMapper json =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    NodeClient client() throws CliException {
        String url = node != null ? node : System.getenv().getOrDefault("SEDGE_NODE", "http://127.0.0.1:8080");
        String t = token != null ? token : System.getenv("SEDGE_API_TOKEN");
        return new NodeClient(url, t, json);
    }

    /** Prints a JSON value as JSON or YAML; false when the format is table and the caller prints. */
    boolean printStructured(PrintWriter out, JsonNode value) throws CliException {
        try {
            switch (output) {
                case json -> out.println(json.writeValueAsString(value));
                case yaml ->
                    out.print(YAMLMapper.builder()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .build()
                            .writeValueAsString(value));
                case table -> {
                    return false;
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot format output: " + e.getMessage());
        }
        out.flush();
        return true;
    }
}
