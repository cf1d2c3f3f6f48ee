package dev.sedge.bench.targets;

import dev.sedge.bench.proc.ChildProcess;
import dev.sedge.bench.proc.CompletionCounter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A started target made of several processes, one per hop, the first a broker on loopback that the load
 * goes to: the CPU of all of them is its cost, and a counter the last hop writes says what completed
 * (a PUBACK from the broker does not). Closed from the last hop back, so that no hop sees the one
 * before it go away while it still works.
 *
 * @param what the path's name in the error when one of its processes has exited
 * @param hops the processes by role, in path order, the broker first
 */
public record ProcessPath(String what, Map<String, ChildProcess> hops, int mqttPort, CompletionCounter counter)
        implements Target.Running {

    public ProcessPath {
        hops = new LinkedHashMap<>(hops);
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public long pid() {
        return hops.values().iterator().next().pid();
    }

    @Override
    public Map<String, Long> processes() {
        Map<String, Long> p = new LinkedHashMap<>();
        hops.forEach((role, process) -> p.put(role, process.pid()));
        return p;
    }

    @Override
    public LongSupplier completionGate() {
        return counter::get;
    }

    @Override
    public long completed() throws IOException {
        for (ChildProcess p : hops.values()) {
            if (!p.isAlive()) {
                throw new IOException("a process of " + what + " has exited; last output:\n" + p.tailText());
            }
        }
        return counter.get();
    }

    @Override
    public void close() {
        List<ChildProcess> reversed = new ArrayList<>(hops.values());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            reversed.get(i).close();
        }
    }
}
