package dev.sedge.scaling.sim.workload;

import dev.sedge.scaling.sim.TraceReader;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Writes a synthetic IoT arrival trace in the arrivals CSV shape ({@link TraceReader}): a header, then
 * {@code epoch_ms,device_id,event,extra} in time order. Deterministic: the same {@link TraceSpec} gives
 * the same bytes on every platform. Stateless; each call generates one trace, streaming (memory grows
 * with the devices, not the events).
 *
 * <h2>The devices</h2>
 *
 * <ul>
 *   <li>Periodic ({@code extra} is the flow kind), in groups of eight ({@code Fleet}): four sensors
 *       ({@code telemetry}; {@code temperature}, {@code humidity}, ...) reporting every 30 s, 1, 2, 5 or
 *       10 min, on a grid or free-running ({@code PeriodicFlow}); and the four flows of a hub, each a
 *       device ({@code Hub}): {@code heartbeat} ({@code https}), {@code cloud-check} ({@code http}),
 *       {@code dns}, {@code timesync} ({@code ntp}).
 *   <li>Bursty ({@code extra} is {@code floorF-roomR}): a door sensor ({@code open}/{@code closed}) and
 *       motion sensors ({@code on}/{@code off}) per room ({@code Floor}). Occupancy episodes start at a
 *       rate that follows the hour of day, a factor per day and quiet days ({@code Activity}); in each,
 *       someone passes through the floor a few times, and each room they enter sets off some of its
 *       sensors in bursts of events seconds apart.
 *   <li>Mixed: half periodic (rounded up), then half bursty.
 * </ul>
 *
 * <h2>Fitted to the real traces</h2>
 *
 * The parameters were measured on the IoT-23 Philips Hue capture (452 events in 22 h) and the CASAS
 * MavLab trace (4,207 events of 59 sensors in 56 days) where they could be counted, tuned until the
 * generated trace, measured the same way, matched where they could not, and chosen where neither trace
 * says; each constant's Javadoc says which. Some of the results (real; generated, 59 bursty devices over
 * 56 days at CASAS's one-minute resolution, seeds 1 to 5):
 *
 * <table>
 *   <caption>Real against generated</caption>
 *   <tr><th>measure</th><th>real</th><th>generated</th></tr>
 *   <tr><td>heartbeat; cloud check; time sync gap, median</td><td>900; 3,600; 4,251 s</td>
 *       <td>900.1; 3,600.4; 4,240 s</td></tr>
 *   <tr><td>DNS lookups a day; share of gaps under 20 s</td><td>210; 0.54</td><td>192; 0.50</td></tr>
 *   <tr><td>a sensor's median gap (distinct minutes), median over sensors</td><td>22.0 h</td>
 *       <td>24 to 35 h</td></tr>
 *   <tr><td>sensor events a day</td><td>1.28</td><td>0.98 to 1.38</td></tr>
 *   <tr><td>share of a sensor's gaps of 5 min or less</td><td>0.79</td><td>0.78 to 0.79</td></tr>
 *   <tr><td>sensors firing in one room visit, mean</td><td>1.50</td><td>1.46 to 1.54</td></tr>
 *   <tr><td>a sensor fires within 5 min of another's event: same room against other room</td>
 *       <td>4.4x</td><td>3.0 to 3.5x</td></tr>
 * </table>
 *
 * The full table, how it was measured, and where the two differ are in {@code docs/benchmarks.md},
 * "Synthetic traces".
 */
public final class SyntheticTrace {

    private SyntheticTrace() {}

    /**
     * Writes the trace.
     *
     * @return the number of events written
     * @throws IOException from {@code out}; what was written before stays
     */
    public static long write(TraceSpec spec, Appendable out) throws IOException {
        List<EventSource> sources = Fleet.sources(spec);
        // (next time, source index): ties go to the source laid out first, so the order is fixed.
        PriorityQueue<long[]> queue =
                new PriorityQueue<>(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        for (int i = 0; i < sources.size(); i++) {
            long t = sources.get(i).nextTime();
            if (t != Long.MAX_VALUE) {
                queue.add(new long[] {t, i});
            }
        }
        out.append(String.join(",", TraceReader.COLUMNS)).append('\n');
        long written = 0;
        while (!queue.isEmpty()) {
            long[] head = queue.poll();
            EventSource source = sources.get((int) head[1]);
            out.append(source.take().line()).append('\n');
            written++;
            long t = source.nextTime();
            if (t != Long.MAX_VALUE) {
                head[0] = t;
                queue.add(head);
            }
        }
        return written;
    }
}
