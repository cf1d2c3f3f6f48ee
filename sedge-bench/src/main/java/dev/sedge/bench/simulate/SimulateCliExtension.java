package dev.sedge.bench.simulate;

import dev.sedge.node.cli.CliExtension;

/** Adds {@code sedge simulate} to the CLI when this module is on the class path. Stateless. */
public final class SimulateCliExtension implements CliExtension {

    @Override
    public Object command() {
        return new SimulateCommand();
    }
}
