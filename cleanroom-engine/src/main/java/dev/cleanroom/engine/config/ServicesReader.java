package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.KeyHints.example;
import static dev.cleanroom.engine.config.KeyHints.fixFor;
import static dev.cleanroom.engine.config.TomlValueReader.describe;
import static dev.cleanroom.engine.config.TomlValueReader.render;
import static dev.cleanroom.engine.config.TomlValueReader.toDuration;
import static dev.cleanroom.engine.config.TomlValueReader.toStringList;
import static dev.cleanroom.engine.config.TomlValueReader.toStringMap;

import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.api.SourcePosition;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads the {@code [services.NAME]} tables of one file: each service's name and type, its keys
 * against the type's schema (handing them to the plugin to define the service), depends_on and
 * pull, then the dependencies and host ports across services.
 */
final class ServicesReader {

    static final List<String> SERVICE_ENGINE_KEYS = List.of("type", "plugin", "depends_on", "pull", "reset");
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final TomlValueReader valueReader;
    private final Path file;
    private final List<ConfigProblem> problems;
    private final ServiceFactory factory;
    /** Every service name written, valid or not: a reference to an invalid one is not a second problem. */
    private final Set<String> declared = new HashSet<>();

    private final Map<String, String> declaredTypes = new LinkedHashMap<>();
    /** {@link #declaredTypes} as plugins see it: one view for the file, not one copy per service. */
    private ServiceGraph graph;

    private final Map<String, String> declaredTypesForPlugins = Collections.unmodifiableMap(declaredTypes);

    ServicesReader(TomlValueReader valueReader, ServiceFactory factory) {
        this.valueReader = valueReader;
        this.file = valueReader.file();
        this.problems = valueReader.problems();
        this.factory = factory;
    }

    /** Every service name written, valid or not, once {@link #readServices} has run. */
    Set<String> declared() {
        return Collections.unmodifiableSet(declared);
    }

    Map<String, ServiceConfig> readServices(TomlParseResult toml) {
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        Object value = toml.get(List.of("services"));
        if (value == null) {
            problems.add(new ConfigProblem(
                    new SourcePosition(file, 1, 1),
                    "services",
                    "no service is declared",
                    "add a [services.NAME] table with a type, e.g. type = \"generic_container\""));
            return services;
        }
        if (!(value instanceof TomlTable table)) {
            problems.add(new ConfigProblem(
                    valueReader.position(toml, "services"),
                    "services",
                    "expected tables [services.NAME], found " + describe(value),
                    "write [services.NAME] tables"));
            return services;
        }
        Map<String, String> lowerCaseNames = new HashMap<>();
        declared.addAll(table.keySet());
        for (String name : table.keySet()) {
            // Raw, before each service is read: plugins may ask for the type of a service after theirs.
            Object type = table.get(List.of(name)) instanceof TomlTable service
                    ? service.get(List.of(service.contains(List.of("type")) ? "type" : "plugin"))
                    : null;
            declaredTypes.put(name, type instanceof String text ? text : "");
        }
        for (String name : table.keySet()) {
            String path = "services." + name;
            Object serviceValue = table.get(List.of(name));
            if (!SERVICE_NAME.matcher(name).matches()) {
                problems.add(
                        new ConfigProblem(
                                valueReader.position(table, name),
                                path,
                                "\"" + name + "\" is not a valid service name",
                                "use letters, digits, '_', '-' or '.', starting with a letter or digit, at most 63 characters"));
                continue;
            }
            String clash = lowerCaseNames.putIfAbsent(name.toLowerCase(), name);
            if (clash != null) {
                problems.add(new ConfigProblem(
                        valueReader.position(table, name),
                        path,
                        "service names \"" + clash + "\" and \"" + name
                                + "\" differ only in case, but network names ignore case",
                        "rename one of them"));
                continue;
            }
            if (!(serviceValue instanceof TomlTable serviceTable)) {
                problems.add(new ConfigProblem(
                        valueReader.position(table, name),
                        path,
                        "expected a table, found " + describe(serviceValue),
                        "write [services." + name + "] with type = \"...\""));
                continue;
            }
            readService(name, serviceTable, valueReader.position(table, name)).ifPresent(s -> services.put(name, s));
        }
        checkDependencies(services);
        Map<String, ConfigSchema> schemas = new HashMap<>();
        services.values()
                .forEach(s -> factory.plugin(s.type()).ifPresent(p -> schemas.put(s.name(), KeySchemas.of(p.keys()))));
        problems.addAll(HostPortClashes.find(services, schemas));
        return services;
    }

