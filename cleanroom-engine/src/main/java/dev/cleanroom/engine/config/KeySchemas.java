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
        return new ConfigKey(
                key.path(), valueType(key.kind()), key.doc(), key.defaultText(), key.isRequired(), key.isSecret());
    }

    static ValueType valueType(Key.Kind kind) {
        return switch (kind) {
            case STRING -> ValueType.STRING;
            case INTEGER -> ValueType.INTEGER;
            case BOOLEAN -> ValueType.BOOLEAN;
            case NUMBER -> ValueType.NUMBER;
            case DURATION -> ValueType.DURATION;
            case STRING_LIST -> ValueType.STRING_LIST;
            case STRING_MAP -> ValueType.STRING_MAP;
        };
    }
}
