package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.ConfigException;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.config.SchemaOnlyPlugin;
import dev.cleanroom.engine.spi.ServicePlugin;
import dev.cleanroom.engine.testing.FakeRuntime;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine built with {@code connectAhead()} (the Maven goals' start and run) finds its service
 * types on a thread of their own while the files' TOML is read, as it connects to Docker on
 * another: in a fresh JVM each of the three costs about 0.1 s.
 */
public class DiscoverAheadTest {

    /** Generous: nothing here waits for time, only for a deadlock to be told from a pass. */
    private static final Duration DEADLOCK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    /** A service type whose discovery cannot finish until the test lets it: its constructor waits. */
    public static final class SlowToFind extends SchemaOnlyPlugin {
        static volatile CountDownLatch found = new CountDownLatch(0);

        public SlowToFind() {
            super("slow", List.of(SchemaOnlyPlugin.IMAGE));
            try {
                found.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One of two service types of the same name. */
    public static final class TwiceOne extends SchemaOnlyPlugin {
        public TwiceOne() {
            super("twice", List.of(SchemaOnlyPlugin.IMAGE));
        }
    }

    /** The other. */
    public static final class TwiceTwo extends SchemaOnlyPlugin {
        public TwiceTwo() {
            super("twice", List.of(SchemaOnlyPlugin.IMAGE));
        }
    }

    @Test
    void theFilesTomlIsReadWhileTheServiceTypesAreStillBeingFound() throws Exception {
        // Arrange: discovery blocks until released; a broken file needs no service type to fail
        SlowToFind.found = new CountDownLatch(1);
        ClassLoader loader = loaderFinding(SlowToFind.class);
        Path broken = write("broken.clnrm.toml", "[services.db\ntype = \"slow\"\n");
        Path valid = write("valid.clnrm.toml", "[services.db]\ntype = \"slow\"\nimage = \"db:1\"\n");

        // Act + Assert: were build() or the syntax check to wait for discovery, this would never end
        assertTimeoutPreemptively(DEADLOCK, () -> {
            try (CleanroomEngine engine = engineFindingTypesIn(loader)) {
                assertThatThrownBy(() -> engine.load(broken))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("TOML syntax error");

                SlowToFind.found.countDown();
                LoadedFile file = engine.load(valid);

                assertThat(file.serviceNames()).containsExactly("db");
            }
        });
    }

    @Test
    void aServiceTypeFoundTwiceAheadFailsTheLoadNamingBothClasses() throws Exception {
        // Arrange
        ClassLoader loader = loaderFinding(TwiceOne.class, TwiceTwo.class);
        Path valid = write("valid.clnrm.toml", "[services.db]\ntype = \"twice\"\nimage = \"db:1\"\n");

        // Act + Assert: the same error as without connectAhead, before anything starts
        assertThatThrownBy(() -> {
                    try (CleanroomEngine engine = engineFindingTypesIn(loader)) {
                        engine.load(valid);
                    }
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service type \"twice\" is provided twice: by " + TwiceOne.class.getName() + " and by "
                        + TwiceTwo.class.getName()
                        + ". Remove one of them from the plugin's dependencies, or give one another type.");
        assertThat(runtime.containerCount()).isZero();
    }

    private CleanroomEngine engineFindingTypesIn(ClassLoader loader) {
        return TestEngines.builderWithRuntime(log -> runtime)
                .classLoader(loader)
                .connectAhead()
                .build();
    }

    private Path write(String name, String text) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    /** A class loader whose only service types are {@code plugins}, as a Maven plugin's realm lists its own. */
    private ClassLoader loaderFinding(Class<?>... plugins) throws IOException {
        String resource = "META-INF/services/" + ServicePlugin.class.getName();
        Path services = dir.resolve("loader").resolve(resource);
        Files.createDirectories(services.getParent());
        Files.writeString(
                services, Arrays.stream(plugins).map(Class::getName).collect(Collectors.joining("\n")));
        URL listing = services.toUri().toURL();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(resource) ? Collections.enumeration(List.of(listing)) : super.getResources(name);
            }
        };
    }
}