    private Optional<ServiceConfig> readService(String name, TomlTable table, SourcePosition tablePosition) {
        String path = "services." + name;
        String type = readType(name, table, tablePosition);
        if (type == null) {
            return Optional.empty();
        }
        Optional<ServicePlugin> plugin = factory.plugin(type);
        if (plugin.isEmpty()) {
            String key = table.contains(List.of("type")) ? "type" : "plugin";
            problems.add(new ConfigProblem(
                    valueReader.position(table, key),
                    path + "." + key,
                    "unknown service type \"" + type + "\"",
                    Suggestions.closest(type, factory.types())
                                    .map(t -> "did you mean `" + t + "`? ")
                                    .orElse("") + "known types: " + String.join(", ", factory.types())));
            return Optional.empty();
        }
        ConfigSchema schema = KeySchemas.of(plugin.get().keys());
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, SourcePosition> positions = new HashMap<>();
        readServiceKeys(name, type, schema, table, "", values, positions);
        for (ConfigKey key : schema.keys()) {
            if (key.required() && !positions.containsKey(key.path())) {
                problems.add(new ConfigProblem(
                        tablePosition,
                        path + "." + key.path(),
                        "missing required key for type \"" + type + "\"",
                        "add " + key.path() + " = " + example(key)));
            }
        }
        List<String> dependsOn = valueReader
                .readStringList(table, "depends_on", path + ".depends_on")
                .orElse(List.of());
        if (table.contains(List.of("depends_on"))) {
            positions.put("depends_on", valueReader.position(table, "depends_on"));
        }
        PullPolicy pull = valueReader
                .readString(table, "pull", path + ".pull")
                .flatMap(text -> readPullPolicy(table, path, text))
                .orElse(null);
        if (table.contains(List.of("pull"))) {
            positions.put("pull", valueReader.position(table, "pull"));
        }
        List<String> resetCommand = readResetCommand(table, path, positions);
        ServiceConfig config =
                new ServiceConfig(name, type, tablePosition, dependsOn, values, positions, pull, resetCommand);
        // The plugin reads its settings once; what it returns is used only when no problem is found.
        ServiceDefinition definition = plugin.get()
                .define(new SettingsReader(
                        config, declaredTypesForPlugins, plugin.get().keys(), problems));
        return Optional.of(config.withDefinition(definition));
    }

