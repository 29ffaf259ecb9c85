package dev.cleanroom.plugins.otel;

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

/** Parses TOML through the real parser and the discovered plugins; problems read as users see them. */
final class OtelToml {

    private final Path file;
    private final TomlConfigParser parser =
            new TomlConfigParser(ServiceFactory.discover(OtelToml.class.getClassLoader()));

    OtelToml(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The service {@code collector} of a valid file. */
    ServiceConfig service(String toml) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        try {
            return parser.parse(file).services().get("collector");
        } catch (ConfigException e) {
            throw new AssertionError("expected the file to be valid, got:\n" + e.getMessage(), e);
        }
    }

    /** The whole parsed file, for what the engine builds from it (e.g. its Redactor). */
    TestFile file(String toml) throws Exception {
        service(toml);
        return parser.parse(file);
    }

    /** What the plugin made of service {@code collector} while the file was parsed. */
    OtelCollectorSettings settings(String toml) throws Exception {
        return (OtelCollectorSettings) service(toml).definition();
    }

    /** Every problem, the file's directory shown as DIR and the file as app.clnrm.toml. */
    List<String> problems(String toml) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        Throwable thrown = catchThrowable(() -> parser.parse(file));
        assertThat(thrown).as("what parsing threw").isInstanceOf(ConfigException.class);
        return ((ConfigException) thrown)
                .problems().stream()
                        .map(p -> p.toString()
                                .replace(file.toString(), "app.clnrm.toml")
                                .replace(file.getParent().toString(), "DIR"))
                        .toList();
    }

    String failureText(String toml) throws Exception {
        Files.writeString(file, toml);
        Throwable thrown = catchThrowable(() -> parser.parse(file));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return thrown.getMessage();
    }
}
