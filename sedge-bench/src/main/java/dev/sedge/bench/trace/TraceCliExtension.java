package dev.sedge.bench.trace;

import dev.sedge.node.cli.CliExtension;

/** Adds {@code sedge trace} to the CLI when this module is on the class path. Stateless. */
public final class TraceCliExtension implements CliExtension {

    @Override
    public Object command() {
        return new TraceCommand();
    }
}
