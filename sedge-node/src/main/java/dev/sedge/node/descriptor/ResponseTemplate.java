package dev.sedge.node.descriptor;

import dev.sedge.broker.router.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply topic template such as {@code alerts/{topic.1}}, where {@code {topic.N}} is level N (0-based)
 * of the request topic. Immutable and thread-safe; parsed once at deploy.
 */
public final class ResponseTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern TOPIC_LEVEL = Pattern.compile("topic\\.(\\d{1,3})");

    private final String template;
    /** Literal text and level references, alternating: a String is literal, an Integer a level. */
    private final List<Object> parts;

    private ResponseTemplate(String template, List<Object> parts) {
        this.template = template;
        this.parts = parts;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the bad placeholder or character
     */
    public static ResponseTemplate parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        List<Object> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            Matcher level = TOPIC_LEVEL.matcher(m.group(1));
            if (!level.matches()) {
                throw new IllegalArgumentException(
                        "unknown placeholder \"" + m.group() + "\" in \"" + template + "\" (allowed: {topic.N})");
            }
            if (m.start() > last) {
                parts.add(template.substring(last, m.start()));
            }
            parts.add(Integer.parseInt(level.group(1)));
            last = m.end();
        }
        if (last < template.length()) {
            parts.add(template.substring(last));
        }
        String literal = PLACEHOLDER.matcher(template).replaceAll("x");
        if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
            throw new IllegalArgumentException("unbalanced brace in \"" + template + "\"");
        }
        String error = Topics.nameError(literal);
        if (error != null) {
            throw new IllegalArgumentException("invalid topic \"" + template + "\": " + error);
        }
        return new ResponseTemplate(template, List.copyOf(parts));
    }

    /**
     * Renders the template for a request topic.
     *
     * @return the reply topic, or null when the request topic lacks a referenced level or the result
     *     would not be a valid topic name
     */
    public String render(String requestTopic) {
        String[] levels = requestTopic.split("/", -1);
        StringBuilder out = new StringBuilder(template.length() + 16);
        for (Object part : parts) {
            if (part instanceof Integer n) {
                if (n >= levels.length) {
                    return null;
                }
                out.append(levels[n]);
            } else {
                out.append((String) part);
            }
        }
        String topic = out.toString();
        return Topics.nameError(topic) == null ? topic : null;
    }

    @Override
    public String toString() {
        return template;
    }
}
