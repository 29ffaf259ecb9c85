package dev.cleanroom.engine.config;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service's parsed values as its plugin reads them: typed by the plugin's keys, with each
 * key's range checked here, once, for every plugin (so no plugin repeats "must be more than 0").
 */
public final class SettingsReader implements Settings {

    private final ServiceConfig config;
    private final Map<String, String> serviceTypes;
    private final List<ConfigProblem> problems;
    private final Set<String> refused = new HashSet<>();

    /**
     * Reads {@code config}; {@code serviceTypes} (every service of the file to its type) is shared,
     * not copied, so it must not change while the plugin reads. Problems found here and reported
     * by the plugin go to {@code problems}.
     */
    public SettingsReader(
            ServiceConfig config, Map<String, String> serviceTypes, List<Key<?>> keys, List<ConfigProblem> problems) {
        this.config = config;
        // A view, not a copy: a file of 10,000 services would otherwise copy the map 10,000 times.
        this.serviceTypes = java.util.Collections.unmodifiableMap(serviceTypes);
        this.problems = problems;
        for (Key<?> key : keys) {
            checkRange(key);
        }
    }

    /** The parsed table behind these settings, for the engine's own use. */
    public ServiceConfig config() {
        return config;
    }

    private <T> void checkRange(Key<T> key) {
        raw(key).flatMap(key::rangeProblem).ifPresent(message -> {
            refused.add(key.path());
            problem(
                    key,
                    message,
                    key.defaultText().isEmpty()
                            ? "write a value in range"
                            : "write a value in range, or remove the key for its default " + key.defaultText());
        });
    }

    @Override
    public String serviceName() {
        return config.name();
    }

    @Override
    public Set<String> serviceNames() {
        return serviceTypes.keySet();
    }

    @Override
    public Optional<String> typeOf(String serviceName) {
        return Optional.ofNullable(serviceTypes.get(serviceName)).filter(type -> !type.isEmpty());
    }

    @Override
    public Path baseDirectory() {
        return config.baseDirectory();
    }

    @Override
    public <T> T get(Key<T> key) {
        return find(key).or(key::defaultValue).orElseGet(() -> empty(key));
    }

    @Override
    public <T> Optional<T> find(Key<T> key) {
        return refused.contains(key.path()) ? Optional.empty() : raw(key);
    }

    @Override
    public boolean has(Key<?> key) {
        return config.has(key.path());
    }

    @Override
    public void problem(Key<?> key, String message, String fix) {
        problems.add(config.problem(key.path(), message, fix));
    }

    /** A problem found by the engine's own checks (or an old-contract plugin's validation). */
    public void add(ConfigProblem problem) {
        problems.add(problem);
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> raw(Key<T> key) {
        if (!config.has(key.path())) {
            return Optional.empty();
        }
        Object value = switch (key.kind()) {
            case STRING -> config.string(key.path()).orElse(null);
            case INTEGER -> config.integer(key.path()).orElse(null);
            case BOOLEAN -> config.values().get(key.path());
            case NUMBER -> config.number(key.path()).orElse(null);
            case DURATION -> config.duration(key.path()).orElse(null);
            case STRING_LIST -> config.stringList(key.path());
            case STRING_MAP -> config.stringMap(key.path());
        };
        return Optional.ofNullable((T) value);
    }

    /** What a missing required key reads as, so the plugin can go on checking the other keys. */
    @SuppressWarnings("unchecked")
    private static <T> T empty(Key<T> key) {
        Object value = switch (key.kind()) {
            case STRING -> "";
            case INTEGER -> 0L;
            case BOOLEAN -> Boolean.FALSE;
            case NUMBER -> 0.0;
            case DURATION -> Duration.ZERO;
            case STRING_LIST -> List.of();
            case STRING_MAP -> Map.of();
        };
        return (T) value;
    }
}
