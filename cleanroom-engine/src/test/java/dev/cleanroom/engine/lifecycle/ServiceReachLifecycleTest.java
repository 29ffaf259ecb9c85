package dev.cleanroom.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.LoadedFile;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.ServiceFactory;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.testing.FakeRuntime;
import dev.cleanroom.engine.testing.RecordingLog;
import dev.cleanroom.engine.testing.ScriptedPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the build reaches its services, as a run uses it: the log, the exports, bind mounts, health errors. */
class ServiceReachLifecycleTest {

    private static final String REMOTE = "tcp://10.231.7.2:2375";

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private final RecordingLog log = new RecordingLog();
    private final CleanroomEngine engine = TestEngines.builder(
                    new ServiceFactory().register(new ScriptedPlugin()), runtime.factory())
            .log(log)
            .project("g:a")
            .build();

    private LoadedFile file(String toml) throws Exception {
        Path path = dir.resolve("env.clnrm.toml");
        Files.writeString(path, toml, StandardCharsets.UTF_8);
        return engine.load(path);
    }

    private static final String TWO_WEB_SERVICES = """
            [services.web]
            type = "scripted"
            image = "web:1"
            port = 8080
            [services.api]
            type = "scripted"
            image = "api:1"
            port = 9000
            """;

    @Test
    void saysOncePerRunWhatWasDetectedAndWhichAddressServicesAreReachedOn() throws Exception {
        try (Environment environment = engine.start(file(TWO_WEB_SERVICES))) {
            assertThat(log.lines())
                    .filteredOn(l -> l.contains("Services are reached"))
                    .containsExactly(
                            "INFO Services are reached at 127.0.0.1: this build runs on the Docker daemon's host (fake://daemon); "
                                    + "ports are published on 127.0.0.1");
            assertThat(environment.exportedProperties()).containsEntry("cleanroom.web.host", "127.0.0.1");
        }
    }

    @Test
    void withARemoteDaemonExportsItsAddressAndWarnsOnceThatItsNetworkReachesTheServices() throws Exception {
        runtime.reachAs(ServiceReach.remote(REMOTE, "10.231.7.2"));

        try (Environment environment = engine.start(file(TWO_WEB_SERVICES))) {
            assertThat(environment.exportedProperties())
                    .containsEntry("cleanroom.web.host", "10.231.7.2")
                    .containsEntry("cleanroom.api.host", "10.231.7.2");
            assertThat(log.lines())
                    .filteredOn(l -> l.startsWith("WARN The services' ports are published"))
                    .containsExactly(
                            "WARN The services' ports are published on every address of the Docker daemon's host, so its network "
                                    + "can reach them while they run: a daemon on another host (tcp://10.231.7.2:2375) requires "
                                    + "it. Perhaps you should use a daemon on a network only your builds reach");
        }
    }

    @Test
    void inAContainerOfTheDaemonExportsEachServicesIpOnTheRunsNetworkAndItsContainerPort() throws Exception {
        runtime.reachAs(ServiceReach.inContainer("unix:///var/run/docker.sock", "f".repeat(64), List.of()));

        try (Environment environment = engine.start(file(TWO_WEB_SERVICES))) {
            assertThat(environment.exportedProperties().get("cleanroom.web.host"))
                    .startsWith("172.18.0.");
            assertThat(environment.exportedProperties())
                    .containsEntry("cleanroom.web.port", "8080")
                    .containsEntry("cleanroom.api.port", "9000");
        }
    }

