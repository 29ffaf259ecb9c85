package dev.cleanroom.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.config.ServiceConfig;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Parses TOML through the real parser and the plugins ServiceLoader finds, for the plugins'
 * config tests. Problems read as users see them, with the file shown by its name only.
 */
public final class TomlFixture {

    private final Path file;
    private final TomlConfigParser parser =
            new TomlConfigParser(ServiceFactory.discover(TomlFixture.class.getClassLoader()));

    /** Files written as {@code dir/app.clnrm.toml}. */
    public TomlFixture(Path dir) {
        this(dir, "app.clnrm.toml");
    }

    public TomlFixture(Path dir, String fileName) {
        this.file = dir.resolve(fileName);
    }

    public Path file() {
        return file;
    }

    /** The service {@code app} of a valid file. */
    public ServiceConfig service(String toml) throws Exception {
        return parse(toml).services().get("app");
    }

    public TestFile parse(String toml) throws Exception {
        Files.writeString(file, toml);
        try {
            return parser.parse(file);
        } catch (ConfigException e) {
            throw new AssertionError("expected the file to be valid, got:\n" + e.getMessage(), e);
        }
    }

    /** What parsing an invalid file throws. */
    public ConfigException failure(String toml) throws Exception {
        Files.writeString(file, toml);
        Throwable thrown = catchThrowable(() -> parser.parse(file));
        assertThat(thrown).as("what parsing threw").isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    public List<String> problems(String toml) throws Exception {
        return failure(toml).problems().stream()
                .map(p ->
                        p.toString().replace(file.toString(), file.getFileName().toString()))
                .toList();
    }

    /** The whole exception text, for checks that a secret never shows. */
    public String failureText(String toml) throws Exception {
        return failure(toml).getMessage();
    }
}
