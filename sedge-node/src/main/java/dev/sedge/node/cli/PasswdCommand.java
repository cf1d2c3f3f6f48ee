package dev.sedge.node.cli;

import dev.sedge.broker.auth.PasswordHash;
import dev.sedge.broker.auth.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Adds a user to a users file, changes a user's password, or removes a user. The password is read from
 * the terminal (twice), or from the first line of standard input when that is not a terminal. The file
 * is replaced atomically and readable by its owner only.
 */
@Command(
        name = "passwd",
        description = "Add a user to an MQTT users file or change their password; the password is read from the"
                + " terminal, or from the first line of standard input.")
final class PasswdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The users file (created if missing).")
    Path file;

    @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
    String user;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            description = "PBKDF2 iterations (default: " + PasswordHash.ITERATIONS_DEFAULT + "; "
                    + PasswordHash.ITERATIONS_MIN + ".." + PasswordHash.ITERATIONS_MAX
                    + "). More is slower to guess and slower for every CONNECT.")
    int iterations = PasswordHash.ITERATIONS_DEFAULT;

    @Option(
            names = {"-D", "--delete"},
            description = "Remove the user instead.")
    boolean delete;

    @Override
    public Integer call() throws CliException, IOException {
        String nameError = UsersFile.userNameError(user);
        if (nameError != null) {
            throw new CliException("user name \"" + user + "\" " + nameError);
        }
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        boolean existed = UsersFile.hasUser(lines, user);
        if (delete) {
            if (!existed) {
                throw new CliException("user \"" + user + "\" is not in " + file);
            }
            write(UsersFile.withoutUser(lines, user));
            spec.commandLine().getErr().println("removed user " + user + " from " + file);
            return 0;
        }
        if (iterations < PasswordHash.ITERATIONS_MIN || iterations > PasswordHash.ITERATIONS_MAX) {
            throw new CliException("--iterations: " + iterations + " out of range (" + PasswordHash.ITERATIONS_MIN
                    + ".." + PasswordHash.ITERATIONS_MAX + ")");
        }
        byte[] password = readPassword();
        try {
            PasswordHash hash = PasswordHash.create(password, iterations, new SecureRandom());
            write(UsersFile.withUser(lines, user, hash));
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        spec.commandLine()
                .getErr()
                .println((existed ? "changed the password of " : "added user ") + user + " in " + file);
        return 0;
    }

    private byte[] readPassword() throws CliException, IOException {
        Console console = System.console();
        if (console != null && console.isTerminal()) {
            char[] first = console.readPassword("Password for %s: ", user);
            char[] second = first == null ? null : console.readPassword("Repeat it: ");
            try {
                if (first == null || second == null) {
                    throw new CliException("no password entered");
                }
                if (!Arrays.equals(first, second)) {
                    throw new CliException("the two passwords differ");
                }
                return nonEmpty(utf8(first));
            } finally {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
        }
        // Not a terminal: a script pipes the password in, on the first line.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            throw new CliException("no password on standard input (give it on the first line)");
        }
        return nonEmpty(line.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] nonEmpty(byte[] password) throws CliException {
        if (password.length == 0) {
            throw new CliException("the password must not be empty");
        }
        return password;
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        Arrays.fill(bytes.array(), (byte) 0);
        return out;
    }

    /** Writes a private temporary file beside the target and moves it into place in one step. */
    private void write(List<String> lines) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(
                        dir,
                        "." + target.getFileName(),
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
