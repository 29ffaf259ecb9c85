package dev.cleanroom.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension on a run a build left running (keepRunning), where the test JVM runs in another
 * container of the daemon than the build did (a new devcontainer session, an IDE's own container):
 * the exported addresses are on the run's network, so the test JVM's container joins it. Without
 * Docker: the engine runs on a fake runtime that records which containers are on which network.
 */
class LeftRunningFromContainersTest {

    private static final String BUILD_CONTAINER = "a".repeat(64);
    private static final String IDE_CONTAINER = "b".repeat(64);
    private static final String FILE = "src/test/cleanroom/db.clnrm.toml";

    @TempDir
    Path base;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();

    static class UsesDb {}

    private static ServiceReach inContainer(String id) {
        return ServiceReach.inContainer("unix:///var/run/docker.sock", id, List.of());
    }

    private CleanroomEngine.Builder engine() {
        return TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
                .project(CleanroomExtension.project(base))
                .projectDirectory(base);
    }

    /**
     * What {@code mvn verify -Dcleanroom.keepRunning=true} in the build's container leaves: db up,
     * the exported properties and the file's run next to them.
     */
    private Environment keptByABuildInItsContainer() throws Exception {
        Path file = base.resolve(FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                [services.db]
                type = "scripted"
                image = "db:1"
                port = 5432
                """, StandardCharsets.UTF_8);
        runtime.reachAs(inContainer(BUILD_CONTAINER));
        CleanroomEngine build = engine().keepRunning(true).build();
        Environment kept = build.start(build.load(file));
        Path properties = base.resolve(CleanroomExtension.DEFAULT_PROPERTIES_FILE);
        Files.createDirectories(properties.getParent());
        store(properties, kept.exportedProperties());
        store(
                properties.resolveSibling(CleanroomExtension.RUNS_FILE_NAME),
                Map.of(file.toRealPath().toString(), kept.runId()));
        return kept;
    }

    private ClassServices findFromTheIdesContainer() throws Exception {
        runtime.reachAs(inContainer(IDE_CONTAINER));
        try (CleanroomEngine ide = engine().build()) {
            return CleanroomExtension.find(UsesDb.class, new String[] {FILE}, base, log, ide);
        }
    }

    private static String networkOf(Environment run) {
        return "clnrm-" + run.runId().substring(0, 8);
    }

    @Test
    void usesTheKeptRunFromAnotherContainerAndPutsThatContainerOnTheRunsNetwork() throws Exception {
        // Arrange
        Environment kept = keptByABuildInItsContainer();
        int containers = runtime.containerCount();

        // Act
        ClassServices services = findFromTheIdesContainer();

        // Assert: the exported address (db's on the run's network), now reachable from this container
        assertThat(services.get("db").host())
                .isEqualTo(kept.exportedProperties().get("cleanroom.db.host"));
        assertThat(runtime.buildsOn(networkOf(kept))).containsExactlyInAnyOrder(BUILD_CONTAINER, IDE_CONTAINER);
        assertThat(runtime.containerCount()).isEqualTo(containers);
        assertThat(log.text())
                .contains(FILE + ": used the services [db] of run " + kept.runId() + " that "
                        + "target/cleanroom/cleanroom.properties names (left running by cleanroom:start) for UsesDb; "
                        + "started nothing");

        // ... and closing the class's services leaves the kept run alone
        services.close();
        assertThat(runtime.containerCount()).isEqualTo(containers);
    }

    @Test
    void aRunItCannotJoinIsNotUsedAndTheLogSaysWhy() throws Exception {
        // Arrange
        Environment kept = keptByABuildInItsContainer();
        runtime.failJoinOf(networkOf(kept), "Could not connect this build's container to network " + networkOf(kept));

        // Act
        ClassServices services = findFromTheIdesContainer();

        // Assert: the class started db of its own instead of waiting on an address it cannot reach
        assertThat(log.text())
                .contains("Could not use run " + kept.runId() + " that a build left running: Could not connect "
                        + "this build's container to network " + networkOf(kept))
                .contains(FILE + ": starting its services for UsesDb");
        assertThat(services.get("db").host())
                .isNotEqualTo(kept.exportedProperties().get("cleanroom.db.host"));
        services.close();
        assertThat(runtime.buildsOn(networkOf(kept))).containsExactly(BUILD_CONTAINER);
    }

    private static void store(Path file, Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, null);
        }
    }
}
