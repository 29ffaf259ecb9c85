package dev.cleanroom.engine.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One key a service type accepts under {@code [services.NAME]}, declared once with its type,
 * default, range and documentation. The engine checks every value against its key before the
 * plugin sees it (type, range, required) and reports problems with file, line and key; the
 * TOML reference is generated from the same declarations, so a documented default is the real
 * one.
 *
 * <pre>{@code
 * static final Key<Duration> START_TIMEOUT = Key.duration("start_timeout")
 *         .atLeast(Duration.ofSeconds(1)).byDefault(Duration.ofSeconds(60))
 *         .doc("Time the service has to become ready");
 * }</pre>
 *
 * <p>Keys are immutable: every method returns a new key.
 *
 * @param <T> the value's Java type
 */
public final class Key<T> {

    /** The kinds of value a key accepts, worded the way users read them. */
    public enum Kind {
        STRING("a string"),
        INTEGER("an integer"),
        BOOLEAN("true or false"),
        NUMBER("a number"),
        /** "250ms", "5s", "2m", "1h", or an integer number of seconds. */
        DURATION("a duration such as \"500ms\", \"30s\" or \"2m\""),
        /** An argv-style list: ["sh", "-c", "echo hi"]. */
        STRING_LIST("a list of strings"),
        /** A table of names to scalar values, written as {@code key.NAME = "value"}. */
        STRING_MAP("a table of names to values");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String path;
    private final Kind kind;
    private final String doc;
    private final T defaultValue;
    private final String defaultText;
    private final boolean required;
    private final boolean secret;
    private final T min;
    private final T max;

    private Key(
            String path,
            Kind kind,
            String doc,
            T defaultValue,
            String defaultText,
            boolean required,
            boolean secret,
            T min,
            T max) {
        this.path = Objects.requireNonNull(path, "path");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.doc = doc;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.required = required;
        this.secret = secret;
        this.min = min;
        this.max = max;
    }

    private static <T> Key<T> of(String path, Kind kind) {
        if (!path.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("Key path \"" + path + "\" must be dotted lower_snake_case");
        }
        return new Key<>(path, kind, "", null, "", false, false, null, null);
    }

    public static Key<String> string(String path) {
        return of(path, Kind.STRING);
    }

    /** A whole number; TOML integers are 64 bits. */
    public static Key<Long> integer(String path) {
        return of(path, Kind.INTEGER);
    }

    public static Key<Boolean> bool(String path) {
        return of(path, Kind.BOOLEAN);
    }

    public static Key<Double> number(String path) {
        return of(path, Kind.NUMBER);
    }

    public static Key<Duration> duration(String path) {
        return of(path, Kind.DURATION);
    }

    /** An argv-style list of strings. */
    public static Key<List<String>> strings(String path) {
        return of(path, Kind.STRING_LIST);
    }

    /** A table of names to values, written {@code path.NAME = "value"}. */
    public static Key<Map<String, String>> table(String path) {
        return of(path, Kind.STRING_MAP);
    }

    /** A string whose value is never printed (passwords, tokens). */
    public static Key<String> secret(String path) {
        return new Key<>(path, Kind.STRING, "", null, "", false, true, null, null);
    }

    /** What the key is for, one sentence for the TOML reference and {@code cleanroom:plugins}. */
    public Key<T> doc(String text) {
        return new Key<>(
                path, kind, Objects.requireNonNull(text), defaultValue, defaultText, required, secret, min, max);
    }

    /** The value when the key is absent; the reference shows it as written in TOML. */
    public Key<T> byDefault(T value) {
        Objects.requireNonNull(value, "value");
        return new Key<>(path, kind, doc, value, render(value), required, secret, min, max);
    }

    /**
     * How the reference describes the default when it is not a fixed value ("image default",
     * "first of ports"); {@link Settings#find} then tells absent from present.
     */
    public Key<T> defaultDescribedAs(String text) {
        return new Key<>(path, kind, doc, defaultValue, Objects.requireNonNull(text), required, secret, min, max);
    }

    /** The service cannot be defined without it. */
    public Key<T> required() {
        return new Key<>(path, kind, doc, defaultValue, defaultText, true, secret, min, max);
    }

    /** The smallest value accepted (integers, numbers, durations). */
    public Key<T> atLeast(T value) {
        requireOrdered();
        return new Key<>(
                path, kind, doc, defaultValue, defaultText, required, secret, Objects.requireNonNull(value), max);
    }

    /** The largest value accepted (integers, numbers, durations). */
    public Key<T> atMost(T value) {
        requireOrdered();
        return new Key<>(
                path, kind, doc, defaultValue, defaultText, required, secret, min, Objects.requireNonNull(value));
    }

    /** Both bounds, inclusive. */
    public Key<T> between(T low, T high) {
        return atLeast(low).atMost(high);
    }

    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public String doc() {
        return doc;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as the reference shows it; empty when there is none. */
    public String defaultText() {
        return defaultText;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isSecret() {
        return secret;
    }

    public Optional<T> min() {
        return Optional.ofNullable(min);
    }

    public Optional<T> max() {
        return Optional.ofNullable(max);
    }

    /**
     * Where {@code value} falls outside this key's range, the sentence that says so (e.g. "must be
     * at least 1s"); empty when it is inside.
     */
    public Optional<String> rangeProblem(T value) {
        if (min != null && compare(value, min) < 0) {
            return Optional.of(
                    max != null
                            ? render(value) + " is outside " + render(min) + ".." + render(max)
                            : "must be at least " + render(min) + ", was " + render(value));
        }
        if (max != null && compare(value, max) > 0) {
            return Optional.of(
                    min != null
                            ? render(value) + " is outside " + render(min) + ".." + render(max)
                            : "must be at most " + render(max) + ", was " + render(value));
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private int compare(T a, T b) {
        return ((Comparable<Object>) a).compareTo(b);
    }

    private void requireOrdered() {
        if (kind != Kind.INTEGER && kind != Kind.NUMBER && kind != Kind.DURATION) {
            throw new IllegalStateException("Key " + path + " is " + kind.description() + ": it has no range");
        }
    }

    /** A value as a user writes it in TOML. */
    private static String render(Object value) {
        if (value instanceof Duration d) {
            return Durations.toToml(d);
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof List<?> list) {
            return list.isEmpty()
                    ? "[]"
                    : list.stream().map(v -> "\"" + v + "\"").toList().toString();
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return path + " (" + kind.description() + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key<?> key && key.path.equals(path) && key.kind == kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind);
    }
}
