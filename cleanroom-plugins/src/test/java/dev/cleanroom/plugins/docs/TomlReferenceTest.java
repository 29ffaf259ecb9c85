package dev.cleanroom.plugins.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.config.TomlConfigParser;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ServicePlugin;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Golden files: the committed pages equal what the code says. {@code site/markdown/toml-reference.md}
 * must equal {@link TomlReferenceGenerator#render()}, and the code blocks of
 * {@code site/markdown/custom-plugins.md} must equal the compiled and tested example, whose
 * table of methods must name every method of ServicePlugin. With
 * {@code -Dcleanroom.regenerateDocs=true} the test rewrites both pages instead of failing.
 */
class TomlReferenceTest {

    private static final boolean REGENERATE = Boolean.getBoolean("cleanroom.regenerateDocs");
    private static final String GUIDE = "site/markdown/custom-plugins.md";
    private static final String GUIDE_SOURCES = "cleanroom-plugins/src/test/java/dev/cleanroom/plugins/docs/guide/";
    private static final String GUIDE_RESOURCES = "cleanroom-plugins/src/test/resources/docs/guide/";

    private final Path root = DocFiles.root();

    @Test
    void tomlReferenceEqualsWhatTheCodeAccepts() {
        // Arrange
        Path page = root.resolve(TomlReferenceGenerator.PAGE);
        String expected = TomlReferenceGenerator.render();
        if (REGENERATE) {
            DocFiles.write(page, expected);
        }

        // Act
        String committed = Files.exists(page) ? normalized(DocFiles.read(page)) : "";

        // Assert
        assertThat(committed)
                .withFailMessage(() -> TomlReferenceGenerator.PAGE + " is out of date with the code ("
                        + firstDifference(expected, committed) + "). Regenerate it with:\n  "
                        + TomlReferenceGenerator.REGENERATE + "\nand commit the result.")
                .isEqualTo(expected);
    }

    @Test
    void everySmallestServiceOfTheReferenceIsAccepted(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // Arrange: each next to another service, which chaos_engine needs as its target
        TomlConfigParser parser =
                new TomlConfigParser(ServiceFactory.discover(getClass().getClassLoader()));
        for (ServicePlugin plugin : TomlReferenceGenerator.builtInPlugins()) {
            Path file = dir.resolve(plugin.type() + ".clnrm.toml");
            Files.writeString(
                    file,
                    TomlReferenceGenerator.smallestService(plugin, "example")
                            + "\n[services.app]\ntype = \"generic_container\"\nimage = \"alpine:3.20\"\n");

            // Act + Assert
            assertThat(parser.parse(file).services()).as(plugin.type()).containsKey("example");
        }
    }

    @Test
    void customPluginGuideShowsTheCompiledExample() {
        // Arrange: what each block of the guide must hold, in order of kind.
        List<String> java = List.of(
                source(GUIDE_SOURCES + "MyCustomPlugin.java"),
                DocFiles.region(source(GUIDE_SOURCES + "MyCustomPluginGuideTest.java"), "register"));
        List<String> toml = List.of(source(GUIDE_RESOURCES + "custom.clnrm.toml"));
        String services = source(GUIDE_RESOURCES + "META-INF/services/dev.cleanroom.engine.spi.ServicePlugin");
        Path page = root.resolve(GUIDE);
        if (REGENERATE) {
            String text = DocFiles.read(page);
            for (int i = 0; i < java.size(); i++) {
                text = DocFiles.replaceBlock(text, "java", i, java.get(i));
            }
            text = DocFiles.replaceBlock(text, "toml", 0, toml.get(0));
            DocFiles.write(page, DocFiles.replaceBlock(text, "text", 0, services));
        }

        // Act
        String guide = normalized(DocFiles.read(page));

        // Assert
        String fix = " Copy it there, or run\n  " + TomlReferenceGenerator.REGENERATE;
        assertThat(DocFiles.blocks(guide, "java"))
                .withFailMessage(() -> GUIDE + ": its ```java blocks must be, in this order, " + GUIDE_SOURCES
                        + "MyCustomPlugin.java and the region \"register\" of MyCustomPluginGuideTest.java." + fix)
                .isEqualTo(java);
        assertThat(DocFiles.blocks(guide, "toml"))
                .withFailMessage(
                        () -> GUIDE + ": its ```toml block must be " + GUIDE_RESOURCES + "custom.clnrm.toml." + fix)
                .isEqualTo(toml);
        assertThat(DocFiles.blocks(guide, "text"))
                .withFailMessage(() -> GUIDE + ": its first ```text block must be " + GUIDE_RESOURCES
                        + "META-INF/services/dev.cleanroom.engine.spi.ServicePlugin." + fix)
                .first()
                .isEqualTo(services);
    }

    @Test
    void customPluginGuideListsEveryMethodOfServicePlugin() {
        // Arrange
        Set<String> methods = Arrays.stream(ServicePlugin.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        // Act: the first column of the table under "## The interface".
        String guide = normalized(DocFiles.read(root.resolve(GUIDE)));
        String section = guide.substring(guide.indexOf("## The interface"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> listed = section.lines()
                .filter(l -> l.startsWith("| `"))
                .map(l -> l.substring(3, l.indexOf('(')))
                .collect(Collectors.toCollection(TreeSet::new));

        // Assert
        assertThat(listed)
                .withFailMessage(() -> GUIDE + ": the table under \"The interface\" must list every method "
                        + "of ServicePlugin " + methods + " and no other, but lists " + listed + ". Edit the table.")
                .isEqualTo(methods);
    }

    private String source(String path) {
        return normalized(DocFiles.read(root.resolve(path)));
    }

    /** A checkout with Windows line ends still compares equal. */
    private static String normalized(String text) {
        return text.replace("\r\n", "\n");
    }

    private static String firstDifference(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] have = actual.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, have.length); i++) {
            String w = i < want.length ? want[i] : "<end of file>";
            String h = i < have.length ? have[i] : "<end of file>";
            if (!w.equals(h)) {
                return "line " + (i + 1) + " should be \"" + w + "\" but is \"" + h + "\"";
            }
        }
        return "they differ";
    }
}
