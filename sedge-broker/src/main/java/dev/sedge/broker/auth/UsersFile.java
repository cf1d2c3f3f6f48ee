package dev.sedge.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file: one {@code NAME:pbkdf2-sha256$ITERATIONS$SALT$HASH} line per user; blank lines and
 * lines starting with {@code #} are ignored. Immutable and thread-safe once read.
 *
 * <p>{@code sedge passwd} writes it through {@link #withUser} and {@link #withoutUser}, which keep every
 * other line as it was.
 */
public final class UsersFile {

    private final Path path;
    private final Map<String, PasswordHash> users;

    private UsersFile(Path path, Map<String, PasswordHash> users) {
        this.path = path;
        this.users = users;
    }

    /**
     * Reads and checks the whole file.
     *
     * @throws SecurityFileException naming file, line and value of the first bad line
     * @throws IOException if the file cannot be read
     */
    public static UsersFile read(Path path) throws IOException {
        return parse(path, Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    /** Checks the lines of a file; {@code path} names it in messages. */
    public static UsersFile parse(Path path, List<String> lines) throws SecurityFileException {
        Map<String, PasswordHash> users = new HashMap<>();
        Map<String, Integer> definedOn = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (ignored(line)) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                // Not quoted: a line without a hash may well be a plain password.
                throw new SecurityFileException(
                        path, lineNo, "expected NAME:" + PasswordHash.SCHEME + "$ITERATIONS$SALT$HASH, found no ':'");
            }
            String name = line.substring(0, colon);
            String nameError = userNameError(name);
            if (nameError != null) {
                throw new SecurityFileException(path, lineNo, "user name \"" + name + "\" " + nameError);
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new SecurityFileException(path, lineNo, "user \"" + name + "\": " + e.getMessage());
            }
            Integer earlier = definedOn.putIfAbsent(name, lineNo);
            if (earlier != null) {
                throw new SecurityFileException(
                        path, lineNo, "user \"" + name + "\" is already defined on line " + earlier);
            }
            users.put(name, hash);
        }
        return new UsersFile(path, Collections.unmodifiableMap(users));
    }

    private static boolean ignored(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    /**
     * Checks a user name for the users file.
     *
     * @return null when usable, else the reason
     */
    public static String userNameError(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (!name.equals(name.strip())) {
            return "starts or ends with white space";
        }
        if (name.startsWith("#")) {
            return "starts with '#', which marks a comment";
        }
        if (name.indexOf(':') >= 0) {
            return "contains ':', which separates name and hash";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "contains a control character";
        }
        return null;
    }

    /** The file it was read from. */
    public Path path() {
        return path;
    }

    /** The stored hash of the user, or null for an unknown user. */
    public PasswordHash hash(String user) {
        return users.get(user);
    }

    public int size() {
        return users.size();
    }

    /** The highest iteration count in the file, or the default when it is empty. */
    int maxIterations() {
        return users.values().stream().mapToInt(PasswordHash::iterations).max().orElse(PasswordHash.ITERATIONS_DEFAULT);
    }

    /**
     * The lines of a users file with the user's entry set: replaced where it was, else appended.
     *
     * @throws IllegalArgumentException if the user name cannot be stored
     */
    public static List<String> withUser(List<String> lines, String user, PasswordHash hash) {
        String error = userNameError(user);
        if (error != null) {
            throw new IllegalArgumentException("user name \"" + user + "\" " + error);
        }
        String entry = user + ":" + hash.encoded();
        List<String> out = new ArrayList<>(lines.size() + 1);
        boolean replaced = false;
        for (String line : lines) {
            if (isEntryOf(line, user)) {
                if (!replaced) {
                    out.add(entry);
                    replaced = true;
                }
            } else {
                out.add(line);
            }
        }
        if (!replaced) {
            out.add(entry);
        }
        return out;
    }

    /** The lines of a users file without the user's entry. */
    public static List<String> withoutUser(List<String> lines, String user) {
        return lines.stream().filter(line -> !isEntryOf(line, user)).toList();
    }

    /** True when the lines hold an entry for the user. */
    public static boolean hasUser(List<String> lines, String user) {
        return lines.stream().anyMatch(line -> isEntryOf(line, user));
    }

    private static boolean isEntryOf(String line, String user) {
        return !ignored(line) && line.startsWith(user + ":");
    }
}
