package dev.sedge.scaling.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a trace in the arrivals CSV shape: a header {@code epoch_ms,device_id,event,extra}, then one
 * event per line in time order. The key column says which function an event belongs to: {@code
 * device_id} (one function per device), {@code event} or {@code extra}. Stateless.
 */
public final class TraceReader {

    /** The columns, in order; the last one may hold commas. */
    public static final List<String> COLUMNS = List.of("epoch_ms", "device_id", "event", "extra");

    public static final String KEY_DEFAULT = "device_id";

    private TraceReader() {}

    /**
     * @param name the trace's name in reports
     * @param key the column naming each event's function
     * @throws TraceException for a bad line, naming its number and what is wrong; nothing is read then
     */
    public static Trace read(String name, Reader in, String key) throws IOException {
        int keyColumn = COLUMNS.indexOf(key);
        if (keyColumn < 1) {
            throw new TraceException("--key " + key + ": not a key column (use device_id, event or extra)");
        }
        BufferedReader lines = new BufferedReader(in);
        String header = lines.readLine();
        if (header == null || !header.strip().startsWith("epoch_ms,")) {
            throw new TraceException(name + ": line 1: expected the header " + String.join(",", COLUMNS));
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> functions = new ArrayList<>();
        int[] function = new int[1024];
        long[] times = new long[1024];
        int n = 0;
        int lineNumber = 1;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", COLUMNS.size());
            if (fields.length <= keyColumn) {
                throw new TraceException(name + ": line " + lineNumber + ": has no " + key + " column");
            }
            long at;
            try {
                at = Long.parseLong(fields[0].strip());
            } catch (NumberFormatException e) {
                throw new TraceException(
                        name + ": line " + lineNumber + ": epoch_ms \"" + fields[0] + "\" is not a number");
            }
            if (n > 0 && at < times[n - 1]) {
                throw new TraceException(
                        name + ": line " + lineNumber + ": epoch_ms " + at + " is before the line above");
            }
            String k = fields[keyColumn].strip();
            if (k.isEmpty()) {
                throw new TraceException(name + ": line " + lineNumber + ": " + key + " is empty");
            }
            Integer f = index.get(k);
            if (f == null) {
                f = functions.size();
                index.put(k, f);
                functions.add(k);
            }
            if (n == times.length) {
                times = java.util.Arrays.copyOf(times, n * 2);
                function = java.util.Arrays.copyOf(function, n * 2);
            }
            times[n] = at;
            function[n] = f;
            n++;
        }
        return new Trace(name, functions, java.util.Arrays.copyOf(function, n), java.util.Arrays.copyOf(times, n));
    }
}
