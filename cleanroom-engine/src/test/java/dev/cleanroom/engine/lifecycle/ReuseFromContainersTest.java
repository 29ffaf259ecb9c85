package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ReuseScope;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reuse across builds where builds run in containers of the daemon (CI jobs, devcontainers) and
 * on its host, one after the other: such a build reaches the services on their network, so it
 * must be on the network the services outlive each run on, whoever created it; a build on the
 * host reaches them through their published ports and joins nothing.
 */
class ReuseFromContainersTest {

    private static final String PROJECT = "g:reuse";
    private static final String FIRST_CONTAINER = "a".repeat(64);
    private static final String SECOND_CONTAINER = "b".repeat(64);

    private static final String DB = """
            [services.db]
            type = "scripted"
            image = "db:1"
            port = 5432
            """;

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    private static ServiceReach inContainer(String id) {
        return ServiceReach.inContainer("unix:///var/run/docker.sock", id, List.of());
    }

    /** One build of the file: its own engine and log, reaching the shared daemon as {@code reach} says. */
    private RecordingLog build(ServiceReach reach, BuildCheck whileStarted) throws Exception {
        runtime.reachAs(reach);
        RecordingLog log = new RecordingLog();
        CleanroomEngine engine = TestEngines.builder(
                        new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
                .log(log)
                .project(PROJECT)
                .projectDirectory(dir)
                .reuse(true, "-Dcleanroom.reuse")
                .build();
        Path path = dir.resolve("src/test/cleanroom/db.clnrm.toml");
        Files.createDirectories(path.getParent());
        Files.writeString(path, DB, StandardCharsets.UTF_8);
        LoadedFile file = engine.load(path);
        Environment environment = engine.start(file);
        try {
            whileStarted.check();
        } finally {
            environment.stop();
        }
        return log;
    }

    private interface BuildCheck {
        void check() throws Exception;
    }

    private String network() {
        return ReuseScope.of(PROJECT, dir, dir.resolve("src/test/cleanroom/db.clnrm.toml"))
                .networkName();
    }

    @Test
    void aBuildInANewContainerJoinsTheNetworkAnEarlierBuildLeftAndStaysOnItAsOnAKeptRun() throws Exception {
        // Arrange: a build in one container starts db and leaves it, with its network
        build(inContainer(FIRST_CONTAINER), () -> {});
        String db = runtime.idOf(network() + "-db").orElseThrow();

        // Act: the same build in another container (a new CI job, another devcontainer session)
        RecordingLog second = build(
                inContainer(SECOND_CONTAINER),
                () -> assertThat(runtime.buildsOn(network()))
                        .as("the build containers on the services' network while the second build runs")
                        .contains(SECOND_CONTAINER));

        // Assert: it adopted db on the network the first build created, on which it stays, as
        // the first build did: tests the IDE runs in either container reach what the build left
        assertThat(second.text()).contains("Reused db (" + db + ", scripted, db:1) of an earlier build");
        assertThat(runtime.events()).containsOnlyOnce("network " + network());
        assertThat(runtime.events()).containsOnlyOnce("join " + network() + " " + SECOND_CONTAINER);
        assertThat(runtime.buildsOn(network())).containsExactlyInAnyOrder(FIRST_CONTAINER, SECOND_CONTAINER);
        assertThat(runtime.idOf(network() + "-db")).hasValue(db);
    }

    @Test
    void aSecondBuildInTheSameContainerDoesNotJoinAgain() throws Exception {
        // Arrange
        build(inContainer(FIRST_CONTAINER), () -> {});

        // Act
        build(inContainer(FIRST_CONTAINER), () -> {});

        // Assert
        assertThat(runtime.events()).noneMatch(event -> event.startsWith("join "));
        assertThat(runtime.buildsOn(network())).containsExactly(FIRST_CONTAINER);
    }

    @Test
    void aBuildOnTheDaemonsHostAdoptsWhatABuildInAContainerLeftWithoutJoiningAnything() throws Exception {
        // Arrange
        build(inContainer(FIRST_CONTAINER), () -> {});
        String db = runtime.idOf(network() + "-db").orElseThrow();
        int eventsBefore = runtime.events().size();

        // Act
        RecordingLog host = build(ServiceReach.onHost("unix:///var/run/docker.sock"), () -> {});

        // Assert
        assertThat(host.text()).contains("Reused db (" + db + ", scripted, db:1) of an earlier build");
        assertThat(runtime.events().subList(eventsBefore, runtime.events().size()))
                .noneMatch(event -> event.startsWith("join "));
        assertThat(runtime.buildsOn(network())).isEqualTo(Set.of(FIRST_CONTAINER));
    }
}
