package dev.cleanroom.engine.config;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Test double: a service type that only has keys (and optionally a validation rule). Parsing
 * never starts a service, so its definitions refuse to create one.
 */
public class SchemaOnlyPlugin implements ServicePlugin {

    public static final Key<String> IMAGE = Key.string("image").required().doc("Image reference");

    /** A key of every kind, one nested table ({@code auth}) and one secret. */
    public static final List<Key<?>> BOX_KEYS = List.of(
            IMAGE,
            Key.integer("count").byDefault(1L).doc("How many"),
            Key.bool("enabled").byDefault(false).doc("Switched on"),
            Key.number("ratio").byDefault(1.0).doc("A fraction"),
            Key.duration("wait").byDefault(Duration.ofSeconds(30)).doc("How long to wait"),
            Key.strings("command").doc("An argv list"),
            Key.table("env").byDefault(Map.of()).defaultDescribedAs("").doc("Environment variables"),
            Key.string("auth.user").doc("User name"),
            Key.secret("auth.pass").doc("Password"));

    private final String type;
    private final List<Key<?>> keys;
    private final Consumer<Settings> validation;

    public SchemaOnlyPlugin(String type, List<Key<?>> keys) {
        this(type, keys, settings -> {});
    }

    public SchemaOnlyPlugin(String type, List<Key<?>> keys, Consumer<Settings> validation) {
        this.type = type;
        this.keys = List.copyOf(keys);
        this.validation = validation;
    }

    /** Type {@code box} with {@link #BOX_KEYS}. */
    public static SchemaOnlyPlugin box() {
        return new SchemaOnlyPlugin("box", BOX_KEYS);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String description() {
        return "Schema only, for parser tests";
    }

    @Override
    public List<Key<?>> keys() {
        return keys;
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        validation.accept(settings);
        return new ServiceDefinition() {
            @Override
            public Service create(ServiceContext context) {
                throw new UnsupportedOperationException("parser tests never start a service");
            }
        };
    }
}
