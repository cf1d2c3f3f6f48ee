package dev.sedge.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class UsersFileTest {

    private static final Path FILE = Path.of("conf", "users");
    private static final String HASH = PasswordHash.create(
                    "pw".getBytes(StandardCharsets.UTF_8), 10_000, new SecureRandom())
            .encoded();

    @Test
    void readsUsersAndSkipsCommentsAndBlankLines() throws Exception {
        UsersFile users = UsersFile.parse(
                FILE, List.of("# devices", "", "alice:" + HASH, "  # indented comment", "device 42:" + HASH + "  "));
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.hash("alice").matches("pw".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(users.hash("device 42")).isNotNull();
        assertThat(users.hash("bob")).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // line in the file                                    | expected message after "conf/users:2: "
                "alice secret                                          | expected NAME:pbkdf2-sha256$ITERATIONS$SALT$HASH, found no ':'",
                ":HASH                                                 | user name \"\" is empty",
                "' alice:HASH'                                         | user name \" alice\" starts or ends with white space",
                "alice:secret                                          | user \"alice\": not a pbkdf2-sha256 hash (expected pbkdf2-sha256$ITERATIONS$SALT$HASH; create entries with sedge passwd)",
                "alice:pbkdf2-sha256$99$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA== | user \"alice\": iterations 99 out of range (10000..100000000)",
                "bob:HASH                                              | user \"bob\" is already defined on line 1",
            })
    void eachBadLineIsRefusedWithFileLineAndValue(String line, String reason) {
        List<String> lines = List.of("bob:" + HASH, line.replace("HASH", HASH));
        assertThatThrownBy(() -> UsersFile.parse(FILE, lines))
                .isInstanceOf(SecurityFileException.class)
                .hasMessage(FILE + ":2: " + reason)
                .satisfies(e -> assertThat(((SecurityFileException) e).line()).isEqualTo(2));
    }

    @Test
    void aLineThatMayHoldAPlainPasswordIsNotQuoted() {
        assertThatThrownBy(() -> UsersFile.parse(FILE, List.of("alice:hunter2")))
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> UsersFile.parse(FILE, List.of("alice hunter2")))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void settingAUserReplacesItsLineOrAppendsAndKeepsEverythingElse() {
        PasswordHash next = PasswordHash.create(new byte[] {1}, 10_000, new SecureRandom());
        List<String> lines = List.of("# users", "alice:" + HASH, "", "bob:" + HASH);

        assertThat(UsersFile.withUser(lines, "alice", next))
                .containsExactly("# users", "alice:" + next.encoded(), "", "bob:" + HASH);
        assertThat(UsersFile.withUser(lines, "carol", next))
                .containsExactly("# users", "alice:" + HASH, "", "bob:" + HASH, "carol:" + next.encoded());
        assertThat(UsersFile.withoutUser(lines, "alice")).containsExactly("# users", "", "bob:" + HASH);
        assertThat(UsersFile.hasUser(lines, "bob")).isTrue();
        assertThat(UsersFile.hasUser(lines, "bo")).isFalse();
        assertThatThrownBy(() -> UsersFile.withUser(lines, "a:b", next))
                .hasMessage("user name \"a:b\" contains ':', which separates name and hash");
    }
}
