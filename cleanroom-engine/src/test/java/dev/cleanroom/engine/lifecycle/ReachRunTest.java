package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ReuseScope;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CleanroomEngine#reachRun}: a process that uses the addresses a run left exported (the
 * JUnit 5 extension after a build's keepRunning or reuse) and runs in another container of the
 * daemon than the build did joins the run's network, where those addresses lead; elsewhere it
 * only asks, as {@link CleanroomEngine#isRunUp}.
 */
class ReachRunTest {

    private static final String PROJECT = "g:reach";
    private static final String BUILD_CONTAINER = "a".repeat(64);
    private static final String IDE_CONTAINER = "b".repeat(64);

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

    private CleanroomEngine.Builder engine() {
        return TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
                .project(PROJECT)
                .projectDirectory(dir);
    }

    private Path file() throws Exception {
        Path path = dir.resolve("src/test/cleanroom/db.clnrm.toml");
        Files.createDirectories(path.getParent());
        Files.writeString(path, DB, StandardCharsets.UTF_8);
        return path;
    }

    /** What {@code mvn verify -Dcleanroom.keepRunning=true} in the build's container leaves: the run, up. */
    private Environment keptByABuildInItsContainer() throws Exception {
        runtime.reachAs(inContainer(BUILD_CONTAINER));
        CleanroomEngine build = engine().keepRunning(true).build();
        return build.start(build.load(file()));
    }

    private String networkOf(Environment run) {
        return "clnrm-" + run.runId().substring(0, 8);
    }

    @Test
    void aProcessInAnotherContainerJoinsTheNetworkOfARunABuildKept() throws Exception {
        // Arrange
        Environment kept = keptByABuildInItsContainer();
        runtime.reachAs(inContainer(IDE_CONTAINER));

        // Act
        boolean up = engine().build().reachRun(kept.runId());

        // Assert: it can now dial db at its address on that network, as the build's container can
        assertThat(up).isTrue();
        assertThat(runtime.events()).containsOnlyOnce("join " + networkOf(kept) + " " + IDE_CONTAINER);
        assertThat(runtime.buildsOn(networkOf(kept))).containsExactlyInAnyOrder(BUILD_CONTAINER, IDE_CONTAINER);
    }

    @Test
    void aProcessInAnotherContainerJoinsTheNetworkOfServicesLeftForReuse() throws Exception {
        // Arrange: a build in its container with reuse leaves db on the network that outlives each
        // run, which carries the reuse scope but no run label
        runtime.reachAs(inContainer(BUILD_CONTAINER));
        CleanroomEngine build = engine().reuse(true, "-Dcleanroom.reuse").build();
        Environment reused = build.start(build.load(file()));
        String runId = reused.runId();
        reused.stop();
        String network = ReuseScope.of(PROJECT, dir, file()).networkName();
        runtime.reachAs(inContainer(IDE_CONTAINER));

        // Act
        boolean up = engine().build().reachRun(runId);

        // Assert
        assertThat(up).isTrue();
        assertThat(runtime.events()).containsOnlyOnce("join " + network + " " + IDE_CONTAINER);
        assertThat(runtime.buildsOn(network)).containsExactlyInAnyOrder(BUILD_CONTAINER, IDE_CONTAINER);
    }

    @Test
    void theBuildsOwnContainerIsOnItAlreadyAndJoinsNothing() throws Exception {
        // Arrange: the IDE's tests in the same container as the terminal's build
        Environment kept = keptByABuildInItsContainer();

        // Act + Assert
        assertThat(engine().build().reachRun(kept.runId())).isTrue();
        assertThat(runtime.events()).noneMatch(event -> event.startsWith("join "));
    }

    @Test
    void onTheDaemonsHostOrWithAHostAddressItJoinsNothing() throws Exception {
        // Arrange
        Environment kept = keptByABuildInItsContainer();

        // Act
        runtime.reachAs(ServiceReach.onHost("unix:///var/run/docker.sock"));
        boolean onHost = engine().build().reachRun(kept.runId());
        runtime.reachAs(ServiceReach.inContainer("unix:///var/run/docker.sock", IDE_CONTAINER, List.of())
                .overriddenBy(new ServiceReach.Override("172.17.0.1", "-Dcleanroom.hostAddress")));
        boolean overridden = engine().build().reachRun(kept.runId());

        // Assert: both are told the run is up, as isRunUp says; neither is put on its network
        assertThat(onHost).isTrue();
        assertThat(overridden).isTrue();
        assertThat(runtime.events()).noneMatch(event -> event.startsWith("join "));
        assertThat(runtime.buildsOn(networkOf(kept))).containsExactly(BUILD_CONTAINER);
    }

    @Test
    void aRunThatIsNotUpIsNotJoined() throws Exception {
        // Arrange: one of the kept run's containers ended
        Environment kept = keptByABuildInItsContainer();
        runtime.kill(runtime.containerIds().get(0));
        runtime.reachAs(inContainer(IDE_CONTAINER));
        CleanroomEngine ide = engine().build();

        // Act + Assert
        assertThat(ide.reachRun(kept.runId())).isFalse();
        assertThat(ide.reachRun("no-such-run")).isFalse();
        assertThat(runtime.events()).noneMatch(event -> event.startsWith("join "));
    }

    @Test
    void aDaemonThatDoesNotAnswerFailsIt() throws Exception {
        // Arrange
        Environment kept = keptByABuildInItsContainer();
        runtime.reachAs(inContainer(IDE_CONTAINER)).stopAnswering();

        // Act
        CleanroomException thrown = catchThrowableOfType(
                CleanroomException.class, () -> engine().build().reachRun(kept.runId()));

        // Assert
        assertThat(thrown).isNotNull();
        assertThat(runtime.buildsOn(networkOf(kept))).containsExactly(BUILD_CONTAINER);
    }
}
