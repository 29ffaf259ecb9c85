package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.KeySchemas;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.SettingsReader;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.spi.HealthStatus;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.LegacyServicePlugin;
import dev.cleanroom.engine.spi.Service;
import dev.cleanroom.engine.spi.ServiceContext;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServiceHandle;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.engine.spi.VolumeMount;
import dev.cleanroom.engine.spi.WaitPolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a plugin written against the old, stateless contract under the new one while the
 * built-in plugins move over: the per-service state the old contract kept nowhere (its handle)
 * lives in the {@link Service} this creates. Removed with {@link LegacyServicePlugin}.
 */
final class LegacyPluginAdapter implements ServicePlugin {

    private final String type;
    private final LegacyServicePlugin legacy;

    LegacyPluginAdapter(String type, LegacyServicePlugin legacy) {
        this.type = type;
        this.legacy = legacy;
    }

    LegacyServicePlugin legacy() {
        return legacy;
    }

    Class<?> implementation() {
        return legacy.getClass();
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String description() {
        return legacy.description();
    }

    @Override
    public List<Key<?>> keys() {
        return legacy.configSchema().keys().stream().<Key<?>>map(KeySchemas::key).toList();
    }

    @Override
    public ServiceDefinition define(Settings settings) {
        SettingsReader reader = (SettingsReader) settings;
        ServiceConfig config = reader.config();
        for (ConfigProblem problem : legacy.validate(config, settings.serviceNames())) {
            reader.add(problem);
        }
        return new Definition(config, settings.serviceNames());
    }

    private final class Definition implements ServiceDefinition {
        private final ServiceConfig config;
        private final Set<String> allServices;

        Definition(ServiceConfig config, Set<String> allServices) {
            this.config = config;
            this.allServices = allServices;
        }

        @Override
        public List<String> images() {
            return legacy.images(config);
        }

        @Override
        public List<VolumeMount> volumes() {
            return legacy.volumes(config);
        }

        @Override
        public Set<String> implicitDependencies() {
            return new LinkedHashSet<>(legacy.implicitDependencies(config, allServices));
        }

        @Override
        public WaitPolicy waitPolicy() {
            return legacy.waitPolicy(config);
        }

        @Override
        public Service create(ServiceContext context) {
            return new Service() {
                private ServiceHandle handle;

                @Override
                public void start() throws CleanroomException {
                    handle = legacy.start(config, context.containers());
                }

                @Override
                public HealthStatus checkHealth() throws CleanroomException {
                    return legacy.healthCheck(handle, config, context.containers());
                }

                @Override
                public void afterReady() throws CleanroomException {
                    handle = legacy.afterReady(handle, config, context.containers());
                }

                @Override
                public ServiceHandle handle() {
                    return handle;
                }

                @Override
                public void stop() throws CleanroomException {
                    if (handle != null) {
                        legacy.stop(handle, context.containers());
                    }
                }
            };
        }
    }
}
