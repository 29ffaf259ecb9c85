package dev.cleanroom.plugins.lifecycle;

import static dev.cleanroom.plugins.DockerCli.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.CleanroomEngine;
import dev.cleanroom.engine.api.EngineLog;
import dev.cleanroom.engine.api.Environment;
import dev.cleanroom.engine.api.ServiceStartException;
import dev.cleanroom.engine.api.TestEngines;
import dev.cleanroom.engine.internal.InContainerDetection;
import dev.cleanroom.engine.internal.Labels;
import dev.cleanroom.engine.internal.ServiceReach;
import dev.cleanroom.engine.internal.docker.DockerConnector;
import dev.cleanroom.engine.internal.docker.DockerRuntime;
import dev.cleanroom.plugins.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the build reaches its services, decided against the real daemon of this machine. */
@Timeout(120)
class ServiceReachIT {

    @TempDir
    Path dir;

    private final String project = "it-" + UUID.randomUUID();
    private final List<String> ownContainers = new ArrayList<>();
    private final List<String> debug = Collections.synchronizedList(new ArrayList<>());
    private final EngineLog log = new EngineLog() {
        @Override
        public void info(String message) {
            debug.add("INFO " + message);
        }

        @Override
        public void warn(String message) {
            debug.add("WARN " + message);
        }

        @Override
        public void debug(String message) {
            debug.add("DEBUG " + message);
        }
    };

    @AfterEach
    void nothingRemains() {
        ownContainers.forEach(id -> DockerCli.run("rm", "-f", id));
        assertThat(DockerCli.leftoversOf(project))
                .as("containers and networks left behind")
                .isEmpty();
    }

