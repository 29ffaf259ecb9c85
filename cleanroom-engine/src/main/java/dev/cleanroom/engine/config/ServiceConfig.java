package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import dev.cleanroom.engine.spi.ServiceDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code [services.NAME]} table after parsing: its name, type, and every value already
 * checked against the type's {@link ConfigSchema}, so the typed getters cannot fail on type.
 * Keys are dotted paths as users write them ({@code auth.user}, {@code env}).
 */
public final class ServiceConfig {

    private final String name;
    private final String type;
    private final SourcePosition position;
    private final List<String> dependsOn;
    private final Map<String, Object> values;
    private final Map<String, SourcePosition> positions;
    private final dev.cleanroom.engine.api.PullPolicy pullPolicy;
    /** reset.command: run in a reused service's container before it is handed out; empty when not set. */
    private final List<String> resetCommand;
    /** What the plugin read from this table; null until the parser has asked it. */
    private ServiceDefinition definition;

    public ServiceConfig(
            String name,
            String type,
            SourcePosition position,
            List<String> dependsOn,
            Map<String, Object> values,
            Map<String, SourcePosition> positions) {
        this(name, type, position, dependsOn, values, positions, null, List.of());
    }

    /**
     * As the parser builds it: with the service's {@code pull} policy (null when the file sets none)
     * and {@code reset.command} (empty when the file sets none).
     */
    public ServiceConfig(
            String name,
            String type,
            SourcePosition position,
            List<String> dependsOn,
            Map<String, Object> values,
            Map<String, SourcePosition> positions,
            dev.cleanroom.engine.api.PullPolicy pullPolicy,
            List<String> resetCommand) {
        this.pullPolicy = pullPolicy;
        this.resetCommand = List.copyOf(resetCommand);
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.position = Objects.requireNonNull(position, "position");
        this.dependsOn = List.copyOf(dependsOn);
        Map<String, Object> frozen = new LinkedHashMap<>();
        // Plugins share one config: lists and maps inside must not be changeable either.
        values.forEach((key, value) -> frozen.put(
                key,
                value instanceof List<?> list
                        ? List.copyOf(list)
                        : value instanceof Map<?, ?> map
                                ? java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map))
                                : value));
        this.values = java.util.Collections.unmodifiableMap(frozen);
        this.positions = Map.copyOf(positions);
    }

    /** A config built in code rather than parsed, e.g. by a test or an embedding tool. */
    public static ServiceConfig of(String name, String type, Path baseFile, Map<String, Object> values) {
        return new ServiceConfig(name, type, SourcePosition.unknown(baseFile), List.of(), values, Map.of());
    }

    /** This config with the plugin's reading of it, as the parser leaves it. */
    public ServiceConfig withDefinition(ServiceDefinition definition) {
        ServiceConfig copy =
                new ServiceConfig(name, type, position, dependsOn, values, positions, pullPolicy, resetCommand);
        copy.definition = Objects.requireNonNull(definition, "definition");
        return copy;
    }

    /** The plugin's typed reading of this service; set by the parser for every valid file. */
    public ServiceDefinition definition() {
        if (definition == null) {
            throw new IllegalStateException(
                    "Service " + name + " was not defined by its plugin (built without the parser?)");
        }
        return definition;
    }

    /** Values as the parser stored them (integers as Long), by dotted key. */
    Map<String, Object> values() {
        return values;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public List<String> dependsOn() {
        return dependsOn;
    }

    /** The service's {@code pull} key; empty when the file leaves it to the default (or the build's setting). */
    public Optional<dev.cleanroom.engine.api.PullPolicy> pullPolicy() {
        return Optional.ofNullable(pullPolicy);
    }

    public SourcePosition position() {
        return position;
    }

    /** The service's {@code reset.command} argv; empty when the file sets none. */
    public List<String> resetCommand() {
        return resetCommand;
    }

    /**
     * Everything the file says about this service, as one canonical text (keys sorted, maps
     * sorted, values typed): two builds of an unchanged table give the same text, any edit to a
     * value, depends_on, pull or reset.command a different one. What reuse hashes.
     */
    public String canonicalText() {
        StringBuilder text = new StringBuilder();
        text.append("type=").append(type).append('\n');
        text.append("depends_on=").append(dependsOn).append('\n');
        text.append("pull=").append(pullPolicy == null ? "" : pullPolicy.name()).append('\n');
        text.append("reset.command=").append(canonical(resetCommand)).append('\n');
        new java.util.TreeMap<>(values)
                .forEach((key, value) ->
                        text.append(key).append('=').append(canonical(value)).append('\n'));
        return text.toString();
    }

    private static String canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return "{"
                    + sorted.entrySet().stream()
                            .map(e -> dev.cleanroom.engine.spi.Json.quote(e.getKey()) + ":" + e.getValue())
                            .collect(java.util.stream.Collectors.joining(","))
                    + "}";
        }
        if (value instanceof List<?> list) {
            return "[" + list.stream().map(ServiceConfig::canonical).collect(java.util.stream.Collectors.joining(","))
                    + "]";
        }
        if (value instanceof String string) {
            return dev.cleanroom.engine.spi.Json.quote(string);
        }
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }

    /** The TOML file this service came from. */
    public Path file() {
        return position.file();
    }

    /** Relative paths in a service's config resolve against the directory of its file. */
    public Path baseDirectory() {
        Path file = position.file();
        Path parent = file == null ? null : file.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<String> string(String key) {
        return Optional.ofNullable((String) values.get(key));
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public Optional<Long> integer(String key) {
        return Optional.ofNullable((Long) values.get(key));
    }

    public long integer(String key, long fallback) {
        return integer(key).orElse(fallback);
    }

    public Optional<Double> number(String key) {
        return Optional.ofNullable((Double) values.get(key));
    }

    public boolean bool(String key, boolean fallback) {
        Boolean value = (Boolean) values.get(key);
        return value == null ? fallback : value;
    }

    public Optional<Duration> duration(String key) {
        return Optional.ofNullable((Duration) values.get(key));
    }

    public Duration duration(String key, Duration fallback) {
        return duration(key).orElse(fallback);
    }

    @SuppressWarnings("unchecked")
    public List<String> stringList(String key) {
        List<String> list = (List<String>) values.get(key);
        return list == null ? List.of() : list;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String key) {
        Map<String, String> map = (Map<String, String>) values.get(key);
        return map == null ? Map.of() : map;
    }

    /** Where {@code key} was written, or where the service's table starts when it was not. */
    public SourcePosition position(String key) {
        return positions.getOrDefault(key, position);
    }

    /** A problem about {@code key} of this service, positioned where the key was written. */
    public ConfigProblem problem(String key, String message, String fix) {
        String path = key.isEmpty() ? "services." + name : "services." + name + "." + key;
        return new ConfigProblem(position(key), path, message, fix);
    }

    @Override
    public String toString() {
        return "ServiceConfig[" + name + ", type=" + type + "]";
    }
}
