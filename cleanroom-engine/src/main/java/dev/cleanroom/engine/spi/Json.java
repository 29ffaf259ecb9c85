package dev.cleanroom.engine.spi;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON the engine and plugins exchange with Docker and with the servers they start (progress
 * lines, model lists, query results, request bodies). Objects become {@code Map<String, Object>}
 * (in document order), arrays {@code List<Object>}, numbers {@code Integer}, {@code Long},
 * {@code BigInteger} or {@code Double}, and {@code null} stays null.
 *
 * <p>Why not Jackson: loading its data binding costs every build about a quarter of a second on
 * the machines we measured, more than Docker takes to start a container, and all we need is
 * maps and lists.
 *
 * <p>A stable part of the plugin contract: plugins may rely on these methods and the types above
 * as they are, so a plugin talking JSON to its server needs no JSON library of its own. New
 * methods may be added; none is removed or changes meaning while the spi's major version stays.
 */
public final class Json {

    /** Deeper nesting than this is refused rather than risking a stack overflow. */
    static final int MAX_DEPTH = 512;

    private Json() {}

    /** @throws IllegalArgumentException on malformed input, with the reason and where */
    public static Object parse(String text) {
        Reader reader = new Reader(text);
        reader.skipWhitespace();
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (!reader.atEnd()) {
            throw reader.error("unexpected text after the value");
        }
        return value;
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

    /** The object member {@code key}, or an empty map when it is missing or not an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> object, String key) {
        return object.get(key) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    public static Optional<String> string(Map<String, Object> object, String key) {
        return object.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public static Optional<Long> number(Map<String, Object> object, String key) {
        return object.get(key) instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    /** True only for a JSON {@code true}. */
    public static boolean isTrue(Map<String, Object> object, String key) {
        return Boolean.TRUE.equals(object.get(key));
    }

    /** The objects of an array member, skipping anything else. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> object, String key) {
        return objectsOf(object.get(key));
    }

    /** The objects of an array value, skipping anything else; empty when it is not an array. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objectsOf(Object array) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (array instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(o -> result.add((Map<String, Object>) o));
        }
        return result;
    }

    /** A JSON string literal, quotes included. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        writeString(out, value);
        return out.toString();
    }

    /** As {@link #write}, indented for people (generated config files). */
    public static String writeIndented(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0, true);
        return out.toString();
    }

    /** Maps, lists, strings, numbers, booleans and null as JSON text. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0, false);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth, boolean indented) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("cannot be written as JSON: nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof BigInteger
                || value instanceof Short
                || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("cannot be written as JSON: " + value + " is not a JSON number");
            }
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeMembers(out, map, depth, indented);
        } else if (value instanceof Iterable<?> items) {
            writeItems(out, items, depth, indented);
        } else {
            throw new IllegalArgumentException(
                    "cannot be written as JSON: a " + value.getClass().getName());
        }
    }

    private static void writeMembers(StringBuilder out, Map<?, ?> map, int depth, boolean indented) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> member : map.entrySet()) {
            out.append(first ? "" : ",");
            newline(out, depth + 1, indented);
            writeString(out, String.valueOf(member.getKey()));
            out.append(indented ? ": " : ":");
            write(out, member.getValue(), depth + 1, indented);
            first = false;
        }
        newline(out, depth, indented);
        out.append('}');
    }

    private static void writeItems(StringBuilder out, Iterable<?> items, int depth, boolean indented) {
        if (!items.iterator().hasNext()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            out.append(first ? "" : ",");
            newline(out, depth + 1, indented);
            write(out, item, depth + 1, indented);
            first = false;
        }
        newline(out, depth, indented);
        out.append(']');
    }

    private static void newline(StringBuilder out, int depth, boolean indented) {
        if (indented) {
            out.append('\n').append("  ".repeat(depth));
        }
    }

    private static void writeString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A recursive-descent reader of RFC 8259 JSON. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        void skipWhitespace() {
            while (!atEnd()) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                at++;
            }
        }

        IllegalArgumentException error(String reason) {
            return new IllegalArgumentException("not valid JSON: " + reason + " at offset " + at);
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            if (atEnd()) {
                throw error("unexpected end of input");
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> members(depth);
                case '[' -> items(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> members(int depth) {
            Map<String, Object> object = new LinkedHashMap<>();
            at++;
            skipWhitespace();
            if (consume('}')) {
                return object;
            }
            do {
                skipWhitespace();
                if (atEnd() || text.charAt(at) != '"') {
                    throw error("expected a member name in quotes");
                }
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                object.put(name, value(depth + 1));
                skipWhitespace();
            } while (consume(','));
            expect('}');
            return object;
        }

        private List<Object> items(int depth) {
            List<Object> array = new ArrayList<>();
            at++;
            skipWhitespace();
            if (consume(']')) {
                return array;
            }
            do {
                skipWhitespace();
                array.add(value(depth + 1));
                skipWhitespace();
            } while (consume(','));
            expect(']');
            return array;
        }

        private boolean consume(char c) {
            if (!atEnd() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!consume(c)) {
                throw error(atEnd() ? "unexpected end of input, expected '" + c + "'" : "expected '" + c + "'");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("unexpected character '" + text.charAt(at) + "'");
            }
            at += word.length();
            return value;
        }

        private String string() {
            at++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at);
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                at++;
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error("unterminated string");
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + escaped);
                }
            }
        }

        private Number number() {
            int start = at;
            consume('-');
            if (consume('0')) {
                // a leading zero stands alone
            } else if (!digits()) {
                throw error("expected a digit");
            }
            boolean integral = true;
            if (consume('.')) {
                integral = false;
                if (!digits()) {
                    throw error("expected a digit after '.'");
                }
            }
            if (!atEnd() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
                integral = false;
                at++;
                if (!consume('+')) {
                    consume('-');
                }
                if (!digits()) {
                    throw error("expected a digit in the exponent");
                }
            }
            String literal = text.substring(start, at);
            if (!integral) {
                return Double.parseDouble(literal);
            }
            BigInteger value = new BigInteger(literal);
            if (value.bitLength() < 32) {
                return value.intValue();
            }
            return value.bitLength() < 64 ? (Number) value.longValue() : value;
        }

        private boolean digits() {
            int start = at;
            while (!atEnd() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            return at > start;
        }
    }
}
