package dev.cleanroom.plugins.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.SettingsReader;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test support: a model server's definition of a service the real parser read (see TomlFixture). */
public final class ModelServerFixture {

    private ModelServerFixture() {}

    /** What {@code plugin} reads from {@code config}; fails the test when it reports a problem. */
    public static ServiceDefinition define(ServicePlugin plugin, ServiceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        ServiceDefinition definition = plugin.define(
                new SettingsReader(config, Map.of(config.name(), plugin.type()), plugin.keys(), problems));
        assertThat(problems).as("problems").isEmpty();
        return definition;
    }

    /** The shared part of a model server's definition. */
    public static ModelServer server(ServicePlugin plugin, ServiceConfig config) {
        return ((ModelServerDefinition) define(plugin, config)).server();
    }
}
