package dev.cleanroom.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.ConfigProblem;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.Key;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fixed host port can be published once per file: a second use would fail only when its container starts. */
class TomlConfigParserPortsTest {

    private static final List<Key<?>> WEB = List.of(
            Key.string("image").required().doc("Image reference"),
            Key.strings("ports").doc("Published ports"));

    private static final String FIX =
            "let Docker choose the host port: ports = [\"8080\"], or give each a different host port";

    @Test
    void sameHostPortInTwoServicesIsRefusedNamingBothPlaces() {
        // Arrange
        String toml = web("a", "\"18080:8080\"") + web("b", "\"18080:9090\"");

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:8:1: services.b.ports: host port 18080 (\"18080:9090\") "
                        + "is already published by services.a.ports at test.clnrm.toml:4:1 (" + FIX + ")");
    }

    @Test
    void sameHostPortTwiceInOneListIsRefused() {
        // Arrange
        String toml = web("a", "\"18080:8080\", \"127.0.0.1:18080:9090\"");

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .containsExactly("test.clnrm.toml:4:1: services.a.ports: host port 18080 "
                        + "(\"127.0.0.1:18080:9090\") is already published by services.a.ports at test.clnrm.toml:4:1 ("
                        + FIX + ")");
    }

    @Test
    void aHostPortOnEveryAddressClashesWithTheSamePortOnOneAddress() {
        // Arrange
        String toml = web("a", "\"0.0.0.0:18080:8080\"") + web("b", "\"18080:8080\"");

        // Act
        var problems = problems(toml);

        // Assert
        assertThat(problems)
                .singleElement()
                .asString()
                .startsWith("test.clnrm.toml:8:1: services.b.ports: host port 18080");
    }

    @Test
    void samePortOnDifferentAddressesOrProtocolsAndRandomPortsAreAccepted() throws ConfigException {
        // Arrange
        String toml = web("a", "\"127.0.0.1:18080:8080\", \"18081:53/udp\", \"8080\"")
                + web("b", "\"127.0.0.2:18080:8080\", \"18081:53/tcp\", \"8080\"");

        // Act
        TestFile file = parse(toml);

        // Assert
        assertThat(file.services()).containsOnlyKeys("a", "b");
    }

    private static String web(String name, String ports) {
        return "[services." + name + "]\ntype = \"web\"\nimage = \"x\"\nports = [" + ports + "]\n";
    }

    private static TomlConfigParser parser() {
        return new TomlConfigParser(new ServiceFactory().register(new SchemaOnlyPlugin("web", WEB)));
    }

    private static TestFile parse(String toml) throws ConfigException {
        return parser().parse(ParserFixture.FILE, toml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> problems(String toml) {
        Throwable thrown = catchThrowable(() -> parse(toml));
        assertThat(thrown).as("what parsing threw").isInstanceOf(ConfigException.class);
        return ((ConfigException) thrown)
                .problems().stream().map(ConfigProblem::toString).toList();
    }
}
