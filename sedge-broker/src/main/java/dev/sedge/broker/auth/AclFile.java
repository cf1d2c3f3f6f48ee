package dev.sedge.broker.auth;

import dev.sedge.broker.router.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ACL file into an {@link AclAuthorizer}. The file is a list of sections; a section header
 * says whom the {@code topic} lines under it apply to:
 *
 * <pre>
 * everyone                          # every client
 * anonymous                         # clients without a user
 * user NAME                         # the client authenticated as NAME
 * client ID                         # the client with identifier ID
 * topic read|write|readwrite PATTERN
 * </pre>
 *
 * <p>Blank lines and lines starting with {@code #} are ignored. A header may repeat; its rules add up.
 * Every bad line is refused with a {@link SecurityFileException} naming file, line and value. Stateless.
 */
public final class AclFile {

    private AclFile() {}

    /** Reads and checks the whole file. */
    public static AclAuthorizer read(Path path) throws IOException {
        return parse(path, Files.readAllLines(path, StandardCharsets.UTF_8));
    }

    /** Checks the lines of a file; {@code path} names it in messages. */
    public static AclAuthorizer parse(Path path, List<String> lines) throws SecurityFileException {
        List<AclRule> everyone = new ArrayList<>();
        List<AclRule> anonymous = new ArrayList<>();
        Map<String, List<AclRule>> byUser = new LinkedHashMap<>();
        Map<String, List<AclRule>> byClient = new LinkedHashMap<>();
        List<AclRule> section = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+", 2);
            String rest = words.length > 1 ? words[1] : "";
            switch (words[0]) {
                case "everyone" -> {
                    noArgument(path, lineNo, words);
                    section = everyone;
                }
                case "anonymous" -> {
                    noArgument(path, lineNo, words);
                    section = anonymous;
                }
                case "user" ->
                    section = byUser.computeIfAbsent(name(path, lineNo, "user", rest), k -> new ArrayList<>());
                case "client" ->
                    section = byClient.computeIfAbsent(name(path, lineNo, "client", rest), k -> new ArrayList<>());
                case "topic" -> {
                    if (section == null) {
                        throw new SecurityFileException(
                                path,
                                lineNo,
                                "\"topic\" before any section: start one with everyone, anonymous, user NAME or client ID");
                    }
                    section.add(rule(path, lineNo, rest));
                }
                default ->
                    throw new SecurityFileException(
                            path,
                            lineNo,
                            "unknown keyword \"" + words[0] + "\" (use everyone, anonymous, user, client or topic)");
            }
        }
        return new AclAuthorizer(everyone, anonymous, byUser, byClient);
    }

    private static void noArgument(Path path, int lineNo, String[] words) throws SecurityFileException {
        if (words.length > 1) {
            throw new SecurityFileException(
                    path, lineNo, "\"" + words[0] + "\" takes no argument, found \"" + words[1] + "\"");
        }
    }

    private static String name(Path path, int lineNo, String keyword, String rest) throws SecurityFileException {
        if (rest.isEmpty()) {
            throw new SecurityFileException(
                    path,
                    lineNo,
                    "\"" + keyword + "\" needs a " + (keyword.equals("user") ? "user name" : "client id"));
        }
        return rest;
    }

    private static AclRule rule(Path path, int lineNo, String rest) throws SecurityFileException {
        String[] words = rest.split("\\s+", 2);
        if (rest.isEmpty() || words.length < 2) {
            throw new SecurityFileException(
                    path,
                    lineNo,
                    "expected topic read|write|readwrite PATTERN, found \"" + ("topic " + rest).strip() + "\"");
        }
        Access access = Access.ofWord(words[0]);
        if (access == null) {
            throw new SecurityFileException(
                    path, lineNo, "unknown access \"" + words[0] + "\" (use read, write or readwrite)");
        }
        String pattern = words[1];
        String error = patternError(pattern);
        if (error != null) {
            throw new SecurityFileException(path, lineNo, "topic pattern \"" + pattern + "\": " + error);
        }
        return new AclRule(access, pattern, lineNo);
    }

    /** Null when the pattern is a valid filter once {@code %u} and {@code %c} are filled in, else why not. */
    static String patternError(String pattern) {
        for (int at = pattern.indexOf('%'); at >= 0; at = pattern.indexOf('%', at + 2)) {
            char next = at + 1 < pattern.length() ? pattern.charAt(at + 1) : ' ';
            if (next != 'u' && next != 'c') {
                return "'%' must start %u (user name) or %c (client id)";
            }
        }
        // The values put in are never empty and never hold '/', '+' or '#', so "x" stands for any of them.
        return Topics.filterError(pattern.replace("%u", "x").replace("%c", "x"));
    }
}
