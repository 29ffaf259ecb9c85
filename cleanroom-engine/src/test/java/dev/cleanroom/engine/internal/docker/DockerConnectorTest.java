package dev.cleanroom.engine.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cleanroom.engine.api.DockerUnavailableException;
import dev.cleanroom.engine.api.EngineLog;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DockerConnectorTest {

    @Test
    void agreesOnTheDaemonsVersionWhenItIsOlderThanOurs() {
        // Debian's Docker 20.10 refuses anything above 1.41
        assertThat(DockerConnector.agree("1.41")).isEqualTo("1.41");
    }

    @Test
    void agreesOnOurNewestVersionWhenTheDaemonIsNewer() {
        // Docker 29 refuses anything below 1.44 and speaks 1.52
        assertThat(DockerConnector.agree("1.52")).isEqualTo("1.44");
        assertThat(DockerConnector.agree("1.44")).isEqualTo("1.44");
    }

    @Test
    void readsTheDaemonsVersionFromThePingHeaderAndAssumesWhatTheCliAssumesWithoutOne() {
        assertThat(DockerConnector.daemonApiVersion(" 1.52 ")).isEqualTo("1.52");
        // Daemons older than API 1.25 send no Api-Version header
        assertThat(DockerConnector.daemonApiVersion(null)).isEqualTo("1.24");
        assertThat(DockerConnector.daemonApiVersion("")).isEqualTo("1.24");
    }

    @Test
    void saysWhatToDoWhenNoDaemonAnswers() {
        // Arrange: docker-java reads DOCKER_HOST from system properties as well as the environment
        String previous = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", "unix:///nonexistent/cleanroom-test.sock");
        try {
            // Act + Assert
            assertThatThrownBy(() -> DockerConnector.connect(EngineLog.silent()))
                    .isInstanceOf(DockerUnavailableException.class)
                    .hasMessageStartingWith("No Docker daemon answers at unix:///nonexistent/cleanroom-test.sock (")
                    .hasMessageEndingWith("Perhaps you should start it (sudo systemctl start docker, or run dockerd), "
                            + "or point DOCKER_HOST at a running daemon.");
        } finally {
            if (previous == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previous);
            }
        }
    }

    @Test
    void comparesApiVersionsNumericallyNotAsText() {
        assertThat(DockerConnector.compare("1.9", "1.41")).isNegative();
        assertThat(DockerConnector.compare("1.41", "1.41")).isZero();
        assertThat(DockerConnector.agree("1.9")).isEqualTo("1.9");
    }

    @Test
    void aUnixSocketOrPlainTcpIsSpokenToDirectlyAndANamedPipeThroughDockerJava() throws Exception {
        assertThat(withDockerHost("unix:///run/user/1000/docker.sock")).isInstanceOf(SocketTransport.class);
        assertThat(withDockerHost("tcp://127.0.0.1:2375")).isInstanceOf(SocketTransport.class);
        assertThat(withDockerHost("npipe:////./pipe/docker_engine")).isInstanceOf(DockerJavaTransport.class);
    }

    @Test
    void theDockerJavaClientCanBeChosenForEveryDaemonAndAnUnknownClientIsRefused() throws Exception {
        String previous = System.getProperty(DockerConnector.CLIENT_PROPERTY);
        try {
            System.setProperty(DockerConnector.CLIENT_PROPERTY, "docker-java");
            assertThat(withDockerHost("unix:///run/user/1000/docker.sock")).isInstanceOf(DockerJavaTransport.class);
            System.setProperty(DockerConnector.CLIENT_PROPERTY, "podman");
            assertThatThrownBy(() -> DockerConnector.connect(EngineLog.silent()))
                    .isInstanceOf(DockerUnavailableException.class)
                    .hasMessage("cleanroom.docker.client = \"podman\" is not a Docker client; write builtin (the "
                            + "default) or docker-java.");
        } finally {
            if (previous == null) {
                System.clearProperty(DockerConnector.CLIENT_PROPERTY);
            } else {
                System.setProperty(DockerConnector.CLIENT_PROPERTY, previous);
            }
        }
    }

    @Test
    void aUnixAddressWithoutASocketPathIsAConfigurationErrorNotAUriError() {
        assertThatThrownBy(() -> connectWithDockerHost("unix://"))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("DOCKER_HOST=unix:// names no socket path. Perhaps you should write "
                        + "DOCKER_HOST=unix:///var/run/docker.sock (or the path of your daemon's socket).");
    }

    @Test
    void aSocketThisUserMayNotOpenSaysPermissionDeniedAndHowToGetAccess() {
        // Arrange: what Java 17 throws connecting to a root:docker 660 socket as a user outside the docker
        // group (measured as nobody: a BindException). As root no file mode refuses, so the message is
        // tested from the failure itself.
        Exception refused =
                new java.io.IOException("GET /_ping failed", new java.net.BindException("Permission denied"));

        // Act
        DockerUnavailableException e = DockerConnector.unavailable("unix:///var/run/docker.sock", refused);

        // Assert
        assertThat(e)
                .hasMessage("Permission denied on /var/run/docker.sock: this user may not open the Docker "
                        + "daemon's socket. Perhaps you should add yourself to the docker group (sudo usermod -aG docker $USER, "
                        + "then log in again) or point DOCKER_HOST at a daemon you may use.");
    }

    private static void connectWithDockerHost(String host) throws Exception {
        String previous = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", host);
        try {
            DockerConnector.connect(EngineLog.silent()).close();
        } finally {
            if (previous == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previous);
            }
        }
    }

    /** docker-java, and so the connector, read DOCKER_HOST from system properties as well as the environment. */
    private static DockerTransport withDockerHost(String host) throws Exception {
        String previous = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", host);
        try (DockerTransport transport = DockerConnector.transport()) {
            assertThat(transport.host()).isEqualTo(host);
            return transport;
        } finally {
            if (previous == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previous);
            }
        }
    }

    @Test
    void saysWhichJarsToAddWhenATlsDaemonNeedsDockerJavaAndItIsNotOnTheClasspath() {
        // Arrange: a class loader that sees only the JDK, as a test classpath without docker-java
        ClassLoader withoutDockerJava = new java.net.URLClassLoader(new java.net.URL[0], null);
        DaemonEndpoint tls = new DaemonEndpoint(
                URI.create("tcp://docker.example:2376"),
                "DOCKER_HOST",
                java.util.Optional.of(java.nio.file.Path.of("/certs")));

        // Act + Assert
        assertThatThrownBy(() -> DockerConnector.requireDockerJava(tls, withoutDockerJava))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tcp://docker.example:2376 speaks TLS")
                .hasMessageContaining("add com.github.docker-java:docker-java-core and "
                        + "com.github.docker-java:docker-java-transport-zerodep")
                .hasMessageContaining("to the test classpath");
    }

    @Test
    void asksTheAdapterForDockerJavaWhenATlsDaemonNeedsItAndItIsNotOnTheClasspath() throws Exception {
        // Arrange
        ClassLoader withoutDockerJava = new java.net.URLClassLoader(new java.net.URL[0], null);
        DaemonEndpoint tls = new DaemonEndpoint(
                URI.create("tcp://docker.example:2376"),
                "DOCKER_HOST",
                java.util.Optional.of(java.nio.file.Path.of("/certs")));
        java.util.List<String> asked = new java.util.ArrayList<>();

        // Act
        DockerConnector.provideDockerJava(tls, withoutDockerJava, why -> asked.add(why));

        // Assert
        assertThat(asked).containsExactly("tcp://docker.example:2376 speaks TLS");
    }

    @Test
    void leavesTheAdapterAloneWhenDockerJavaIsThereOrNotNeeded() throws Exception {
        // Arrange
        ClassLoader withoutDockerJava = new java.net.URLClassLoader(new java.net.URL[0], null);
        DaemonEndpoint tls = new DaemonEndpoint(
                URI.create("tcp://docker.example:2376"),
                "DOCKER_HOST",
                java.util.Optional.of(java.nio.file.Path.of("/certs")));
        DaemonEndpoint socket = new DaemonEndpoint(
                URI.create("unix:///var/run/docker.sock"), "the default socket", java.util.Optional.empty());
        java.util.List<String> asked = new java.util.ArrayList<>();

        // Act: docker-java on the classpath; a Unix socket, which the built-in client speaks
        DockerConnector.provideDockerJava(tls, DockerConnectorTest.class.getClassLoader(), asked::add);
        DockerConnector.provideDockerJava(socket, withoutDockerJava, asked::add);

        // Assert
        assertThat(asked).isEmpty();
    }

    @Test
    void aFailureToProvideDockerJavaIsThrownAsTheAdapterWorded() {
        // Arrange
        ClassLoader withoutDockerJava = new java.net.URLClassLoader(new java.net.URL[0], null);
        DaemonEndpoint tls = new DaemonEndpoint(
                URI.create("tcp://docker.example:2376"),
                "DOCKER_HOST",
                java.util.Optional.of(java.nio.file.Path.of("/certs")));

        // Act + Assert
        assertThatThrownBy(() -> DockerConnector.provideDockerJava(tls, withoutDockerJava, why -> {
                    throw new DockerUnavailableException("Could not resolve docker-java (offline)", null);
                }))
                .isInstanceOf(DockerUnavailableException.class)
                .hasMessage("Could not resolve docker-java (offline)");
    }

    @Test
    void findsDockerJavaWhereItIsOnTheClasspath() throws Exception {
        DaemonEndpoint tls = new DaemonEndpoint(
                URI.create("tcp://docker.example:2376"),
                "DOCKER_HOST",
                java.util.Optional.of(java.nio.file.Path.of("/certs")));

        DockerConnector.requireDockerJava(tls, DockerConnectorTest.class.getClassLoader());
    }
}