    /**
     * {@code reset.command}: the argv run in a reused service's container before a build gets it
     * (see reuse); empty when not written.
     */
    private List<String> readResetCommand(TomlTable table, String path, Map<String, SourcePosition> positions) {
        Object reset = table.get(List.of("reset"));
        if (reset == null) {
            return List.of();
        }
        if (!(reset instanceof TomlTable resetTable)) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "reset"),
                    path + ".reset",
                    "expected a table, found " + describe(reset),
                    "write reset.command = [\"psql\", \"-c\", \"TRUNCATE ...\"] (an argv list)"));
            return List.of();
        }
        for (String key : resetTable.keySet()) {
            if (!key.equals("command")) {
                problems.add(new ConfigProblem(
                        valueReader.position(resetTable, key),
                        path + ".reset." + key,
                        "unknown key",
                        "the only key under reset is command, an argv list"));
            }
        }
        Optional<List<String>> read = valueReader.readStringList(resetTable, "command", path + ".reset.command");
        List<String> command = read.orElse(List.of());
        if (read.isPresent()) {
            positions.put("reset.command", valueReader.position(resetTable, "command"));
            if (command.isEmpty()) {
                problems.add(
                        new ConfigProblem(
                                valueReader.position(resetTable, "command"),
                                path + ".reset.command",
                                "the command is empty",
                                "name the program and its arguments, e.g. [\"sh\", \"-c\", \"rm -rf /data/*\"], or remove the key"));
            }
        }
        return command;
    }

    private String readType(String name, TomlTable table, SourcePosition tablePosition) {
        String path = "services." + name;
        Object type = table.get(List.of("type"));
        Object plugin = table.get(List.of("plugin"));
        if (type != null && plugin != null && !type.equals(plugin)) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "plugin"),
                    path + ".plugin",
                    "both type and plugin are set, " + "to different values",
                    "keep only type"));
            return null;
        }
        Object chosen = type != null ? type : plugin;
        String key = type != null ? "type" : "plugin";
        if (chosen == null) {
            problems.add(new ConfigProblem(
                    tablePosition,
                    path + ".type",
                    "missing service type",
                    "add type = \"...\"; known types: " + String.join(", ", factory.types())));
            return null;
        }
        if (!(chosen instanceof String text)) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, key),
                    path + "." + key,
                    "expected a string, found " + describe(chosen),
                    "write type = \"generic_container\""));
            return null;
        }
        return text;
    }

    private void readServiceKeys(
            String service,
            String type,
            ConfigSchema schema,
            TomlTable table,
            String prefix,
            Map<String, Object> values,
            Map<String, SourcePosition> positions) {
        for (String key : table.keySet()) {
            String keyPath = prefix + key;
            if (prefix.isEmpty() && SERVICE_ENGINE_KEYS.contains(key)) {
                continue;
            }
            Object raw = table.get(List.of(key));
            SourcePosition at = valueReader.position(table, key);
            String fullPath = "services." + service + "." + keyPath;
            Optional<ConfigKey> declared = schema.key(keyPath);
            if (declared.isPresent()) {
                positions.put(keyPath, at);
                Optional<Object> converted = convert(declared.get(), raw, at, fullPath);
                converted.ifPresent(v -> values.put(keyPath, v));
                if (converted.isPresent() && isEnvironment(declared.get()) && raw instanceof TomlTable entries) {
                    valueReader.checkEnvironment(entries, fullPath);
                }
            } else if (raw instanceof TomlTable nested && schema.isTablePrefix(keyPath)) {
                readServiceKeys(service, type, schema, nested, keyPath + ".", values, positions);
            } else {
                problems.add(new ConfigProblem(
                        at,
                        fullPath,
                        "unknown key for type \"" + type + "\"",
                        Suggestions.didYouMean(keyPath, KeyHints.acceptedServiceKeys(schema, prefix, raw))));
            }
        }
    }

    private Optional<Object> convert(ConfigKey key, Object raw, SourcePosition at, String fullPath) {
        Object converted = switch (key.type()) {
            case STRING -> raw instanceof String ? raw : null;
            case INTEGER -> raw instanceof Long ? raw : null;
            case BOOLEAN -> raw instanceof Boolean ? raw : null;
            case NUMBER -> raw instanceof Long l ? Double.valueOf(l) : raw instanceof Double ? raw : null;
            case DURATION -> toDuration(raw);
            case STRING_LIST -> toStringList(raw);
            case STRING_MAP -> toStringMap(raw);
        };
        if (converted == null) {
            String shown = key.secret() ? "****" : render(raw);
            problems.add(new ConfigProblem(
                    at,
                    fullPath,
                    "expected " + key.type().description() + ", found " + describe(raw)
                            + (shown.isEmpty() ? "" : " " + shown),
                    key.secret() ? "quote the value: " + key.path() + " = \"****\"" : fixFor(key, raw)));
        }
        return Optional.ofNullable(converted);
    }

    private Optional<PullPolicy> readPullPolicy(TomlTable table, String path, String text) {
        Optional<PullPolicy> policy = PullPolicy.parse(text);
        if (policy.isEmpty()) {
            problems.add(new ConfigProblem(
                    valueReader.position(table, "pull"),
                    path + ".pull",
                    "expected \"missing\", \"always\" " + "or \"never\", found " + Json.quote(text),
                    "write pull = \"missing\" (the default: pull only an "
                            + "image the daemon lacks), \"always\" or \"never\""));
        }
        return policy;
    }

    private void checkDependencies(Map<String, ServiceConfig> services) {
        for (ServiceConfig service : services.values()) {
            Set<String> seen = new HashSet<>();
            for (String dependency : service.dependsOn()) {
                if (!seen.add(dependency)) {
                    problems.add(service.problem(
                            "depends_on", "\"" + dependency + "\" is listed twice", "list each service once"));
                } else if (!services.containsKey(dependency) && declared.contains(dependency)) {
                    continue;
                } else if (!services.containsKey(dependency)) {
                    problems.add(service.problem(
                            "depends_on",
                            "unknown service \"" + dependency + "\"",
                            Suggestions.didYouMean(dependency, services.keySet())));
                } else if (dependency.equals(service.name())) {
                    problems.add(service.problem(
                            "depends_on", "a service cannot depend on itself", "remove \"" + dependency + "\""));
                }
            }
        }
        // depends_on and the plugins' implicit dependencies together: a cycle through either is one error.
        graph = ServiceGraph.of(services);
        graph.cycleProblem().ifPresent(problems::add);
    }

    /** The file's one service graph, built with the dependencies' check; start and stop order come from it. */
    ServiceGraph graph() {
        return graph;
    }

    /**
     * A service's environment: by convention every service type names it {@code env}, so the
     * parser checks names and values once for all of them.
     */
    private static boolean isEnvironment(ConfigKey key) {
        return key.path().equals("env") && key.type() == Key.Kind.STRING_MAP;
    }
}
