package dev.cleanroom.plugins.docs;

import dev.cleanroom.engine.config.ConfigKey;
import dev.cleanroom.engine.config.KeySchemas;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.plugins.generic.GenericContainerPlugin;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Renders {@code site/markdown/toml-reference.md}: every key of the file format, from the code
 * that accepts it, so the page cannot drift. Plugin keys come from each built-in plugin's
 * {@link dev.cleanroom.engine.spi.ServicePlugin#configSchema()}; the engine's own keys are listed
 * here with their words for users, and {@code EngineKeysTest} holds these lists equal to what
 * {@link dev.cleanroom.engine.config.TomlConfigParser} accepts. {@code TomlReferenceTest} compares
 * the committed page with {@link #render()} and rewrites it on {@code -Dcleanroom.regenerateDocs=true}.
 */
public final class TomlReferenceGenerator {

    /** Where the page lives, relative to the repository root. */
    public static final String PAGE = "site/markdown/toml-reference.md";

    /** The command that rewrites the generated pages, for failure messages and the page's header. */
    public static final String REGENERATE = "./mvnw test -pl cleanroom-plugins -am -Dtest=TomlReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dcleanroom.regenerateDocs=true";

    /**
     * One key the engine itself reads (not a plugin). {@code example} is a TOML value that the
     * parser accepts for it; {@code EngineKeysTest} parses a file built from all of them.
     */
    public record EngineKey(String name, String type, String defaultValue, String description, String example) {

        public EngineKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(example, "example");
        }
    }

    public static final List<EngineKey> TOP_LEVEL_KEYS = List.of(
            new EngineKey("meta", "table", "", "What the file is about; see [meta](#" + anchor("meta") + ").", ""),
            new EngineKey(
                    "services",
                    "tables `[services.NAME]`",
                    "required",
                    "One table per service; at least one. NAME is the service's name on the run's network: "
                            + "letters, digits, `_`, `-` or `.`, starting with a letter or digit, at most 63 "
                            + "characters, unique regardless of case.",
                    ""),
            new EngineKey(
                    "steps",
                    "array of tables `[[steps]]`",
                    "",
                    "Commands run inside the services once all are healthy, in the order written; " + "see [Steps](#"
                            + anchor("Steps") + ").",
                    ""));

    public static final List<EngineKey> META_KEYS = List.of(
            new EngineKey(
                    "name",
                    typeName(Key.Kind.STRING),
                    "the file name without `.clnrm.toml`",
                    "Name of the test in reports (`cleanroom.name` in the JUnit XML, `name` in the JSON summary).",
                    "\"hello\""),
            new EngineKey(
                    "description",
                    typeName(Key.Kind.STRING),
                    "",
                    "What the file tests, for readers.",
                    "\"a web server answers a client on the same network\""),
            new EngineKey("version", typeName(Key.Kind.STRING), "", "Version of the file, for readers.", "\"1.0\""),
            new EngineKey(
                    "reuse",
                    "boolean",
                    "unset (off; off in CI)",
                    "Keep this file's services running for the next build, which adopts those whose definition is "
                            + "unchanged. `-Dcleanroom.reuse` and the `<reuse>` parameter win over it; unset, reuse is "
                            + "off, and always off in CI. Data carries over unless `reset.command` cleans it; see the "
                            + "dev loop page.",
                    "true"),
            new EngineKey(
                    "shared",
                    "boolean",
                    "false",
                    "Start this file's services once for a whole Maven reactor (every module's `cleanroom:start` "
                            + "that names it uses the same services; they stop when the build ends), as an execution "
                            + "with `<shared>true</shared>` does; see the dev loop page. Other goals and the JUnit 5 "
                            + "extension treat the file as usual.",
                    "true"));

    public static final List<EngineKey> SERVICE_KEYS = List.of(
            new EngineKey(
                    "type",
                    typeName(Key.Kind.STRING),
                    "required",
                    "The service type: one of the plugins below, or a custom plugin's type.",
                    "\"" + GenericContainerPlugin.TYPE + "\""),
            new EngineKey(
                    "plugin",
                    typeName(Key.Kind.STRING),
                    "",
                    "Another name for `type`, as upstream clnrm files write it; set one of the two "
                            + "(both only when they are equal).",
                    "\"" + GenericContainerPlugin.TYPE + "\""),
            new EngineKey(
                    "depends_on",
                    typeName(Key.Kind.STRING_LIST),
                    "",
                    "Services of the same file that must be healthy before this one starts; services with "
                            + "no dependency between them start in parallel. Cycles are refused.",
                    "[]"),
            new EngineKey(
                    "pull",
                    typeName(Key.Kind.STRING),
                    "`\"missing\"`",
                    "When the service's images are pulled: `\"missing\"` (only an image the Docker daemon lacks), "
                            + "`\"always\"` (before every run; the log says whether the digest changed) or `\"never\"` "
                            + "(an image the daemon lacks fails the run before any container starts). "
                            + "`-Dcleanroom.pull` overrides it for every service of the build; see images.md.",
                    "\"missing\""),
            new EngineKey(
                    "reset.command",
                    typeName(Key.Kind.STRING_LIST),
                    "",
                    "With reuse across builds: the argv run in the service's container before a reused service is "
                            + "handed to a build (e.g. truncate the tables). Without it, data carries over from build "
                            + "to build. Part of the service's definition: changing it replaces the service.",
                    "[\"psql\", \"-U\", \"postgres\", \"-c\", \"TRUNCATE orders\"]"));

    public static final List<EngineKey> STEP_KEYS = List.of(
            new EngineKey(
                    "name",
                    typeName(Key.Kind.STRING),
                    "required",
                    "Unique in the file; the test case's name in the reports.",
                    "\"says_hello\""),
            new EngineKey(
                    "service",
                    typeName(Key.Kind.STRING),
                    "the only service, when the file has one",
                    "The service whose container runs the command.",
                    "\"app\""),
            new EngineKey(
                    "command",
                    typeName(Key.Kind.STRING_LIST),
                    "required",
                    "An argv list run inside the service's container, as written: no shell parses it. "
                            + "Write `[\"sh\", \"-c\", \"...\"]` to get a shell.",
                    "[\"echo\", \"hello\"]"),
            new EngineKey(
                    "expected_output_regex",
                    typeName(Key.Kind.STRING),
                    "",
                    "A Java regular expression searched for in the command's stdout (`^` and `$` match at "
                            + "line ends); the step fails when it is not found, or when matching takes longer than "
                            + "the step's `timeout`. Of a stdout larger than 1 MiB, the first and the last 512 KiB "
                            + "(whole lines) are kept and searched, and the reports say where it was cut.",
                    "\"^hello$\""),
            new EngineKey(
                    "expected_exit_code",
                    typeName(Key.Kind.INTEGER),
                    "0",
                    "The exit code the step expects, 0 to 255.",
                    "0"),
            new EngineKey(
                    "timeout",
                    typeName(Key.Kind.DURATION),
                    "10m",
                    "Time the command may take; then it is killed and the step fails.",
                    "\"30s\""),
            new EngineKey(
                    "continue_on_failure",
                    typeName(Key.Kind.BOOLEAN),
                    "false",
                    "When the step fails, report it as tolerated (skipped in the JUnit XML) and go on; the "
                            + "build does not fail. Otherwise a failing step fails the build and skips the "
                            + "steps after it.",
                    "false"),
            new EngineKey(
                    "env",
                    typeName(Key.Kind.STRING_MAP),
                    "",
                    "Environment variables of the command: `env.NAME = \"value\"`.",
                    "{ GREETING = \"hello\" }"),
            new EngineKey(
                    "workdir",
                    typeName(Key.Kind.STRING),
                    "the container's",
                    "Working directory of the command.",
                    "\"/\""));

    private TomlReferenceGenerator() {}

    /** The page, exactly as it must be committed. */
    public static String render() {
        Markdown md = new Markdown();
        md.line("<!-- Generated by " + TomlReferenceGenerator.class.getName() + " from the code: do not edit.")
                .line("     Regenerate with: " + REGENERATE + " -->")
                .line("# TOML reference")
                .line()
                .line("Every key a `*.clnrm.toml` file accepts. This page is generated from the code that "
                        + "reads the files (the parser and each built-in plugin's schema), and a test fails "
                        + "when it is out of date.")
                .line()
                .line("A dotted key can also be written as a table: `health.http = \"/\"` under "
                        + "`[services.web]` is the same as `http = \"/\"` under `[services.web.health]`. "
                        + "An unknown key is an error, reported with the closest known key, before any "
                        + "container starts.")
                .line();
        md.line("## File").line();
        engineTable(md, TOP_LEVEL_KEYS);
        md.line("## meta").line().line("Under `[meta]`; all optional.").line();
        engineTable(md, META_KEYS);
        md.line("## Services")
                .line()
                .line("Under `[services.NAME]`, every service takes these keys, whatever its type; the rest "
                        + "of its keys are those of its type (see [Service types](#" + anchor("Service types") + ")).")
                .line();
        engineTable(md, SERVICE_KEYS);
        md.line("## Steps").line().line("Under each `[[steps]]`.").line();
        engineTable(md, STEP_KEYS);
        md.line("## Value types").line();
        md.line("| type | written as |").line("| --- | --- |");
        for (Key.Kind type : Key.Kind.values()) {
            md.line("| " + typeName(type) + " | " + cell(type.description()) + " |");
        }
        md.line()
                .line("A duration is a string of a number and a unit (`ms`, `s`, `m`, `h`), e.g. `\"500ms\"`, "
                        + "or an integer number of seconds.")
                .line()
                .line("In every `env` table, a service's or a step's, a variable name is not empty and has no "
                        + "`=`, whitespace or control character, and a value has no NUL character: Docker would "
                        + "read `env.\"PATH=/x Y\"` as a PATH. A fixed host port (`\"18080:8080\"`) can be "
                        + "published once per file, across the `ports` of all its services; `\"8080\"` lets "
                        + "Docker choose a free one. Both are checked before any container starts.")
                .line();
        md.line("## Service types").line();
        List<ServicePlugin> plugins = builtInPlugins();
        md.line("The built-in types: "
                        + plugins.stream()
                                .map(p -> "[`" + p.type() + "`](#" + anchor(p.type()) + ")")
                                .collect(Collectors.joining(", "))
                        + ". `mvn cleanroom:plugins` lists the types a build can use, custom ones included "
                        + "(see [Custom plugins](custom-plugins.html)).")
                .line();
        for (ServicePlugin plugin : plugins) {
            pluginSection(md, plugin);
        }
        return md.toString();
    }

    /**
     * The plugins shipped in the cleanroom-plugins artifact, by type. Plugins that tests register
     * through their own {@code META-INF/services} live elsewhere and are left out.
     */
    public static List<ServicePlugin> builtInPlugins() {
        URL builtIns = location(GenericContainerPlugin.class);
        return ServiceFactory.discover(TomlReferenceGenerator.class.getClassLoader()).plugins().values().stream()
                .filter(p -> builtIns.equals(location(p.getClass())))
                .toList();
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static void pluginSection(Markdown md, ServicePlugin plugin) {
        md.line("### " + plugin.type())
                .line()
                .line(plugin.description() + " (`" + plugin.getClass().getName() + "`).")
                .line()
                .line("| key | type | default | description |")
                .line("| --- | --- | --- | --- |");
        for (ConfigKey key : plugin.keys().stream().map(KeySchemas::configKey).toList()) {
            String name = key.type() == Key.Kind.STRING_MAP ? key.path() + ".NAME" : key.path();
            String description = key.secret()
                    ? sentence(key.description()) + " Secret: shown as `****` in logs, " + "step output and errors."
                    : key.description();
            md.line("| `" + name + "` | " + typeName(key.type()) + " | "
                    + (key.required() ? "required" : cell(key.defaultValue())) + " | " + cell(description) + " |");
        }
        md.line()
                .line("The smallest service of this type:")
                .line()
                .line("```toml")
                .line(smallestService(plugin, "NAME").stripTrailing())
                .line("```")
                .line();
    }

    /**
     * Some types need one of several optional keys rather than a required one: what the smallest
     * valid service adds beyond its required keys. {@code TomlReferenceTest} parses every example.
     */
    private static final Map<String, List<String>> BEYOND_REQUIRED =
            Map.of("chaos_engine", List.of("chaos.network.latency_ms = 100  # at least one fault"));

    /** The required keys with placeholder values, plus what the type needs beyond them. */
    static String smallestService(ServicePlugin plugin, String name) {
        StringBuilder toml = new StringBuilder("[services." + name + "]\ntype = \"" + plugin.type() + "\"\n");
        plugin.keys().stream()
                .map(KeySchemas::configKey)
                .filter(ConfigKey::required)
                .forEach(k -> toml.append(k.path())
                        .append(" = ")
                        .append(k.path().equals("image") ? "\"alpine:3.20\"" : placeholder(k.type()))
                        .append('\n'));
        BEYOND_REQUIRED
                .getOrDefault(plugin.type(), List.of())
                .forEach(line -> toml.append(line).append('\n'));
        return toml.toString();
    }

    private static void engineTable(Markdown md, List<EngineKey> keys) {
        md.line("| key | type | default | description |").line("| --- | --- | --- | --- |");
        for (EngineKey key : keys) {
            md.line("| `" + key.name() + "` | " + key.type() + " | " + cell(key.defaultValue()) + " | "
                    + cell(key.description()) + " |");
        }
        md.line();
    }

    /** The id the site's Markdown renderer (Doxia) gives a heading: spaces become underscores. */
    static String anchor(String heading) {
        return heading.replace(' ', '_');
    }

    /** Short names for the tables; the "Value types" section spells each out. */
    static String typeName(Key.Kind type) {
        return switch (type) {
            case STRING -> "string";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case DURATION -> "duration";
            case STRING_LIST -> "list of strings";
            case STRING_MAP -> "table";
        };
    }

    private static String placeholder(Key.Kind type) {
        return switch (type) {
            case STRING -> "\"...\"";
            case INTEGER -> "1";
            case BOOLEAN -> "true";
            case NUMBER -> "1.0";
            case DURATION -> "\"30s\"";
            case STRING_LIST -> "[\"...\"]";
            case STRING_MAP -> "{ NAME = \"value\" }";
        };
    }

    private static String sentence(String text) {
        return text.isEmpty() || text.endsWith(".") ? text : text + ".";
    }

    /**
     * A table cell: pipes would end the cell and line breaks the row; the site's Markdown reader
     * takes {@code <service>} for an HTML tag, so angle brackets and ampersands are escaped.
     */
    private static String cell(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("|", "\\|")
                .replaceAll("\\s*\\R\\s*", " ");
    }

    /** Lines joined with \n, whatever the platform, so the golden file compares byte for byte. */
    private static final class Markdown {
        private final StringBuilder text = new StringBuilder();

        Markdown line(String line) {
            text.append(line).append('\n');
            return this;
        }

        Markdown line() {
            return line("");
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
