package dev.sedge.node.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads one field of a descriptor's tree: each method names the field's path and the value in its
 * refusal, so that every bad input is one line saying where. Stateless.
 */
final class DescriptorFields {

    private DescriptorFields() {}

    static void known(JsonNode node, String path, String... fields) throws DescriptorException {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new DescriptorException(
                        join(path, f) + ": unknown field (known: " + String.join(", ", fields) + ")");
            }
        }
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String requiredString(JsonNode node, String path, String field) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new DescriptorException(join(path, field) + ": required");
        }
        if (!v.isTextual()) {
            throw new DescriptorException(join(path, field) + ": must be a string, was " + v);
        }
        return v.asText();
    }

    static String optionalString(JsonNode node, String path, String field, String dflt) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new DescriptorException(join(path, field) + ": must be a string, was " + v);
        }
        return v.asText();
    }

    /** A string or a number, as text (sizes and CPU may be written either way). */
    static String optionalScalar(JsonNode node, String path, String field) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new DescriptorException(join(path, field) + ": must be a string or number, was " + v);
        }
        return v.asText();
    }

    static JsonNode requiredObject(JsonNode node, String path, String field) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new DescriptorException(join(path, field) + ": required");
        }
        if (!v.isObject()) {
            throw new DescriptorException(join(path, field) + ": must be a mapping, was " + v);
        }
        return v;
    }

    static JsonNode optionalObject(JsonNode node, String path, String field) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new DescriptorException(join(path, field) + ": must be a mapping, was " + v);
        }
        return v;
    }

    static int integer(JsonNode node, String path, String field, int dflt, int min, int max)
            throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new DescriptorException(
                    join(path, field) + ": must be a whole number " + min + ".." + max + ", was " + v);
        }
        int n = v.intValue();
        if (n < min || n > max) {
            throw new DescriptorException(join(path, field) + ": " + n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    static Integer optionalInteger(JsonNode node, String path, String field) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new DescriptorException(join(path, field) + ": must be a whole number, was " + v);
        }
        return v.intValue();
    }

    static Duration duration(JsonNode node, String path, String field, Duration dflt) throws DescriptorException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        try {
            return Quantities.duration(v.isTextual() ? v.asText() : v.toString());
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(join(path, field) + ": " + e.getMessage());
        }
    }
}
