package dev.cleanroom.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.spi.CleanroomException;
import dev.cleanroom.engine.testing.RecordingLog;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds of one project with reuse across builds on the real daemon, each an engine of its own as
 * a second {@code mvn verify -Dcleanroom.reuse=true} would be: the first starts a service and
 * leaves it, the next must adopt it. For the round trip every built-in type that adopts is put
 * through in its own Docker test.
 */
public final class ReuseBuilds {

    /** What a build does with its services before it ends, as its tests would. */
    @FunctionalInterface
    public interface Use {
        void accept(Environment environment) throws Exception;
    }

    /** What the test checks of the next build, which adopted the service; {@code log} is that build's. */
    @FunctionalInterface
    public interface Check {
        void accept(Environment reused, RecordingLog log) throws Exception;
    }

    /** What the first build left: the service's container and every property it exported. */
    private record Left(String containerId, Map<String, String> properties) {}

    private final String project;
    private final Path projectDirectory;

    public ReuseBuilds(String project, Path projectDirectory) {
        this.project = project;
        this.projectDirectory = projectDirectory;
    }

    /** A build's engine, with reuse on as -Dcleanroom.reuse=true turns it on. */
    public CleanroomEngine engine(RecordingLog log) {
        return CleanroomEngine.builder()
                .project(project)
                .projectDirectory(projectDirectory)
                .reuse(true, "-Dcleanroom.reuse")
                .log(log)
                .build();
    }

    /** Starts {@code file}, lets {@code use} work with it, and ends the build, which leaves {@code service} running. */
    private Left first(Path file, String service, Use use) throws Exception {
        CleanroomEngine engine = engine(new RecordingLog());
        Environment environment = engine.start(engine.load(file));
        try {
            use.accept(environment);
            return new Left(
                    environment.service(service).orElseThrow().handle().containerId(),
                    environment.exportedProperties());
        } finally {
            environment.stop();
        }
    }

    /**
     * Starts {@code file} again and checks that {@code service} was adopted: the log says so, with
     * the same container, and the build exports exactly what the first one did.
     */
    private Environment next(Path file, String service, String type, Left left, RecordingLog log) throws Exception {
        CleanroomEngine engine = engine(log);
        Environment environment = engine.start(engine.load(file));
        assertThat(log.lines())
                .as("the second build's log")
                .anySatisfy(line -> assertThat(line)
                        .startsWith("INFO Reused " + service + " ("
                                + left.containerId().substring(0, 12) + ", " + type + ", "));
        assertThat(environment.service(service).orElseThrow().handle().containerId())
                .isEqualTo(left.containerId());
        assertThat(environment.exportedProperties()).isEqualTo(left.properties());
        assertThat(DockerCli.containersOf(project))
                .as("containers of the project: the one service, none created")
                .containsExactly(left.containerId().substring(0, 12));
        return environment;
    }

    /**
     * The whole round trip: {@link #first}, then {@link #next} (which checks the adoption), then
     * {@code check} on the adopted service, then {@link #clean}, whatever failed.
     */
    public void roundTrip(Path file, String service, String type, Use firstBuild, Check check) throws Exception {
        try {
            Left left = first(file, service, firstBuild);
            RecordingLog log = new RecordingLog();
            try (Environment reused = next(file, service, type, left, log)) {
                check.accept(reused, log);
            }
        } finally {
            clean();
        }
    }

    /** Removes what the builds kept for reuse, as cleanroom:clean does, and checks that nothing of the project is left. */
    private void clean() throws CleanroomException {
        engine(new RecordingLog()).removeReusedServices(false);
        assertThat(DockerCli.leftoversOf(project)).as("left behind").isEmpty();
    }
}
