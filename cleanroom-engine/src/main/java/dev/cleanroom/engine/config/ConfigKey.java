package dev.cleanroom.engine.config;

import dev.cleanroom.engine.spi.Key;
import java.util.Objects;

/**
 * One key a service type accepts, as written under {@code [services.NAME]}: a dotted path
 * ({@code auth.user}), its type, a default for the docs, and whether its value is a secret
 * that must never be printed.
 */
public record ConfigKey(
        String path, Key.Kind type, String description, String defaultValue, boolean required, boolean secret) {

    public ConfigKey {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        defaultValue = defaultValue == null ? "" : defaultValue;
    }

    public static ConfigKey optional(String path, Key.Kind type, String defaultValue, String description) {
        return new ConfigKey(path, type, description, defaultValue, false, false);
    }

    public static ConfigKey required(String path, Key.Kind type, String description) {
        return new ConfigKey(path, type, description, "", true, false);
    }

    public static ConfigKey secret(String path, String description) {
        return new ConfigKey(path, Key.Kind.STRING, description, "", false, true);
    }
}
