package dev.sedge.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sedge dlq}: the choice of letters is checked before the node is asked, and a replay's summary
 * and exit status follow the node's answer (a stand-in node on loopback answers here).
 */
@Timeout(30)
class DlqCommandTest {

    /** A port nothing listens on: a command that got past its checks would fail differently. */
    private static final String NOWHERE = "http://127.0.0.1:1";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SedgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** A node that answers every request with this JSON, and records what it was asked. */
    private String nodeAnswering(String json) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(body, StandardCharsets.UTF_8));
            byte[] answer = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void replayAndDeleteTakeExactlyOneOfIdAndAll() {
        for (String verb : List.of("replay", "delete")) {
            Run both = run("dlq", verb, "alerts", "--id", "3", "--all", "--node", NOWHERE);
            Run neither = run("dlq", verb, "alerts", "--node", NOWHERE);

            assertThat(both.exit()).as(verb).isEqualTo(1);
            assertThat(both.err()).as(verb).isEqualTo("error: --id, --all: give one of them, not both\n");
            assertThat(both.out()).isEmpty();
            assertThat(neither.exit()).as(verb).isEqualTo(1);
            assertThat(neither.err()).as(verb).isEqualTo("error: give --id ID (one dead letter) or --all\n");
        }
    }

    @Test
    void anIdMustBeAPositiveInteger() {
        assertThat(run("dlq", "replay", "alerts", "--id", "x", "--node", NOWHERE)
                        .err())
                .isEqualTo("error: --id: \"x\" is not a dead letter id (a positive integer)\n");
        assertThat(run("dlq", "delete", "alerts", "--id", "0", "--node", NOWHERE)
                        .err())
                .isEqualTo("error: --id: \"0\" is not a dead letter id (a positive integer)\n");
    }

    @Test
    void aReplayWithAFailurePrintsTheSummaryAndTheFirstErrorAndExitsOne() throws Exception {
        String node = nodeAnswering("{\"replayed\":3,\"succeeded\":1,\"failed\":2,\"results\":["
                + "{\"id\":4,\"outcome\":\"succeeded\"},"
                + "{\"id\":5,\"outcome\":\"failed\",\"error\":\"still broken\"},"
                + "{\"id\":6,\"outcome\":\"failed\",\"error\":\"also broken\"}]}");

        Run r = run("dlq", "replay", "alerts", "--all", "--node", node);

        assertThat(r.out()).isEqualTo("replayed 3: 1 succeeded, 2 failed\n");
        assertThat(r.err()).isEqualTo("error: dead letter 5 of alerts failed again: still broken\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(requests).containsExactly("POST /v1/functions/alerts/deadletters/replay {\"all\":true}");
    }

    @Test
    void aReplayThatSucceedsExitsZero() throws Exception {
        String node = nodeAnswering("{\"replayed\":1,\"succeeded\":1,\"failed\":0,"
                + "\"results\":[{\"id\":7,\"outcome\":\"succeeded\"}]}");

        Run r = run("dlq", "replay", "alerts", "--id", "7", "--node", node);

        assertThat(r.out()).isEqualTo("replayed 1: 1 succeeded, 0 failed\n");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(requests).containsExactly("POST /v1/functions/alerts/deadletters/replay {\"id\":7}");
    }
}