    /** A container that plays "the build's container", or a neighbour of the build. */
    private String busybox(String... labels) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--label", "dev.cleanroom.test=" + project));
        for (String label : labels) {
            args.addAll(List.of("--label", label));
        }
        args.addAll(List.of(BUSYBOX, "sleep", "300"));
        String id = DockerCli.run(args.toArray(String[]::new));
        ownContainers.add(id);
        return id;
    }

    @Test
    void thisMachineIsOnTheDaemonsHostThoughItHasDockerenvAndItsMountInfoListsContainers() throws Exception {
        // Arrange: what misleads a file-based detection here
        String neighbour = busybox();

        // Act
        try (DockerRuntime runtime = DockerConnector.connect(log)) {
            // Assert
            assertThat(runtime.reach().mode()).isEqualTo(ServiceReach.Mode.ON_HOST);
            assertThat(runtime.hostAddress()).isEqualTo("127.0.0.1");
        }
        assertThat(Files.exists(Path.of("/.dockerenv")))
                .as("this CI host has /.dockerenv")
                .isTrue();
        assertThat(debug).anyMatch(line -> line.startsWith("DEBUG In-container detection: candidates"));
        assertThat(neighbour).isNotEmpty();
    }

    @Test
    void aRunningContainerOfTheDaemonIsNotTakenForTheBuildsOwnWhenItDoesNotSeeTheMarker() throws Exception {
        // Arrange: a real container named as a candidate, as an id in this host's mountinfo would be
        String neighbour = busybox();

        try (DockerRuntime runtime = DockerConnector.connect(log)) {
            InContainerDetection.Daemon daemon = runtime.detectionView();

            // Act
            var found = InContainerDetection.detect(
                    daemon, Set.of(neighbour), InContainerDetection.defaultMarkerDirectories(), log);

            // Assert: not taken; and the daemon's answer is meaningful: it sees a file that is in the container
            assertThat(found).isEmpty();
            DockerCli.run("exec", neighbour, "touch", "/tmp/cleanroom-present");
            assertThat(daemon.sees(neighbour, "/tmp/cleanroom-present")).isTrue();
            assertThat(daemon.sees(neighbour, "/tmp/cleanroom-absent")).isFalse();
        }
        assertThat(debug)
                .anyMatch(line -> line.contains(neighbour + " skipped: it does not see /tmp/cleanroom-whoami-"));
    }

    @Test
    void aCleanroomServiceIsNeverTakenForTheBuildsContainer() throws Exception {
        String service = busybox(Labels.RUN + "=not-a-real-run");

        try (DockerRuntime runtime = DockerConnector.connect(log)) {
            assertThat(InContainerDetection.detect(
                            runtime.detectionView(),
                            Set.of(service),
                            InContainerDetection.defaultMarkerDirectories(),
                            log))
                    .isEmpty();
        }
        assertThat(debug).anyMatch(line -> line.contains(service + " skipped: it is a Cleanroom service"));
    }

    @Test
    void aBuildInAContainerJoinsTheRunsNetworkReachesServicesAtTheirIpAndLeavesTheNetworkAfterwards() throws Exception {
        // Arrange: a container plays the build's; this JVM on the host reaches the bridge IPs as it would
        String build = busybox();
        DockerRuntime connected = DockerConnector.connect(log);
        DockerRuntime inContainer =
                connected.withReach(ServiceReach.inContainer(connected.reach().daemon(), build, List.of()));
        CleanroomEngine engine = TestEngines.builderWithRuntime(l -> inContainer)
                .project(project)
                .log(log)
                .build();
        Path file = dir.resolve("web.clnrm.toml");
        Files.writeString(file, """
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                ports = ["8080"]
                command = ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www"]
                health.http = "/index.html"
                health.start_timeout = "20s"
                """.replace("BUSYBOX", BUSYBOX));

        // Act
        try (Environment environment = engine.start(engine.load(file))) {
            // Assert: the service's IP on the run's network and its container port, healthy through them
            String network = "clnrm-" + environment.runId().substring(0, 8);
            String ip = DockerCli.run(
                    "inspect",
                    "-f",
                    "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}",
                    "clnrm-" + environment.runId().substring(0, 8) + "-web");
            assertThat(environment.exportedProperties())
                    .containsEntry("cleanroom.web.host", ip)
                    .containsEntry("cleanroom.web.port", "8080")
                    .containsEntry("cleanroom.web.url", "http://" + ip + ":8080");
            assertThat(DockerCli.run(
                            "inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", build))
                    .contains(network);
        }

        // Assert: the build's container left the network, which is gone
        assertThat(DockerCli.run("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", build))
                .doesNotContain("clnrm-");
        assertThat(debug)
                .contains("INFO Services are reached at their IP addresses on the run's network: this build "
                        + "runs in container " + build.substring(0, 12) + " of the Docker daemon ("
                        + connected.reach().daemon()
                        + "), which joins that network; tests get each service's IP and container port");
    }

    @Test
    void aFailedStartOfABuildInAContainerLeavesTheNetworkToo() throws Exception {
        String build = busybox();
        DockerRuntime connected = DockerConnector.connect(log);
        DockerRuntime inContainer =
                connected.withReach(ServiceReach.inContainer(connected.reach().daemon(), build, List.of()));
        CleanroomEngine engine = TestEngines.builderWithRuntime(l -> inContainer)
                .project(project)
                .log(log)
                .build();
        Path file = dir.resolve("crash.clnrm.toml");
        Files.writeString(file, """
                [services.crash]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sh", "-c", "exit 3"]
                # Never printed: without a health check the container counts as started while it
                # runs, and "exit 3" could still be running at the first inspect.
                health.log = "never printed"
                """.replace("BUSYBOX", BUSYBOX));

        assertThatThrownBy(() -> engine.start(engine.load(file))).isInstanceOf(ServiceStartException.class);

        assertThat(DockerCli.run("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", build))
                .doesNotContain("clnrm-");
    }

    @Test
    void theMountCheckOfARemoteDaemonPassesWhereTheDaemonSharesTheDirectoryAndLeavesNoProbeBehind() throws Exception {
        // Arrange: this daemon, treated as remote (its files are this machine's, so it shares the directory)
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "shared\n");
        DockerRuntime connected = DockerConnector.connect(log);
        DockerRuntime remote =
                connected.withReach(ServiceReach.remote(connected.reach().daemon(), "127.0.0.1"));
        CleanroomEngine engine = TestEngines.builderWithRuntime(l -> remote)
                .project(project)
                .log(log)
                .build();
        Path file = dir.resolve("volume.clnrm.toml");
        Files.writeString(file, """
                [services.web]
                type = "generic_container"
                image = "BUSYBOX"
                command = ["sleep", "300"]
                volumes = ["site:/www:ro"]

                [[steps]]
                name = "reads_the_mounted_file"
                service = "web"
                command = ["cat", "/www/index.html"]
                expected_output_regex = "shared"
                """.replace("BUSYBOX", BUSYBOX));

        // Act
        var report = engine.run(engine.load(file));

        // Assert: passed, the marker is gone, and no container (the probe included) is left
        assertThat(report.passed()).isTrue();
        try (var left = Files.list(site)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("index.html");
        }
    }
}
