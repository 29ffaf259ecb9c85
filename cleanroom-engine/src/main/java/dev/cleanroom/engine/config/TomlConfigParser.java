package dev.cleanroom.engine.config;

import dev.cleanroom.engine.spi.Durations;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.PullPolicy;
import dev.cleanroom.engine.spi.Json;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads a {@code *.clnrm.toml} file into a validated {@link TestFile}. The only class that
 * knows tomlj. Collects every problem of the file and throws them together, so a user fixes
 * their file in one round rather than one error per build.
 */
public final class TomlConfigParser {

    static final List<String> TOP_LEVEL_KEYS = List.of("meta", "services", "steps");
    static final List<String> META_KEYS = List.of("name", "description", "version");
    static final List<String> SERVICE_ENGINE_KEYS = List.of("type", "plugin", "depends_on", "pull");
    static final List<String> STEP_KEYS = List.of("name", "service", "command", "expected_output_regex",
            "expected_exit_code", "timeout", "continue_on_failure", "env", "workdir");
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final int MAX_FILE_BYTES = 1024 * 1024;
    /** tomlj parses recursively; far deeper nesting than any real file has would overflow the stack. */
    static final int MAX_NESTING = 64;
    private static final int SHOWN_TEXT_LENGTH = 80;

    private final ServiceFactory factory;

    public TomlConfigParser(ServiceFactory factory) {
        this.factory = factory;
    }

    public TestFile parse(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = readRegularFile(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw single(file, "", "the file does not exist", "check the path; relative paths start at "
                    + Path.of("").toAbsolutePath());
        } catch (java.nio.file.AccessDeniedException e) {
            throw single(file, "", "the file cannot be read: permission denied", "make it readable for this user");
        } catch (IOException e) {
            throw single(file, "", "the file cannot be read: " + e.getMessage(), "check that it is a readable file");
        }
        return parse(file, bytes);
    }

