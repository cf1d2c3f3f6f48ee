package dev.sedge.node.cli;

import picocli.CommandLine.Option;

/**
 * Which dead letters a verb acts on: {@code --id ID} or {@code --all}, exactly one. Checked by the verb
 * rather than by picocli, so that a mistake is one {@code error:} line like every other. Not thread-safe.
 */
final class LetterSelection {

    @Option(names = "--id", paramLabel = "ID", description = "One dead letter, by its id.")
    String id;

    @Option(names = "--all", description = "Every dead letter of the function.")
    boolean all;

    /** The id, or null for all of them. */
    Long resolve() throws CliException {
        if (id != null && all) {
            throw new CliException("--id, --all: give one of them, not both");
        }
        if (id == null && !all) {
            throw new CliException("give --id ID (one dead letter) or --all");
        }
        if (all) {
            return null;
        }
        try {
            long n = Long.parseLong(id);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new CliException("--id: \"" + id + "\" is not a dead letter id (a positive integer)");
    }
}
