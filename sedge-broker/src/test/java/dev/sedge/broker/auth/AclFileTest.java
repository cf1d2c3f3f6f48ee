package dev.sedge.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclFileTest {

    private static final Path FILE = Path.of("conf", "acl");

    @Test
    void readsSectionsRulesCommentsAndBlankLines() throws Exception {
        AclAuthorizer acl = AclFile.parse(
                FILE,
                List.of(
                        "# the ACL",
                        "everyone",
                        "  topic read public/#",
                        "",
                        "user alice",
                        "topic readwrite sensors/%u/#",
                        "client gateway 1",
                        "topic write gateways/%c",
                        "anonymous",
                        "topic read status",
                        "user alice",
                        "topic\tread  alerts/with space"));
        assertThat(acl.size()).isEqualTo(5);
        assertThat(acl.canSubscribe("alice", "c", "alerts/with space")).isTrue();
        assertThat(acl.canPublish("bob", "gateway 1", "gateways/gateway 1")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // the second line of the file                  | expected message after "conf/acl:2: "
                "topic read a/b                                 | \"topic\" before any section: start one with everyone, anonymous, user NAME or client ID",
                "users alice                                    | unknown keyword \"users\" (use everyone, anonymous, user, client or topic)",
                "user                                           | \"user\" needs a user name",
                "client                                         | \"client\" needs a client id",
                "everyone else                                  | \"everyone\" takes no argument, found \"else\"",
            })
    void eachBadHeaderIsRefusedWithFileLineAndValue(String line, String reason) {
        assertThatThrownBy(() -> AclFile.parse(FILE, List.of("# acl", line)))
                .isInstanceOf(SecurityFileException.class)
                .hasMessage(FILE + ":2: " + reason);
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            value = {
                // the third line of the file => expected message after "conf/acl:3: "
                "topic => expected topic read|write|readwrite PATTERN, found \"topic\"",
                "topic a/b => expected topic read|write|readwrite PATTERN, found \"topic a/b\"",
                "topic rw a/b => unknown access \"rw\" (use read, write or readwrite)",
                "topic read a/#/b => topic pattern \"a/#/b\": '#' must be the whole last level",
                "topic read a/b+ => topic pattern \"a/b+\": '+' must be a whole level",
                "topic read devices/%x/# => topic pattern \"devices/%x/#\": '%' must start %u (user name) or %c (client id)",
                "topic write devices/% => topic pattern \"devices/%\": '%' must start %u (user name) or %c (client id)",
            })
    void eachBadRuleIsRefusedWithFileLineAndValue(String line, String reason) {
        assertThatThrownBy(() -> AclFile.parse(FILE, List.of("user alice", "", line)))
                .isInstanceOf(SecurityFileException.class)
                .hasMessage(FILE + ":3: " + reason);
    }

    @Test
    void substitutionsMayStandInsideALevel() {
        assertThat(AclFile.patternError("devices/dev-%c/#")).isNull();
        assertThat(AclFile.patternError("%u/%c/+")).isNull();
        assertThat(AclFile.patternError("a/%u%c")).isNull();
    }
}