    /**
     * The file's bytes, at most {@link #MAX_FILE_BYTES} + 1 of them (enough to tell "too large").
     * Only a regular file is opened: a named pipe blocks the open until someone writes, and a
     * device such as /dev/zero never ends.
     */
    private static byte[] readRegularFile(Path file) throws IOException, ConfigException {
        java.nio.file.attribute.BasicFileAttributes attributes = Files.readAttributes(file,
                java.nio.file.attribute.BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw single(file, "", "the file is " + notRegular(file) + ", not a regular file; Cleanroom reads only "
                    + "regular files", "pass a *.clnrm.toml file");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw tooLarge(file, attributes.size());
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_FILE_BYTES + 1); // it may have grown since
        }
    }

    /** What a path that is not a regular file is, following symbolic links as opening it would. */
    private static String notRegular(Path file) {
        String kind = fileKind(file);
        if (!Files.isSymbolicLink(file)) {
            return kind;
        }
        try {
            return "a symbolic link to " + file.toRealPath() + ", " + kind;
        } catch (IOException e) {
            return "a symbolic link to " + kind;
        }
    }

    /** The POSIX file type from the mode bits where the platform exposes them (Linux, macOS). */
    private static String fileKind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                case 0040000 -> "a directory";
                default -> "something else";
            };
        } catch (IOException | RuntimeException e) {
            return Files.isDirectory(file) ? "a directory" : "something else";
        }
    }

    private static ConfigException tooLarge(Path file, long size) {
        return single(file, "", "the file is " + size + " bytes; Cleanroom reads at most " + MAX_FILE_BYTES,
                "split it into several *.clnrm.toml files");
    }

    public TestFile parse(Path file, byte[] bytes) throws ConfigException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge(file, bytes.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(new SourcePosition(file, lineOfFirstBadByte(bytes), 0),
                    "", "the file is not valid UTF-8", "save it as UTF-8")));
        }
        return new FileReader(file).read(text);
    }

    /**
     * The line on which [ and { (outside strings and comments) first nest deeper than
     * {@link #MAX_NESTING}, or 0: a cheap check before tomlj's recursive parser sees the text.
     */
    static int lineNestedTooDeep(String text) {
        int depth = 0;
        int line = 1;
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (comment) {
                comment = c != '\n';
            } else if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote || c == '\n') {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                comment = true;
            } else if ((c == '[' || c == '{') && ++depth > MAX_NESTING) {
                return line;
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return 0;
    }

    /** User text shown in a message, cut short so a huge value cannot flood the log. */
    static String shorten(String text) {
        return text.length() > SHOWN_TEXT_LENGTH ? text.substring(0, SHOWN_TEXT_LENGTH - 3) + "..." : text;
    }

    private static ConfigException single(Path file, String key, String message, String fix) {
        return new ConfigException(List.of(new ConfigProblem(SourcePosition.unknown(file), key, message, fix)));
    }

    private static int lineOfFirstBadByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            int len = (bytes[i] & 0x80) == 0 ? 1 : (bytes[i] & 0xE0) == 0xC0 ? 2 : (bytes[i] & 0xF0) == 0xE0 ? 3
                    : (bytes[i] & 0xF8) == 0xF0 ? 4 : 0;
            if (len == 0 || i + len > bytes.length) {
                return line;
            }
            try {
                decoder.reset().decode(ByteBuffer.wrap(bytes, i, len));
            } catch (CharacterCodingException e) {
                return line;
            }
            if (bytes[i] == '\n') {
                line++;
            }
            i += len - 1;
        }
        return line;
    }

    /** One read of one file; holds the problems found so far. */
    private final class FileReader {
        private final Path file;
        private final List<ConfigProblem> problems = new ArrayList<>();
        /** Every service name written, valid or not: a reference to an invalid one is not a second problem. */
        private final Set<String> declared = new HashSet<>();
        /** {@link #declared} as plugins see it; copied once, not once per service (10,000 services took seconds). */
        private Set<String> declaredForPlugins = Set.of();
        /** Built with the dependencies' check; start and stop order come from it. */
        private ServiceGraph graph;
        private final Map<String, String> declaredTypes = new LinkedHashMap<>();

        FileReader(Path file) {
            this.file = file;
        }

        TestFile read(String text) throws ConfigException {
            if (text.startsWith("\uFEFF")) {
                // Some editors on Windows start UTF-8 files with a byte order mark; TOML does not allow it.
                text = text.substring(1);
            }
            if (text.isBlank()) {
                throw single(file, "", "the file is empty", "declare at least one service, e.g. [services.app] "
                        + "with type = \"generic_container\" and image = \"...\"");
            }
            int tooDeep = lineNestedTooDeep(text);
            if (tooDeep > 0) {
                throw new ConfigException(List.of(new ConfigProblem(new SourcePosition(file, tooDeep, 0), "",
                        "arrays or tables are nested too deep (more than " + MAX_NESTING + " levels)",
                        "flatten the structure")));
            }
            TomlParseResult toml;
            try {
                toml = Toml.parse(text);
            } catch (StackOverflowError e) {
                throw single(file, "", "arrays or tables are nested too deep to read", "flatten the structure");
            }
            if (toml.hasErrors()) {
                for (TomlParseError error : toml.errors()) {
                    problems.add(new ConfigProblem(position(error.position()), "",
                            "TOML syntax error: " + error.getMessage(), "see https://toml.io for the syntax"));
                }
                throw new ConfigException(problems);
            }
            for (String key : toml.keySet()) {
                if (!TOP_LEVEL_KEYS.contains(key)) {
                    problems.add(new ConfigProblem(position(toml, key), key, "unknown top-level key",
                            Suggestions.didYouMean(key, TOP_LEVEL_KEYS)));
                }
            }
            String name = readMeta(toml);
            String description = toml.get(List.of("meta")) instanceof TomlTable meta
                    && meta.get(List.of("description")) instanceof String written ? written : "";
            Map<String, ServiceConfig> services = readServices(toml);
            List<StepConfig> steps = readSteps(toml, services);
            if (!problems.isEmpty()) {
                // In file order, so users fix them top to bottom; problems without a line come first.
                problems.sort(java.util.Comparator.comparingInt((ConfigProblem p) -> p.position().line())
                        .thenComparingInt(p -> p.position().column()));
                throw new ConfigException(problems);
            }
            return new TestFile(file, name, description, services, steps, graph);
        }

        private String readMeta(TomlParseResult toml) {
            String fallback = fileStem();
            Object meta = toml.get(List.of("meta"));
            if (meta == null) {
                return fallback;
            }
            if (!(meta instanceof TomlTable table)) {
                problems.add(new ConfigProblem(position(toml, "meta"), "meta", "expected a table, found " + describe(meta),
                        "write [meta] with name = \"...\""));
                return fallback;
            }
            for (String key : table.keySet()) {
                Object value = table.get(List.of(key));
                if (!META_KEYS.contains(key)) {
                    problems.add(new ConfigProblem(position(table, key), "meta." + key, "unknown key",
                            Suggestions.didYouMean(key, META_KEYS)));
                } else if (!(value instanceof String)) {
                    problems.add(new ConfigProblem(position(table, key), "meta." + key,
                            "expected a string, found " + describe(value), "quote the value"));
                }
            }
            return table.isString(List.of("name")) ? table.getString(List.of("name")) : fallback;
        }

        private String fileStem() {
            String fileName = file.getFileName() == null ? "cleanroom" : file.getFileName().toString();
            return fileName.replaceFirst("\\.clnrm\\.toml$", "").replaceFirst("\\.toml$", "");
        }

        private Map<String, ServiceConfig> readServices(TomlParseResult toml) {
            Map<String, ServiceConfig> services = new LinkedHashMap<>();
            Object value = toml.get(List.of("services"));
            if (value == null) {
                problems.add(new ConfigProblem(new SourcePosition(file, 1, 1), "services", "no service is declared",
                        "add a [services.NAME] table with a type, e.g. type = \"generic_container\""));
                return services;
            }
            if (!(value instanceof TomlTable table)) {
                problems.add(new ConfigProblem(position(toml, "services"), "services",
                        "expected tables [services.NAME], found " + describe(value), "write [services.NAME] tables"));
                return services;
            }
            Map<String, String> lowerCaseNames = new HashMap<>();
            declared.addAll(table.keySet());
            declaredForPlugins = Set.copyOf(declared);
            for (String name : table.keySet()) {
                // Raw, before each service is read: plugins may ask for the type of a service after theirs.
                Object type = table.get(List.of(name)) instanceof TomlTable service
                        ? service.get(List.of(service.contains(List.of("type")) ? "type" : "plugin")) : null;
                declaredTypes.put(name, type instanceof String text ? text : "");
            }
            for (String name : table.keySet()) {
                String path = "services." + name;
                Object serviceValue = table.get(List.of(name));
                if (!SERVICE_NAME.matcher(name).matches()) {
                    problems.add(new ConfigProblem(position(table, name), path, "\"" + name + "\" is not a valid service name",
                            "use letters, digits, '_', '-' or '.', starting with a letter or digit, at most 63 characters"));
                    continue;
                }
                String clash = lowerCaseNames.putIfAbsent(name.toLowerCase(), name);
                if (clash != null) {
                    problems.add(new ConfigProblem(position(table, name), path, "service names \"" + clash + "\" and \""
                            + name + "\" differ only in case, but network names ignore case", "rename one of them"));
                    continue;
                }
                if (!(serviceValue instanceof TomlTable serviceTable)) {
                    problems.add(new ConfigProblem(position(table, name), path, "expected a table, found "
                            + describe(serviceValue), "write [services." + name + "] with type = \"...\""));
                    continue;
                }
                readService(name, serviceTable, position(table, name)).ifPresent(s -> services.put(name, s));
            }
            checkDependencies(services);
            Map<String, ConfigSchema> schemas = new HashMap<>();
            services.values().forEach(s -> factory.plugin(s.type()).ifPresent(p -> schemas.put(s.name(), KeySchemas.of(p.keys()))));
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
                problems.add(new ConfigProblem(position(table, key), path + "." + key, "unknown service type \"" + type + "\"",
                        Suggestions.closest(type, factory.types()).map(t -> "did you mean `" + t + "`? ").orElse("")
                                + "known types: " + String.join(", ", factory.types())));
                return Optional.empty();
            }
            ConfigSchema schema = KeySchemas.of(plugin.get().keys());
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, SourcePosition> positions = new HashMap<>();
            readServiceKeys(name, type, schema, table, "", values, positions);
            for (ConfigKey key : schema.keys()) {
                if (key.required() && !positions.containsKey(key.path())) {
                    problems.add(new ConfigProblem(tablePosition, path + "." + key.path(), "missing required key for type \""
                            + type + "\"", "add " + key.path() + " = " + example(key)));
                }
            }
            List<String> dependsOn = readStringList(table, "depends_on", path + ".depends_on").orElse(List.of());
            if (table.contains(List.of("depends_on"))) {
                positions.put("depends_on", position(table, "depends_on"));
            }
            PullPolicy pull = readString(table, "pull", path + ".pull").flatMap(text -> readPullPolicy(table, path, text))
                    .orElse(null);
            if (table.contains(List.of("pull"))) {
                positions.put("pull", position(table, "pull"));
            }
            ServiceConfig config = new ServiceConfig(name, type, tablePosition, dependsOn, values, positions, pull);
            // The plugin reads its settings once; what it returns is used only when no problem is found.
            ServiceDefinition definition = plugin.get().define(new SettingsReader(config, declaredTypes,
                    plugin.get().keys(), problems));
            return Optional.of(config.withDefinition(definition));
        }

        private String readType(String name, TomlTable table, SourcePosition tablePosition) {
            String path = "services." + name;
            Object type = table.get(List.of("type"));
            Object plugin = table.get(List.of("plugin"));
            if (type != null && plugin != null && !type.equals(plugin)) {
                problems.add(new ConfigProblem(position(table, "plugin"), path + ".plugin", "both type and plugin are set, "
                        + "to different values", "keep only type"));
                return null;
            }
            Object chosen = type != null ? type : plugin;
            String key = type != null ? "type" : "plugin";
            if (chosen == null) {
                problems.add(new ConfigProblem(tablePosition, path + ".type", "missing service type",
                        "add type = \"...\"; known types: " + String.join(", ", factory.types())));
                return null;
            }
            if (!(chosen instanceof String text)) {
                problems.add(new ConfigProblem(position(table, key), path + "." + key, "expected a string, found "
                        + describe(chosen), "write type = \"generic_container\""));
                return null;
            }
            return text;
        }

        private void readServiceKeys(String service, String type, ConfigSchema schema, TomlTable table, String prefix,
                                     Map<String, Object> values, Map<String, SourcePosition> positions) {
            for (String key : table.keySet()) {
                String keyPath = prefix + key;
                if (prefix.isEmpty() && SERVICE_ENGINE_KEYS.contains(key)) {
                    continue;
                }
                Object raw = table.get(List.of(key));
                SourcePosition at = position(table, key);
                String fullPath = "services." + service + "." + keyPath;
                Optional<ConfigKey> declared = schema.key(keyPath);
                if (declared.isPresent()) {
                    positions.put(keyPath, at);
                    Optional<Object> converted = convert(declared.get(), raw, at, fullPath);
                    converted.ifPresent(v -> values.put(keyPath, v));
                    if (converted.isPresent() && isEnvironment(declared.get()) && raw instanceof TomlTable entries) {
                        checkEnvironment(entries, fullPath);
                    }
                } else if (raw instanceof TomlTable nested && schema.isTablePrefix(keyPath)) {
                    readServiceKeys(service, type, schema, nested, keyPath + ".", values, positions);
                } else {
                    List<String> accepted = new ArrayList<>(SERVICE_ENGINE_KEYS);
                    schema.keys().forEach(k -> accepted.add(k.path()));
                    if (raw instanceof TomlTable) {
                        // `helth.http = ...` arrives as an unknown table "helth": compare with table names too.
                        schema.keys().forEach(k -> {
                            int dot = k.path().indexOf('.', prefix.length());
                            if (dot > 0 && !accepted.contains(k.path().substring(0, dot))) {
                                accepted.add(k.path().substring(0, dot));
                            }
                        });
                    }
                    problems.add(new ConfigProblem(at, fullPath, "unknown key for type \"" + type + "\"",
                            Suggestions.didYouMean(keyPath, accepted)));
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
                problems.add(new ConfigProblem(at, fullPath, "expected " + key.type().description() + ", found "
                        + describe(raw) + (shown.isEmpty() ? "" : " " + shown),
                        key.secret() ? "quote the value: " + key.path() + " = \"****\"" : fixFor(key, raw)));
            }
            return Optional.ofNullable(converted);
        }

        private String fixFor(ConfigKey key, Object raw) {
            return switch (key.type()) {
                case STRING_LIST -> raw instanceof String s
                        ? "write it as a list: " + key.path() + " = [\"" + String.join("\", \"", s.trim().split("\\s+")) + "\"]"
                        : "write a list of strings, e.g. " + key.path() + " = [\"a\", \"b\"]";
                case STRING_MAP -> "write one entry per line, e.g. " + key.path() + ".NAME = \"value\"";
                case DURATION -> "write e.g. " + key.path() + " = \"30s\"";
                case STRING -> raw instanceof String ? "" : "quote the value: " + key.path() + " = \"" + render(raw).replace("\"", "") + "\"";
                default -> "write " + key.path() + " = " + example(key);
            };
        }

        private List<StepConfig> readSteps(TomlParseResult toml, Map<String, ServiceConfig> services) {
            List<StepConfig> steps = new ArrayList<>();
            Object value = toml.get(List.of("steps"));
            if (value == null) {
                return steps;
            }
            if (!(value instanceof TomlArray array) || !allTables(array)) {
                problems.add(new ConfigProblem(position(toml, "steps"), "steps", "expected [[steps]] tables, found "
                        + describe(value), "write each step as a [[steps]] table"));
                return steps;
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                TomlTable table = array.getTable(i);
                SourcePosition at = position(array.inputPositionOf(i));
                readStep(table, i, at, services, names).ifPresent(steps::add);
            }
            return steps;
        }

        private Optional<StepConfig> readStep(TomlTable table, int index, SourcePosition at,
                                              Map<String, ServiceConfig> services, Set<String> names) {
            int before = problems.size();
            String prefix = "steps[" + index + "]";
            for (String key : table.keySet()) {
                if (!STEP_KEYS.contains(key)) {
                    problems.add(new ConfigProblem(position(table, key), prefix + "." + key, "unknown step key",
                            Suggestions.didYouMean(key, STEP_KEYS)));
                }
            }
            String name = readString(table, "name", prefix + ".name").orElse(null);
            if (name == null && !table.contains(List.of("name"))) {
                problems.add(new ConfigProblem(at, prefix + ".name", "missing step name", "add name = \"...\""));
            } else if (name != null && name.isBlank()) {
                problems.add(new ConfigProblem(position(table, "name"), prefix + ".name", "the step name is empty",
                        "give the step a name; reports are keyed by it"));
            } else if (name != null && !names.add(name)) {
                problems.add(new ConfigProblem(position(table, "name"), prefix + ".name", "duplicate step name \""
                        + name + "\"", "give every step its own name; reports are keyed by it"));
            }
            String label = name == null ? prefix : "steps[" + index + "] (\"" + name + "\")";
            String service = readStepService(table, label, services);
            List<String> command = readStringList(table, "command", label + ".command").orElse(List.of());
            if (!command.isEmpty() && command.get(0).isEmpty()) {
                problems.add(new ConfigProblem(position(table, "command"), label + ".command", "the program name is empty",
                        "start the command with the program to run, e.g. [\"echo\", \"hi\"]"));
            }
            if (command.isEmpty() && !problemAt(before, label + ".command")) {
                problems.add(new ConfigProblem(table.contains(List.of("command")) ? position(table, "command") : at,
                        label + ".command", "missing or empty command",
                        "add command = [\"program\", \"arg\"]; it runs as written, not through a shell"));
            }
            Optional<Pattern> regex = readString(table, "expected_output_regex", label + ".expected_output_regex")
                    .flatMap(r -> compile(r, position(table, "expected_output_regex"), label));
            int exitCode = readInt(table, "expected_exit_code", label + ".expected_exit_code", 0, 255).orElse(0);
            Optional<Duration> timeout = readDuration(table, "timeout", label + ".timeout");
            boolean continueOnFailure = readBoolean(table, "continue_on_failure", label + ".continue_on_failure");
            Map<String, String> env = readMap(table, "env", label + ".env");
            if (!env.isEmpty() && table.get(List.of("env")) instanceof TomlTable entries) {
                checkEnvironment(entries, label + ".env");
            }
            Optional<String> workdir = readString(table, "workdir", label + ".workdir");
            if (problems.size() > before || name == null || service == null) {
                return Optional.empty();
            }
            return Optional.of(new StepConfig(name, service, command, regex, exitCode, timeout, continueOnFailure, env,
                    workdir, at));
        }

        /** One problem per bad name or value of {@code entries}, at the entry's own line. */
        private void checkEnvironment(TomlTable entries, String path) {
            for (String name : entries.keySet()) {
                String entryPath = path + "." + EnvironmentEntries.tomlKey(name);
                SourcePosition at = position(entries, name);
                EnvironmentEntries.nameProblem(name).ifPresent(message ->
                        problems.add(new ConfigProblem(at, entryPath, message, EnvironmentEntries.NAME_FIX)));
                if (entries.get(List.of(name)) instanceof String value) {
                    EnvironmentEntries.valueProblem(value).ifPresent(message ->
                            problems.add(new ConfigProblem(at, entryPath, message, "remove it from the value")));
                }
            }
        }

        private boolean problemAt(int since, String keyPath) {
            return problems.subList(since, problems.size()).stream().anyMatch(p -> p.keyPath().equals(keyPath));
        }

        private String readStepService(TomlTable table, String label, Map<String, ServiceConfig> services) {
            Optional<String> named = readString(table, "service", label + ".service");
            if (named.isEmpty()) {
                if (table.contains(List.of("service"))) {
                    return null;
                }
                if (services.size() == 1) {
                    return services.keySet().iterator().next();
                }
                problems.add(new ConfigProblem(position(table, "name"), label + ".service",
                        "missing service: the file declares " + services.size() + " services",
                        "add service = \"...\"; one of: " + String.join(", ", services.keySet())));
                return null;
            }
            if (!services.containsKey(named.get()) && declared.contains(named.get())) {
                return null;
            }
            if (!services.containsKey(named.get())) {
                problems.add(new ConfigProblem(position(table, "service"), label + ".service", "unknown service \""
                        + named.get() + "\"", Suggestions.didYouMean(named.get(), services.keySet())));
                return null;
            }
            return named.get();
        }

        private Optional<Pattern> compile(String regex, SourcePosition at, String label) {
            try {
                return Optional.of(Pattern.compile(regex, Pattern.MULTILINE));
            } catch (PatternSyntaxException e) {
                problems.add(new ConfigProblem(at, label + ".expected_output_regex", "invalid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex() + " of \"" + shorten(regex) + "\"",
                        "escape special characters with \\\\ (in TOML, '...' strings need no escaping)"));
                return Optional.empty();
            }
        }

        private void checkDependencies(Map<String, ServiceConfig> services) {
            for (ServiceConfig service : services.values()) {
                Set<String> seen = new HashSet<>();
                for (String dependency : service.dependsOn()) {
                    if (!seen.add(dependency)) {
                        problems.add(service.problem("depends_on", "\"" + dependency + "\" is listed twice",
                                "list each service once"));
                    } else if (!services.containsKey(dependency) && declared.contains(dependency)) {
                        continue;
                    } else if (!services.containsKey(dependency)) {
                        problems.add(service.problem("depends_on", "unknown service \"" + dependency + "\"",
                                Suggestions.didYouMean(dependency, services.keySet())));
                    } else if (dependency.equals(service.name())) {
                        problems.add(service.problem("depends_on", "a service cannot depend on itself",
                                "remove \"" + dependency + "\""));
                    }
                }
            }
            // depends_on and the plugins' implicit dependencies together: a cycle through either is one error.
            graph = ServiceGraph.of(services);
            graph.cycleProblem().ifPresent(problems::add);
        }

        // --- typed reads of engine-level keys (steps, depends_on) -------------------------------

        private Optional<PullPolicy> readPullPolicy(TomlTable table, String path, String text) {
            Optional<PullPolicy> policy = PullPolicy.parse(text);
            if (policy.isEmpty()) {
                problems.add(new ConfigProblem(position(table, "pull"), path + ".pull", "expected \"missing\", \"always\" "
                        + "or \"never\", found " + Json.quote(text), "write pull = \"missing\" (the default: pull only an "
                        + "image the daemon lacks), \"always\" or \"never\""));
            }
            return policy;
        }

        private Optional<String> readString(TomlTable table, String key, String path) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof String s) {
                return Optional.of(s);
            }
            problems.add(new ConfigProblem(position(table, key), path, "expected a string, found " + describe(value)
                    + " " + render(value), "quote the value"));
            return Optional.empty();
        }

        private Optional<List<String>> readStringList(TomlTable table, String key, String path) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return Optional.empty();
            }
            List<String> list = toStringList(value);
            if (list == null) {
                problems.add(new ConfigProblem(position(table, key), path, "expected a list of strings, found "
                        + describe(value) + " " + render(value), fixFor(ConfigKey.optional(key, ValueType.STRING_LIST,
                        "", ""), value)));
                return Optional.empty();
            }
            return Optional.of(list);
        }

        private Optional<Integer> readInt(TomlTable table, String key, String path, int min, int max) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof Long l && l >= min && l <= max) {
                return Optional.of(l.intValue());
            }
            problems.add(new ConfigProblem(position(table, key), path, "expected an integer from " + min + " to " + max
                    + ", found " + describe(value) + " " + render(value), "write " + key + " = " + min));
            return Optional.empty();
        }

        private boolean readBoolean(TomlTable table, String key, String path) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return false;
            }
            if (value instanceof Boolean b) {
                return b;
            }
            problems.add(new ConfigProblem(position(table, key), path, "expected true or false, found "
                    + describe(value) + " " + render(value), "write " + key + " = true (no quotes)"));
            return false;
        }

        private Optional<Duration> readDuration(TomlTable table, String key, String path) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return Optional.empty();
            }
            Duration duration = toDuration(value);
            if (duration == null) {
                problems.add(new ConfigProblem(position(table, key), path, "expected " + ValueType.DURATION.description()
                        + ", found " + describe(value) + " " + render(value), "write " + key + " = \"30s\""));
            }
            return Optional.ofNullable(duration);
        }

        private Map<String, String> readMap(TomlTable table, String key, String path) {
            Object value = table.get(List.of(key));
            if (value == null) {
                return Map.of();
            }
            Map<String, String> map = toStringMap(value);
            if (map == null) {
                problems.add(new ConfigProblem(position(table, key), path, "expected a table of names to values, found "
                        + describe(value), "write " + key + ".NAME = \"value\""));
                return Map.of();
            }
            return map;
        }

        private SourcePosition position(TomlTable table, String key) {
            return position(table.inputPositionOf(List.of(key)));
        }

        private SourcePosition position(TomlPosition p) {
            return p == null ? SourcePosition.unknown(file) : new SourcePosition(file, p.line(), p.column());
        }
    }

    // --- conversions shared by schema keys and engine keys ------------------------------------

    /**
     * A service's environment: by convention every service type names it {@code env}, so the
     * parser checks names and values once for all of them.
     */
    private static boolean isEnvironment(ConfigKey key) {
        return key.path().equals("env") && key.type() == ValueType.STRING_MAP;
    }

    private static boolean allTables(TomlArray array) {
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable)) {
                return false;
            }
        }
        return true;
    }

    private static Duration toDuration(Object raw) {
        if (raw instanceof Long seconds) {
            return seconds >= 0 && seconds <= 366L * 24 * 3600 ? Duration.ofSeconds(seconds) : null;
        }
        return raw instanceof String s ? Durations.parse(s).orElse(null) : null;
    }

    private static List<String> toStringList(Object raw) {
        if (!(raw instanceof TomlArray array)) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                return null;
            }
            list.add(s);
        }
        return list;
    }

    private static Map<String, String> toStringMap(Object raw) {
        if (!(raw instanceof TomlTable table)) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            Object value = table.get(List.of(key));
            if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
                map.put(key, value.toString());
            } else {
                return null;
            }
        }
        return map;
    }

    static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value instanceof Long) {
            return "an integer";
        } else if (value instanceof Double) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof TomlArray) {
            return "a list";
        } else if (value instanceof TomlTable) {
            return "a table";
        }
        return "a date or time";
    }

    /** The value as TOML would show it, cut short so a huge value cannot flood the log. */
    static String render(Object value) {
        String text;
        if (value instanceof String s) {
            text = "\"" + s + "\"";
        } else if (value instanceof TomlArray array) {
            text = array.toJson().replaceAll("\\s+", " ").strip();
        } else if (value instanceof TomlTable) {
            return "";
        } else {
            text = String.valueOf(value);
        }
        return shorten(text);
    }

    private static String example(ConfigKey key) {
        return switch (key.type()) {
            case STRING -> "\"...\"";
            case INTEGER -> "1";
            case BOOLEAN -> "true";
            case NUMBER -> "1.0";
            case DURATION -> "\"30s\"";
            case STRING_LIST -> "[\"...\"]";
            case STRING_MAP -> "{ NAME = \"value\" }";
        };
    }
}
