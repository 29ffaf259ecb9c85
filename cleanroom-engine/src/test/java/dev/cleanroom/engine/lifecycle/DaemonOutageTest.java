package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.RunReport;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.StepResult;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.Labels;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.spi.ContainerSpec;
import dev.cleanroom.engine.spi.ExecResult;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker daemon stops answering in the middle of a run (restart, crash, Docker Desktop
 * quit), on the {@link FakeRuntime} test double; {@code DaemonRestartIT} does it to a real daemon.
 */
class DaemonOutageTest {

    private static final String TWO_SERVICES = """
            [services.db]
            type = "scripted"
            image = "db:1"
            [services.api]
            type = "scripted"
            image = "api:1"
            """;

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();

    private CleanroomEngine engine(Duration daemonWait) {
        return TestEngines.builder(new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
                .log(log)
                .project("g:a")
                .daemonWait(daemonWait)
                .build();
    }

    private LoadedFile file(CleanroomEngine engine, String toml) throws Exception {
        Path path = dir.resolve("outage.clnrm.toml");
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    @Test
    void removalWaitsForARestartingDaemonAndThenRemovesEverything() throws Exception {
        // Arrange
        CleanroomEngine engine = engine(Duration.ofSeconds(10));
        Environment environment = engine.start(file(engine, TWO_SERVICES));
        runtime.stopAnsweringFor(3);

        // Act
        environment.stop();

        // Assert
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
        assertThat(runtime.events())
                .containsSubsequence(
                        "daemon stopped",
                        "daemon back",
                        "remove clnrm-" + environment.runId().substring(0, 8) + "-db");
        assertThat(log.text())
                .contains("The Docker daemon stopped answering while run "
                        + environment.runId().substring(0, 8)
                        + " was being removed; waiting up to 10.0 s for it to come back")
                .contains("The Docker daemon answers again after")
                .doesNotContain("removal(s) failed");
    }

    @Test
    void aDaemonThatStaysAwayLeavesTheRunToTheNextSweepOfThisVeryJvm() throws Exception {
        // Arrange: another live run of this JVM must survive the sweep
        runtime.plant(ContainerSpec.builder("other")
                .name("clnrm-other-live")
                .label(Labels.OWNER, Labels.currentOwner())
                .label(Labels.RUN, "other-live-run")
                .build());
        CleanroomEngine engine = engine(Duration.ofMillis(300));
        Environment environment = engine.start(file(engine, TWO_SERVICES));
        String runId = environment.runId();
        runtime.stopAnswering();

        // Act: the removal gives up; the daemon comes back; the next start in this JVM sweeps
        environment.stop();
        int leftAfterGivingUp = runtime.containerCount();
        runtime.answerAgain();
        try (Environment next = engine.start(file(engine, """
                [services.one]
                type = "scripted"
                image = "x"
                """))) {
            // Assert
            assertThat(leftAfterGivingUp).isEqualTo(3);
            assertThat(log.text())
                    .contains("Could not remove run " + runId.substring(0, 8)
                            + ": the Docker daemon did not answer for 300 ms")
                    .contains("label dev.cleanroom.run=" + runId + ") are left behind")
                    .contains("docker rm -f $(docker ps -aq --filter label=dev.cleanroom.run=" + runId + ")")
                    .contains("Removed 2 container(s) and 1 network(s) left behind");
            assertThat(runtime.runningSpecs())
                    .extracting(s -> s.labels().get(Labels.RUN))
                    .containsExactlyInAnyOrder("other-live-run", next.runId());
        }
    }

    @Test
    void aDaemonThatStaysAwayEndsTheStopSayingWhatIsLeftAndHowToRemoveItNeverThatItWasRemoved() throws Exception {
        // Arrange
        CleanroomEngine engine = engine(Duration.ofMillis(300));
        Environment environment = engine.start(file(engine, TWO_SERVICES));
        runtime.stopAnswering();

        // Act
        environment.stop();

        // Assert
        assertThat(log.lines()).noneMatch(line -> line.contains("Removed the containers and network of run"));
        assertThat(log.lines()).last().isEqualTo("WARN " + leftBehind(environment.runId(), 2));
    }

    @Test
    void aRemovalThatFailsWhileTheDaemonAnswersEndsTheStopSayingWhatIsLeftNeverThatItWasRemoved() throws Exception {
        // Arrange: the daemon answers, but it refuses to remove db's container
        CleanroomEngine engine = engine(Duration.ofMillis(300));
        runtime.failRemovalOf("db:1", "removal of container in progress");
        Environment environment = engine.start(file(engine, """
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.api]
                type = "scripted"
                image = "api:1"
                """));
        String runId = environment.runId();

        // Act
        environment.stop();

        // Assert
        assertThat(log.lines()).noneMatch(line -> line.contains("Removed the containers and network of run"));
        assertThat(log.lines())
                .last()
                .asString()
                .startsWith("WARN Could not remove everything of run " + runId.substring(0, 8) + ":")
                .contains("label " + Labels.RUN + "=" + runId)
                .contains("docker rm -f $(docker ps -aq --filter label=" + Labels.RUN + "=" + runId + ")");
    }

    @Test
    void aStartThatFailsAndARemovalThatFailsSaysWhatIsLeftNotThatEverythingWasRemoved() throws Exception {
        // Arrange: api never becomes healthy, and db's container cannot be removed
        CleanroomEngine engine = engine(Duration.ofMillis(300));
        runtime.failRemovalOf("db:1", "removal of container in progress");
        LoadedFile file = file(engine, """
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.api]
                type = "scripted"
                image = "api:1"
                depends_on = ["db"]
                healthy_after = -1
                start_timeout = "200ms"
                """);

        // Act
        Throwable thrown = catchThrowable(() -> engine.start(file));

        // Assert
        assertThat(thrown).isInstanceOf(ServiceStartException.class);
        assertThat(thrown.getMessage()).doesNotContain("were removed").contains("Could not remove everything of run ");
    }

    @Test
    void aStartThatFailsWhileTheDaemonStaysAwaySaysWhatIsLeftNotThatEverythingWasRemoved() throws Exception {
        // Arrange: api's first health check execs and the daemon goes away; its second check fails
        CleanroomEngine engine = engine(Duration.ofMillis(300));
        runtime.onExec(argv -> {
            runtime.stopAnswering();
            return new ExecResult(0, "", "", Duration.ofMillis(1), false);
        });
        LoadedFile file = file(engine, """
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.api]
                type = "scripted"
                image = "api:1"
                depends_on = ["db"]
                health_exec = true
                healthy_after = 1
                """);

        // Act
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> engine.start(file));

        // Assert
        assertThat(thrown).isInstanceOf(dev.cleanroom.engine.api.ServiceStartException.class);
        String runId = runtime.runningSpecs().get(0).labels().get(Labels.RUN);
        assertThat(thrown.getMessage())
                .doesNotContain("were removed")
                .startsWith("Service api (scripted, api:1) failed its health check: ")
                .endsWith("\n" + leftBehind(runId, 2));
        assertThat(log.lines()).noneMatch(line -> line.contains("Removed the containers and network of run"));
    }

    /** What the stop says when the daemon stays away longer than daemonWait (300 ms here). */
    private static String leftBehind(String runId, int containers) {
        String shortId = runId.substring(0, 8);
        return "Could not remove run " + shortId + ": the Docker daemon did not answer for 300 ms. Its " + containers
                + " container(s) and network clnrm-" + shortId + " (label dev.cleanroom.run=" + runId + ") are left "
                + "behind; the next cleanroom:start or cleanroom:stop on this host removes them once the daemon is "
                + "back, or run: docker rm -f $(docker ps -aq --filter label=dev.cleanroom.run=" + runId
                + ") && docker network rm clnrm-" + shortId;
    }

    @Test
    void stepsFailWhileTheDaemonIsAwayAndTheRunIsStillRemoved() throws Exception {
        // Arrange: the daemon goes away during the first step and is back a little later
        CleanroomEngine engine = engine(Duration.ofSeconds(10));
        runtime.onExec(argv -> {
            runtime.stopAnsweringFor(4);
            return new ExecResult(0, "ok\n", "", Duration.ofMillis(1), false);
        });
        LoadedFile file = file(engine, TWO_SERVICES + """
                [[steps]]
                name = "first"
                service = "api"
                command = ["true"]
                [[steps]]
                name = "second"
                service = "api"
                command = ["true"]
                """);

        // Act
        RunReport report = engine.run(file);

        // Assert
        assertThat(report.steps())
                .extracting(StepResult::status)
                .containsExactly(StepResult.Status.PASSED, StepResult.Status.FAILED);
        assertThat(report.steps().get(1).failure()).contains("Connection refused");
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }
}
