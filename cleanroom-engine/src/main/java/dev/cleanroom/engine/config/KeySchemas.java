package dev.cleanroom.engine.config;

import dev.cleanroom.engine.spi.Key;
import java.util.List;

/** A plugin's {@link Key}s as the parser checks them. */
public final class KeySchemas {

    private KeySchemas() {}

    public static ConfigSchema of(List<Key<?>> keys) {
        return ConfigSchema.of(keys.stream().map(KeySchemas::configKey).toList());
    }

    public static ConfigKey configKey(Key<?> key) {
        return new ConfigKey(key.path(), key.kind(), key.doc(), key.defaultText(), key.isRequired(), key.isSecret());
    }
}
