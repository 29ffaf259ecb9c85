package dev.cleanroom.engine.internal;

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
        assertThat(DockerConnector.agree("1.41").getVersion()).isEqualTo("1.41");
    }

    @Test
    void agreesOnOurNewestVersionWhenTheDaemonIsNewer() {
        // Docker 29 refuses anything below 1.44 and speaks 1.52
        assertThat(DockerConnector.agree("1.52").getVersion()).isEqualTo("1.44");
        assertThat(DockerConnector.agree("1.44").getVersion()).isEqualTo("1.44");
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
    void publishedPortsOfALocalDaemonAreReachedOnLoopback() {
        assertThat(DockerConnector.hostAddressFor(URI.create("unix:///var/run/docker.sock"))).isEqualTo("127.0.0.1");
        assertThat(DockerConnector.hostAddressFor(URI.create("tcp://localhost:2375"))).isEqualTo("127.0.0.1");
        assertThat(DockerConnector.hostAddressFor(URI.create("tcp://docker.example:2376"))).isEqualTo("docker.example");
    }

    @Test
    void localSocketsGetATlsContextThatIsNeverInitialised() {
        // The JDK's default context costs a few hundred ms at every start; a local socket never uses TLS
        assertThat(DockerConnector.isLocalSocket(URI.create("unix:///var/run/docker.sock"))).isTrue();
        assertThat(DockerConnector.isLocalSocket(URI.create("tcp://docker.example:2376"))).isFalse();
        assertThatThrownBy(() -> DockerConnector.NoTls.context().getSocketFactory())
                .isInstanceOf(IllegalStateException.class).hasMessage("TLS is not used on a local Docker socket");
    }
}
