package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull policy a service's file sets: {@code pull = "missing" | "always" | "never"}. */
class PullPolicyTest {

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine = TestEngines.builder(
                    new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
            .log(log)
            .build();

    private LoadedFile file(String toml) throws Exception {
        Path path = dir.resolve("env.clnrm.toml");
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    private static final String DB_AND_NEVER_PULLED_API = """
            [services.db]
            type = "scripted"
            image = "db:1"
            [services.api]
            type = "scripted"
            image = "api:2"
            pull = "never"
            depends_on = ["db"]
            """;

    @Test
    void neverWithAMissingImageFailsNamingItBeforeAnyContainerOrNetworkIsCreated() throws Exception {
        runtime.imageMissing("api:2");
        LoadedFile file = file(DB_AND_NEVER_PULLED_API);

        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(CleanroomException.class)
                .hasMessage(
                        "The Docker daemon does not have image api:2 (service api), and pull = \"never\" (env.clnrm.toml) "
                                + "forbids pulling it; no container was started. Perhaps you should pull it first "
                                + "(mvn cleanroom:pull, or docker pull api:2), or set pull = \"missing\".");
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start") || e.startsWith("network"));
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void neverWithThePresentImageStartsAsUsual() throws Exception {
        try (Environment environment = engine.start(file(DB_AND_NEVER_PULLED_API))) {
            assertThat(environment.services()).extracting(s -> s.name()).containsExactly("db", "api");
        }
        assertThat(runtime.containerCount()).isZero();
    }
}
