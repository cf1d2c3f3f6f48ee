package dev.sedge.examples.temperature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sedge.api.Context;
import dev.sedge.api.Event;
import dev.sedge.api.Function;
import dev.sedge.api.Result;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Flags temperature readings above {@value #THRESHOLD_CELSIUS} degrees.
 *
 * <p>Triggered by {@code sensors/+/temperature} with a payload such as {@code {"celsius": 42.5}}; replies
 * {@code {"sensor": "s1", "celsius": 42.5, "alert": true}}, where the sensor is level 1 of the topic. A
 * payload that is not such JSON gets the reply {@code {"error": "..."}} instead of failing the event.
 *
 * <p>Stateless, so one instance may serve several events at once.
 */
public final class TemperatureAlert implements Function {

    static final double THRESHOLD_CELSIUS = 30.0;

    private final JsonFactory json = new JsonFactory();

    @Override
    public Result handle(Event event, Context context) throws IOException {
        String sensor = event.subjectLevel(1);
        Double celsius;
        try {
            celsius = readCelsius(event.data());
        } catch (IOException e) {
            return error("payload is not valid JSON: " + originalMessage(e));
        }
        if (celsius == null) {
            return error("payload has no numeric \"celsius\" field");
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensor", sensor);
            g.writeNumberField("celsius", celsius);
            g.writeBooleanField("alert", celsius > THRESHOLD_CELSIUS);
            g.writeEndObject();
        }
        return Result.json(out.toString());
    }

    /** The top-level "celsius" number, or null when there is none. */
    private Double readCelsius(byte[] data) throws IOException {
        try (JsonParser p = json.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ParseError("expected a JSON object");
            }
            Double found = null;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                if (t != JsonToken.FIELD_NAME) {
                    throw new ParseError("unexpected " + t);
                }
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("celsius") && value.isNumeric()) {
                    found = p.getDoubleValue();
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new ParseError("trailing content after the object");
            }
            return found;
        }
    }

    private Result error(String message) throws IOException {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        }
        return Result.json(out.toString());
    }

    /** A payload that is JSON but not the expected shape. */
    private static final class ParseError extends IOException {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** The parser's message without its location suffix. */
    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
