package dev.cleanroom.plugins.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every TOML example of the site's hand-written pages is a file the parser accepts. */
class SiteExamplesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"index.md", "getting-started.md", "otel-collector.md", "junit5.md"})
    void tomlExamplesOfThePageParse(String page) throws Exception {
        // Arrange
        List<String> examples =
                DocFiles.blocks(DocFiles.read(DocFiles.root().resolve("site/markdown/" + page)), "toml");
        assertThat(examples).as("```toml blocks of %s", page).isNotEmpty();
        TomlConfigParser parser =
                new TomlConfigParser(ServiceFactory.discover(getClass().getClassLoader()));

        for (int i = 0; i < examples.size(); i++) {
            Path file = dir.resolve("example" + i + ".clnrm.toml");
            Files.writeString(file, examples.get(i));

            // Act + Assert
            assertThatCode(() -> parser.parse(file))
                    .as("```toml block %d of site/markdown/%s", i + 1, page)
                    .doesNotThrowAnyException();
        }
    }
}
