package dev.sedge.scaling.sim.workload;

/** One line of a trace: when, which device, what it said, and its room or flow kind. Immutable. */
record Event(long time, String device, String name, String extra) {

    /** The CSV line, without its line break. */
    String line() {
        return time + "," + device + "," + name + "," + extra;
    }
}
