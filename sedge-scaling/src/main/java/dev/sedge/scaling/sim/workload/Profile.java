package dev.sedge.scaling.sim.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What kind of devices a synthetic trace holds. Immutable.
 *
 * <ul>
 *   <li>{@link #PERIODIC}: sensors and network flows that report on a period (fitted to the IoT-23 Philips
 *       Hue capture);
 *   <li>{@link #BURSTY}: motion and door sensors in rooms that fire together while someone is there, with
 *       silences of hours to days between (fitted to the CASAS MavLab trace);
 *   <li>{@link #MIXED}: half of each, periodic first (the default).
 * </ul>
 */
public enum Profile {
    PERIODIC,
    BURSTY,
    MIXED;

    public static final Profile DEFAULT = MIXED;

    /** The name on the command line: {@code periodic}, {@code bursty} or {@code mixed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The profile of that name.
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static Profile of(String name) {
        for (Profile p : values()) {
            if (p.label().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile \"" + name + "\" (use "
                + Arrays.stream(values()).map(Profile::label).collect(Collectors.joining(", ")) + ")");
    }

    /** How many of {@code devices} report periodically; the rest are bursty. */
    int periodicOf(int devices) {
        return switch (this) {
            case PERIODIC -> devices;
            case BURSTY -> 0;
            case MIXED -> devices - devices / 2;
        };
    }
}
