package dev.cleanroom.engine.config;

import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Test double: type {@code needy}, whose plugin needs the services listed in {@code needs} ready
 * first (implicit dependencies, as a fault injector needs its targets). Names are passed through
 * unchecked, so a test can name unknown services or the service itself.
 */
public class NeedyPlugin implements ServicePlugin {

    public static final Key<List<String>> NEEDS = Key.strings("needs").doc("Services the plugin needs first");

    @Override
    public String type() {
        return "needy";
    }

    @Override
    public String description() {
        return "Needs other services first, for graph tests";
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(NEEDS);
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        Set<String> needs = new LinkedHashSet<>(settings.find(NEEDS).orElse(List.of()));
        return new ServiceDefinition() {
            @Override
            public Set<String> implicitDependencies() {
                return needs;
            }

            @Override
            public Service create(ServiceContext context) {
                throw new UnsupportedOperationException("parser tests never start a service");
            }
        };
    }
}
