package dev.sedge.node.cli;

/**
 * A verb that a module built on top of the node adds to the {@code sedge} command line, so that the
 * node does not depend on it (the benchmarks add {@code sedge bench} this way).
 *
 * <p>Implementations are listed in {@code META-INF/services/dev.sedge.node.cli.CliExtension} and found
 * with {@link java.util.ServiceLoader} on the class path the CLI runs with; a jar without them runs the
 * node's own verbs only. They need a public no-argument constructor and must be stateless.
 */
public interface CliExtension {

    /**
     * A new picocli command object for one top-level verb: an instance of a class annotated with
     * {@code @picocli.CommandLine.Command}, whose {@code name} is the verb. Called once per CLI run.
     */
    Object command();
}
