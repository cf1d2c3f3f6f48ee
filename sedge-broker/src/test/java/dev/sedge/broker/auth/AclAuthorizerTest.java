package dev.sedge.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclAuthorizerTest {

    private static final AclAuthorizer ACL;

    static {
        try {
            ACL = AclFile.parse(
                    Path.of("acl"),
                    List.of(
                            "everyone",
                            "topic read public/#",
                            "topic readwrite devices/%c/#",
                            "topic read users/%u/inbox/#",
                            "topic read $SYS/broker/uptime",
                            "anonymous",
                            "topic read status/+",
                            "user alice",
                            "topic readwrite sensors/%u/#",
                            "topic read alerts/+/high",
                            "topic write cmd/+/set",
                            "client gateway-1",
                            "topic write sensors/#"));
        } catch (SecurityFileException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} user={1} client={2} {3} -> {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                // operation, user, client id, topic or filter, allowed
                "pub, alice, c1,        sensors/alice/temp,       true",
                "pub, alice, c1,        sensors/alice,            true", // '#' also matches the parent level
                "pub, alice, c1,        sensors/bob/temp,         false",
                "pub, bob,   c1,        sensors/bob/temp,         false", // the %u rule is alice's only
                "pub, alice, c1,        cmd/lamp/set,             true",
                "pub, alice, c1,        cmd/lamp/x/set,           false",
                "pub, alice, c1,        alerts/eu/high,           false", // read only
                "pub, null,  gateway-1, sensors/x/y,              true", // by client id
                "pub, null,  gateway-2, sensors/x/y,              false",
                "pub, null,  dev-7,     devices/dev-7/status,     true", // %c for everyone
                "pub, null,  dev-7,     devices/dev-8/status,     false",
                "pub, null,  a/b,       devices/a/b/status,       false", // a '/' in the id would widen the pattern
                "pub, bob,   c1,        public/news,              false", // read only
                "pub, bob,   c1,        $SYS/broker/uptime,       false",
                "sub, alice, c1,        sensors/alice/#,          true",
                "sub, alice, c1,        sensors/alice/+/raw,      true",
                "sub, alice, c1,        sensors/+/temp,           false", // could match another user's topic
                "sub, alice, c1,        sensors/#,                false",
                "sub, alice, c1,        alerts/+/high,            true",
                "sub, alice, c1,        alerts/eu/high,           true",
                "sub, alice, c1,        alerts/+/+,               false",
                "sub, alice, c1,        alerts/#,                 false",
                "sub, alice, c1,        cmd/lamp/set,             false", // write only
                "sub, bob,   c1,        public/#,                 true",
                "sub, bob,   c1,        public/a/+,               true",
                "sub, bob,   c1,        public,                   true",
                "sub, bob,   c1,        #,                        false",
                "sub, bob,   c1,        +/#,                      false",
                "sub, bob,   c1,        users/bob/inbox/#,        true", // %u for everyone
                "sub, bob,   c1,        users/alice/inbox/#,      false",
                "sub, +,     c1,        users/+/inbox/#,          false", // a user named '+' gets no wildcard
                "sub, null,  c1,        users/+/inbox/#,          false", // %u never applies to anonymous
                "sub, null,  c1,        status/+,                 true", // anonymous section
                "sub, null,  c1,        status/#,                 false", // would include status/a/b
                "sub, alice, c1,        status/+,                 false", // anonymous rules are not for users
                "sub, bob,   c1,        $SYS/broker/uptime,       true",
                "sub, bob,   c1,        $SYS/#,                   false",
                "sub, bob,   c1,        $share/g/public/#,        true", // judged by the filter after the group
                "sub, bob,   c1,        $share/g/sensors/+/temp,  false",
                "sub, null,  dev-7,     devices/dev-7/#,          true",
                "sub, null,  dev-7,     devices/+/#,              false",
            })
    void decides(String operation, String user, String clientId, String topic, boolean allowed) {
        boolean decision = operation.equals("pub")
                ? ACL.canPublish(user, clientId, topic)
                : ACL.canSubscribe(user, clientId, topic);
        assertThat(decision).isEqualTo(allowed);
    }

    @Test
    void anEmptyAclFileDeniesEverything() throws Exception {
        AclAuthorizer none = AclFile.parse(Path.of("acl"), List.of("# nothing yet"));
        assertThat(none.canPublish("alice", "c", "a")).isFalse();
        assertThat(none.canSubscribe("alice", "c", "#")).isFalse();
    }

    @Test
    void withoutAnAclFileEverythingIsAllowed() {
        assertThat(Authorizer.ALLOW_ALL.canPublish(null, "c", "$SYS/x")).isTrue();
        assertThat(Authorizer.ALLOW_ALL.canSubscribe(null, "c", "#")).isTrue();
    }
}
