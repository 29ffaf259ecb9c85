package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.testing.PingingSocket;
import dev.cleanroom.engine.testing.RecordingLog;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every place Cleanroom looks for the Docker daemon, in order, with a temporary home, runtime
 * directory and file-system root holding real listening Unix sockets.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DaemonDiscoveryTest {

    private static final long UID = 1234;

    @TempDir
    Path dir;

    private Path home;
    private Path root;
    private Path xdg;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private final List<PingingSocket> sockets = new ArrayList<>();
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void layOut() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        root = Files.createDirectories(dir.resolve("root"));
        xdg = Files.createDirectories(dir.resolve("xdg"));
        env.put("XDG_RUNTIME_DIR", xdg.toString());
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (PingingSocket socket : sockets) {
            socket.close();
        }
    }

    private DaemonEndpoint find() throws DockerUnavailableException {
        return new DaemonDiscovery(
                        new DaemonDiscovery.Environment(env, properties, home, root, OptionalLong.of(UID)), log)
                .find();
    }

    private Path listening(Path socket) throws IOException {
        sockets.add(PingingSocket.at(socket));
        return socket;
    }

    private static URI unix(Path socket) {
        return URI.create("unix://" + socket);
    }

    private Path context(String name, String host, boolean skipTlsVerify) throws Exception {
        Path meta = home.resolve(".docker/contexts/meta").resolve(sha256(name)).resolve("meta.json");
        Files.createDirectories(meta.getParent());
        Files.writeString(
                meta,
                "{\"Name\":\"" + name + "\",\"Metadata\":{\"Description\":\"\"},\"Endpoints\":{\"docker\":"
                        + "{\"Host\":\"" + host + "\",\"SkipTLSVerify\":" + skipTlsVerify + "}}}");
        return meta;
    }

    private void currentContext(String name) throws IOException {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{},\"currentContext\":\"" + name + "\"}");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void dockerHostComesFirstAndIsTakenAsTheUserSaysItWithoutAsking() throws Exception {
        // Arrange: every other place has a daemon
        env.put("DOCKER_HOST", "unix:///nonexistent/chosen.sock");
        Files.writeString(
                home.resolve(".testcontainers.properties"), "tc.host=unix://" + listening(dir.resolve("tc.sock")));
        listening(root.resolve("var/run/docker.sock"));

        // Act
        DaemonEndpoint endpoint = find();

        // Assert
        assertThat(endpoint.uri()).isEqualTo(URI.create("unix:///nonexistent/chosen.sock"));
        assertThat(endpoint.source()).isEqualTo("DOCKER_HOST");
    }

    @Test
    void dockerHostAsASystemPropertyCountsAsWellAsTheEnvironmentVariable() throws Exception {
        properties.put("DOCKER_HOST", "tcp://127.0.0.1:2375");

        assertThat(find().uri()).isEqualTo(URI.create("tcp://127.0.0.1:2375"));
    }

    @Test
    void testcontainersPropertiesComeNextAndTcHostBeforeDockerHost() throws Exception {
        // Arrange
        Path tc = listening(dir.resolve("tc.sock"));
        Path docker = listening(dir.resolve("docker.sock"));
        Files.writeString(
                home.resolve(".testcontainers.properties"),
                "docker.host=unix://" + docker + "\ntc.host=unix://" + tc + "\n");
        Path contextSocket = listening(dir.resolve("context.sock"));
        context("colima", "unix://" + contextSocket, false);
        currentContext("colima");

        // Act
        DaemonEndpoint endpoint = find();

        // Assert
        assertThat(endpoint.uri()).isEqualTo(unix(tc));
        assertThat(endpoint.source()).isEqualTo("~/.testcontainers.properties (tc.host)");
    }

    @Test
    void testcontainersDockerHostIsUsedWhenTcHostIsNotSet() throws Exception {
        Path docker = listening(dir.resolve("docker.sock"));
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=unix://" + docker + "\n");

        DaemonEndpoint endpoint = find();

        assertThat(endpoint.uri()).isEqualTo(unix(docker));
        assertThat(endpoint.source()).isEqualTo("~/.testcontainers.properties (docker.host)");
    }

    @Test
    void theCurrentContextOfConfigJsonIsReadFromItsMetaFile() throws Exception {
        // Arrange
        Path socket = listening(dir.resolve("podman.sock"));
        context("podman", "unix://" + socket, false);
        currentContext("podman");
        listening(root.resolve("var/run/docker.sock"));

        // Act
        DaemonEndpoint endpoint = find();

        // Assert
        assertThat(endpoint.uri()).isEqualTo(unix(socket));
        assertThat(endpoint.source()).isEqualTo("docker context \"podman\"");
        assertThat(endpoint.tlsCertPath()).isEmpty();
    }

    @Test
    void dockerContextOverridesConfigJsonAndDockerConfigMovesTheConfigDirectory() throws Exception {
        // Arrange: the contexts live under DOCKER_CONFIG, not ~/.docker
        Path config = Files.createDirectories(dir.resolve("elsewhere"));
        env.put("DOCKER_CONFIG", config.toString());
        Path socket = listening(dir.resolve("chosen.sock"));
        Path meta = config.resolve("contexts/meta").resolve(sha256("chosen")).resolve("meta.json");
        Files.createDirectories(meta.getParent());
        Files.writeString(
                meta, "{\"Name\":\"chosen\",\"Endpoints\":{\"docker\":{\"Host\":\"unix://" + socket + "\"}}}");
        Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"other\"}");
        env.put("DOCKER_CONTEXT", "chosen");

        // Act + Assert
        assertThat(find().uri()).isEqualTo(unix(socket));
    }

    @Test
    void theDefaultContextMeansLookingFurther() throws Exception {
        currentContext("default");
        Path socket = listening(root.resolve("var/run/docker.sock"));

        DaemonEndpoint endpoint = find();

        assertThat(endpoint.uri()).isEqualTo(unix(socket));
        assertThat(endpoint.source()).isEqualTo("the default socket");
    }

    @Test
    void aContextWithTlsMaterialIsReachedWithThatMaterial() throws Exception {
        // Arrange: what docker context create --docker host=tcp://...,ca=...,cert=...,key=... stores
        context("remote", "tcp://127.0.0.1:2376", false);
        Path tls = Files.createDirectories(
                home.resolve(".docker/contexts/tls").resolve(sha256("remote")).resolve("docker"));
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(tls.resolve(file), "-----BEGIN-----");
        }
        currentContext("remote");

        // Act
        DaemonEndpoint endpoint = find();

        // Assert
        assertThat(endpoint.uri()).isEqualTo(URI.create("tcp://127.0.0.1:2376"));
        assertThat(endpoint.tlsCertPath()).contains(tls);
    }

    @Test
    void aContextThatDoesNotExistIsAnErrorNamingItAndWhereItWasChosen() throws Exception {
        currentContext("gone");
        listening(root.resolve("var/run/docker.sock"));

        assertThatThrownBy(this::find)
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("The docker context \"gone\" (currentContext in " + home.resolve(".docker/config.json")
                        + ") does not exist: "
                        + home.resolve(".docker/contexts/meta")
                                .resolve(sha256("gone"))
                                .resolve("meta.json")
                        + " is missing. Perhaps you should choose an existing one (docker "
                        + "context ls, then docker context use NAME) or set DOCKER_HOST.");
    }

    @Test
    void aContextThatSkipsTlsVerificationIsRefusedBecauseTheClientCannotSkipIt() throws Exception {
        context("insecure", "tcp://127.0.0.1:2376", true);
        env.put("DOCKER_CONTEXT", "insecure");

        assertThatThrownBy(this::find)
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("The docker context \"insecure\" (DOCKER_CONTEXT) connects to tcp://127.0.0.1:2376 with "
                        + "TLS but without verifying the daemon's certificate (SkipTLSVerify), which Cleanroom does not "
                        + "do. Perhaps you should give the context the daemon's CA (docker context update insecure "
                        + "--docker host=tcp://127.0.0.1:2376,ca=...,cert=...,key=...) or set DOCKER_HOST.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "the default socket, root, var/run/docker.sock",
        "Docker Desktop, home, .docker/run/docker.sock",
        "Docker Desktop, home, .docker/desktop/docker.sock",
        "rootless Docker, xdg, docker.sock",
        "rootless Docker, root, run/user/1234/docker.sock",
        "Colima (profile default), home, .colima/default/docker.sock",
        "Colima (profile work), home, .colima/work/docker.sock",
        "OrbStack, home, .orbstack/run/docker.sock",
        "Rancher Desktop, home, .rd/docker.sock",
        "rootless Podman, xdg, podman/podman.sock",
        "Podman, root, run/podman/podman.sock",
    })
    void aSocketThatAnswersIsFoundInEachPlaceDaemonsPutThem(String source, String base, String relative)
            throws Exception {
        // Arrange
        Path socket = listening(
                Map.of("root", root, "home", home, "xdg", xdg).get(base).resolve(relative));

        // Act
        DaemonEndpoint endpoint = find();

        // Assert
        assertThat(endpoint.uri()).isEqualTo(unix(socket));
        assertThat(endpoint.source()).isEqualTo(source);
    }

    @Test
    void theDefaultSocketIsPreferredToTheDesktopAndPodmanSockets() throws Exception {
        Path standard = listening(root.resolve("var/run/docker.sock"));
        listening(home.resolve(".docker/run/docker.sock"));
        listening(root.resolve("run/podman/podman.sock"));

        assertThat(find().uri()).isEqualTo(unix(standard));
    }

    @Test
    void aSocketFileNobodyAnswersOnIsSkippedAndTheDebugOutputSaysWhy() throws Exception {
        // Arrange: dockerd stopped and left its socket; Podman answers
        PingingSocket.deadAt(root.resolve("var/run/docker.sock"));
        Path podman = listening(root.resolve("run/podman/podman.sock"));

        // Act
        DaemonEndpoint endpoint = find();

        // Assert
        assertThat(endpoint.uri()).isEqualTo(unix(podman));
        assertThat(log.lines())
                .contains(
                        "DEBUG Docker daemon: DOCKER_HOST is not set",
                        "DEBUG Docker daemon: " + home.resolve(".testcontainers.properties") + " does not exist",
                        "DEBUG Docker daemon: no docker context chosen (" + home.resolve(".docker/config.json")
                                + " does not exist)",
                        "DEBUG Docker daemon: skipped unix://" + root.resolve("var/run/docker.sock")
                                + " (the default socket): does not answer /_ping (ConnectException: Connection refused)",
                        "DEBUG Docker daemon: skipped unix://" + home.resolve(".docker/run/docker.sock")
                                + " (Docker Desktop): no such socket",
                        "DEBUG Docker daemon: using unix://" + podman + " (Podman)");
    }

    @Test
    void whenNoDaemonAnswersTheErrorListsWhatWasTriedAndHowToPointCleanroomAtOne() throws Exception {
        // Arrange
        PingingSocket.deadAt(root.resolve("var/run/docker.sock"));

        // Act + Assert
        assertThatThrownBy(this::find)
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("No Docker daemon answers where Cleanroom looked: neither DOCKER_HOST, "
                        + "~/.testcontainers.properties (tc.host, docker.host) nor a docker context names one; unix://"
                        + root.resolve("var/run/docker.sock") + " does not answer /_ping (ConnectException: Connection "
                        + "refused); none of these sockets exists: "
                        + home.resolve(".docker/run/docker.sock") + ", " + home.resolve(".docker/desktop/docker.sock")
                        + ", " + xdg.resolve("docker.sock") + ", " + root.resolve("run/user/1234/docker.sock") + ", "
                        + home.resolve(".colima/default/docker.sock") + ", " + home.resolve(".orbstack/run/docker.sock")
                        + ", " + home.resolve(".rd/docker.sock") + ", " + xdg.resolve("podman/podman.sock") + ", "
                        + root.resolve("run/podman/podman.sock") + ". Perhaps you should start a daemon (sudo "
                        + "systemctl start docker, or run dockerd), or point Cleanroom at yours with DOCKER_HOST "
                        + "(e.g. DOCKER_HOST=unix:///run/podman/podman.sock), a docker context (docker context use "
                        + "NAME) or docker.host in ~/.testcontainers.properties.");
    }

    @Test
    void aSocketThatAcceptsAndNeverAnswersIsSkippedAfterThePingsBoundAndSaidSoPlainly() throws Exception {
        // Arrange: a hung dockerd on the default socket; Podman answers
        Path hung = root.resolve("var/run/docker.sock");
        Files.createDirectories(hung.getParent());
        try (java.nio.channels.ServerSocketChannel listening =
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            listening.bind(java.net.UnixDomainSocketAddress.of(hung)); // accepted by the kernel's backlog, never read
            Path podman = listening(root.resolve("run/podman/podman.sock"));

            // Act
            DaemonEndpoint endpoint = find();

            // Assert
            assertThat(endpoint.uri()).isEqualTo(unix(podman));
            assertThat(log.lines())
                    .contains("DEBUG Docker daemon: skipped unix://" + hung + " (the default socket): "
                            + "accepts connections but does not answer /_ping within 10.0 s");
        }
    }
}
