package dev.sedge.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.broker.auth.UsersFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sedge passwd} as a real process, with the password piped to its standard input. */
@Timeout(120)
class PasswdCommandIT {

    private static final Path JAR = Path.of("target", "sedge.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run sedge(String stdin, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged CLI").exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void addsChangesAndRemovesUsersKeepingTheRestOfTheFile() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "# MQTT users\n");

        Run add = sedge("s3cret pass\n", "passwd", users.toString(), "alice", "--iterations", "10000");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).isEmpty();
        assertThat(add.err()).isEqualTo("added user alice in " + users + System.lineSeparator());
        assertThat(sedge("other\n", "passwd", users.toString(), "bob", "--iterations", "10000")
                        .exit())
                .isZero();

        UsersFile read = UsersFile.read(users);
        assertThat(read.size()).isEqualTo(2);
        assertThat(read.hash("alice").matches("s3cret pass".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(read.hash("alice").matches("s3cret".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(Files.readAllLines(users).getFirst()).isEqualTo("# MQTT users");
        assertThat(Files.getPosixFilePermissions(users))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        Run change = sedge("n3w\n", "passwd", users.toString(), "alice", "--iterations", "10000");
        assertThat(change.err()).isEqualTo("changed the password of alice in " + users + System.lineSeparator());
        assertThat(UsersFile.read(users).hash("alice").matches("n3w".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(Files.readAllLines(users)).hasSize(3).element(1).asString().startsWith("alice:pbkdf2-sha256$10000$");

        Run delete = sedge("", "passwd", "--delete", users.toString(), "alice");
        assertThat(delete.exit()).isZero();
        assertThat(Files.readAllLines(users)).hasSize(2).noneMatch(l -> l.startsWith("alice:"));
    }

    @Test
    void refusalsAreOneLineAndLeaveTheFileAlone() throws Exception {
        Path users = dir.resolve("users");
        Run empty = sedge("\n", "passwd", users.toString(), "alice");
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).isEqualTo("error: the password must not be empty" + System.lineSeparator());
        assertThat(users).doesNotExist();

        Run badName = sedge("pw\n", "passwd", users.toString(), "a:b");
        assertThat(badName.err())
                .isEqualTo("error: user name \"a:b\" contains ':', which separates name and hash"
                        + System.lineSeparator());

        Run fewIterations = sedge("pw\n", "passwd", users.toString(), "alice", "--iterations", "5");
        assertThat(fewIterations.err())
                .isEqualTo("error: --iterations: 5 out of range (10000..100000000)" + System.lineSeparator());

        Run noUser = sedge("", "passwd", "-D", users.toString(), "alice");
        assertThat(noUser.err()).isEqualTo("error: user \"alice\" is not in " + users + System.lineSeparator());
        assertThat(users).doesNotExist();
    }
}
