package dev.cleanroom.engine.config;

import static dev.cleanroom.engine.config.TomlConfigParser.single;
import static dev.cleanroom.engine.config.TomlValueReader.describe;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.api.SourcePosition;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * One read of one file's text: the TOML syntax, the top-level keys and {@code [meta]}, with the
 * services and steps handed to their readers. Holds the problems found so far.
 */
final class TomlFileReader {

    static final List<String> TOP_LEVEL_KEYS = List.of("meta", "services", "steps");
    static final List<String> META_KEYS = List.of("name", "description", "version", "reuse");
    /** Keys under [meta] whose value is a boolean; the others are strings. */
    static final List<String> META_BOOLEAN_KEYS = List.of("reuse");
    /** tomlj parses recursively; far deeper nesting than any real file has would overflow the stack. */
    static final int MAX_NESTING = 64;

    private final Path file;
    private final ServiceFactory factory;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final TomlValueReader valueReader;

    TomlFileReader(Path file, ServiceFactory factory) {
        this.file = file;
        this.factory = factory;
        this.valueReader = new TomlValueReader(file, problems);
    }

    TestFile read(String text) throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            // Some editors on Windows start UTF-8 files with a byte order mark; TOML does not allow it.
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw single(
                    file,
                    "",
                    "the file is empty",
                    "declare at least one service, e.g. [services.app] "
                            + "with type = \"generic_container\" and image = \"...\"");
        }
        int tooDeep = lineNestedTooDeep(text);
        if (tooDeep > 0) {
            throw new ConfigException(List.of(new ConfigProblem(
                    new SourcePosition(file, tooDeep, 0),
                    "",
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
                problems.add(new ConfigProblem(
                        valueReader.position(error.position()),
                        "",
                        "TOML syntax error: " + error.getMessage(),
                        "see https://toml.io for the syntax"));
            }
            throw new ConfigException(problems);
        }
        for (String key : toml.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                problems.add(new ConfigProblem(
                        valueReader.position(toml, key),
                        key,
                        "unknown top-level key",
                        Suggestions.didYouMean(key, TOP_LEVEL_KEYS)));
            }
        }
        String name = readMeta(toml);
        String description = toml.get(List.of("meta")) instanceof TomlTable meta
                        && meta.get(List.of("description")) instanceof String written
                ? written
                : "";
        ServicesReader servicesReader = new ServicesReader(valueReader, factory);
        Map<String, ServiceConfig> services = servicesReader.readServices(toml);
        List<StepConfig> steps = new StepsReader(valueReader, servicesReader.declared()).readSteps(toml, services);
        if (!problems.isEmpty()) {
            // In file order, so users fix them top to bottom; problems without a line come first.
            problems.sort(java.util.Comparator.comparingInt(
                            (ConfigProblem p) -> p.position().line())
                    .thenComparingInt(p -> p.position().column()));
            throw new ConfigException(problems);
        }
        return new TestFile(file, name, description, services, steps, servicesReader.graph(), readReuse(toml));
    }

    private String readMeta(TomlParseResult toml) {
        String fallback = fileStem();
        Object meta = toml.get(List.of("meta"));
        if (meta == null) {
            return fallback;
        }
        if (!(meta instanceof TomlTable table)) {
            problems.add(new ConfigProblem(
                    valueReader.position(toml, "meta"),
                    "meta",
                    "expected a table, found " + describe(meta),
                    "write [meta] with name = \"...\""));
            return fallback;
        }
        for (String key : table.keySet()) {
            Object value = table.get(List.of(key));
            if (!META_KEYS.contains(key)) {
                problems.add(new ConfigProblem(
                        valueReader.position(table, key),
                        "meta." + key,
                        "unknown key",
                        Suggestions.didYouMean(key, META_KEYS)));
            } else if (META_BOOLEAN_KEYS.contains(key)) {
                if (!(value instanceof Boolean)) {
                    problems.add(new ConfigProblem(
                            valueReader.position(table, key),
                            "meta." + key,
                            "expected true or false, found " + describe(value),
                            "write " + key + " = true (or false), without quotes"));
                }
            } else if (!(value instanceof String)) {
                problems.add(new ConfigProblem(
                        valueReader.position(table, key),
                        "meta." + key,
                        "expected a string, found " + describe(value),
                        "quote the value"));
            }
        }
        return table.isString(List.of("name")) ? table.getString(List.of("name")) : fallback;
    }

    /** [meta] reuse: empty when unset, so an explicit false is told apart from no say. */
    private static java.util.Optional<Boolean> readReuse(TomlParseResult toml) {
        return toml.get(List.of("meta")) instanceof TomlTable meta && meta.get(List.of("reuse")) instanceof Boolean b
                ? java.util.Optional.of(b)
                : java.util.Optional.empty();
    }

    private String fileStem() {
        String fileName =
                file.getFileName() == null ? "cleanroom" : file.getFileName().toString();
        return fileName.replaceFirst("\\.clnrm\\.toml$", "").replaceFirst("\\.toml$", "");
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
}
