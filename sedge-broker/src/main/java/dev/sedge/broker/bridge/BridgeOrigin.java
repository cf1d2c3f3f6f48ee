package dev.sedge.broker.bridge;

import dev.sedge.broker.Message;

/**
 * How messages that cross the bridge are told apart, without adding a field to {@link Message}.
 *
 * <ul>
 *   <li>A message the bridge routes in from the external broker has the publisher id {@value #PUBLISHER},
 *       followed by {@code /} and the shared subscription that brought it when the bridge knows which
 *       ({@code $bridge/$share/temp-alert/sensors/+/temperature}). A non-null publisher id is also
 *       what keeps it from being forwarded back out.
 *   <li>A message the bridge forwards to the external broker carries the user property {@value
 *       #MARKER} with the bridge's client id, so that its own copy coming back is recognised and
 *       dropped (shared subscriptions cannot use No Local instead, MQTT-3.8.3-4), and {@value #SERVED}
 *       for each group it has reached on the node already.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class BridgeOrigin {

    /** The publisher id, or its prefix, of every message routed in from the external broker. */
    public static final String PUBLISHER = "$bridge";

    /** The user property naming the bridge (by client id) that forwarded a message. */
    public static final String MARKER = "sedge-bridge-origin";

    /**
     * A user property, repeated, naming each shared subscription of the forwarding node that the message
     * matched: that node is a member of those groups and had the message already, so another member that
     * receives this copy through one of them drops it, and each group still gets the message once.
     */
    public static final String SERVED = "sedge-bridge-served";

    private static final String SHARE = "$share/";

    private BridgeOrigin() {}

    /** The publisher id of a message that arrived through this shared subscription, or through one not known. */
    static String publisherId(String sharedFilter) {
        return sharedFilter == null ? PUBLISHER : PUBLISHER + "/" + sharedFilter;
    }

    /** Whether the message was routed in from the external broker. */
    public static boolean isBridged(Message m) {
        String p = m.publisherId();
        return p != null
                && p.startsWith(PUBLISHER)
                && (p.length() == PUBLISHER.length() || p.charAt(PUBLISHER.length()) == '/');
    }

    /**
     * The shared subscription a message arrived through.
     *
     * @return the shared filter; {@code ""} when the message came from the external broker through a
     *     subscription the bridge could not tell; null when it did not come from the external broker
     */
    public static String via(Message m) {
        if (!isBridged(m)) {
            return null;
        }
        String p = m.publisherId();
        return p.length() == PUBLISHER.length() ? "" : p.substring(PUBLISHER.length() + 1);
    }

    /** The shared subscription of a group on a filter: {@code $share/GROUP/FILTER} (MQTT 5.0 section 4.8.2). */
    public static String sharedFilter(String group, String filter) {
        return SHARE + group + "/" + filter;
    }

    /** The plain filter of a shared subscription, or the argument when it is not one. */
    static String plainFilter(String sharedFilter) {
        if (!sharedFilter.startsWith(SHARE)) {
            return sharedFilter;
        }
        int slash = sharedFilter.indexOf('/', SHARE.length());
        return slash < 0 ? sharedFilter : sharedFilter.substring(slash + 1);
    }

    /**
     * Checks a share name.
     *
     * @return null when valid, else a short reason
     */
    public static String groupError(String group) {
        if (group == null || group.isEmpty()) {
            return "must not be empty";
        }
        if (group.contains("/") || group.contains("+") || group.contains("#")) {
            return "must not contain '/', '+' or '#'"; // MQTT-4.8.2-2
        }
        if (group.indexOf('\u0000') >= 0) {
            return "must not contain U+0000";
        }
        return null;
    }
}
