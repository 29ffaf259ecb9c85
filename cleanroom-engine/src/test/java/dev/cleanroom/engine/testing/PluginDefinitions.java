package dev.cleanroom.engine.testing;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.SettingsReader;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test support for plugin unit tests: a plugin's reading of values given in code, as the parser
 * would hand them over (integers as {@code Long}, durations as {@code Duration} or text the
 * parser would have read). For values as written in TOML, parse a file with the engine instead.
 */
public final class PluginDefinitions {

    /** The file the values pretend to come from; relative paths start at its directory. */
    public static final Path FILE = Path.of("test.clnrm.toml");

    private PluginDefinitions() {}

    /** The definition of service {@code svc}; fails the test when the plugin reports a problem. */
    public static ServiceDefinition define(ServicePlugin plugin, Map<String, Object> values) {
        return define(plugin, "svc", values, Set.of("svc"));
    }

    /**
     * As above, for a service named {@code name} in a file with {@code allServices}; the others
     * read as {@code generic_container} services (use {@link #define(ServicePlugin, String, Map, Map)}
     * to give their types).
     */
    public static ServiceDefinition define(
            ServicePlugin plugin, String name, Map<String, Object> values, Set<String> allServices) {
        List<ConfigProblem> problems = new ArrayList<>();
        ServiceDefinition definition = read(plugin, name, values, allServices, problems);
        if (!problems.isEmpty()) {
            throw new AssertionError("Expected no problems, got " + problems);
        }
        return definition;
    }

    /** As above, with the type of every service of the file. */
    public static ServiceDefinition define(
            ServicePlugin plugin, String name, Map<String, Object> values, Map<String, String> serviceTypes) {
        List<ConfigProblem> problems = new ArrayList<>();
        ServiceConfig config = ServiceConfig.of(name, plugin.type(), FILE, values);
        ServiceDefinition definition = plugin.define(new SettingsReader(config, serviceTypes, plugin.keys(), problems));
        if (!problems.isEmpty()) {
            throw new AssertionError("Expected no problems, got " + problems);
        }
        return definition;
    }

    /** The problems the plugin (and the engine's range checks) report for these values. */
    public static List<ConfigProblem> problems(ServicePlugin plugin, Map<String, Object> values) {
        return problems(plugin, "svc", values, Set.of("svc"));
    }

    public static List<ConfigProblem> problems(
            ServicePlugin plugin, String name, Map<String, Object> values, Set<String> allServices) {
        List<ConfigProblem> problems = new ArrayList<>();
        read(plugin, name, values, allServices, problems);
        return problems;
    }

    private static ServiceDefinition read(
            ServicePlugin plugin,
            String name,
            Map<String, Object> values,
            Set<String> allServices,
            List<ConfigProblem> problems) {
        ServiceConfig config = ServiceConfig.of(name, plugin.type(), FILE, values);
        Map<String, String> types = new java.util.LinkedHashMap<>();
        allServices.forEach(other -> types.put(other, other.equals(name) ? plugin.type() : "generic_container"));
        return plugin.define(new SettingsReader(config, types, plugin.keys(), problems));
    }
}
