package dev.cleanroom.plugins.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.plugins.docs.DocFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden file: each ```yaml block of {@code site/markdown/otel-collector.md} is exactly what
 * {@link CollectorConfig} writes for the ```toml block before it, so the page cannot drift from
 * the code. With {@code -Dcleanroom.regenerateDocs=true} the test rewrites the blocks instead.
 */
class CollectorConfigPageTest {

    private static final String PAGE = "site/markdown/otel-collector.md";
    private static final boolean REGENERATE = Boolean.getBoolean("cleanroom.regenerateDocs");

    @TempDir
    Path dir;

    @Test
    void generatedConfigsShownOnThePageAreWhatCleanroomWrites() throws Exception {
        // Arrange
        Path page = DocFiles.root().resolve(PAGE);
        String markdown = DocFiles.read(page);
        List<String> tomls = DocFiles.blocks(markdown, "toml");
        List<String> shown = DocFiles.blocks(markdown, "yaml");
        assertThat(shown)
                .as("```yaml blocks of %s, one per ```toml block", PAGE)
                .hasSameSizeAs(tomls);
        OtelToml toml = new OtelToml(dir.resolve("app.clnrm.toml"));

        for (int i = 0; i < tomls.size(); i++) {
            // Act
            String written = CollectorConfig.generate(toml.settings(tomls.get(i)));
            if (REGENERATE) {
                markdown = DocFiles.replaceBlock(markdown, "yaml", i, written);
                DocFiles.write(page, markdown);
            }

            // Assert
            assertThat(REGENERATE ? written : shown.get(i))
                    .as("```yaml block %d of %s; regenerate with " + "-Dcleanroom.regenerateDocs=true", i + 1, PAGE)
                    .isEqualTo(written);
        }
    }
}
