package dev.sedge.node.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;

/** {@code sedge dlq}: the dead letters a node keeps for each function. Its verbs are subcommands. */
@Command(
        name = "dlq",
        description = "List, replay and delete the dead letters a node keeps: events a function failed on.",
        subcommands = {DlqListCommand.class, DlqReplayCommand.class, DlqDeleteCommand.class})
final class DlqCommand {

    /** The API path of a function's dead letters. */
    static String path(String function) {
        return "/v1/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/deadletters";
    }
}