    @Test
    void aRemoteDaemonThatDoesNotShareABindMountsDirectoryIsRefusedBeforeTheContainerIsCreated() throws Exception {
        // Arrange
        Path site = Files.createDirectories(dir.resolve("site"));
        runtime.reachAs(ServiceReach.remote(REMOTE, "10.231.7.2")).sharesNoFiles();
        LoadedFile file = file("""
                [services.web]
                type = "scripted"
                image = "web:1"
                volume = "site:/www"
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("Service web (scripted, web:1) could not start: Volume " + site
                        + ":/www cannot be "
                        + "mounted: the Docker daemon at tcp://10.231.7.2:2375 runs on another host and does not see "
                        + site + " (a marker file written there was not in a container that mounts it). Perhaps you "
                        + "should run the build where the daemon shares its files (GitLab's docker:dind shares the "
                        + "project directory), use a daemon on this machine, or leave the volume out");
        assertThat(runtime.bindMountChecks()).containsExactly(site);
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start "));
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
        try (Stream<Path> left = Files.list(site)) {
            assertThat(left).as("the marker file is removed").isEmpty();
        }
    }

    @Test
    void aBindMountARemoteDaemonDoesNotShareIsRefusedBeforeAnythingStartsNotOnlyItsOwnContainer() throws Exception {
        // Arrange: db has no volume and nothing to wait for, so it would start first
        Path site = Files.createDirectories(dir.resolve("site"));
        runtime.reachAs(ServiceReach.remote(REMOTE, "10.231.7.2")).sharesNoFiles();
        LoadedFile file = file("""
                [services.db]
                type = "scripted"
                image = "db:1"
                [services.web]
                type = "scripted"
                image = "web:1"
                volume = "site:/www"
                depends_on = ["db"]
                """);

        // Act + Assert: refused before the network, the sweep or any service
        assertThatThrownBy(() -> engine.start(file))
                .hasMessageContaining("Volume " + site + ":/www cannot be mounted: the Docker daemon at "
                        + "tcp://10.231.7.2:2375 runs on another host and does not see " + site);
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start ") || e.startsWith("network"));
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void aMountAPluginDidNotDeclareIsStillCheckedBeforeItsContainerIsCreated() throws Exception {
        // Arrange
        Path site = Files.createDirectories(dir.resolve("site"));
        runtime.reachAs(ServiceReach.remote(REMOTE, "10.231.7.2")).sharesNoFiles();
        LoadedFile file = file("""
                [services.web]
                type = "scripted"
                image = "web:1"
                volume = "site:/www"
                declare_volume = false
                """);

        // Act + Assert
        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("Service web (scripted, web:1) could not start: Volume " + site
                        + ":/www cannot be " + "mounted");
        assertThat(runtime.events()).as("the late check: the network existed").anyMatch(e -> e.startsWith("network "));
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start "));
        assertThat(runtime.containerCount()).isZero();
        assertThat(runtime.networkCount()).isZero();
    }

    @Test
    void aRemoteDaemonThatSharesTheDirectoryMountsIt() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        runtime.reachAs(ServiceReach.remote(REMOTE, "10.231.7.2"));

        try (Environment environment = engine.start(file("""
                [services.web]
                type = "scripted"
                image = "web:1"
                volume = "site:/www"
                """))) {
            assertThat(environment.services()).hasSize(1);
            assertThat(runtime.bindMountChecks()).containsExactly(site);
        }
    }

    @Test
    void onTheDaemonsHostBindMountsAreNotChecked() throws Exception {
        Files.createDirectories(dir.resolve("site"));

        try (Environment environment = engine.start(file("""
                [services.web]
                type = "scripted"
                image = "web:1"
                volume = "site:/www"
                """))) {
            assertThat(runtime.bindMountChecks()).isEmpty();
        }
    }

    @Test
    void inAContainerAVolumeOutsideItsMountsIsRefusedBeforeTheContainerIsCreated() throws Exception {
        runtime.reachAs(ServiceReach.inContainer(
                "unix:///var/run/docker.sock",
                "f".repeat(64),
                List.of(new ServiceReach.Mount("/var/run/docker.sock", "/var/run/docker.sock"))));
        LoadedFile file = file("""
                [services.web]
                type = "scripted"
                image = "web:1"
                volume = "site:/www"
                """);

        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("Service web (scripted, web:1) could not start: Volume " + dir.resolve("site")
                        + ":/www cannot be mounted: this build runs in container ffffffffffff and");
        assertThat(runtime.events()).noneMatch(e -> e.startsWith("start "));
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void aHealthCheckThatCannotReachTheServiceSaysWhereItDialledWhyAndHowToOverride() throws Exception {
        LoadedFile file = file("""
                [services.web]
                type = "scripted"
                image = "web:1"
                port = 8080
                unreachable = true
                start_timeout = "200ms"
                """);

        assertThatThrownBy(() -> engine.start(file))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageStartingWith(
                        "Service web (scripted, web:1) could not be reached within 200 ms (last check: TCP "
                                + "127.0.0.1:32768: Connection refused). Cleanroom dialled 127.0.0.1:32768 because this build "
                                + "runs on the Docker daemon's host (fake://daemon). Perhaps you should set the address this "
                                + "build reaches the services' ports on: -Dcleanroom.hostAddress=ADDRESS or "
                                + "CLEANROOM_HOST_ADDRESS=ADDRESS");
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void withARemoteDaemonTheSweepJudgesOnlyOwnersOfThisHostAndPidNamespace() throws Exception {
        // Arrange: two runs whose owner pid is gone: one started here, one by a build on another host
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String[] ours = dev.cleanroom.engine.internal.Labels.currentOwner().split("/");
        String deadHere = String.join("/", "another-jvm", ours[1], Long.toString(ended.pid()), "0", ours[4]);
        String deadElsewhere = String.join(
                "/",
                "another-jvm",
                "ci-runner-elsewhere",
                Long.toString(ended.pid()),
                "0",
                "0123456789abcdef-pidns4026531836");
        runtime.reachAs(ServiceReach.remote(REMOTE, "10.231.7.2"));
        runtime.plant(dev.cleanroom.engine.spi.ContainerSpec.builder("left:1")
                .name("left-here")
                .label(dev.cleanroom.engine.internal.Labels.RUN, "r-here")
                .label(dev.cleanroom.engine.internal.Labels.OWNER, deadHere)
                .build());
        runtime.plant(dev.cleanroom.engine.spi.ContainerSpec.builder("left:1")
                .name("running-elsewhere")
                .label(dev.cleanroom.engine.internal.Labels.RUN, "r-elsewhere")
                .label(dev.cleanroom.engine.internal.Labels.OWNER, deadElsewhere)
                .build());

        // Act
        try (Environment environment = engine.start(file(TWO_WEB_SERVICES))) {
            // Assert
            assertThat(runtime.runningSpecs())
                    .extracting(s -> s.name().orElse(""))
                    .contains("running-elsewhere")
                    .doesNotContain("left-here");
        }
    }
}
