package dev.sedge.broker.auth;

import java.util.Objects;

/**
 * One {@code topic ACCESS PATTERN} line of an ACL file. Immutable.
 *
 * @param access what it grants
 * @param pattern a topic filter that may hold {@code %u} (user name) and {@code %c} (client identifier)
 * @param line the line it was read from, for messages
 */
public record AclRule(Access access, String pattern, int line) {

    public AclRule {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(pattern, "pattern");
    }
}
