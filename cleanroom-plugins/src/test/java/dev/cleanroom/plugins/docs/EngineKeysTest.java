package dev.cleanroom.plugins.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.config.TestFile;
import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.Key;
import dev.cleanroom.engine.spi.ServiceDefinition;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.spi.Settings;
import dev.cleanroom.plugins.docs.TomlReferenceGenerator.EngineKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine keys the TOML reference documents are exactly those the parser accepts: a file
 * with an unknown key makes the parser name every key it accepts there (no key is close enough
 * to suggest one), and a file using every documented key with its documented example parses.
 */
class EngineKeysTest {

    /** Far from every real key, so the parser lists them all instead of suggesting one. */
    private static final String UNKNOWN = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";

    private static final String SERVICE = "[services.app]\ntype = \"generic_container\"\nimage = \"alpine:3.20\"\n";

    @TempDir
    Path dir;

    @Test
    void topLevelKeysAreThoseTheParserAccepts() throws Exception {
        // Act
        List<String> accepted = accepted(discovered(), UNKNOWN + " = 1\n" + SERVICE, UNKNOWN);

        // Assert
        assertThat(accepted).containsExactlyElementsOf(names(TomlReferenceGenerator.TOP_LEVEL_KEYS));
    }

    @Test
    void metaKeysAreThoseTheParserAccepts() throws Exception {
        // Act
        List<String> accepted =
                accepted(discovered(), "[meta]\n" + UNKNOWN + " = \"x\"\n" + SERVICE, "meta." + UNKNOWN);

        // Assert
        assertThat(accepted).containsExactlyElementsOf(names(TomlReferenceGenerator.META_KEYS));
    }

    @Test
    void serviceKeysOfEveryTypeAreThoseTheParserAccepts() throws Exception {
        // Arrange: a type without keys of its own, so only the engine's remain.
        ServiceFactory factory = new ServiceFactory().register(new KeylessPlugin());

        // Act
        List<String> accepted = accepted(
                factory, "[services.app]\ntype = \"keyless\"\n" + UNKNOWN + " = 1\n", "services.app." + UNKNOWN);

        // Assert
        assertThat(accepted).containsExactlyElementsOf(names(TomlReferenceGenerator.SERVICE_KEYS));
    }

    @Test
    void stepKeysAreThoseTheParserAccepts() throws Exception {
        // Act
        List<String> accepted = accepted(
                discovered(),
                SERVICE + "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n" + UNKNOWN + " = 1\n",
                "steps[0]." + UNKNOWN);

        // Assert
        assertThat(accepted).containsExactlyElementsOf(names(TomlReferenceGenerator.STEP_KEYS));
    }

    @Test
    void fileUsingEveryEngineKeyWithItsDocumentedExampleParses() throws Exception {
        // Arrange
        StringBuilder toml = new StringBuilder("[meta]\n");
        TomlReferenceGenerator.META_KEYS.forEach(
                k -> toml.append(k.name()).append(" = ").append(k.example()).append('\n'));
        toml.append("\n[services.app]\nimage = \"alpine:3.20\"\n");
        TomlReferenceGenerator.SERVICE_KEYS.forEach(
                k -> toml.append(k.name()).append(" = ").append(k.example()).append('\n'));
        toml.append("\n[[steps]]\n");
        TomlReferenceGenerator.STEP_KEYS.forEach(
                k -> toml.append(k.name()).append(" = ").append(k.example()).append('\n'));
        Path file = dir.resolve("every-key.clnrm.toml");
        Files.writeString(file, toml);

        // Act
        TestFile parsed = new TomlConfigParser(discovered()).parse(file);

        // Assert
        assertThat(parsed.name()).isEqualTo("hello");
        assertThat(parsed.services()).containsOnlyKeys("app");
        assertThat(parsed.steps()).singleElement().satisfies(step -> {
            assertThat(step.name()).isEqualTo("says_hello");
            assertThat(step.command()).containsExactly("echo", "hello");
            assertThat(step.timeout()).contains(Duration.ofSeconds(30));
            assertThat(step.env()).containsEntry("GREETING", "hello");
        });
    }

    private List<String> accepted(ServiceFactory factory, String toml, String keyPath) throws Exception {
        Path file = dir.resolve("keys.clnrm.toml");
        Files.writeString(file, toml);
        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> new TomlConfigParser(factory).parse(file));
        assertThat(error).as("the parser accepted %s", keyPath).isNotNull();
        ConfigProblem problem = error.problems().stream()
                .filter(p -> p.keyPath().equals(keyPath))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + keyPath + " in " + error.problems()));
        assertThat(problem.fix()).startsWith("accepted: ");
        return List.of(problem.fix().substring("accepted: ".length()).split(", "));
    }

    private static ServiceFactory discovered() {
        return ServiceFactory.discover(EngineKeysTest.class.getClassLoader());
    }

    private static List<String> names(List<EngineKey> keys) {
        return keys.stream().map(EngineKey::name).toList();
    }

    /** A type that declares no key; it never starts. */
    private static final class KeylessPlugin implements ServicePlugin {

        @Override
        public String type() {
            return "keyless";
        }

        @Override
        public String description() {
            return "A type without keys";
        }

        @Override
        public List<Key<?>> keys() {
            return List.of();
        }

        @Override
        public ServiceDefinition define(Settings settings) {
            return context -> {
                throw new UnsupportedOperationException("never started");
            };
        }
    }
}
