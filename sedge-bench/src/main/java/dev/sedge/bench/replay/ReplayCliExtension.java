package dev.sedge.bench.replay;

import dev.sedge.node.cli.CliExtension;

/** Adds {@code sedge replay} to the CLI when this module is on the class path. Stateless. */
public final class ReplayCliExtension implements CliExtension {

    @Override
    public Object command() {
        return new ReplayCommand();
    }
}
