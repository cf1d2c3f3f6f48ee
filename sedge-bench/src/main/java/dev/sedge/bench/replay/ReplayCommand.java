package dev.sedge.bench.replay;

import dev.sedge.bench.BenchOptions;
import dev.sedge.bench.report.Report;
import dev.sedge.bench.report.ReportWriter;
import dev.sedge.bench.targets.NodeApi;
import dev.sedge.node.cli.CliException;
import dev.sedge.scaling.sim.Trace;
import dev.sedge.scaling.sim.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sedge replay}: see {@link TraceReplay}. One instance per CLI run, used by its one thread. */
@Command(
        name = "replay",
        description = {
            "Publish a trace to a running node over MQTT at the trace's timing, compressed by --speedup: one"
                    + " echo function and one topic (sensors/<key>/events) per key, each event at QoS 1, each"
                    + " reply timed. Serverless leaves scaling to the node's defaults; serverful keeps every"
                    + " function at scale.min 1. Reports the node's memory-seconds, CPU-seconds and cold starts"
                    + " over the replay, read from its /metrics before and after, and the reply latency.",
            "The functions are removed at the end. Progress goes to stderr, the report to stdout."
        })
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "FILE", required = true, description = "The arrivals CSV.")
    Path trace;

    @Option(
            names = "--speedup",
            paramLabel = "N",
            required = true,
            description = "Trace time divided by N is replay time: 300 replays 22 h in 4.4 min.")
    double speedup;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            required = true,
            description = "serverless, serverful, or both (serverless, then serverful, on the same node).")
    ReplayMode mode;

    @Option(
            names = "--key",
            paramLabel = "COLUMN",
            defaultValue = TraceReader.KEY_DEFAULT,
            description = "The column naming each event's function: device_id, event or extra"
                    + " (default: ${DEFAULT-VALUE}).")
    String key;

    @Option(
            names = "--mqtt",
            paramLabel = "HOST:PORT",
            defaultValue = ReplaySettings.MQTT_DEFAULT,
            description = "The node's MQTT listener (default: ${DEFAULT-VALUE}).")
    String mqtt;

    @Option(
            names = "--api",
            paramLabel = "URL",
            defaultValue = ReplaySettings.API_DEFAULT,
            description = "The node's HTTP API (default: ${DEFAULT-VALUE}).")
    String api;

    @Option(
            names = "--api-token",
            paramLabel = "T",
            description = "Bearer token for the node's API (default: $SEDGE_API_TOKEN).")
    String apiToken;

    @Option(
            names = "--runtime",
            paramLabel = "RUNTIME",
            defaultValue = ReplaySettings.RUNTIME_DEFAULT,
            description = "The echo function's runtime: wasm or jvm (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(
            names = "--memory-mib",
            paramLabel = "N",
            defaultValue = "" + ReplaySettings.MEMORY_MIB_DEFAULT,
            description = "Memory per instance, declared in each descriptor and multiplied by the"
                    + " instance-seconds (default: ${DEFAULT-VALUE}).")
    int memoryMib;

    @Option(
            names = "--limit-events",
            paramLabel = "N",
            description = "Replay only the trace's first N events (default: all).")
    Integer limitEvents;

    @Option(
            names = "--warmup-events",
            paramLabel = "N",
            defaultValue = "" + ReplaySettings.WARMUP_EVENTS_DEFAULT,
            description = "Events sent at " + TraceReplay.WARMUP_PER_SECOND + "/s to a function of their own"
                    + " before the first mode, so that it does not pay for the node's warm-up (default:"
                    + " ${DEFAULT-VALUE}; 0 for none).")
    int warmupEvents;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BenchOptions.Format output;

    @Override
    public Integer call() throws CliException, InterruptedException {
        ReplaySettings settings = settings();
        Trace t = readTrace(settings);
        Schedule schedule = Schedule.of(t, settings.speedup(), settings.limitEvents());
        if (schedule.events() == 0) {
            throw new CliException("--trace " + trace + ": no events to replay");
        }
        List<String> keys = t.functions().subList(0, schedule.functions());
        long spanMillis = t.times()[schedule.events() - 1] - t.times()[0];
        PrintWriter progress = spec.commandLine().getErr();
        List<TraceReplay.Outcome> outcomes = new ArrayList<>();
        try (NodeApi node = NodeApi.at(settings.api(), settings.apiToken())) {
            checkReachable(node);
            TraceReplay replay = new TraceReplay(
                    settings, keys, schedule, EchoArtifact.forRuntime(settings.runtime()), node, progress);
            replay.warmUp(settings.warmupEvents());
            for (ReplayMode m : settings.mode().runs()) {
                outcomes.add(replay.run(m));
            }
        } catch (IOException e) {
            throw new CliException(e.getMessage().startsWith("--") ? e.getMessage() : "replay: " + e.getMessage());
        }
        Report report = ReplayReport.of(
                settings, trace.getFileName().toString(), keys.size(), schedule.events(), spanMillis, outcomes);
        PrintWriter out = spec.commandLine().getOut();
        out.print(
                output == BenchOptions.Format.json ? ReportWriter.json(report) + "\n" : ReportWriter.markdown(report));
        out.flush();
        return 0;
    }

    private ReplaySettings settings() throws CliException {
        if (limitEvents != null && limitEvents < 1) {
            throw new CliException("--limit-events: " + limitEvents + " must be at least 1 (leave it out for all)");
        }
        try {
            ReplaySettings.HostPort broker = ReplaySettings.mqtt(mqtt);
            URI base = ReplaySettings.api(api);
            String token = apiToken != null ? apiToken : System.getenv("SEDGE_API_TOKEN");
            return new ReplaySettings(
                    trace,
                    speedup,
                    mode,
                    key,
                    broker.host(),
                    broker.port(),
                    base,
                    token,
                    runtime,
                    memoryMib,
                    limitEvents == null ? 0 : limitEvents,
                    warmupEvents);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The trace, or one line naming the option and, for a bad line, its number. */
    private Trace readTrace(ReplaySettings settings) throws CliException {
        if (!Files.isRegularFile(trace)) {
            throw new CliException("--trace " + trace + ": no such file");
        }
        try (Reader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return TraceReader.read(trace.toString(), in, settings.key());
        } catch (IllegalArgumentException e) {
            // TraceReader names --key itself; a bad line comes as "<file>: line N: ...".
            throw new CliException(e.getMessage().startsWith("--") ? e.getMessage() : "--trace " + e.getMessage());
        } catch (IOException e) {
            throw new CliException("--trace " + trace + ": cannot read it: " + e.getMessage());
        }
    }

    /** Fails with one line naming {@code --api} or {@code --api-token} unless the node answers. */
    private static void checkReachable(NodeApi node) throws CliException, InterruptedException {
        try {
            node.metrics();
        } catch (ConnectException e) {
            throw new CliException("--api: cannot reach the node at " + node.base() + ": connection refused"
                    + " (is `sedge up` running there?)");
        } catch (HttpTimeoutException e) {
            throw new CliException("--api: the node at " + node.base() + " did not answer in time");
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("HTTP 401")) {
                throw new CliException("--api-token: the node at " + node.base() + " refused the token (HTTP 401)");
            }
            throw new CliException("--api: the node at " + node.base() + " did not answer /metrics: " + m);
        }
    }
}
