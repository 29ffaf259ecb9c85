package dev.cleanroom.engine.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON plugins read from and write to the servers they start (progress lines, model lists,
 * query results, request bodies), on the Jackson that docker-java already brings. Objects
 * become {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Number}.
 */
public final class Json {

    // Trailing text after the value is an error, not silently ignored.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** @throws IllegalArgumentException on malformed input, with the parser's reason */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The object {@code text} holds, or empty when it is not a JSON object. */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> object(String text) {
        try {
            Object value = parse(text);
            return value instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> string(Map<String, Object> object, String key) {
        return object.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public static Optional<Long> number(Map<String, Object> object, String key) {
        return object.get(key) instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    /** The objects of an array member, skipping anything else. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> object, String key) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (object.get(key) instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(o -> result.add((Map<String, Object>) o));
        }
        return result;
    }

    /** A JSON string literal, quotes included. */
    public static String quote(String value) {
        return write(value);
    }

    /** As {@link #write}, indented for people (generated config files). */
    public static String writeIndented(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Maps, lists, strings, numbers, booleans and null as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
