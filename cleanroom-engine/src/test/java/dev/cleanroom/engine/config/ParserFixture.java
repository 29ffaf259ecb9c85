package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Parses TOML text as if read from {@code test.clnrm.toml}, with the service types {@code box}
 * ({@link SchemaOnlyPlugin#BOX_SCHEMA}) and {@code empty} (no keys) registered.
 */
final class ParserFixture {

    static final Path FILE = Path.of("test.clnrm.toml");

    private ParserFixture() {}

    static ServiceFactory factory() {
        return new ServiceFactory()
                .register(SchemaOnlyPlugin.box())
                .register(new SchemaOnlyPlugin("empty", java.util.List.of()));
    }

    static TomlConfigParser parser() {
        return new TomlConfigParser(factory());
    }

    static TestFile parse(String toml) throws ConfigException {
        return parser().parse(FILE, toml.getBytes(StandardCharsets.UTF_8));
    }

    /** The ConfigException that parsing {@code toml} must throw. */
    static ConfigException failure(String toml) {
        return failure(toml.getBytes(StandardCharsets.UTF_8));
    }

    static ConfigException failure(byte[] bytes) {
        Throwable thrown = catchThrowable(() -> parser().parse(FILE, bytes));
        assertThat(thrown).as("what parsing threw").isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    /** Each problem as users read it: {@code file:line:col: key: message (fix)}. */
    static List<String> problems(String toml) {
        return failure(toml).problems().stream().map(ConfigProblem::toString).toList();
    }

    static List<String> problems(byte[] bytes) {
        return failure(bytes).problems().stream().map(ConfigProblem::toString).toList();
    }
}
