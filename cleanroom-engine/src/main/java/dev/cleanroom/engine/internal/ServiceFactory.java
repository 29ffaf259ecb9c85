package dev.cleanroom.engine.internal;

import dev.cleanroom.engine.spi.ServicePlugin;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of service types: built-in and custom plugins found on the class path, plus any
 * registered in code. A type can be registered once; a second plugin for the same type is an
 * error that names both classes.
 */
public final class ServiceFactory {

    private final Map<String, ServicePlugin> plugins = new TreeMap<>();

    /** An empty registry; add plugins with {@link #register}. */
    public ServiceFactory() {}

    /** A registry holding every {@link ServicePlugin} that {@link ServiceLoader} finds via {@code loader}. */
    public static ServiceFactory discover(ClassLoader loader) {
        ServiceFactory factory = new ServiceFactory();
        for (ServicePlugin plugin : ServiceLoader.load(ServicePlugin.class, loader)) {
            factory.register(plugin);
        }
        return factory;
    }

    public synchronized ServiceFactory register(ServicePlugin plugin) {
        return register(plugin.type(), plugin);
    }

    /**
     * Registers {@code plugin} under {@code type}.
     *
     * @throws IllegalArgumentException when the type is taken or malformed
     */
    public synchronized ServiceFactory register(String type, ServicePlugin plugin) {
        if (type == null || !type.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "Service type \"" + type + "\" of " + plugin.getClass().getName()
                            + " is not valid: use lower case letters, digits and underscores, starting with a letter");
        }
        ServicePlugin existing = plugins.putIfAbsent(type, plugin);
        if (existing != null && existing != plugin) {
            throw new IllegalArgumentException("Service type \"" + type + "\" is provided twice: by "
                    + existing.getClass().getName() + " and by "
                    + plugin.getClass().getName()
                    + ". Remove one of them from the plugin's dependencies, or give one another type.");
        }
        return this;
    }

    public synchronized Optional<ServicePlugin> plugin(String type) {
        return Optional.ofNullable(plugins.get(type));
    }

    /** Registered types in alphabetical order. */
    public synchronized List<String> types() {
        return List.copyOf(plugins.keySet());
    }

    public synchronized Map<String, ServicePlugin> plugins() {
        return Collections.unmodifiableMap(new TreeMap<>(plugins));
    }
}
