package dev.cleanroom.engine.spi;

import java.util.List;

/**
 * A service type users name in {@code [services.NAME] type = "..."}: the entry point of a plugin.
 *
 * <p>A plugin declares its keys once ({@link #keys()}); the engine checks every value against
 * them (type, range, required) and then calls {@link #define} once per service to read the
 * settings into the plugin's own typed value. The definition creates one {@link Service} per
 * run, which holds that run's state: the plugin itself stays stateless and may be shared by many
 * builds in one JVM (mvnd, an IDE).
 *
 * <p>Plugins are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.cleanroom.engine.spi.ServicePlugin}. A plugin imports only this
 * package.
 */
public interface ServicePlugin {

    /** The name users write as {@code type}, e.g. {@code generic_container}. */
    String type();

    /** One line for {@code mvn cleanroom:plugins}. */
    String description();

    /**
     * The keys accepted under {@code [services.NAME]} besides {@code type}, {@code depends_on} and
     * {@code pull}, in the order the reference lists them.
     */
    List<Key<?>> keys();

    /**
     * Reads one service's settings, once, before any container of the run starts. Report every
     * problem through {@link Settings#problem} (do not stop at the first); when any is reported
     * the returned definition is discarded and nothing starts.
     */
    ServiceDefinition define(Settings settings);
}
