package dev.sedge.bench;

import dev.sedge.node.cli.CliExtension;

/** Adds {@code sedge bench} to the CLI when this module is on the class path. Stateless. */
public final class BenchCliExtension implements CliExtension {

    @Override
    public Object command() {
        return new BenchCommand();
    }
}
