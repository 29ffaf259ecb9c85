package dev.cleanroom.engine.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The keys one service type accepts; the parser checks names and types against it. */
public final class ConfigSchema {

    private final Map<String, ConfigKey> keys;

    private ConfigSchema(Map<String, ConfigKey> keys) {
        this.keys = keys;
    }

    public static ConfigSchema of(ConfigKey... keys) {
        return of(List.of(keys));
    }

    public static ConfigSchema of(Collection<ConfigKey> keys) {
        Map<String, ConfigKey> byPath = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            if (byPath.putIfAbsent(key.path(), key) != null) {
                throw new IllegalArgumentException("Key declared twice in a schema: " + key.path());
            }
        }
        return new ConfigSchema(byPath);
    }

    /** This schema plus more keys, for plugins that build on another's keys. */
    public ConfigSchema with(ConfigKey... more) {
        List<ConfigKey> all = new ArrayList<>(keys.values());
        all.addAll(List.of(more));
        return of(all);
    }

    public Optional<ConfigKey> key(String path) {
        return Optional.ofNullable(keys.get(path));
    }

    public Collection<ConfigKey> keys() {
        return keys.values();
    }

    /** True when {@code path} is a proper prefix of a declared key, e.g. "auth" for "auth.user". */
    public boolean isTablePrefix(String path) {
        String prefix = path + ".";
        return keys.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }
}
